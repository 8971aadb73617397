"""Hidden tests for lesson 07 (databases): the todo API backed by SQLite, in Flask and Django alike.

Every run starts from a fresh database that holds the two welcome todos, with ids 1 and 2;
the todos the tests create stay there for the rest of the run.
"""

import json
import uuid
from urllib.parse import urlparse

API = "/api/todos"
UNKNOWN_ID = 987654321
WELCOME = ["Read the lesson on databases", "Look inside the SQLite file"]  # ids 1 and 2, oldest first


def _unique(prefix="Buy milk"):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def _snippet(text, limit=200):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _where(framework):
    return "todos/views.py" if framework == "django" else "app.py"


def _query_advice(framework):
    if framework == "django":
        return "Query the Todo model in todos/views.py, e.g. Todo.objects.order_by(...), instead of the list in memory."
    return (
        "Query the Todo model in app.py, e.g. db.session.execute(db.select(Todo)...).scalars(), "
        "instead of the list in memory."
    )


def _get_json(client, url, framework, status=200):
    response = client.get(url)
    if response.status_code >= 500:
        raise AssertionError(
            f"GET {url} answered {response.status_code}: your view raised an error, and the traceback is in "
            "your app's log below."
        )
    assert response.status_code == status, (
        f"GET {url} answered {response.status_code}, expected {status}. Look at the views in {_where(framework)}."
    )
    assert response.headers.get("Content-Type", "").startswith("application/json"), (
        f"GET {url} did not answer JSON: {_snippet(response.text)!r}."
    )
    return response.json()


def _titles(client, framework, query=""):
    todos = _get_json(client, API + query, framework)
    assert isinstance(todos, list), f"GET {API}{query} answered {_snippet(json.dumps(todos))!r}, expected a list."
    return [todo.get("title") for todo in todos], todos


def _create(client, framework, title=None):
    title = title or _unique()
    response = client.post(API, json={"title": title})
    request = f"POST {API} with {{'title': {title!r}}}"
    if response.status_code >= 500:
        raise AssertionError(
            f"{request} answered {response.status_code}: your view raised an error, and the traceback is in "
            "your app's log below."
        )
    assert response.status_code == 201, (
        f"{request} answered {response.status_code}, expected 201 Created as in lesson 06. "
        f"Look at the view for POST {API} in {_where(framework)}."
    )
    todo = response.json()
    assert isinstance(todo, dict) and todo.get("title") == title and isinstance(todo.get("id"), int), (
        f"{request} answered {_snippet(json.dumps(todo))!r}, expected the new todo with its id."
    )
    return todo, response


def _patch(client, framework, todo_id, done):
    url = f"{API}/{todo_id}"
    response = client.patch(url, json={"done": done})
    assert response.status_code == 200, (
        f"PATCH {url} with {{'done': {json.dumps(done)}}} answered {response.status_code}, expected 200. "
        f"Look at the PATCH view in {_where(framework)}."
    )
    return response.json()


def test_lists_the_todos_already_in_the_database(client, framework):
    """GET /api/todos lists the two todos the database starts with"""
    titles, todos = _titles(client, framework)
    missing = [title for title in WELCOME if title not in titles]
    assert not missing, (
        f"GET {API} does not list {missing}, which are stored in the database when it is created, so the list "
        f"comes from somewhere else. {_query_advice(framework)} Your list: {_snippet(json.dumps(todos))!r}"
    )
    first = _get_json(client, f"{API}/1", framework)
    assert first.get("title") == WELCOME[0], (
        f"GET {API}/1 answered {_snippet(json.dumps(first))!r}, expected the first row of the database, "
        f"{WELCOME[0]!r}: ids are the database's primary keys. Look up a todo by its id with "
        + ("Todo.objects.get(id=todo_id)." if framework == "django" else "db.session.get(Todo, todo_id).")
    )


def test_new_todo_is_stored_and_fetched_by_its_id(client, framework):
    """POST /api/todos stores a todo that GET /api/todos/<id> returns"""
    title = _unique()
    todo, response = _create(client, framework, title)
    location = urlparse(response.headers.get("Location", "")).path
    assert location == f"{API}/{todo['id']}", (
        f"POST {API} answered Location: {response.headers.get('Location')!r}, expected {API}/{todo['id']}."
    )
    fetched = _get_json(client, location, framework)
    assert fetched == {"id": todo["id"], "title": title, "done": False}, (
        f"GET {location} answered {_snippet(json.dumps(fetched))!r}, expected the todo just created: "
        f'{{"id": {todo["id"]}, "title": {title!r}, "done": false}}.'
    )
    titles, _ = _titles(client, framework)
    assert title in titles, f"GET {API} does not list the todo just created, {title!r}."


def test_lists_the_newest_todo_first(client, framework):
    """GET /api/todos lists the newest todo first"""
    created = [_create(client, framework, _unique(f"Todo {n}"))[0]["title"] for n in (1, 2, 3)]
    titles, _ = _titles(client, framework)
    expected = list(reversed(created))
    shown = [title for title in titles if title in created]
    order = "order_by('-created_at')" if framework == "django" else "order_by(Todo.created_at.desc())"
    assert shown == expected, (
        f"Three todos were created in the order {created}; GET {API} lists them as {shown}, expected the "
        f"newest first: {expected}. Sort in the query, with {order}, so the database does the work."
    )
    welcome = [title for title in titles if title in WELCOME]
    assert welcome == list(reversed(WELCOME)), (
        f"GET {API} lists the two welcome todos as {welcome}; they are the oldest rows, so they come last, "
        f"newest first: {list(reversed(WELCOME))}."
    )
    assert titles.index(expected[-1]) < titles.index(WELCOME[-1]), (
        f"GET {API} lists the welcome todos before the ones just created: newest first means the new ones come first."
    )


def test_marking_a_todo_done_is_stored(client, framework):
    """PATCH /api/todos/<id> with {"done": true} is stored"""
    todo, _ = _create(client, framework)
    url = f"{API}/{todo['id']}"
    updated = _patch(client, framework, todo["id"], True)
    assert updated.get("done") is True, f"PATCH {url} with {{'done': true}} answered {_snippet(json.dumps(updated))!r}."
    fetched = _get_json(client, url, framework)
    save = "todo.save()" if framework == "django" else "db.session.commit()"
    assert fetched.get("done") is True, (
        f"After PATCH {url} with {{'done': true}}, GET {url} answered {_snippet(json.dumps(fetched))!r}: the change "
        f"was not stored. Change the model instance's done, then {save}."
    )
    _patch(client, framework, todo["id"], False)
    fetched = _get_json(client, url, framework)
    assert fetched.get("done") is False, (
        f"After PATCH {url} with {{'done': false}}, GET {url} answered {_snippet(json.dumps(fetched))!r}."
    )
    response = client.patch(url, json={"done": "yes"})
    assert response.status_code == 400, (
        f"PATCH {url} with {{'done': 'yes'}} answered {response.status_code}, expected 400 as in lesson 06: "
        "done must be true or false."
    )


def test_done_filter(client, framework):
    """GET /api/todos?done=1 lists only done todos, ?done=0 only the others, any other value all"""
    finished, _ = _create(client, framework, _unique("Finished"))
    open_todo, _ = _create(client, framework, _unique("Still open"))
    _patch(client, framework, finished["id"], True)
    stored = _get_json(client, f"{API}/{finished['id']}", framework)
    assert stored.get("done") is True, (
        f"PATCH {API}/{finished['id']} with {{'done': true}} was not stored (GET answers "
        f"{_snippet(json.dumps(stored))!r}), so there is no done todo to filter: fix marking a todo done first."
    )
    where = "filter(done=...)" if framework == "django" else "where(Todo.done == ...)"
    for query, wanted, unwanted, value in (
        ("?done=1", finished, open_todo, True),
        ("?done=0", open_todo, finished, False),
    ):
        titles, todos = _titles(client, framework, query)
        assert wanted["title"] in titles and unwanted["title"] not in titles, (
            f"GET {API}{query} should list {wanted['title']!r} and not {unwanted['title']!r}; it lists {_snippet(json.dumps(titles))}. "
            f'Read request.{"GET" if framework == "django" else "args"}.get("done") and add {where} to the query '
            'when it is "1" or "0".'
        )
        wrong = [todo for todo in todos if todo.get("done") is not value]
        assert not wrong, (
            f"GET {API}{query} lists todos whose done is not {json.dumps(value)}: {_snippet(json.dumps(wrong))}"
        )
    titles, _ = _titles(client, framework)
    assert finished["title"] in titles and open_todo["title"] in titles, (
        f"GET {API} without ?done= should list every todo, done or not."
    )
    for query in ("?done=yes", "?done="):
        titles, _ = _titles(client, framework, query)
        missing = [todo["title"] for todo in (finished, open_todo) if todo["title"] not in titles]
        assert not missing, (
            f"GET {API}{query} does not list {missing}: only ?done=1 and ?done=0 filter the list, any other "
            f'value lists every todo, done or not. Filter only when done is "1" or "0", not whenever '
            f"?done= is present."
        )


def test_unknown_id_answers_404(client, framework):
    """GET and PATCH /api/todos/<unknown id> answer 404 with a JSON error"""
    for method in ("GET", "PATCH"):
        url = f"{API}/{UNKNOWN_ID}"
        response = client.request(method, url, json={"done": True} if method == "PATCH" else None)
        lookup = (
            "catch Todo.DoesNotExist around Todo.objects.get(...)"
            if framework == "django"
            else "db.session.get(Todo, todo_id) returns None"
        )
        assert response.status_code == 404, (
            f"{method} {url} answered {response.status_code}, expected 404 with a JSON error ({lookup} for an id "
            "that is not in the database)."
        )
        body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else None
        assert isinstance(body, dict) and body.get("error"), (
            f"{method} {url} answered 404 but not with a JSON error: {_snippet(response.text)!r}. "
            f'Answer {{"error": "Todo {UNKNOWN_ID} not found."}} as in lesson 06.'
        )
