"""The neighbourhood picture: labels never overlap or leave the picture; legend; words."""

import itertools
import re
from xml.etree import ElementTree

import pytest

from mobility_kg.api.web.neighborhood import CHAR_WIDTH, neighborhood_svg
from mobility_kg.graph.traverse import Hop, Neighbor

SVG = "{http://www.w3.org/2000/svg}"
CENTER = "predictor/housing-stability"
LONG = "A strategy whose name is much longer than any row of the picture could ever hold"


def _neighbors(count: int) -> list[Neighbor]:
    types = ["strategy", "metric", "evidence", "post", "term", "plan", "pillar"]
    found = []
    for index in range(count):
        kind = types[index % len(types)]
        other = f"{kind}/n{index}"
        hop = (
            Hop(CENTER, "umf:measuredBy", other)
            if index % 2
            else Hop(other, "umf:addresses", CENTER)
        )
        label = LONG if index % 3 == 0 else f"{kind.title()} {index} with a medium-length title"
        found.append(Neighbor(other, kind, label, 1, hop))
    return found


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _boxes(svg: str) -> tuple[list[tuple[str, Box]], Box]:
    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    boxes: list[tuple[str, Box]] = []
    for text in root.iter(SVG + "text"):
        size = float(text.attrib["font-size"])
        x, y = float(text.attrib["x"]), float(text.attrib["y"])
        assert text.attrib.get("text-anchor", "start") == "start"
        content = text.text or ""
        boxes.append(
            (content, (x, y - 0.8 * size, x + len(content) * CHAR_WIDTH * size, y + 0.25 * size))
        )
    for circle in root.iter(SVG + "circle"):
        cx, cy, r = (float(circle.attrib[k]) for k in ("cx", "cy", "r"))
        boxes.append(("circle", (cx - r, cy - r, cx + r, cy + r)))
    return boxes, (0, 0, width, height)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("count", [0, 1, 5, 14, 30])
def test_no_label_overlaps_another_or_leaves_the_picture(count: int) -> None:
    svg = neighborhood_svg(
        CENTER, "Housing stability and a rather long title for a predictor", _neighbors(count)
    )
    boxes, (_, _, width, height) = _boxes(svg)
    for name, (left, top, right, bottom) in boxes:
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, name
    clashes = [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if _overlap(box_a, box_b)
    ]
    assert clashes == []


def test_legend_names_every_type_and_link_direction_shown() -> None:
    svg = neighborhood_svg(CENTER, "Housing stability", _neighbors(5))
    legend = re.search(r'<g class="legend">(.*)</g>', svg)
    assert legend is not None
    texts = re.findall(r">([^<>]+)</text>", legend.group(1))
    assert texts == [
        "Legend",
        "evidence",
        "metric",
        "post",
        "predictor",
        "strategy",
        "term",
        "links from this entity",
        "links to this entity",
    ]


def test_long_labels_are_cut_and_the_rest_is_said_in_words() -> None:
    svg = neighborhood_svg(CENTER, "Housing stability", _neighbors(16))
    assert LONG not in re.findall(r">([^<>]+)</text>", svg)
    assert "and 2 more (see Links)" in svg
    desc = re.search(r'<desc id="graph-desc">([^<]+)</desc>', svg)
    assert desc is not None
    assert desc.group(1).count(LONG) == 6  # every neighbour, uncut, in the text alternative
    assert 'role="group" aria-labelledby="graph-title" aria-describedby="graph-desc"' in svg
