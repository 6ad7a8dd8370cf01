"""A small SVG picture of an entity and the entities one link away, each a link itself.

Laid out so that no two labels can meet and none leaves the picture: the entity's name on top,
the entity as a node on the left, one row per neighbour (node, then its title, cut to fit the
width), and a legend of the entity types and link directions below. Label widths are
estimated as ``CHAR_WIDTH`` x font size per character, generous for a sans-serif face; the
tests check the layout with the same estimate and, in Chromium, with the real text boxes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from mobility_kg.graph.traverse import Neighbor
from mobility_kg.plural import counted

WIDTH = 480
MARGIN = 8
CHAR_WIDTH = 0.62  # of the font size: wider than the average glyph of common sans faces
TITLE_FONT = 14
LABEL_FONT = 12
LEGEND_FONT = 11
ROW = 26  # vertical distance between neighbour rows
FIRST_ROW = 56
CENTER_X, CENTER_R = 36, 12
NODE_X, NODE_R = 190, 7
LABEL_X = NODE_X + NODE_R + 8
LEGEND_ROW = 20
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
OUT_LINK = "links from this entity"
IN_LINK = "links to this entity"


def fit(label: str, font_size: float, room: float) -> str:
    """``label`` cut (with an ellipsis) to the characters that fit in ``room`` pixels."""
    limit = max(1, math.floor(room / (CHAR_WIDTH * font_size)))
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class _Text:
    x: float
    y: float
    size: int
    text: str
    bold: bool = False

    def svg(self) -> str:
        weight = ' font-weight="bold"' if self.bold else ""
        return (
            f'<text x="{self.x:.0f}" y="{self.y:.0f}" font-size="{self.size}"{weight}>'
            f"{escape(self.text)}</text>"
        )


def _baseline(center_y: float, size: int) -> float:
    return center_y + 0.35 * size  # the text's middle on the row's middle


def neighborhood_svg(center_id: str, center_label: str, neighbors: list[Neighbor]) -> str:
    """SVG markup: the entity, up to 14 neighbours in rows, and a legend. The picture is a
    labelled group (not ``role="img"``, which may not hold links), described in words."""
    shown = neighbors[:MAX_NODES]
    rows_end = FIRST_ROW + max(0, len(shown) - 1) * ROW
    if len(neighbors) > len(shown):
        rows_end += ROW
    center_type = center_id.partition("/")[0]
    types = sorted({center_type, *(n.type for n in shown)})
    used = {OUT_LINK if n.via.source == center_id else IN_LINK for n in shown}
    directions = [d for d in (OUT_LINK, IN_LINK) if d in used]
    legend = [(t, "type") for t in types] + [(d, "direction") for d in directions]
    legend_top = rows_end + 32  # clear of the last row and of the entity's own node
    height = legend_top + math.ceil(len(legend) / 2) * LEGEND_ROW + MARGIN
    center_y = (FIRST_ROW + FIRST_ROW + max(0, len(shown) - 1) * ROW) / 2

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-labelledby="graph-title" aria-describedby="graph-desc" class="neighborhood" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="graph-title">{escape(center_label)} and '
        f"{counted(len(neighbors), 'linked entity', 'linked entities')}</title>",
        f'<desc id="graph-desc">{escape(_description(center_id, neighbors))}</desc>',
        _Text(
            MARGIN, 22, TITLE_FONT, fit(center_label, TITLE_FONT, WIDTH - 2 * MARGIN), True
        ).svg(),
    ]
    for index, item in enumerate(shown):
        y = FIRST_ROW + index * ROW
        dashed = "" if item.via.source == center_id else ' stroke-dasharray="5 4"'
        parts.append(
            f'<line x1="{CENTER_X}" y1="{center_y:.0f}" x2="{NODE_X}" y2="{y:.0f}" '
            f'stroke="#8a93a6"{dashed}/>'
        )
    for index, item in enumerate(shown):
        y = FIRST_ROW + index * ROW
        label = fit(item.label, LABEL_FONT, WIDTH - MARGIN - LABEL_X)
        color = COLORS.get(item.type, "#444")
        parts.append(
            f'<a href="/id/{escape(item.id)}">'
            f'<circle cx="{NODE_X}" cy="{y:.0f}" r="{NODE_R}" fill="{color}">'
            f"<title>{escape(f'{item.type}: {item.label} ({item.via.property})')}</title></circle>"
            f"{_Text(LABEL_X, _baseline(y, LABEL_FONT), LABEL_FONT, label).svg()}</a>"
        )
    if len(neighbors) > len(shown):
        more = f"and {len(neighbors) - len(shown)} more (see Links)"
        y = FIRST_ROW + len(shown) * ROW
        parts.append(_Text(LABEL_X, _baseline(y, LABEL_FONT), LABEL_FONT, more).svg())
    parts.append(
        f'<circle cx="{CENTER_X}" cy="{center_y:.0f}" r="{CENTER_R}" '
        f'fill="{COLORS.get(center_type, "#444")}" stroke="#1d2433" stroke-width="2"/>'
    )
    parts.append(_legend(legend, legend_top))
    parts.append("</svg>")
    return "".join(parts)


def _legend(items: list[tuple[str, str]], top: int) -> str:
    column = WIDTH / 2
    parts = [f'<g class="legend">{_Text(MARGIN, top - 8, LEGEND_FONT, "Legend", True).svg()}']
    for index, (name, kind) in enumerate(items):
        x = MARGIN + (index % 2) * column
        y = top + 6 + (index // 2) * LEGEND_ROW
        if kind == "type":
            parts.append(
                f'<circle cx="{x + 12:.0f}" cy="{y}" r="6" fill="{COLORS.get(name, "#444")}"/>'
            )
        else:
            dashed = ' stroke-dasharray="5 4"' if name == IN_LINK else ""
            parts.append(
                f'<line x1="{x:.0f}" y1="{y}" x2="{x + 24:.0f}" y2="{y}" stroke="#8a93a6" '
                f'stroke-width="2"{dashed}/>'
            )
        text_x = x + 32
        room = column - 32 - MARGIN
        parts.append(
            _Text(
                text_x, _baseline(y, LEGEND_FONT), LEGEND_FONT, fit(name, LEGEND_FONT, room)
            ).svg()
        )
    parts.append("</g>")
    return "".join(parts)


def _description(center_id: str, neighbors: list[Neighbor]) -> str:
    """The picture in words: every neighbour, its type and the link that joins them."""
    said = []
    for item in neighbors:
        arrow = "links to" if item.via.source == center_id else "is linked from"
        said.append(f"{arrow} {item.label} ({item.type}) by {item.via.property}")
    return "This entity " + "; ".join(said) + "." if said else "No linked entities."
