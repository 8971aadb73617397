"""Markdown to safe HTML, with Pygments highlighting. Rendered once, when content is
saved or imported, never per request."""

from __future__ import annotations

import functools

import markdown
import nh3
from pygments.formatters import HtmlFormatter

ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {
    "div",
    "span",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "details",
    "summary",
    "kbd",
}
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
PYGMENTS_STYLE = "friendly"


def render(text: str) -> str:
    """Render learner-facing markdown to sanitized HTML."""
    html = markdown.markdown(
        text,
        extensions=["fenced_code", "codehilite", "tables", "toc", "sane_lists"],
        extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False}},
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@functools.cache
def pygments_css() -> str:
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight")


def highlight(code: str, filename: str) -> str:
    """Highlight a whole source file (for showing submitted code)."""
    from pygments import highlight as pyg_highlight
    from pygments.lexers import TextLexer, get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_for_filename(filename, stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    return pyg_highlight(code, lexer, HtmlFormatter(cssclass="highlight", linenos="table"))
