from mobility_kg.build import BuiltGraph
from mobility_kg.search.chunking import chunk_graph, plain_text, split_words


def test_plain_text_drops_markdown_syntax() -> None:
    markdown = (
        "- **What steadies families.** A [study](https://x.org) found `this`.\n2. Second item"
    )
    assert plain_text(markdown) == "What steadies families. A study found this.\nSecond item"


def test_split_words_keeps_sentences_whole_under_the_limit() -> None:
    text = "One two three four. Five six seven eight.\n\nNine ten."
    assert split_words(text, max_words=4) == [
        "One two three four.",
        "Five six seven eight.",
        "Nine ten.",
    ]


def test_facts_are_indexed_but_never_shown(mini_built: BuiltGraph) -> None:
    chunks = {c.chunk_id: c for c in chunk_graph(mini_built.graph, mini_built.manifest.base_iri)}
    lead = chunks["strategy/housing-choice-vouchers@0"]
    assert (
        lead.body
        == "A voucher pays the part of a private-market rent above a share of the tenant's income."
    )
    assert lead.text == (
        "Housing choice vouchers. A voucher pays the part of a private-market rent above a share of the "
        "tenant's income. Who can act: federal government, housing authorities."
    )


def test_one_chunk_per_section_with_section_ids(mini_built: BuiltGraph) -> None:
    ids = [
        c.chunk_id
        for c in chunk_graph(mini_built.graph, mini_built.manifest.base_iri)
        if c.entity_id == "evidence/housing-stability"
    ]
    assert ids == [
        "evidence/housing-stability@0",
        "evidence/housing-stability#why-it-matters-for-mobility@0",
        "evidence/housing-stability#what-the-research-finds@0",
        "evidence/housing-stability#what-local-and-state-actors-can-do@0",
    ]
