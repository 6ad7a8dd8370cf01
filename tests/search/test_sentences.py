"""Sentence splitting and standalone sentences for answers."""

from mobility_kg.search.indexing import sentences_of
from mobility_kg.search.records import Catalog, Chunk, EntityCard
from mobility_kg.search.sentences import split_sentences, standalone


def test_splitter_keeps_citations_abbreviations_and_initials_together() -> None:
    text = (
        "Children who move often do worse in school (Phillips et al. 2019). "
        "The U.S. Census Bureau counts them, e.g. in the ACS every year. "
        "Dr. Smith agrees with J. Jones on this point entirely. Short one."
    )
    assert split_sentences(text) == [
        "Children who move often do worse in school (Phillips et al. 2019).",
        "The U.S. Census Bureau counts them, e.g. in the ACS every year.",
        "Dr. Smith agrees with J. Jones on this point entirely.",
    ]


def test_list_items_end_sentences_but_wrapped_lines_do_not() -> None:
    text = (
        "A paragraph that wraps\nover two lines ends here.\n"
        "- first item without a final period\n- second item. It has a second sentence too."
    )
    assert split_sentences(text, min_words=1) == [
        "A paragraph that wraps over two lines ends here.",
        "first item without a final period",
        "second item.",
        "It has a second sentence too.",
    ]


def test_sentences_that_lean_on_the_one_before_are_joined() -> None:
    sentences = [
        "What Works for Health reviewed legal aid for tenants.",
        "It rates the practice as having some evidence.",
        "Counties fund it through local budgets.",
    ]
    assert standalone(sentences, "Right to counsel") == [
        sentences[0],
        f"{sentences[0]} {sentences[1]}",
        sentences[2],
    ]
    assert standalone(["They meet monthly."], "Data walks") == ["Data walks: They meet monthly."]


def test_the_county_names_the_place() -> None:
    assert standalone(
        ["The county set up a dashboard of its mobility measures."], "Plan", "Alameda County"
    ) == ["Alameda County set up a dashboard of its mobility measures."]
    assert standalone(["The county set up a dashboard."], "Plan") == [
        "The county set up a dashboard."
    ]


def test_a_sentence_that_calls_its_entity_by_its_kind_is_prefixed_with_the_name() -> None:
    rated = 'CrimeSolutions rates the practice "Promising" for reducing crime.'
    assert standalone([rated], "Focused deterrence", kind="strategy") == [
        f"Focused deterrence: {rated}"
    ]
    counts = "For three income tiers, the metric counts the homes those households could afford."
    assert standalone([counts], "Affordable housing", kind="metric") == [
        f"Affordable housing: {counts}"
    ]
    # named already, or a noun that is not this kind's, or no kind: left as written
    named = "Focused deterrence is the practice of warning the few people behind most violence."
    assert standalone([named], "Focused deterrence", kind="strategy") == [named]
    assert standalone([rated], "Focused deterrence", kind="metric") == [rated]
    assert standalone([rated], "Focused deterrence") == [rated]


def test_a_plan_sentence_that_names_its_place_needs_no_prefix() -> None:
    aimed = "Alameda County aimed the plan mainly at low-income communities of color."
    plan = "Alameda County Mobility Action Plan"
    assert standalone([aimed], plan, "Alameda County", "plan") == [aimed]
    bare = "Residents reviewed the plan at three public meetings before it was adopted."
    assert standalone([bare], plan, "Alameda County", "plan") == [f"{plan}: {bare}"]


def test_a_joined_sentence_is_not_prefixed_twice() -> None:
    first = ["It rates the practice as promising for cutting gun violence."]
    assert standalone(first, "Focused deterrence", kind="strategy") == [
        f"Focused deterrence: {first[0]}"
    ]


def test_the_items_of_an_announced_list_carry_the_announcement() -> None:
    sentences = [
        "Candidates came from a review of the research.",
        "Two tests decided which survived.",
        "The first was evidence: research had to show the condition predicts mobility.",
        "The second was actionability: local governments had to have levers to change it.",
        "The first edition grouped its predictors into nine domains.",
    ]
    readable = standalone(sentences, "How predictors were chosen")
    assert readable[2] == f"{sentences[1]} {sentences[2]}"
    assert readable[3] == f"{sentences[1]} {sentences[3]}"  # the announcement, not item one
    assert readable[4] == sentences[4]  # "the first edition" is no item of a list
    assert standalone(["The second, wealth, is harder to build."], "Income and wealth") == [
        "Income and wealth: The second, wealth, is harder to build."
    ]


def test_a_short_announcement_is_read_but_not_kept_as_a_sentence() -> None:
    body = (
        "Two tests decided which survived. "
        "The first was evidence: research had to show the condition predicts mobility. "
        "The second was actionability: local governments had to have levers to change it."
    )
    card = EntityCard("methodology/choosing", "methodology", "Choosing predictors", "", [])
    chunk = Chunk("c0", card.id, "How", body, body, "h0")
    sentences = sentences_of([chunk], Catalog({card.id: card}))
    assert [s.quote for s in sentences] == [
        "The first was evidence: research had to show the condition predicts mobility.",
        "The second was actionability: local governments had to have levers to change it.",
    ]  # five words are too few for an answer
    assert all(s.text.startswith("Two tests decided which survived. The ") for s in sentences)
