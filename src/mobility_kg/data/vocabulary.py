"""The RDF Data Cube structure of the metric values, their SHACL shapes, and the IRIs of the
cube's nodes.

Observations (in the on-disk store) carry ``qb:dataSet`` (one data set per variable and level),
the dimensions ``umf:refArea`` (a place), ``umf:refPeriod`` (an ``xsd:gYear``) and
``umf:subgroup``, the measures ``umf:value``, ``umf:lowerBound`` and ``umf:upperBound``
(``xsd:double``), and the attributes ``umf:quality`` (a SKOS concept) and, for the whole
population, ``umf:nationalPercentile`` and ``umf:statePercentile`` (``xsd:decimal``, 0-100,
among places of the same level). ``qb:dataSet`` has domain ``qb:Observation`` in the cube
vocabulary, so the type is not repeated on every observation.
"""

from __future__ import annotations

import re

from mobility_kg.data.sources import Level

UMF = "https://w3id.org/mobility-kg/ontology#"
QB = "http://purl.org/linked-data/cube#"
XSD = "http://www.w3.org/2001/XMLSchema#"
QUALITY_IRIS = {1: f"{UMF}quality-strong", 2: f"{UMF}quality-marginal", 3: f"{UMF}quality-weak"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def dataset_iri(base: str, variable: str, level: Level | str) -> str:
    return f"{base}data/dataset/{variable}/{level}"


def variable_iri(base: str, variable: str) -> str:
    return f"{base}data/variable/{variable}"


def subgroup_iri(base: str, subgroup_type: str, subgroup: str) -> str:
    if subgroup_type == "all":
        return f"{base}data/subgroup/all"
    return f"{base}data/subgroup/{subgroup_type}/{slug(subgroup)}"


def observation_iri(
    base: str, variable: str, fips: str, year: int, subgroup_type: str, subgroup: str
) -> str:
    tail = "all" if subgroup_type == "all" else f"{subgroup_type}/{slug(subgroup)}"
    return f"{base}data/observation/{variable}/{fips}/{year}/{tail}"


CUBE_TTL = """\
@prefix umf: <https://w3id.org/mobility-kg/ontology#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

umf:MetricValueStructure a qb:DataStructureDefinition ;
    rdfs:label "Mobility Metrics values"@en ;
    qb:component umf:component-refArea, umf:component-refPeriod, umf:component-subgroup,
        umf:component-value, umf:component-lowerBound, umf:component-upperBound,
        umf:component-quality, umf:component-nationalPercentile, umf:component-statePercentile .
umf:component-refArea qb:dimension umf:refArea ; qb:order 1 .
umf:component-refPeriod qb:dimension umf:refPeriod ; qb:order 2 .
umf:component-subgroup qb:dimension umf:subgroup ; qb:order 3 .
umf:component-value qb:measure umf:value .
umf:component-lowerBound qb:measure umf:lowerBound .
umf:component-upperBound qb:measure umf:upperBound .
umf:component-quality qb:attribute umf:quality .
umf:component-nationalPercentile qb:attribute umf:nationalPercentile .
umf:component-statePercentile qb:attribute umf:statePercentile .

umf:refArea a qb:DimensionProperty ; rdfs:range umf:Place ;
    rdfs:label "place"@en ; rdfs:comment "The county or city the value is for."@en .
umf:refPeriod a qb:DimensionProperty ; rdfs:range xsd:gYear ;
    rdfs:label "year"@en ; rdfs:comment "The year of the value (school years by their start)."@en .
umf:subgroup a qb:DimensionProperty ; rdfs:range umf:Subgroup ;
    rdfs:label "subgroup"@en ;
    rdfs:comment "The population the value is for (everyone, or one subgroup)."@en .
umf:value a qb:MeasureProperty ; rdfs:range xsd:double ; rdfs:label "value"@en .
umf:lowerBound a qb:MeasureProperty ; rdfs:range xsd:double ; rdfs:label "lower bound"@en ;
    rdfs:comment "Lower bound of the value's confidence interval."@en .
umf:upperBound a qb:MeasureProperty ; rdfs:range xsd:double ; rdfs:label "upper bound"@en ;
    rdfs:comment "Upper bound of the value's confidence interval."@en .
umf:quality a qb:AttributeProperty ; rdfs:range umf:DataQuality ; rdfs:label "data quality"@en .
umf:nationalPercentile a qb:AttributeProperty ; rdfs:range xsd:decimal ;
    rdfs:label "national percentile"@en ;
    rdfs:comment "Mid-rank percentile (0-100) among places of its level that year."@en .
umf:statePercentile a qb:AttributeProperty ; rdfs:range xsd:decimal ;
    rdfs:label "state percentile"@en ;
    rdfs:comment "Mid-rank percentile (0-100) among places of its level and state that year."@en .

umf:Variable a rdfs:Class ; rdfs:label "Metric variable"@en ;
    rdfs:comment "A column of the Mobility Metrics tables: one metric, one unit."@en .
umf:Subgroup a rdfs:Class ; rdfs:subClassOf skos:Concept ; rdfs:label "Population subgroup"@en .
umf:DataQuality a rdfs:Class ; rdfs:subClassOf skos:Concept ; rdfs:label "Data quality"@en .
umf:variableOf a rdf:Property ; rdfs:domain umf:Variable ; rdfs:label "variable of"@en ;
    rdfs:comment "The framework metric a variable measures."@en .
umf:datasetVariable a rdf:Property ; rdfs:domain qb:DataSet ; rdfs:range umf:Variable ;
    rdfs:label "variable"@en .
umf:variableName a rdf:Property ; rdfs:domain umf:Variable ; rdfs:label "variable name"@en ;
    rdfs:comment "The variable's column name in the data tables."@en .
umf:unit a rdf:Property ; rdfs:domain umf:Variable ; rdfs:label "unit"@en .
umf:higherIsBetter a rdf:Property ; rdfs:domain umf:Variable ; rdfs:range xsd:boolean ;
    rdfs:label "higher is better"@en .
umf:upstreamColumn a rdf:Property ; rdfs:label "upstream column"@en .
umf:inCounty a rdf:Property ; rdfs:domain umf:Place ; rdfs:range umf:Place ;
    rdfs:label "in county"@en ; rdfs:comment "A county a city lies in, wholly or partly."@en .
umf:stateCode a rdf:Property ; rdfs:domain umf:Place ; rdfs:label "state code"@en .

umf:QualityScheme a skos:ConceptScheme ; skos:prefLabel "Mobility Metrics data quality"@en .
umf:quality-strong a umf:DataQuality ; skos:inScheme umf:QualityScheme ; skos:notation "1" ;
    skos:prefLabel "Strong"@en .
umf:quality-marginal a umf:DataQuality ; skos:inScheme umf:QualityScheme ; skos:notation "2" ;
    skos:prefLabel "Marginal"@en .
umf:quality-weak a umf:DataQuality ; skos:inScheme umf:QualityScheme ; skos:notation "3" ;
    skos:prefLabel "Weak"@en .
umf:SubgroupScheme a skos:ConceptScheme ; skos:prefLabel "Population subgroups"@en .
""".replace(
    "@prefix xsd:", "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix xsd:"
)

SHAPES_TTL = """\
@prefix umf: <https://w3id.org/mobility-kg/ontology#> .
@prefix umfsh: <https://w3id.org/mobility-kg/shapes#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

umfsh:ObservationShape a sh:NodeShape ;
    sh:targetSubjectsOf qb:dataSet ;
    sh:property [ sh:path qb:dataSet ; sh:minCount 1 ; sh:maxCount 1 ; sh:class qb:DataSet ;
        sh:message "an observation is in exactly one data set" ] ;
    sh:property [ sh:path umf:refArea ; sh:minCount 1 ; sh:maxCount 1 ; sh:class umf:Place ;
        sh:message "an observation is for exactly one place" ] ;
    sh:property [ sh:path umf:refPeriod ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:gYear ;
        sh:message "an observation has exactly one year" ] ;
    sh:property [ sh:path umf:subgroup ; sh:minCount 1 ; sh:maxCount 1 ; sh:class umf:Subgroup ;
        sh:message "an observation is for exactly one subgroup" ] ;
    sh:property [ sh:path umf:value ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:double ;
        sh:message "an observation has exactly one value" ] ;
    sh:property [ sh:path umf:lowerBound ; sh:maxCount 1 ; sh:datatype xsd:double ;
        sh:message "at most one lower bound" ] ;
    sh:property [ sh:path umf:upperBound ; sh:maxCount 1 ; sh:datatype xsd:double ;
        sh:message "at most one upper bound" ] ;
    sh:property [ sh:path umf:quality ; sh:maxCount 1 ;
        sh:in ( umf:quality-strong umf:quality-marginal umf:quality-weak ) ;
        sh:message "quality is Strong, Marginal or Weak" ] ;
    sh:property [ sh:path umf:nationalPercentile ; sh:maxCount 1 ; sh:datatype xsd:decimal ;
        sh:minInclusive 0 ; sh:maxInclusive 100 ; sh:message "a percentile is between 0 and 100" ] ;
    sh:property [ sh:path umf:statePercentile ; sh:maxCount 1 ; sh:datatype xsd:decimal ;
        sh:minInclusive 0 ; sh:maxInclusive 100 ; sh:message "a percentile is between 0 and 100" ] .

umfsh:DataSetShape a sh:NodeShape ;
    sh:targetClass qb:DataSet ;
    sh:property [ sh:path qb:structure ; sh:minCount 1 ; sh:maxCount 1 ;
        sh:class qb:DataStructureDefinition ; sh:message "a data set has one structure" ] ;
    sh:property [ sh:path umf:datasetVariable ; sh:minCount 1 ; sh:maxCount 1 ;
        sh:class umf:Variable ; sh:message "a data set holds one variable" ] .

umfsh:VariableShape a sh:NodeShape ;
    sh:targetClass umf:Variable ;
    sh:property [ sh:path umf:variableOf ; sh:minCount 1 ; sh:maxCount 1 ; sh:class umf:Metric ;
        sh:message "a variable measures exactly one framework metric" ] ;
    sh:property [ sh:path umf:variableName ; sh:minCount 1 ; sh:maxCount 1 ;
        sh:message "a variable has one name" ] ;
    sh:property [ sh:path umf:unit ; sh:minCount 1 ; sh:maxCount 1 ;
        sh:in ( "share" "ratio" "dollars" "index" "count" "rate per 100,000" "rate per 10,000" ) ;
        sh:message "a variable has one known unit" ] .
"""
