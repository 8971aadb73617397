"""Hidden tests for "Routes": the todo list and a page per todo, in Flask and Django alike."""

from urllib.parse import urlsplit

from duet_harness.html import links, page_text

TODOS = {1: "Buy milk", 2: "Water the plants", 3: "Learn routing"}


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _where(framework):
    return "app.py" if framework == "flask" else "todo/urls.py and todo/views.py"


def _converter_advice(framework):
    if framework == "flask":
        return (
            'Let the route convert the id: with @app.route("/todos/<int:todo_id>/") only digits match, '
            "and todo_id arrives as an int. For an id that is not in TODOS, call abort(404)."
        )
    return (
        'Let the URL pattern convert the id: with path("todos/<int:todo_id>/", ...) only digits match, '
        "and todo_id arrives as an int. For an id that is not in TODOS, raise Http404."
    )


def _list_page(client, framework):
    response = client.get("/todos/")
    assert response.status_code == 200, f"GET /todos/ answered {response.status_code}, expected 200 OK. " + (
        "The traceback is in your app's log below."
        if response.status_code >= 500
        else f"Is there still a route for /todos/ in {_where(framework)}?"
    )
    return response


def test_the_list_shows_every_todo(client, framework):
    """GET /todos/ lists every todo"""
    text = page_text(_list_page(client, framework).text)
    missing = [title for title in TODOS.values() if title not in text]
    assert not missing, (
        f"GET /todos/ should show the title of every todo, but {missing} is missing. Your page: {_snippet(text)!r}"
    )


def test_the_list_links_to_each_todo(client, framework):
    """The links on /todos/ lead to /todos/1/, /todos/2/ and /todos/3/"""
    html = _list_page(client, framework).text
    paths = {urlsplit(href).path for href in links(html)}
    missing = [f"/todos/{todo_id}/" for todo_id in TODOS if f"/todos/{todo_id}/" not in paths]
    build = 'url_for("todo_detail", todo_id=...)' if framework == "flask" else 'reverse("todo_detail", args=[...])'
    assert not missing, (
        f"GET /todos/ should link to each todo's page, but there is no link to {', '.join(missing)}. "
        f"The links on your page go to: {sorted(paths) or 'nowhere'}. Build each link from the route's name "
        f"with {build} instead of typing the URL, so it always matches the route."
    )


def test_a_todo_has_its_own_page(client, framework):
    """GET /todos/2/ shows that todo, and only that one"""
    response = client.get("/todos/2/")
    assert response.status_code == 200, f"GET /todos/2/ answered {response.status_code}, expected 200 OK. " + (
        "The traceback is in your app's log below."
        if response.status_code >= 500
        else f"Check the route for /todos/<id>/ in {_where(framework)}: it should end with a slash."
    )
    text = page_text(response.text)
    assert TODOS[2] in text, f"GET /todos/2/ should show {TODOS[2]!r}, but your page was: {_snippet(text)!r}"
    others = [title for todo_id, title in TODOS.items() if todo_id != 2 and title in text]
    assert not others, f"GET /todos/2/ should show only todo 2, but it also shows {others}."


def test_the_first_and_the_last_todo_have_their_pages(client, framework):
    """GET /todos/1/ and /todos/3/, the first and the last todo, show them too"""
    for todo_id in (1, 3):
        url = f"/todos/{todo_id}/"
        response = client.get(url)
        assert response.status_code == 200, (
            f"GET {url} answered {response.status_code}, expected 200 OK: todo {todo_id} is in TODOS. "
            + (
                "The traceback is in your app's log below."
                if response.status_code >= 500
                else "Decide whether a todo exists by looking it up (todo_id not in TODOS), not by comparing "
                "its id with a count such as len(TODOS): an off-by-one there hides the first or the last todo."
            )
        )
        text = page_text(response.text)
        assert TODOS[todo_id] in text, (
            f"GET {url} should show {TODOS[todo_id]!r}, but your page was: {_snippet(text)!r}"
        )


def test_an_unknown_id_is_not_found(client, framework):
    """GET /todos/99/ and /todos/0/ answer 404 Not Found"""
    for todo_id in (99, 0):
        response = client.get(f"/todos/{todo_id}/")
        assert response.status_code == 404, (
            f"GET /todos/{todo_id}/ answered {response.status_code}, but there is no todo {todo_id}: expected "
            "404 Not Found, the answer for a page that does not exist. "
            + (
                "A 500 means the view crashed, on the missing key or on what it returned (see the log). "
                if response.status_code >= 500
                else ""
            )
            + (
                "Call abort(404) when the id is not in TODOS"
                if framework == "flask"
                else "Raise Http404 when the id is not in TODOS"
            )
            + " (a membership test, not a comparison with len(TODOS), which lets 0 through)."
        )


def test_an_id_that_is_not_a_number_is_not_found(client, framework):
    """GET /todos/abc/ answers 404 Not Found"""
    response = client.get("/todos/abc/")
    assert response.status_code == 404, (
        f"GET /todos/abc/ answered {response.status_code}, expected 404 Not Found: todo ids are whole numbers, "
        "so this URL should not match any route at all. "
        + (
            "A 500 means the view crashed turning 'abc' into a number (see the log). "
            if response.status_code >= 500
            else ""
        )
        + _converter_advice(framework)
    )


def test_the_list_url_without_its_slash_redirects(client, framework):
    """GET /todos redirects to /todos/"""
    response = client.get("/todos", allow_redirects=False)
    location = urlsplit(response.headers.get("Location", "")).path
    advice = (
        'Flask redirects /todos to /todos/ by itself when the rule is written "/todos/", with the slash.'
        if framework == "flask"
        else 'Django\'s CommonMiddleware (APPEND_SLASH) redirects /todos to /todos/ when the pattern is "todos/", '
        "with the slash, and todo/settings.py is left as given."
    )
    assert response.status_code in (301, 308) and location == "/todos/", (
        f"GET /todos answered {response.status_code}"
        + (f" with Location {location!r}" if location else "")
        + f", expected a permanent redirect (301 or 308) to /todos/. {advice}"
    )


def test_the_pages_only_answer_get(client, framework):
    """POST /todos/ and POST /todos/1/ answer 405 Method Not Allowed"""
    for url in ("/todos/", "/todos/1/"):
        response = client.post(url, data={})
        advice = (
            "Flask routes answer GET (and HEAD) only, unless the route lists other methods=[...]."
            if framework == "flask"
            else "A Django view accepts every method unless it says otherwise: decorate it with @require_safe "
            "(GET and HEAD) or @require_GET from django.views.decorators.http."
        )
        assert response.status_code == 405, (
            f"POST {url} answered {response.status_code}, expected 405 Method Not Allowed: these pages only show "
            f"data, so they should refuse a POST. {advice}"
        )
        allow = response.headers.get("Allow", "")
        assert "GET" in allow, (
            f"POST {url} answered 405 but its Allow header is {allow!r}: it should list GET, the method the "
            "page does accept. Return the 405 through the framework (methods / require_safe), not by hand."
        )
