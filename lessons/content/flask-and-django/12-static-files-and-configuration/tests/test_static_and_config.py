"""Hidden tests for "Static files and configuration": one file grades the Flask and the
Django exercise alike, over HTTP."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from duet_harness.html import page_text, page_title

SITE_NAME = "Duet Todo"
CSS_MARKER = ".todo-list"
# What a debug page says, and a plain 404 page does not.
DEBUG_SIGNS = ["Traceback", "DEBUG = True", "URLconf", "Django tried these URL patterns", "Werkzeug Debugger"]


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class _Stylesheets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and a.get("href"):
            self.hrefs.append(a["href"])


def _home(client, framework):
    response = client.get("/")
    assert response.status_code == 200, f"GET / answered {response.status_code}, expected the todo list (200). " + (
        "The traceback is in your app's log below."
        if response.status_code >= 500
        else 'Keep the route for "/" as the starter had it.'
        if framework == "flask"
        else 'Keep the URL pattern for "" in todo/urls.py, and 127.0.0.1 in ALLOWED_HOSTS.'
    )
    return response.text


def _stylesheet_href(html, framework):
    reader = _Stylesheets()
    reader.feed(html)
    assert reader.hrefs, (
        'GET / has no <link rel="stylesheet" href="..."> in its <head>: keep the link to todo.css in the '
        "template, and build its URL with "
        + (
            "{{ url_for('static', filename='todo.css') }}."
            if framework == "flask"
            else "{% static 'todos/todo.css' %}."
        )
    )
    return reader.hrefs[0]


def test_home_page_shows_the_site_name(client, framework):
    """GET / shows the site name "Duet Todo" in its title and heading"""
    html = _home(client, framework)
    where = (
        'app.config["SITE_NAME"], with the default "Duet Todo" (from_mapping) that TODO_SITE_NAME can '
        'override (from_prefixed_env("TODO")); templates can read it as {{ config.SITE_NAME }}'
        if framework == "flask"
        else 'a setting, SITE_NAME = os.environ.get("TODO_SITE_NAME", "Duet Todo") in todo/settings.py, '
        "that the view passes to the template"
    )
    title = page_title(html)
    assert SITE_NAME in title, (
        f"GET / has the <title> {title!r}, expected it to contain {SITE_NAME!r}. Take the name from {where}."
    )
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S | re.I)
    heading_text = page_text(heading.group(1)) if heading else ""
    assert SITE_NAME in heading_text, (
        f"GET / has the <h1> {heading_text!r}, expected it to contain {SITE_NAME!r}, like the title. "
        f"Take the name from {where}."
    )


def test_stylesheet_link_points_under_static(client, framework):
    """GET / links its stylesheet at a URL under /static/"""
    href = _stylesheet_href(_home(client, framework), framework)
    path = urlsplit(href).path
    assert path.startswith("/static/") and path.endswith("todo.css"), (
        f"The stylesheet link on GET / points to {href!r}, expected a URL under /static/ ending in todo.css. "
        + (
            "Flask serves the files of the static/ folder at /static/<filename>: write "
            "href=\"{{ url_for('static', filename='todo.css') }}\" instead of a path by hand."
            if framework == "flask"
            else "Django builds static URLs from STATIC_URL: put {% load static %} at the top of the template "
            "and write href=\"{% static 'todos/todo.css' %}\" (the path inside the app's static/ folder)."
        )
    )


def _not_served_advice(href, framework):
    """Why the linked stylesheet answered something other than 200."""
    if not urlsplit(href).path.startswith("/static/"):
        return "Nothing serves files at that path: link the stylesheet with " + (
            "url_for('static', filename='todo.css')." if framework == "flask" else "{% static 'todos/todo.css' %}."
        )
    if framework == "flask":
        return "Is the link built with url_for('static', filename='todo.css'), and is the file in static/?"
    if urlsplit(href).path != "/static/todos/todo.css":
        return (
            "The stylesheet is todos/static/todos/todo.css, so its name for {% static %} is the path inside "
            "the app's static/ folder, 'todos/todo.css', and its URL /static/todos/todo.css."
        )
    return (
        "Only runserver serves static files, and only with DEBUG on; waitress, like any production server, "
        'leaves them to the project. Add "whitenoise.middleware.WhiteNoiseMiddleware" to MIDDLEWARE, right '
        "after SecurityMiddleware, and set WHITENOISE_USE_FINDERS = True so that it finds the file in "
        "todos/static/ without collectstatic."
    )


def test_stylesheet_is_served(client, framework):
    """The stylesheet linked from GET / answers 200"""
    href = _stylesheet_href(_home(client, framework), framework)
    response = client.get(href)
    assert response.status_code == 200, (
        f"GET {href} (the stylesheet linked from GET /) answered {response.status_code}, expected 200. "
        + _not_served_advice(href, framework)
    )


def test_stylesheet_is_css(client, framework):
    """The stylesheet is served as text/css and is the app's todo.css"""
    href = _stylesheet_href(_home(client, framework), framework)
    response = client.get(href)
    assert response.status_code == 200, (
        f"GET {href} answered {response.status_code}, so there is no stylesheet to check yet. "
        + _not_served_advice(href, framework)
    )
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("text/css"), (
        f"GET {href} answered with Content-Type {content_type!r}, expected text/css: browsers ignore a "
        "stylesheet sent as anything else. Let the static file handler send the file (it picks the type "
        "from the .css extension) rather than a view of your own."
    )
    assert CSS_MARKER in response.text, (
        f"GET {href} answered a text/css file, but not the app's todo.css (it has no {CSS_MARKER!r} rule): "
        f"{_snippet(response.text)!r}. Link the todo.css that comes with the starter."
    )


def test_unknown_page_is_a_plain_404(client, framework):
    """GET /no-such-page answers a plain 404 page, not a debug page"""
    response = client.get("/no-such-page")
    assert response.status_code == 404, f"GET /no-such-page answered {response.status_code}, expected 404 Not Found."
    found = [sign for sign in DEBUG_SIGNS if sign in response.text]
    assert not found, (
        f"GET /no-such-page answered 404 with a debug page (it mentions {found[0]!r}): it shows visitors "
        "how your project is built. "
        + (
            "Do not set DEBUG in app.config: debug mode is for your machine, with flask run --debug."
            if framework == "flask"
            else 'Turn DEBUG off by default in todo/settings.py: DEBUG = os.environ.get("DJANGO_DEBUG") == "1".'
        )
    )


def test_missing_static_file_is_a_plain_404(client, framework):
    """GET /static/no-such-file.css answers a plain 404"""
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404, (
        f"GET /static/no-such-file.css answered {response.status_code}, expected 404 Not Found: "
        "a static file that does not exist is simply not found."
    )
    found = [sign for sign in DEBUG_SIGNS if sign in response.text]
    assert not found, f"GET /static/no-such-file.css answered 404 with a debug page (it mentions {found[0]!r}). " + (
        "Do not set DEBUG in app.config."
        if framework == "flask"
        else 'Turn DEBUG off by default in todo/settings.py: DEBUG = os.environ.get("DJANGO_DEBUG") == "1".'
    )
