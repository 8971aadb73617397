"""Hidden tests for "Make the tests pass" (Flask and Django): the same behaviours your
test file describes, checked over HTTP against the running app."""

import uuid
from urllib.parse import urlsplit

from duet_harness.html import find_form, page_text

PER_PAGE = 5


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _add_todo(client, title, framework):
    """Add a todo through the form on /todos/, as a browser would; return its page's path."""
    page = client.get("/todos/")
    assert page.status_code == 200, (
        f"GET /todos/ answered {page.status_code}, expected 200, so no todo could be added. "
        "The app's log below shows what went wrong."
    )
    form = find_form(page.text, field="title")
    template = _where(framework, "templates/todo_list.html", "todos/templates/todos/todo_list.html")
    assert form is not None, (
        "GET /todos/ has no form with a field named 'title', so no todo could be added. "
        f'{template} should render form.title inside a <form method="post">.'
    )
    response = client.post(form.action or "/todos/", data=form.filled(title=title), allow_redirects=False)
    assert response.status_code in (301, 302, 303), (
        f"Posting the form on /todos/ with title {title!r} answered {response.status_code}, "
        "expected a redirect (302) to the new todo's page. The view that handles POST /todos/ "
        "should save the todo and redirect to /todos/<id>/."
    )
    return urlsplit(response.headers.get("Location", "")).path


def _add_todos(client, count, framework):
    """Add ``count`` todos with titles unique to this test, oldest first."""
    tag = uuid.uuid4().hex[:8]
    titles = [f"Chore {tag} number {n}" for n in range(1, count + 1)]
    for title in titles:
        _add_todo(client, title, framework)
    return titles


def _offset_advice(framework):
    return _where(
        framework,
        "In app.py, look at how todo_list() turns ?page=N into an offset: page 1 must start "
        "at the newest todo, offset 0. Compare with test_page_one_shows_the_five_newest_todos "
        "in test_app.py.",
        "In todos/views.py, look at how todo_list() turns ?page=N into a slice: page 1 must start "
        "at the newest todo, index 0. Compare with test_page_one_shows_the_five_newest_todos "
        "in todos/tests.py.",
    )


def _missing_page_advice(framework):
    return _where(
        framework,
        "db.paginate() answers 404 for such a page by itself; by hand, call abort(404).",
        "Paginator.page() raises InvalidPage for such a page: catch it and raise Http404.",
    )


def test_a_new_todo_gets_its_own_page(client, framework):
    """Adding a todo through the form leads to its page, which shows its title"""
    title = f"Water the plants {uuid.uuid4().hex[:8]}"
    path = _add_todo(client, title, framework)
    response = client.get(path)
    assert response.status_code == 200, (
        f"After adding {title!r}, the form redirected to {path!r}, which answered "
        f"{response.status_code}, expected 200. The redirect should lead to the todo's page, /todos/<id>/."
    )
    assert title in page_text(response.text), (
        f"The page of the todo just added, {path}, should show its title {title!r}, "
        f"but it shows: {_snippet(page_text(response.text))!r}"
    )


def test_the_newest_todo_is_on_page_one(client, framework):
    """GET /todos/ shows the todo you just added"""
    title = f"Buy oat milk {uuid.uuid4().hex[:8]}"
    _add_todo(client, title, framework)
    response = client.get("/todos/")
    assert title in page_text(response.text), (
        f"Just after adding {title!r}, GET /todos/ (page 1) does not show it. The list is newest "
        f"first, so the newest todo belongs at the top of page 1. {_offset_advice(framework)}"
    )


def test_page_one_shows_the_five_newest(client, framework):
    """GET /todos/ shows the five newest todos, and not the sixth"""
    titles = _add_todos(client, PER_PAGE + 1, framework)
    text = page_text(client.get("/todos/").text)
    missing = [t for t in titles[1:] if t not in text]
    assert not missing, (
        f"After adding six todos, GET /todos/ should show the five newest, but these are "
        f"missing: {missing}. {_offset_advice(framework)}"
    )
    assert titles[0] not in text, (
        f"After adding six todos, GET /todos/ shows the sixth newest, {titles[0]!r}, too: "
        "a page holds five todos. Check how many todos your list view takes for one page."
    )


def test_page_two_continues_where_page_one_stopped(client, framework):
    """GET /todos/?page=2 starts with the sixth newest todo"""
    titles = _add_todos(client, PER_PAGE + 1, framework)
    response = client.get("/todos/?page=2")
    assert response.status_code == 200, (
        f"After adding six todos, GET /todos/?page=2 answered {response.status_code}, expected 200: "
        "there are more than five todos, so page 2 exists."
    )
    text = page_text(response.text)
    assert titles[0] in text, (
        f"After adding six todos, GET /todos/?page=2 should show the sixth newest, {titles[0]!r}, "
        f"but it does not. {_offset_advice(framework)}"
    )
    assert titles[1] not in text, (
        f"GET /todos/?page=2 shows {titles[1]!r}, the fifth newest, which belongs on page 1 only. "
        "Each todo should appear on exactly one page."
    )


def test_a_page_after_the_last_is_not_found(client, framework):
    """GET /todos/?page=1000 (after the last page) answers 404 Not Found"""
    response = client.get("/todos/?page=1000")
    assert response.status_code == 404, (
        f"GET /todos/?page=1000 answered {response.status_code}, expected 404: there are far fewer "
        f"than 5000 todos, so that page does not exist. {_missing_page_advice(framework)}"
    )


def test_page_zero_is_not_found(client, framework):
    """GET /todos/?page=0 answers 404 Not Found"""
    response = client.get("/todos/?page=0")
    assert response.status_code == 404, (
        f"GET /todos/?page=0 answered {response.status_code}, expected 404: pages are numbered "
        f"from 1. {_missing_page_advice(framework)}"
    )


def test_an_unknown_todo_is_not_found(client, framework):
    """GET /todos/999999/ (no such todo) answers 404 Not Found"""
    response = client.get("/todos/999999/")
    advice = _where(
        framework,
        "db.session.get() returns None for an unknown id, and the template then renders an empty "
        "page. Use db.get_or_404(Todo, todo_id) in todo_detail().",
        "Todo.objects.get() raises Todo.DoesNotExist for an unknown id, and an uncaught exception "
        "becomes a 500. Use get_object_or_404(Todo, pk=pk) in todo_detail().",
    )
    assert response.status_code == 404, (
        f"GET /todos/999999/ answered {response.status_code}, expected 404: there is no todo with that id. {advice}"
    )
