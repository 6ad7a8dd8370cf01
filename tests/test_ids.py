from mobility_kg.ids import closest_ids

KNOWN = [
    "predictor/jobs-paying-living-wages",
    "predictor/housing-stability",
    "predictor/housing-affordability",
    "evidence/housing-stability",
    "term/eviction",
]


def test_closest_ids_prefer_the_same_type_and_spelling() -> None:
    assert closest_ids("predictor/housing-stabilty", KNOWN) == [
        "predictor/housing-stability",
        "predictor/housing-affordability",
    ]


def test_closest_ids_match_whole_words_of_the_slug() -> None:
    assert closest_ids("predictor/jobs", KNOWN) == ["predictor/jobs-paying-living-wages"]


def test_closest_ids_fall_back_to_every_type() -> None:
    assert closest_ids("glossary/eviction", KNOWN) == ["term/eviction"]


def test_nothing_close_gives_no_suggestion() -> None:
    assert closest_ids("predictor/zzz", KNOWN) == []
