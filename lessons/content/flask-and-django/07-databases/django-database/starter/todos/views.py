"""The JSON API from lesson 06. It reads no cookies, so its views are CSRF-exempt.

The todos still live in a list in memory, lost at every restart, although the
Todo model and its table are ready. Move the views to the database.
"""

import json
from itertools import count
from threading import Lock

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Todo  # noqa: F401  (you will need it)

MAX_TITLE = 100

# TODO: replace this list (and _next_id and _lock) with the Todo model.
TODOS: list[dict] = []
_next_id = count(1)
_lock = Lock()


def error(message: str, status: int) -> JsonResponse:
    """Every API error has the same shape: {"error": "..."}."""
    return JsonResponse({"error": message}, status=status)


def read_json(request) -> object:
    """The request's body as JSON, or None when it is not valid JSON."""
    try:
        return json.loads(request.body)
    except ValueError:  # invalid JSON, or bytes that are not UTF-8
        return None


def clean_title(data: object) -> str:
    """The title from a JSON body; ValueError with a message for the client if it is not usable."""
    if not isinstance(data, dict):
        raise ValueError('Send a JSON object, such as {"title": "Buy milk"}.')
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError('"title" is required and must be a non-empty string.')
    title = title.strip()
    if len(title) > MAX_TITLE:
        raise ValueError(f'"title" must be at most {MAX_TITLE} characters.')
    return title


@csrf_exempt
@require_http_methods(["GET", "POST"])
def todo_list(request):
    if request.method == "POST":
        try:
            title = clean_title(read_json(request))
        except ValueError as exc:
            return error(str(exc), 400)
        with _lock:
            todo = {"id": next(_next_id), "title": title, "done": False}
            TODOS.append(todo)
        response = JsonResponse(todo, status=201)
        response["Location"] = reverse("api_todo_detail", args=[todo["id"]])
        return response
    # TODO: newest first; ?done=1 lists only the done todos, ?done=0 only the others.
    return JsonResponse(TODOS, safe=False)


@csrf_exempt
@require_http_methods(["GET", "PATCH"])
def todo_detail(request, todo_id):
    todo = next((todo for todo in TODOS if todo["id"] == todo_id), None)
    if todo is None:
        return error(f"Todo {todo_id} not found.", 404)
    if request.method == "PATCH":
        data = read_json(request)
        if not isinstance(data, dict) or not isinstance(data.get("done"), bool):
            return error('Send {"done": true} or {"done": false}.', 400)
        todo["done"] = data["done"]
    return JsonResponse(todo)
