"""Render the search page and entity pages from templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from mobility_kg.api.web.neighborhood import neighborhood_svg
from mobility_kg.api.web.prose import render_markdown
from mobility_kg.data.sources import VARIABLES
from mobility_kg.graph.inspect import EntityView, Link, section_anchors
from mobility_kg.graph.traverse import EntityGraph
from mobility_kg.ids import CompactId, to_iri
from mobility_kg.plural import counted

WEB = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(WEB / "templates"))
TEMPLATES.env.globals["counted"] = counted
STATIC_DIR = WEB / "static"

# How a link reads on an entity page, by property and direction.
OUTGOING = {
    "umf:pillar": "Pillar",
    "umf:measuredBy": "Metrics",
    "umf:measures": "Measures",
    "umf:supports": "Supports",
    "umf:addresses": "Addresses",
    "umf:evidenceFor": "Evidence for",
    "dcterms:subject": "About",
    "skos:related": "Related",
    "umf:mentionedIn": "Mentioned in",
    "umf:place": "Place",
    "umf:priority": "Priorities",
    "umf:usesStrategy": "Strategies",
    "umf:nextStep": "Next step",
    "umf:inCounty": "In county",
}
INCOMING = {
    "umf:pillar": "Predictors",
    "umf:addresses": "Strategies addressing it",
    "umf:evidenceFor": "Evidence",
    "umf:supports": "Pillars supporting it",
    "dcterms:subject": "Discussed in",
    "skos:related": "Related terms",
    "umf:mentionedIn": "Terms used",
    "umf:priority": "Plans prioritising it",
    "umf:usesStrategy": "Plans using it",
    "umf:place": "Plans",
    "umf:nextStep": "Previous step",
    "umf:inCounty": "Cities in it",
}
SKIPPED = {"skos:broader", "umf:measures"}  # shown through their more specific twins
# Groups a reader looks for first come first; the rest follow in the order found.
FIRST = [
    "Pillar",
    "Metrics",
    "Strategies addressing it",
    "Evidence",
    "Predictors",
    "Addresses",
    "Evidence for",
    "Measures",
    "Priorities",
    "Strategies",
    "Place",
]


def link_groups(view: EntityView) -> list[tuple[str, list[Link]]]:
    """Links grouped under readable headings, outgoing first."""
    groups: dict[str, list[Link]] = {}
    for links, names, skip in (
        (view.links_out, OUTGOING, {"skos:broader"}),
        (view.links_in, INCOMING, SKIPPED),
    ):
        for link in links:
            if link.property in skip:
                continue
            groups.setdefault(names.get(link.property, link.property), []).append(link)
    rank = {name: index for index, name in enumerate(FIRST)}
    return sorted(groups.items(), key=lambda item: rank.get(item[0], len(FIRST)))


def entity_svg(graph: EntityGraph, view: EntityView) -> str:
    return neighborhood_svg(view.id, view.label, graph.neighbors(view.id, 1))


@dataclass(frozen=True, slots=True)
class RenderedSection:
    anchor: str
    title: str
    html: Markup


def entity_context(graph: EntityGraph, view: EntityView) -> dict[str, Any]:
    """What entity.html needs: the lead and every section as safe HTML, links, the picture."""
    return {
        "view": view,
        "lead": render_markdown(view.definition),
        "sections": [
            RenderedSection(s.anchor, s.title, render_markdown(s.text)) for s in view.section_texts
        ],
        "groups": link_groups(view),
        "link_groups": link_groups(view),
        "svg": entity_svg(graph, view),
        "map_href": map_href(view.id),
    }


def map_href(entity_id: str) -> str | None:
    """The county map of a metric that has data (``/metrics/<slug>``), else None."""
    if any(v.metric == entity_id for v in VARIABLES.values()):
        return "/metrics/" + entity_id.removeprefix("metric/")
    return None


def section_href(graph: Graph, base_iri: str, entity_id: str, section: str) -> str:
    """The entity page, at the section titled ``section`` when it has one."""
    anchor = section_anchors(graph, base_iri, entity_id).get(section)
    return f"/id/{entity_id}#{anchor}" if anchor else f"/id/{entity_id}"


def title_of(graph: Graph, base_iri: str, entity_id: str) -> str:
    """An entity's title (its id when the graph has no label for it)."""
    label = graph.value(URIRef(to_iri(base_iri, CompactId(entity_id))), RDFS.label)
    return str(label) if label is not None else entity_id
