"""The web page: fast checks of the HTML, and one real browser session (marked browser)."""

import re

import httpx
import pytest


def test_home_is_an_accessible_form(client: httpx.Client) -> None:
    page = client.get("/").text
    assert '<label for="q">' in page and '<input id="q" name="q"' in page
    assert '<html lang="en">' in page and 'name="viewport"' in page
    assert "http" not in page.split("<body>")[0].replace(
        'href="/static/style.css"', ""
    )  # nothing from a CDN


def test_home_answers_with_citations_and_hits(client: httpx.Client) -> None:
    page = client.get("/", params={"q": "a free lawyer for tenants in housing court"}).text
    assert 'id="answer-title"' in page
    assert page.index(
        'href="/id/strategy/eviction-right-to-counsel" class="hit-title"'
    ) < page.index('class="hit-title"', page.index("eviction-right-to-counsel") + 1)


def test_type_filter_and_bad_type(client: httpx.Client) -> None:
    page = client.get("/", params={"q": "eviction", "type": "strategy"}).text
    assert '<h2 id="hits-title">3 results</h2>' in page  # the mini corpus has 3 strategies
    one = client.get("/", params={"q": "eviction", "type": "place"}).text
    assert '<h2 id="hits-title">1 result</h2>' in one  # and 1 place
    assert page.count('class="badge strategy">strategy<') == page.count('class="hit"')
    bad = client.get("/", params={"q": "eviction", "type": "poem"})
    assert bad.status_code == 400
    assert (
        '<p class="error" role="alert">type: &#39;poem&#39; is not one of dimension, pillar, predictor,'
        in bad.text
    )


def test_entity_page_shows_links_and_picture(client: httpx.Client) -> None:
    page = client.get("/id/predictor/housing-stability", headers={"Accept": "text/html"}).text
    assert "<h1>Housing stability</h1>" in page
    assert "<h3>Metrics</h3>" in page and 'href="/id/metric/student-homelessness"' in page
    assert "<h3>Strategies addressing it</h3>" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="group"' in page


def test_api_docs_come_from_the_server_not_a_cdn(client: httpx.Client) -> None:
    for page_path, assets in (
        ("/docs", ["/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css"]),
        ("/redoc", ["/static/docs/redoc.standalone.js"]),
    ):
        page = client.get(page_path).text
        assert re.findall(r"(?:src|href)=['\"]?(https?:)", page) == []  # nothing absolute
        assert "cdn" not in page.lower()
        for asset in assets:
            assert f"'{asset}'" in page or f'"{asset}"' in page
            response = client.get(asset)
            assert response.status_code == 200 and len(response.content) > 10_000


@pytest.mark.browser
def test_search_open_a_hit_and_see_its_links(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(server + "/")
    page.get_by_label("Ask a question about upward mobility").fill(
        "a free lawyer for tenants in housing court"
    )
    page.keyboard.press("Enter")
    first = page.locator(".hit-title").first
    first.wait_for()
    assert first.inner_text() == "Right to counsel in eviction cases"
    assert page.locator(".answer ol > li").count() == 3
    first.click()
    page.wait_for_url("**/id/strategy/eviction-right-to-counsel")
    assert page.locator("h1").inner_text() == "Right to counsel in eviction cases"
    assert page.locator("h3", has_text="Addresses").count() == 1
    assert page.locator("a[href='/id/predictor/housing-stability']").count() >= 1
    assert page.locator("svg.neighborhood circle").count() >= 2
    page.close()


@pytest.mark.browser
def test_keyboard_only_and_phone_width(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(server + "/")
    # The question field has focus: the browser applies `autofocus` when it next renders, which
    # may come after the load event, so wait for it (a page without it fails after 5 s).
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'q'", timeout=5000
    )
    page.keyboard.type("eviction")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "type"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Search"
    page.keyboard.press("Enter")
    page.locator(".hit").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


def test_predictor_page_lists_pillar_metrics_and_strategies_first(client: httpx.Client) -> None:
    page = client.get("/id/predictor/housing-stability", headers={"Accept": "text/html"}).text
    headings = [h.split("</h3>")[0] for h in page.split("<h3>")[1:]]
    assert headings[:3] == ["Pillar", "Metrics", "Strategies addressing it"]


def test_entity_page_gives_the_whole_text_with_section_anchors(client: httpx.Client) -> None:
    page = client.get("/id/evidence/housing-stability", headers={"Accept": "text/html"}).text
    assert (
        "<p>Losing a home through an eviction sets off losses in work, school and health.</p>"
        in page
    )
    assert (
        '<section id="what-the-research-finds" class="prose" aria-labelledby="what-the-research-finds-title">\n'
        '    <h2 id="what-the-research-finds-title">What the research finds</h2>\n'
        "    <p>Evicted workers are more likely to be laid off afterwards.</p>"
    ) in page
    assert (
        '<a href="#what-local-and-state-actors-can-do">What local and state actors can do</a>'
        in page
    )


def test_search_hits_link_to_the_section_they_matched(client: httpx.Client) -> None:
    page = client.get("/", params={"q": "are evicted workers laid off afterwards?"}).text
    assert (
        '<a href="/id/evidence/housing-stability#what-the-research-finds" class="section">'
        "What the research finds</a>: Evicted workers are more likely to be laid off afterwards."
    ) in page


def _offline(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Abort every request that would leave the machine; the list collects their URLs."""
    outside: list[str] = []

    def handle(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return outside


@pytest.mark.browser
def test_api_docs_render_offline(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    outside = _offline(page)
    page.goto(server + "/docs")
    page.locator(".swagger-ui .opblock-summary-path", has_text="/api/search").first.wait_for()
    assert "mobility-kg" in page.locator(".swagger-ui .info .title").inner_text()
    assert outside == []
    page.close()


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "status", "title", "suggestions"),
    [
        (
            "/id/predictor/housing-stabilty",
            404,
            "Unknown entity",
            ["predictor/housing-stability", "predictor/housing-affordability"],
        ),
        ("/id/predictr/housing-stability", 422, "Invalid request", ["predictor/housing-stability"]),
        (
            "/api/entities/predictor/housing-stabilty",
            404,
            "Unknown entity",
            ["predictor/housing-stability", "predictor/housing-affordability"],
        ),
        ("/no/such/page", 404, "Not Found", []),
        ("/predictors/housing-stabilty", 404, "Not Found", ["predictor/housing-stability"]),
        ("/api/search?q=jobs&k=0", 422, "Invalid request", []),
    ],
)
def test_a_browser_gets_an_html_error_page_with_the_closest_ids(
    client: httpx.Client, path: str, status: int, title: str, suggestions: list[str]
) -> None:
    response = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in response.text
    shown = re.findall(r'<li><a href="/id/([^"]+)">', response.text)
    assert shown[: len(suggestions)] == suggestions
    assert suggestions or shown == []


def test_an_address_that_is_no_page_says_which_and_names_what_it_suggests(
    client: httpx.Client,
) -> None:
    page = client.get("/predictors/housing-stabilty", headers={"Accept": BROWSER_ACCEPT})
    assert "There is no page at /predictors/housing-stabilty." in page.text
    # a suggestion reads as the entity's title, with its id beside it
    assert re.search(
        r'<li><a href="/id/predictor/housing-stability">Housing stability</a> '
        r"<code>predictor/housing-stability</code></li>",
        page.text,
    )
    problem = client.get("/no/such/page").json()
    assert problem["detail"] == "There is no page at /no/such/page."
    wrong_method = client.delete("/api/search")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["detail"] == "/api/search does not take DELETE requests."


def test_api_clients_still_get_problem_json_for_the_same_mistake(client: httpx.Client) -> None:
    for accept in (None, "*/*", "application/json"):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/id/predictor/housing-stabilty", headers=headers)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["suggestions"][0] == "predictor/housing-stability"


BOXES_JS = """() => {
  const svg = document.querySelector('svg.neighborhood');
  const [, , width, height] = svg.getAttribute('viewBox').split(' ').map(Number);
  const boxes = [...svg.querySelectorAll('text, circle')].map(e => {
    const b = e.getBBox();
    return {name: e.textContent || e.tagName, l: b.x, t: b.y, r: b.x + b.width, b: b.y + b.height};
  });
  return {width, height, boxes};
}"""


@pytest.mark.browser
def test_neighbourhood_labels_do_not_overlap_as_chromium_draws_them(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(server + "/id/predictor/housing-stability")
    drawn = page.evaluate(BOXES_JS)
    boxes = drawn["boxes"]
    assert len(boxes) > 10
    outside = [
        b["name"]
        for b in boxes
        if b["l"] < 0 or b["t"] < 0 or b["r"] > drawn["width"] or b["b"] > drawn["height"]
    ]
    assert outside == []
    clashes = [
        (a["name"], b["name"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]
    ]
    assert clashes == []
    page.close()


def test_hits_name_what_they_are_about_by_title_and_next_steps_are_links(
    client: httpx.Client,
) -> None:
    page = client.get("/", params={"q": "a free lawyer for tenants in housing court"}).text
    assert '· about <a href="/id/predictor/housing-stability">Housing stability</a>' in page
    assert ">predictor/housing-stability</a>" not in page
    assert (
        '<li><a href="/id/predictor/housing-stability" class="chip">'
        '<span class="chip-kind">predictor</span>Housing stability</a></li>'
    ) in page


@pytest.mark.browser
def test_next_chips_look_and_act_like_links(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(server + "/?q=a+free+lawyer+for+tenants+in+housing+court")
    chip = page.locator("a.chip").first
    style = chip.evaluate(
        "e => { const s = getComputedStyle(e); return [s.textDecorationLine, s.color]; }"
    )
    assert style == ["underline", "rgb(11, 92, 173)"]
    chip.focus()
    outline = chip.evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline == "solid 3px"
    page.close()


def test_off_topic_question_says_nothing_answers_it(client: httpx.Client) -> None:
    page = client.get("/", params={"q": "what is the capital of France"}).text
    assert "Nothing in the corpus answers this question." in page
    assert 'class="cite"' not in page  # no cited answer sentences
    api = client.get("/api/ask", params={"q": "asdkjhqwe zzzz"}).json()
    assert (api["abstained"], api["answer"]) == (True, [])


def test_api_hits_carry_the_anchor_of_their_section(client: httpx.Client) -> None:
    hits = client.get(
        "/api/search", params={"q": "why stable housing matters for mobility", "type": "evidence"}
    ).json()
    anchored = [h for h in hits["data"] if h["section"] != "Summary"]
    assert anchored
    for hit in anchored:
        page = client.get(f"/id/{hit['id']}", headers={"Accept": "text/html"}).text
        assert f'id="{hit["anchor"]}"' in page


def test_a_list_filtered_on_a_facet_is_answered_with_every_entity_that_passes(
    client: httpx.Client,
) -> None:
    question = "which strategies could our public housing agency take on?"
    api = client.get("/api/ask", params={"q": question}).json()
    assert api["intent"] == "list" and not api["abstained"]
    assert [s["citation"]["id"] for s in api["answer"]] == ["strategy/housing-choice-vouchers"]
    page = client.get("/", params={"q": question}).text
    assert "Housing choice vouchers can be taken on by housing authorities." in page
    assert 'href="/id/strategy/housing-choice-vouchers' in page
