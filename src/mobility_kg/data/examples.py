"""Example SPARQL queries over the metric values joined with the framework (README, tests)."""

from __future__ import annotations

PREFIXES = """\
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX umf: <https://w3id.org/mobility-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

COUNT_OBSERVATIONS = (
    PREFIXES
    + """\
SELECT (COUNT(?o) AS ?observations) WHERE { ?o qb:dataSet ?dataset }
"""
)

# The counties of one state in the bottom decile (national percentile under 10) of a
# variable where higher is better, with the strategies that address the variable's predictor.
BOTTOM_DECILE_WITH_STRATEGIES = (
    PREFIXES
    + """\
SELECT ?county ?name ?value ?percentile ?predictor ?strategy ?strength WHERE {
  ?variable umf:variableName "share_employed" ; umf:variableOf ?metric .
  ?metric umf:measures ?predictor .
  ?dataset umf:datasetVariable ?variable ; umf:geographicLevel umf:level-county .
  ?county umf:stateCode "KY" ; rdfs:label ?name .
  ?o umf:refArea ?county ; qb:dataSet ?dataset ; umf:refPeriod "2023"^^xsd:gYear ;
     umf:nationalPercentile ?percentile ; umf:value ?value .
  FILTER(?percentile < 10)
  ?strategy umf:addresses ?predictor .
  OPTIONAL { ?strategy umf:evidenceStrength ?strength }
}
ORDER BY ?percentile ?county ?strategy
"""
)

# One place's whole-population values with the metric, predictor and pillar of each.
PLACE_BY_PILLAR = (
    PREFIXES
    + """\
SELECT ?pillar ?predictor ?variable ?year ?value ?quality WHERE {
  ?place umf:fipsCode "27123" .
  ?o umf:refArea ?place ; umf:subgroup ?all ; qb:dataSet ?dataset ;
     umf:refPeriod ?year ; umf:value ?value .
  ?all skos:prefLabel "All"@en .
  OPTIONAL { ?o umf:quality ?q . ?q skos:prefLabel ?quality }
  ?dataset umf:datasetVariable ?v . ?v umf:variableName ?variable ; umf:variableOf ?metric .
  ?metric umf:measures ?p . ?p skos:prefLabel ?predictor ; umf:pillar ?pl .
  ?pl skos:prefLabel ?pillar .
}
ORDER BY ?pillar ?predictor ?variable ?year
"""
)

EXAMPLES: dict[str, str] = {
    "count-observations": COUNT_OBSERVATIONS,
    "bottom-decile-with-strategies": BOTTOM_DECILE_WITH_STRATEGIES,
    "place-by-pillar": PLACE_BY_PILLAR,
}
