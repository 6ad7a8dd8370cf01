"""A small SVG picture of an entity and the entities one link away, each a link itself."""

from __future__ import annotations

import math
from html import escape

from mobility_kg.graph.traverse import Neighbor

SIZE = 420
RADIUS = 150
MAX_NODES = 14
COLORS = {
    "dimension": "#6a3d9a",
    "pillar": "#1f78b4",
    "predictor": "#33a02c",
    "metric": "#b15928",
    "evidence": "#e31a1c",
    "strategy": "#ff7f00",
    "term": "#666666",
    "post": "#a6761d",
    "plan": "#1b9e77",
    "guide": "#7570b3",
    "place": "#e7298a",
    "methodology": "#17becf",
}


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def neighborhood_svg(center_id: str, center_label: str, neighbors: list[Neighbor]) -> str:
    """SVG markup: the entity in the middle, up to 14 neighbours on a circle around it."""
    shown = neighbors[:MAX_NODES]
    middle = SIZE / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'aria-labelledby="graph-title" class="neighborhood">',
        f'<title id="graph-title">{escape(center_label)} and {len(shown)} linked entities</title>',
    ]
    points = []
    for index, item in enumerate(shown):
        angle = 2 * math.pi * index / max(1, len(shown)) - math.pi / 2
        x, y = middle + RADIUS * math.cos(angle), middle + RADIUS * math.sin(angle)
        points.append((item, x, y))
        parts.append(
            f'<line x1="{middle:.0f}" y1="{middle:.0f}" x2="{x:.0f}" y2="{y:.0f}" stroke="#bbb"/>'
        )
    for item, x, y in points:
        color = COLORS.get(item.type, "#444")
        tip = f"{item.type}: {item.label} ({item.via.property})"
        parts.append(
            f'<a href="/id/{escape(item.id)}">'
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="9" fill="{color}">'
            f"<title>{escape(tip)}</title></circle>"
            f'<text x="{x:.0f}" y="{y + 22:.0f}" text-anchor="middle" font-size="11">'
            f"{escape(_short(item.label))}</text></a>"
        )
    color = COLORS.get(center_id.partition("/")[0], "#444")
    parts.append(f'<circle cx="{middle:.0f}" cy="{middle:.0f}" r="14" fill="{color}"/>')
    parts.append(
        f'<text x="{middle:.0f}" y="{middle + 30:.0f}" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{escape(_short(center_label, 30))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
