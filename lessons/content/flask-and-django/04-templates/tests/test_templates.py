"""Hidden tests for "Templates": the todo pages share a base template, escape what they show
and count in good English, in Flask and Django alike."""

import re
from urllib.parse import urlsplit

from duet_harness.html import links, page_text, page_title

FOOTER = "Todo: one app, two frameworks."
ATTACK = "<script>alert(1)</script>"
TRICKY_TITLE = "Read about <script> tags"


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _section(html, tag):
    """The inside of the first <tag>…</tag> on the page, or None."""
    found = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}\s*>", html, re.DOTALL | re.IGNORECASE)
    return found.group(1) if found else None


def _super(framework):
    return "{{ super() }}" if framework == "flask" else "{{ block.super }}"


def _get(client, url, params=None):
    response = client.get(url, params=params)
    shown = response.request.path_url
    assert response.status_code == 200, f"GET {shown} answered {response.status_code}, expected 200 OK. " + (
        "A template or a view raised an error: the traceback is in your app's log below "
        "(TemplateSyntaxError and TemplateNotFound name the file and line)."
        if response.status_code >= 500
        else "The views and URLs from the routing lesson should stay as they are."
    )
    return response


def _extends_advice(framework):
    return (
        'Make templates/todo_list.html start with {% extends "base.html" %}, as todo_detail.html does, '
        "and put the page's own HTML in {% block content %}…{% endblock %}: the header and footer then "
        "come from base.html."
        + (" In Django, {% extends %} must be the very first tag of the template." if framework == "django" else "")
    )


def test_the_list_shows_the_todos(client):
    """GET /todos/ lists the todos"""
    text = page_text(_get(client, "/todos/").text)
    for title in ("Buy milk", "Water the plants"):
        assert title in text, f"GET /todos/ should show the todo {title!r}, but your page was: {_snippet(text)!r}"


def test_every_page_has_the_shared_header_and_footer(client, framework):
    """/todos/ and /todos/1/ both have the header and footer of base.html"""
    for url in ("/todos/", "/todos/1/"):
        html = _get(client, url).text
        header, footer = _section(html, "header"), _section(html, "footer")
        assert header is not None and footer is not None, (
            f"GET {url} has no <header> or no <footer>, so it does not look like the other pages. "
            + _extends_advice(framework)
        )
        assert "/todos/" in {urlsplit(href).path for href in links(header)}, (
            f"The <header> on {url} should link to /todos/, as the one in base.html does. Your header: "
            f"{_snippet(header)!r}"
        )
        assert FOOTER in page_text(footer), (
            f"The <footer> on {url} should say {FOOTER!r}, as the one in base.html does. Your footer: "
            f"{_snippet(page_text(footer))!r}"
        )


def test_each_page_has_its_own_title(client, framework):
    """The titles are "Todos | Todo" on /todos/ and "Buy milk | Todo" on /todos/1/"""
    for url, expected in (("/todos/", "Todos | Todo"), ("/todos/1/", "Buy milk | Todo")):
        title = page_title(_get(client, url).text)
        assert title == expected, (
            f"GET {url} has the <title> {title!r}, expected {expected!r}. base.html puts the title block in "
            f"<title>; fill it in the page's template, e.g. {{% block title %}}Todos | {_super(framework)}"
            "{% endblock %}, which keeps the base's text after yours."
        )


def test_the_count_is_plural_for_several_and_for_none(client, framework):
    """The count says "3 todos" on /todos/ and "0 todos" when nothing matches"""
    for params, expected in ((None, "3 todos"), ({"q": "zzz"}, "0 todos")):
        response = _get(client, "/todos/", params)
        text = page_text(response.text)
        assert re.search(rf"(?<!\d){expected}\b", text), (
            f"GET {response.request.path_url} should say {expected!r}, but your page was: {_snippet(text)!r}. "
            "Count with the length filter: {{ todos|length }}."
        )


def test_the_count_is_singular_for_one(client, framework):
    """The count says "1 todo", not "1 todos", when one todo matches"""
    response = _get(client, "/todos/", {"q": "milk"})
    text = page_text(response.text)
    found = re.search(r"(?<!\d)1 todos?\b", text)
    advice = (
        'Jinja has no pluralize filter, but it has expressions: {{ "todo" if todos|length == 1 else "todos" }}.'
        if framework == "flask"
        else "Django's pluralize filter adds the s only when the number is not 1: todo{{ todos|pluralize }}."
    )
    assert found and found.group(0) == "1 todo", (
        "GET /todos/?q=milk finds one todo, so it should say '1 todo'"
        + (f", but it says {found.group(0)!r}. " if found else f", but your page was: {_snippet(text)!r}. ")
        + advice
    )


def test_the_search_term_is_escaped(client, framework):
    """A search for <script>alert(1)</script> shows it as text, not as a script"""
    response = _get(client, "/todos/", {"q": ATTACK})
    mark = "Markup()" if framework == "flask" else "mark_safe()"
    assert ATTACK not in response.text, (
        f"GET /todos/?q={ATTACK} put the search term into the page as raw HTML, so a link to this URL runs "
        f"the attacker's script in the visitor's browser (cross-site scripting). Something switched "
        f"autoescaping off for it: |safe in a template or {mark} in a view. Let the template escape the "
        "term: keep the <em> in the template and write {{ query }} inside it, without |safe."
    )
    text = page_text(response.text)
    assert f"Results for {ATTACK}" in text, (
        f"GET /todos/?q={ATTACK} should show the heading 'Results for {ATTACK}' as plain text, "
        f"but your page was: {_snippet(text)!r}."
    )


def test_the_search_heading_keeps_its_markup(client):
    """A search for milk shows the heading "Results for milk", with no tags as text"""
    response = _get(client, "/todos/", {"q": "milk"})
    text = page_text(response.text)
    assert "Results for milk" in text, "GET /todos/?q=milk should have the heading 'Results for milk'" + (
        ", but the <em> tags show up as text: the HTML was escaped along with the search term. Write the "
        "<em> in the template itself and only {{ query }} inside it."
        if "<em>" in text
        else f", but your page was: {_snippet(text)!r}."
    )


def test_a_title_with_markup_is_shown_as_text(client):
    """The todo "Read about <script> tags" is shown as text on /todos/ and on its page"""
    for url in ("/todos/", "/todos/3/"):
        response = _get(client, url)
        assert "&lt;script&gt;" in response.text and "<script> tags" not in response.text, (
            f"GET {url} should show the title {TRICKY_TITLE!r} escaped (&lt;script&gt;), so the browser "
            "displays it instead of starting a script. Print titles with {{ todo.title }} and no |safe."
        )
        assert TRICKY_TITLE in page_text(response.text), (
            f"GET {url} should show the todo {TRICKY_TITLE!r}, but your page was: "
            f"{_snippet(page_text(response.text))!r}"
        )
