"""Reading list and position cues from a question's wording."""

import pytest

from mobility_kg.search.query import QueryIntent, understand


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what should a county do first when starting a plan", QueryIntent(None, 1)),
        ("step six?", QueryIntent(None, 6)),
        ("what is step 3 of the guide", QueryIntent(None, 3)),
        ("what is the last step of the planning guide", QueryIntent(None, -1)),
        ("we built our coalition for the plan. what comes next?", QueryIntent(None, None, 1)),
        ("which step comes right before the measurement plan?", QueryIntent(None, None, -1)),
        # "before" that sets the scene of a how-question asks for no other step
        (
            "before announcing anything, how do we check our county is ready to plan?",
            QueryIntent(),
        ),
        ("which cohort counties prioritised affordable housing", QueryIntent("plan", None)),
        ("what programs address school readiness", QueryIntent("strategy", None)),
        ("how does eviction affect children", QueryIntent()),
        ("how can a city reduce police violence", QueryIntent(action=True)),
        ("what can we do to lower medical debt?", QueryIntent(action=True)),
        ("How can I tell if homeowners hold a fair share of home value?", QueryIntent()),
        (
            "what happens between the readiness check and the first look at local conditions?",
            QueryIntent(between=True),
        ),
        ("which numbers should move if we add bus routes?", QueryIntent("metric")),
        (
            "what are all the conditions the framework tracks under schooling?",
            QueryIntent("predictor"),
        ),
        ("what evidence is there behind Riverside's priorities?", QueryIntent("evidence")),
        ("how is the share of income spent on transport measured?", QueryIntent(measure=True)),
        ("Which years of data exist for the home internet measure?", QueryIntent(measure=True)),
        # a place's own numbers are not a question about measuring
        ("our turnout numbers are low. what gets people to vote?", QueryIntent()),
        ("which metrics track housing?", QueryIntent("metric")),  # a list, not a measure cue
    ],
)
def test_cues(question: str, intent: QueryIntent) -> None:
    assert understand(question) == intent
