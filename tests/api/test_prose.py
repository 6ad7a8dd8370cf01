"""Corpus Markdown becomes safe HTML: formatting kept, anything executable removed."""

from mobility_kg.api.web.prose import render_markdown


def test_markdown_formatting_is_kept_and_headings_sit_under_the_section() -> None:
    html = render_markdown(
        "# Inside\n\nSome **bold** and a [source](https://example.org/a).\n\n- one\n- two"
    )
    assert html == (
        "<h3>Inside</h3>\n"
        '<p>Some <strong>bold</strong> and a <a href="https://example.org/a" rel="noopener noreferrer">'
        "source</a>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    )


def test_script_event_handlers_and_unsafe_schemes_never_reach_the_page() -> None:
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[a](javascript:alert(1)) [b](data:text/html,x) [c](/id/term/eviction)"
    )
    assert "<script" not in html and "<img" not in html  # raw HTML is text, not markup
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html and 'href="data' not in html
    assert '<a href="/id/term/eviction" rel="noopener noreferrer">c</a>' in html
