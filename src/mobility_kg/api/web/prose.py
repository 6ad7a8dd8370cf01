"""Corpus Markdown -> safe HTML for the entity pages.

markdown-it-py renders CommonMark with raw HTML switched off; nh3 (the Ammonia sanitiser)
then keeps only the tags below, only ``href``/``title`` on links, and only http, https and
mailto links (relative links stay): no script, no event handlers, no ``javascript:`` URLs.
Headings inside a section start at ``h3``, under the section's own ``h2``.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# A heading written in a section's text sits two levels below the section's h2.
HEADING_SHIFT = 2


def _shifted_html(parser: MarkdownIt, text: str) -> str:
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + HEADING_SHIFT)}"
    html: str = parser.renderer.render(tokens, parser.options, {})
    return html


def render_markdown(text: str) -> Markup:
    """Markdown as sanitised HTML, safe to insert into a page as it is."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    html = _shifted_html(parser, text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(cleaned)  # sanitised by nh3 just above
