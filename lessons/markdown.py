"""Markdown to safe HTML, with Pygments highlighting. Rendered once, when content is
saved or imported, never per request.

Beside standard markdown (tables, fenced code), lessons show a concept in both
frameworks with pymdown-extensions' tabs, which work without JavaScript:

    === "Flask"

        ```python
        @app.route("/")
        ```

    === "Django"

        ```python
        path("", views.home)
        ```
"""

from __future__ import annotations

import functools
import re

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
    "input",  # only the radio buttons behind tabs: see _keep_attribute
    "label",
}
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "div": {"class"},
    "input": {"type", "id", "name", "checked"},
    "label": {"for"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
PYGMENTS_STYLE = "friendly"


EXTENSIONS = ["pymdownx.superfences", "pymdownx.highlight", "pymdownx.tabbed", "tables", "toc", "sane_lists"]
EXTENSION_CONFIGS = {
    "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
    "pymdownx.tabbed": {"alternate_style": True},
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Inputs survive sanitizing only as the radio buttons that tabs are made of."""
    if tag == "input" and attribute == "type" and value != "radio":
        return None
    return value


def render(text: str) -> str:
    """Render learner-facing markdown to sanitized HTML."""
    html = markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # An input whose type was not radio lost its type: drop it rather than show a text box.
    return re.sub(r"<input(?![^>]*type=\"radio\")[^>]*>", "", html)


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
