"""Controlled values the corpus may use, each with the description the ontology publishes.

The ontology (corpus/ontology/umf.ttl) declares one individual per value; a test keeps the
two in step.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from mobility_kg.ids import EntityType

UMF_IRI: Final = "https://w3id.org/mobility-kg/ontology#"

# The umf: class of each kind of entity (the graph adds the standard class each refines).
ENTITY_CLASS_NAMES: Final = MappingProxyType(
    {
        EntityType.DIMENSION: "Dimension",
        EntityType.PILLAR: "Pillar",
        EntityType.PREDICTOR: "Predictor",
        EntityType.METRIC: "Metric",
        EntityType.EVIDENCE: "EvidenceDocument",
        EntityType.STRATEGY: "Strategy",
        EntityType.TERM: "Term",
        EntityType.POST: "Post",
        EntityType.PLAN: "MobilityActionPlan",
        EntityType.GUIDE: "GuideStep",
        EntityType.PLACE: "Place",
        EntityType.METHODOLOGY: "MethodologyDocument",
    }
)

GEOGRAPHIC_LEVELS: Final = MappingProxyType(
    {
        "county": "A US county or county equivalent (3,143 in all).",
        "city": "A census place of 75,000 or more people.",
    }
)

SUBGROUPS: Final = MappingProxyType(
    {
        "race-ethnicity": "Breakdown by race and ethnicity (Black, Hispanic, other, white).",
        "race": "Breakdown by race without the Hispanic split.",
        "race-share": "Breakdown by the racial make-up of the neighborhoods or zip codes.",
        "gender": "Breakdown by gender.",
        "age": "Breakdown by age group.",
        "disability": "Breakdown by disability status.",
        "income": "Breakdown by household income group.",
        "tenure": "Breakdown by owners and renters.",
        "industry": "Breakdown by industry of employment.",
        "mothers-education": "Breakdown by the mother's level of education.",
        "poverty": "Breakdown by the poverty level of the neighborhood.",
    }
)

ACTORS: Final = MappingProxyType(
    {
        "local-government": "County and city governments and their agencies.",
        "state-government": "State legislatures and state agencies.",
        "federal-government": "Federal agencies and programmes.",
        "school-districts": "Public school districts and schools.",
        "higher-education": "Colleges, community colleges and universities.",
        "employers": "Private and public employers.",
        "nonprofits": "Nonprofit service providers.",
        "community-organizations": "Grassroots and community-based organisations.",
        "philanthropy": "Foundations and other funders.",
        "health-care-providers": "Hospitals, clinics and health systems.",
        "housing-authorities": "Public housing agencies.",
        "financial-institutions": "Banks, credit unions and community lenders.",
        "transit-agencies": "Public transportation agencies.",
        "law-enforcement": "Police and sheriff departments.",
        "courts": "Courts, prosecutors and public defenders.",
        "residents": "Residents and community members themselves.",
    }
)

EVIDENCE_STRENGTHS: Final = MappingProxyType(
    {
        "strong": "Rated effective on consistent, rigorous evidence.",
        "moderate": "Some rigorous evidence of benefit.",
        "emerging": "Promising: expert opinion or early studies only.",
        "mixed": "Studies disagree on the effect.",
        "insufficient": "Too little evidence to judge.",
        "ineffective": "Evidence of no benefit or of harm.",
    }
)
