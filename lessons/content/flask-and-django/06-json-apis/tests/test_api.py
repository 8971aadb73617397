"""Hidden tests for lesson 06 (JSON APIs): /api/todos in Flask and Django alike.

The checks are an API client, not a browser: they send and read JSON, and they have
no cookies and no CSRF token.
"""

import json
import uuid
from urllib.parse import urlparse

API = "/api/todos"
UNKNOWN_ID = 987654321
TODO_KEYS = {"id", "title", "done"}


def _unique(prefix="Buy milk"):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _where(framework):
    return "todos/api.py" if framework == "django" else "app.py"


def _advice(response, framework):
    """What to look at when a request did not get the expected answer."""
    status = response.status_code
    if _is_csrf_refusal(response):
        if framework == "django":
            return (
                "Django's CsrfViewMiddleware refused it (403): an API client has no CSRF cookie or token. "
                "This API reads no cookies, so exempt its views with @csrf_exempt in todos/api.py "
                "(the lesson explains why that is safe here, and when it is not)."
            )
        return (
            "Flask-WTF's CSRFProtect refused it (400, CSRF token missing): an API client has no token. "
            "This API reads no cookies, so put @csrf.exempt under the route decorator of each API view "
            "that changes data, in app.py (the lesson explains why that is safe here, and when it is not)."
        )
    if status == 405:
        return f"That method is not allowed on that URL yet: add it to the API view in {_where(framework)}."
    if status >= 500:
        return "Your view raised an error: the traceback is in your app's log below."
    return f"Look at the API views in {_where(framework)}."


def _is_csrf_refusal(response):
    return response.status_code in (400, 403) and "csrf" in response.text.lower()


def _json(response, request, framework):
    """The response's JSON, after checking that it is JSON."""
    content_type = response.headers.get("Content-Type", "")
    if _is_csrf_refusal(response):
        raise AssertionError(f"{request} answered {response.status_code}. {_advice(response, framework)}")
    assert content_type.startswith("application/json"), (
        f"{request} answered with Content-Type {content_type or 'none'!r}, expected application/json. "
        f"An API answers JSON even for errors. Your answer: {_snippet(response.text)!r}"
    )
    try:
        return response.json()
    except ValueError:
        raise AssertionError(f"{request} says it is JSON but does not parse: {_snippet(response.text)!r}") from None


def _error_json(response, request, status, framework):
    """Check an error answer: the status, and a JSON object {"error": "..."}."""
    assert response.status_code == status, (
        f"{request} answered {response.status_code}, expected {status}. {_advice(response, framework)}"
    )
    body = _json(response, request, framework)
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], (
        f'{request} answered {status} with {_snippet(json.dumps(body))!r}, expected a JSON object with an "error" '
        'message, such as {"error": "Todo 3 not found."}.'
    )


def _create(client, framework, title=None):
    """POST a new todo and return it (checking only what the create test does not insist on)."""
    title = title or _unique()
    response = client.post(API, json={"title": title})
    request = f"POST {API} with {{'title': {title!r}}}"
    assert response.status_code in (200, 201), (
        f"{request} answered {response.status_code}, so there is no todo to work with. {_advice(response, framework)}"
    )
    todo = _json(response, request, framework)
    assert isinstance(todo, dict) and isinstance(todo.get("id"), int), (
        f'{request} answered {_snippet(json.dumps(todo))!r}, expected the new todo with its "id", "title" and "done".'
    )
    return todo


def test_list_is_a_json_list_of_todos(client, framework):
    """GET /api/todos answers a JSON list of todos"""
    response = client.get(API)
    assert response.status_code == 200, (
        f"GET {API} answered {response.status_code}, expected 200. {_advice(response, framework)}"
    )
    todos = _json(response, f"GET {API}", framework)
    assert isinstance(todos, list), (
        f"GET {API} answered a JSON {type(todos).__name__}, expected a list (an array) of todos."
    )
    for todo in todos:
        assert isinstance(todo, dict) and set(todo) >= TODO_KEYS, (
            f'GET {API} lists {_snippet(json.dumps(todo))!r}: each todo should be an object with "id", "title" '
            'and "done".'
        )


def test_create_answers_201_with_location(client, framework):
    """POST /api/todos answers 201 Created, the new todo, and a Location header"""
    title = _unique()
    request = f"POST {API} with {{'title': {title!r}}}"
    response = client.post(API, json={"title": title})
    if response.status_code == 200:
        fix = "JsonResponse(todo, status=201)" if framework == "django" else 'return todo, 201, {"Location": ...}'
        raise AssertionError(
            f"{request} answered 200, expected 201 Created: the status that says a new resource exists. "
            f"Use {fix} in {_where(framework)}."
        )
    assert response.status_code == 201, (
        f"{request} answered {response.status_code}, expected 201 Created. {_advice(response, framework)}"
    )
    todo = _json(response, request, framework)
    assert isinstance(todo, dict) and todo.get("title") == title and todo.get("done") is False, (
        f'{request} answered {_snippet(json.dumps(todo))!r}, expected the new todo: "title" {title!r}, '
        '"done" false, and its "id".'
    )
    assert isinstance(todo.get("id"), int), (
        f'{request}: the new todo\'s "id" should be a number, got {todo.get("id")!r}.'
    )
    location = response.headers.get("Location")
    assert location, (
        f"{request} answered 201 without a Location header. Tell the client where the new todo lives: "
        f"Location: {API}/{todo['id']}."
    )
    assert urlparse(location).path == f"{API}/{todo['id']}", (
        f"{request} answered Location: {location!r}, expected {API}/{todo['id']} (the URL of the new todo)."
    )


def test_created_todo_can_be_fetched(client, framework):
    """The new todo is at GET /api/todos/<id> and in the list"""
    todo = _create(client, framework)
    url = f"{API}/{todo['id']}"
    response = client.get(url)
    assert response.status_code == 200, (
        f"GET {url} (the todo just created) answered {response.status_code}, expected 200. "
        f"{_advice(response, framework)}"
    )
    fetched = _json(response, f"GET {url}", framework)
    assert fetched == todo, (
        f"GET {url} answered {_snippet(json.dumps(fetched))!r}, expected the todo POST returned: "
        f"{_snippet(json.dumps(todo))!r}."
    )
    listed = client.get(API).json()
    assert todo in listed, f"GET {API} does not list the todo just created: {_snippet(json.dumps(todo))!r}."


def test_bad_input_answers_400_with_a_json_error(client, framework):
    """POST /api/todos with bad input answers 400 and a JSON error"""
    cases = [
        ("no title", {"json": {}}),
        ("an empty title", {"json": {"title": ""}}),
        ("a title of only spaces", {"json": {"title": "   "}}),
        ("a title that is not a string", {"json": {"title": 42}}),
        ("a title of 101 characters", {"json": {"title": "x" * 101}}),
        ("a JSON list instead of an object", {"json": ["Buy milk"]}),
        ("a body that is not JSON", {"data": "{title: Buy milk", "headers": {"Content-Type": "application/json"}}),
    ]
    for case, body in cases:
        response = client.post(API, **body)
        if response.status_code >= 500:
            raise AssertionError(
                f"POST {API} with {case} crashed your view ({response.status_code}). Check the body before "
                "using it, and answer 400 with a JSON error; the traceback is in your app's log below."
            )
        if response.status_code in (200, 201):
            raise AssertionError(
                f'POST {API} with {case} was accepted ({response.status_code}). A todo needs a "title": '
                "a non-empty string of at most 100 characters, sent in a JSON object. Answer 400 otherwise."
            )
        _error_json(response, f"POST {API} with {case}", 400, framework)


def test_title_of_100_characters_is_accepted(client, framework):
    """POST /api/todos accepts a title of exactly 100 characters, even with spaces around it"""
    title = _unique("Long").ljust(100, "x")
    request = f"POST {API} with a title of exactly 100 characters"
    response = client.post(API, json={"title": title})
    assert response.status_code == 201, (
        f"{request} answered {response.status_code}, expected 201 Created: a title of at most 100 characters is "
        "valid, so 100 itself is allowed. Refuse a title only when len(title) > 100, not >= 100. "
        f"{_advice(response, framework)}"
    )
    padded = f"  {_unique('Padded').ljust(100, 'x')}  "
    response = client.post(API, json={"title": padded})
    assert response.status_code == 201, (
        f"POST {API} with a title of 100 characters plus two spaces on each side answered {response.status_code}, "
        "expected 201 Created: surrounding spaces do not count. Strip the title first, then check its length. "
        f"{_advice(response, framework)}"
    )


def test_html_form_keeps_its_csrf_protection(client, framework):
    """The HTML form at /todos/new/ still refuses a POST without a CSRF token"""
    title = _unique("Forged")
    response = client.post("/todos/new/", data={"title": title}, allow_redirects=False)
    if framework == "django":
        fix = (
            "Exempt only the API views with @csrf_exempt in todos/api.py, and keep CsrfViewMiddleware in the settings."
        )
    else:
        fix = (
            "Keep CSRFProtect(app) switched on (do not set WTF_CSRF_ENABLED to False), and exempt only the API "
            "views, each with @csrf.exempt, in app.py."
        )
    assert response.status_code in (400, 403), (
        f"POST /todos/new/ with title={title!r} and no CSRF token (a forged form) answered {response.status_code}, "
        f"expected it to be refused with 400 or 403: the HTML form reads the browser's cookies, so it must keep its "
        f"CSRF protection. {fix}"
    )
    assert title not in client.get("/todos/").text, (
        f"POST /todos/new/ without a CSRF token was refused, yet {title!r} appears on /todos/."
    )


def test_unknown_id_answers_404_with_a_json_error(client, framework):
    """GET /api/todos/<unknown id> answers 404 and a JSON error"""
    url = f"{API}/{UNKNOWN_ID}"
    response = client.get(url)
    if response.status_code == 404 and not response.headers.get("Content-Type", "").startswith("application/json"):
        raised = "raise Http404" if framework == "django" else "abort(404)"
        raise AssertionError(
            f"GET {url} answered 404, but as an HTML page ({_snippet(response.text, 60)!r}). {raised} makes the "
            f'framework\'s HTML page; an API client expects JSON, such as {{"error": "Todo {UNKNOWN_ID} not found."}}, '
            "with status 404."
        )
    _error_json(response, f"GET {url}", 404, framework)


def test_patch_marks_a_todo_done(client, framework):
    """PATCH /api/todos/<id> with {"done": true} marks the todo done"""
    todo = _create(client, framework)
    url = f"{API}/{todo['id']}"
    response = client.patch(url, json={"done": True})
    request = f"PATCH {url} with {{'done': true}}"
    assert response.status_code == 200, (
        f"{request} answered {response.status_code}, expected 200 and the updated todo. {_advice(response, framework)}"
    )
    updated = _json(response, request, framework)
    assert updated == {**todo, "done": True}, (
        f'{request} answered {_snippet(json.dumps(updated))!r}, expected the same todo with "done": true.'
    )
    fetched = client.get(url).json()
    assert fetched.get("done") is True, f"After {request}, GET {url} still says {_snippet(json.dumps(fetched))!r}."
    response = client.patch(url, json={"done": "yes"})
    _error_json(response, f"PATCH {url} with {{'done': 'yes'}} (not true or false)", 400, framework)
    response = client.patch(f"{API}/{UNKNOWN_ID}", json={"done": True})
    _error_json(response, f"PATCH {API}/{UNKNOWN_ID} (an unknown id)", 404, framework)


def test_delete_removes_a_todo(client, framework):
    """DELETE /api/todos/<id> answers 204 and the todo is gone"""
    todo = _create(client, framework)
    url = f"{API}/{todo['id']}"
    response = client.delete(url)
    assert response.status_code == 204, (
        f"DELETE {url} answered {response.status_code}, expected 204 No Content (done, nothing to send back). "
        f"{_advice(response, framework)}"
    )
    response = client.get(url)
    assert response.status_code == 404, f"After DELETE {url}, GET {url} answered {response.status_code}, expected 404."
    assert todo["id"] not in [t.get("id") for t in client.get(API).json()], (
        f"After DELETE {url}, GET {API} still lists todo {todo['id']}."
    )
    response = client.delete(url)
    _error_json(response, f"DELETE {url} a second time", 404, framework)


def test_wrong_method_answers_405(client, framework):
    """PUT /api/todos answers 405 Method Not Allowed"""
    response = client.put(API, json={"title": _unique()})
    allowed = 'require_http_methods(["GET", "POST"])' if framework == "django" else "@app.get and @app.post"
    if _is_csrf_refusal(response):
        raise AssertionError(
            f"PUT {API} answered {response.status_code} before your view could refuse the method: "
            f"{_advice(response, framework)}"
        )
    assert response.status_code == 405, (
        f"PUT {API} answered {response.status_code}, expected 405 Method Not Allowed: the list accepts only GET "
        f"and POST. Declare the methods a view accepts ({allowed}) and let the framework refuse the rest."
    )
