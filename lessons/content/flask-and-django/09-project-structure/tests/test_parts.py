"""Hidden tests for "an app in two parts": the pages part (/ and /about/) and the todos
part (/todos/...). Black-box HTTP checks, shared by the Flask and the Django exercise."""

import re
import uuid
from urllib.parse import urlsplit

from duet_harness.html import find_form, links, page_text


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _advice(status, url, framework):
    """What to look at when a page did not answer 200."""
    todos_part = url.startswith("/todos/")
    if status == 404 and todos_part:
        if framework == "django":
            return (
                "No URL pattern matches it. Does todo/urls.py include the todos app's URLs, as "
                'path("todos/", include("todos.urls"))?'
            )
        return (
            "No route matches it. Is the todos blueprint registered in create_app(), with "
            'app.register_blueprint(todos.bp, url_prefix="/todos")? Without the prefix its routes '
            "would sit at the root."
        )
    if status >= 500:
        if framework == "django":
            return (
                "Your project raised an error: read the traceback in your app's log below. "
                "\"'todos' is not a registered namespace\" means todo/urls.py does not include todos.urls; "
                '"isn\'t in an application in INSTALLED_APPS" or TemplateDoesNotExist means "todos" is missing '
                "from INSTALLED_APPS; \"Reverse for 'home' not found\" means a {% url %} tag uses a name "
                "without its namespace (the home page is 'pages:home')."
            )
        return (
            "Your app raised an error: read the traceback in your app's log below. "
            "\"Could not build url for endpoint 'todos.index'\" means the todos blueprint is not registered; "
            "\"Could not build url for endpoint 'home'\" means a url_for() names a view without its "
            "blueprint (the home page is 'pages.home')."
        )
    return "Look at how the two parts are put together in " + (
        "todo/settings.py and todo/urls.py." if framework == "django" else "create_app() in todo/__init__.py."
    )


def _get_ok(client, url, framework, what):
    response = client.get(url)
    assert response.status_code == 200, (
        f"GET {url} ({what}) answered {response.status_code}, expected 200. "
        f"{_advice(response.status_code, url, framework)}"
    )
    return response


def _local_path(href):
    """The path of a link that stays on the site, or None for one that leaves it."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    return parts.path or None


def _add_todo(client, framework, title):
    page = _get_ok(client, "/todos/", framework, "the todo list")
    form = find_form(page.text, field="title")
    assert form is not None, "GET /todos/ has no form with a field called title to add a todo."
    response = client.post(form.action or "/todos/", data=form.filled(title=title))
    assert response.status_code == 200, (
        f"Adding the todo {title!r} (POST {form.action or '/todos/'}) ended with {response.status_code}, "
        f"expected a redirect back to /todos/. {_advice(response.status_code, '/todos/', framework)}"
    )
    for match in re.finditer(r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', response.text, re.S):
        if title in match.group(2):
            return match.group(1)
    raise AssertionError(
        f"After adding {title!r}, the todo list does not link it to its page: {_snippet(page_text(response.text))!r}"
    )


def test_the_home_page_answers(client, framework):
    """GET / (the pages part) shows the home page"""
    page = _get_ok(client, "/", framework, "the home page")
    assert "Welcome" in page_text(page.text), (
        f'GET / should show the home page, which says "Welcome to Todo"; it says: {_snippet(page_text(page.text))!r}'
    )


def test_the_about_page_answers(client, framework):
    """GET /about/ (the pages part) shows the about page"""
    page = _get_ok(client, "/about/", framework, "the about page")
    assert "About" in page_text(page.text), (
        f"GET /about/ should show the about page; it says: {_snippet(page_text(page.text))!r}"
    )


def test_the_todo_list_answers_under_todos(client, framework):
    """GET /todos/ (the todos part) shows the todo list and its form"""
    page = _get_ok(client, "/todos/", framework, "the todo list")
    assert find_form(page.text, field="title") is not None, (
        f"GET /todos/ should show the todo list with a form to add a todo; it says: {_snippet(page_text(page.text))!r}"
    )


def test_a_new_todo_has_its_page_under_todos(client, framework):
    """A todo added at /todos/ gets its own page, /todos/<id>/"""
    title = f"Split the app {uuid.uuid4().hex[:8]}"
    href = _add_todo(client, framework, title)
    path = _local_path(href)
    assert path and re.fullmatch(r"/todos/\d+/", path), (
        f"The todo {title!r} links to {href!r}, expected its page /todos/<id>/: the todos part lives under /todos/."
    )
    page = _get_ok(client, path, framework, f"the page of {title!r}")
    assert title in page_text(page.text), (
        f"GET {path} should show the todo {title!r}; it says: {_snippet(page_text(page.text))!r}"
    )


def test_the_home_page_links_to_the_todo_list(client, framework):
    """The home page links to the todo list, /todos/"""
    page = _get_ok(client, "/", framework, "the home page")
    found = [_local_path(h) for h in links(page.text)]
    assert "/todos/" in found, (
        f"The home page should link to /todos/, but its links are {found}. The link is built from the URL's "
        + ("name, {% url 'todos:index' %}." if framework == "django" else "endpoint, url_for('todos.index').")
    )


def test_the_todo_list_links_back_to_the_home_page(client, framework):
    """The todo list links back to the home page, /"""
    page = _get_ok(client, "/todos/", framework, "the todo list")
    # The menu of base.html links to / already: look at the page's own link, "Back to the home page".
    back = [
        (_local_path(href), page_text(text).strip())
        for href, text in re.findall(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', page.text, re.S)
        if "home page" in page_text(text).lower()
    ]
    assert back, (
        'The todo list should keep its own link "Back to the home page" (below the form in '
        "todos/index.html), but the page has no link with that text. Fix its URL instead of removing it: "
        + ("{% url 'pages:home' %}." if framework == "django" else "url_for('pages.home').")
    )
    assert all(path == "/" for path, _ in back), (
        f'The todo list\'s link "Back to the home page" leads to {[path for path, _ in back]}, expected /. '
        + (
            "The home page's URL name carries its app's namespace: {% url 'pages:home' %}."
            if framework == "django"
            else "The home page's endpoint carries its blueprint's name: url_for('pages.home')."
        )
    )
    home = _get_ok(client, "/", framework, "the home page, linked from the todo list")
    assert "Welcome" in page_text(home.text), "The link back from the todo list should lead to the home page."


def test_every_link_leads_to_a_page(client, framework):
    """Every link on the pages of both parts leads to a page that answers 200"""
    href = _add_todo(client, framework, f"Follow every link {uuid.uuid4().hex[:8]}")
    pages = ["/", "/about/", "/todos/", _local_path(href)]
    seen = set()
    for page_url in pages:
        page = _get_ok(client, page_url, framework, "a page of the site")
        for link in links(page.text):
            path = _local_path(link)
            if path is None or path in seen:
                continue
            seen.add(path)
            target = client.get(path)
            assert target.status_code == 200, (
                f"{page_url} links to {link!r}, which answered {target.status_code}, expected 200. "
                f"{_advice(target.status_code, path, framework)}"
            )
