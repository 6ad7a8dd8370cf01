"""WCAG 2.1 AA in a real browser: axe-core finds no violation on any page, keyboard order
and phone width on the pages added in issue 11 (marked browser)."""

from pathlib import Path
from urllib.parse import quote

import pytest

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESCRIBE = "DESCRIBE <https://w3id.org/mobility-kg/id/predictor/housing-stability>"
SELECT = (
    "PREFIX umf: <https://w3id.org/mobility-kg/ontology#> "
    "SELECT ?p ?pillar WHERE { ?p umf:pillar ?pillar } ORDER BY ?p"
)
PAGES = [
    "/",
    "/?q=a+free+lawyer+for+tenants+in+housing+court",
    "/?q=eviction&type=poem",
    "/id/evidence/housing-stability",
    "/id/predictor/housing-stability",
    "/sparql",
    "/sparql?query=" + quote(SELECT),
    "/sparql?query=" + quote(DESCRIBE),
    "/sparql?query=DROP+ALL",
    "/id/predictor/housing-stabilty",
    "/no/such/page",
]
pytestmark = pytest.mark.browser


def _violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
        WCAG_TAGS,
    )
    return list(found)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_wcag_violation(browser, server: str, path: str, width: int) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(server + path)
    assert _violations(page) == []
    # Nothing wider than the screen: long ids wrap, tables and Turtle scroll in their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_axe_really_reports_violations(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    """The check can fail: an unlabelled field and grey-on-white text are reported."""
    page = browser.new_page()
    page.goto(server + "/")
    page.evaluate(
        "() => { document.querySelector('label[for=type]').remove();"
        " document.querySelector('header span').style.color = '#ccc'; }"
    )
    found = " ".join(_violations(page))
    assert "select-name" in found and "color-contrast" in found
    page.close()


def _focus_sequence(page, presses: int) -> list[str]:  # type: ignore[no-untyped-def]
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id || e.getAttribute('href') || e.textContent.trim(); }"
            )
        )
    return seen


def test_sparql_page_by_keyboard_alone(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(server + "/sparql")
    assert _focus_sequence(page, 5) == [
        "#main",
        "/",
        "https://www.w3.org/TR/sparql11-query/",
        "query",
        "Run query",
    ]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type(SELECT)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("table tbody tr").first.wait_for()
    assert page.locator("table tbody tr").count() == 3
    # The results scroll inside their own region, which the keyboard can reach.
    region = page.locator(".table-scroll")
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


def test_error_page_offers_the_closest_ids_by_keyboard(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(server + "/id/predictor/housing-stabilty")
    assert _focus_sequence(page, 4) == [
        "#main",
        "/",
        "/id/predictor/housing-stability",
        "/id/predictor/housing-affordability",
    ]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/predictor/housing-stability")
    assert page.locator("h1").inner_text() == "Housing stability"
    page.close()


def test_entity_page_contents_lead_to_each_section_by_keyboard(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(server + "/id/evidence/housing-stability")
    sequence = _focus_sequence(page, 6)
    assert sequence[:2] == ["#main", "/"]
    assert sequence[3:6] == [
        "#why-it-matters-for-mobility",
        "#what-the-research-finds",
        "#what-local-and-state-actors-can-do",
    ]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**#what-the-research-finds")
    assert page.evaluate("location.hash") == "#what-the-research-finds"
    section_top = page.locator("#what-the-research-finds").evaluate(
        "e => e.getBoundingClientRect().top"
    )
    assert -1 <= section_top < 100  # scrolled to the section
    page.close()
