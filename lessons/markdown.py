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
from pygments.token import STANDARD_TYPES

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
    "th": {"align"},
    "td": {"align"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
# The class names this renderer itself writes, and no others: the page's stylesheet (and
# its scripts) give meaning to class names, so markdown may not borrow the page's own.
ALLOWED_CLASSES = {
    # pymdownx.highlight (with a title, line numbers, highlighted lines), pymdownx.tabbed
    # (alternate style), toc's [TOC].
    "div": {"highlight", "linenodiv", "tabbed-set", "tabbed-alternate", "tabbed-labels", "tabbed-content"}
    | {"tabbed-block", "toc"},
    "span": {name for name in STANDARD_TYPES.values() if name} | {"filename", "hll", "linenos", "normal", "special"},
}
# Generated heading ids start with this, so that no heading ("Result", "Comments"…) takes
# the id of something on the page around the lesson; "#heading" links are rewritten to it.
HEADING_ID_PREFIX = "h-"
# The radio buttons and labels of tabs are pymdownx.tabbed's; no other ids or names.
TABBED_NAME = re.compile(r"__tabbed_\d+(_\d+)?")
PYGMENTS_STYLE = "friendly"


EXTENSIONS = ["pymdownx.superfences", "pymdownx.highlight", "pymdownx.tabbed", "tables", "toc", "sane_lists"]
EXTENSION_CONFIGS = {
    "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
    "pymdownx.tabbed": {"alternate_style": True},
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Inputs survive sanitizing only as the radio buttons that tabs are made of; class
    names only from ALLOWED_CLASSES; heading ids only under HEADING_ID_PREFIX."""
    if tag == "input" and attribute == "type" and value != "radio":
        return None
    if attribute in ("id", "name", "for") and tag in ("input", "label"):
        return value if TABBED_NAME.fullmatch(value) else None
    if attribute == "class":
        kept = [name for name in value.split() if name in ALLOWED_CLASSES.get(tag, ())]
        return " ".join(kept) or None
    if attribute == "id":  # a heading's (the only other tags with an id)
        return HEADING_ID_PREFIX + value
    return value


def _link_headings(html: str) -> str:
    """Point "#heading" links at the heading's prefixed id. A fragment that names no
    heading of the text is left alone: it may name something on the page around it."""
    headings = set(re.findall(r'<h[1-6] id="([^"]+)"', html))

    def retarget(match: re.Match) -> str:
        target = HEADING_ID_PREFIX + match[1]
        return f'href="#{target}"' if target in headings else match[0]

    return re.sub(r'href="#([^"]+)"', retarget, html)


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
    html = re.sub(r"<input(?![^>]*type=\"radio\")[^>]*>", "", html)
    return _keyboard_scrollable(_link_headings(html))


def _keyboard_scrollable(html: str) -> str:
    """Each markdown table in a box of its own that scrolls sideways (a table wider than
    a phone then scrolls by itself instead of widening the whole page), focusable and
    named; and each code block, which scrolls sideways by itself, focusable: so that a
    keyboard can scroll them too."""
    html = re.sub(r"<pre(?=[\s>])", '<pre tabindex="0"', html)
    box = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">'
    html = re.sub(r"<table(\s[^>]*)?>", lambda match: box + match[0], html)
    return html.replace("</table>", "</table></div>")


def render_each(texts: list[str]) -> list[str]:
    """Render each of several markdown texts (an exercise's hints) on its own."""
    return [render(text) for text in texts]


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
