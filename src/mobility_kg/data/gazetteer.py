"""What search needs to read a question about places (issue 10), written at build so that the
read path never opens the graph: every place's name, state and level, and every framework
concept that has data (pillar, predictor, metric, variable) with its labels and variables."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from mobility_kg.data.dataset import read_places
from mobility_kg.data.sources import VARIABLES
from mobility_kg.data.vocabulary import variable_iri
from mobility_kg.graph.namespaces import UMF


def ordinary_words(names: Iterable[str]) -> list[str]:
    """The words of ``names`` (lower case) that Webster's Second International lists, as a
    word or as a name ("mobile", "independence"; "Lincoln", "Austin"): the package
    ``english-words``'s ``web2`` list, read at build only. A city named by such a word is not
    read from a lower-case question ("how is lincoln doing?" may be about the president)."""
    from english_words import get_english_words_set

    listed = get_english_words_set(["web2"], lower=True)
    words = {w for name in names for w in re.findall(r"[a-z0-9]+", name.lower())}
    return sorted(words & listed)


def gazetteer_json(graph: Graph, base_iri: str, folder: Path) -> str:
    """``{"places": [[fips, name, state, level, counties]], "concepts": [{id, level, labels,
    variables}], "ordinary": [word]}``: a city's counties joined by ";", a concept's labels its
    SKOS preferred and alternative labels (a variable's: its label), and the words of city
    names that are also English words or names (:func:`ordinary_words`)."""
    read = read_places(folder).values()
    places = [[p.fips, p.name, p.state, str(p.level), ";".join(p.counties)] for p in read]
    concepts: dict[str, dict[str, object]] = {}

    def labels(node: URIRef) -> list[str]:
        found = [graph.value(node, SKOS.prefLabel), *graph.objects(node, SKOS.altLabel)]
        return sorted({str(label) for label in found if label is not None})

    def add(node: URIRef, level: str, variable: str, names: list[str]) -> None:
        compact = str(node).removeprefix(base_iri)
        entry = concepts.setdefault(compact, {"id": compact, "level": level, "variables": []})
        entry["labels"] = names
        variables = entry["variables"]
        assert isinstance(variables, list)
        if variable not in variables:
            variables.append(variable)

    for name, variable in VARIABLES.items():
        metric = URIRef(base_iri + variable.metric)
        predictor = graph.value(metric, UMF.measures)
        pillar = graph.value(predictor, UMF.pillar) if predictor is not None else None
        if not isinstance(predictor, URIRef) or not isinstance(pillar, URIRef):
            continue
        own = graph.value(URIRef(variable_iri(base_iri, name)), RDFS.label)
        add(URIRef(f"{base_iri}variable/{name}"), "variable", name, [str(own or variable.label)])
        add(metric, "metric", name, labels(metric))
        add(predictor, "predictor", name, labels(predictor))
        add(pillar, "pillar", name, labels(pillar))
    return json.dumps(
        {
            "places": sorted(places),
            "concepts": sorted(concepts.values(), key=lambda c: str(c["id"])),
            "ordinary": ordinary_words(p[1] for p in places if p[3] == "city"),
        },
        separators=(",", ":"),
        sort_keys=True,
    )
