"""Reading the learner's HTML in hidden tests, with the standard library only.

One test file checks a Flask and a Django app alike, so tests look at what a browser
would see: the forms on a page (with their hidden fields, such as a CSRF token, whatever
the framework calls it), the links, and the text without markup.

    from duet_harness.html import find_form, page_text

    form = find_form(client.get("/todos/new").text)
    response = client.post(form.action or "/todos/new", data=form.filled(title="Milk"))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)

    def filled(self, **values: str) -> dict[str, str]:
        """The form's own values (hidden ones included) with ``values`` typed in."""
        return {**self.fields, **self.hidden, **values}

    @property
    def csrf_field(self) -> str | None:
        """The hidden field that carries a CSRF token (Flask-WTF: csrf_token; Django:
        csrfmiddlewaretoken), or None when the form has none."""
        for name in self.hidden:
            if "csrf" in name.lower():
                return name
        return None


class _Reader(HTMLParser):
    SKIP = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.title: str = ""
        self._skip = 0
        self._in_title = False
        self._textarea: tuple[Form, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get").lower()))
        elif tag in {"input", "select", "button"} and self.forms and a.get("name"):
            form, kind = self.forms[-1], a.get("type", "text").lower()
            if kind == "hidden":
                form.hidden[a["name"]] = a.get("value", "")
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form.fields[a["name"]] = a.get("value", "on")
            elif tag != "button" and kind not in {"submit", "button", "reset", "image"}:
                form.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea" and self.forms and a.get("name"):
            self._textarea = (self.forms[-1], a["name"])
            self.forms[-1].fields[a["name"]] = ""
        if tag in {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "td", "th"}:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "textarea":
            self._textarea = None
        if tag in {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "td", "th"}:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
        if self._textarea:
            form, name = self._textarea
            form.fields[name] += data
            return
        self.text.append(data)


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def forms(html: str) -> list[Form]:
    """Every form on the page, in order."""
    return _read(html).forms


def find_form(html: str, *, field: str | None = None) -> Form | None:
    """The first form on the page (or the first with an input called ``field``)."""
    for form in forms(html):
        if field is None or field in form.fields or field in form.hidden:
            return form
    return None


def links(html: str) -> list[str]:
    """The href of every link on the page, in order."""
    return _read(html).links


def page_text(html: str) -> str:
    """What a reader sees: the text without tags, scripts or styles, spaces collapsed."""
    return " ".join("".join(_read(html).text).split())


def page_title(html: str) -> str:
    return " ".join(_read(html).title.split())
