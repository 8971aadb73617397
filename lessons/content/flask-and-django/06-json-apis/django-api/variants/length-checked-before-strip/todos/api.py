"""The JSON API, for programs (the HTML pages for people are in views.py).

The API reads no cookie and no session, so a forged cross-site request gains
nothing that any client could not do anyway: its views are exempt from
CsrfViewMiddleware, which would otherwise refuse them for lack of a token.
"""

import json

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import store

MAX_TITLE = 100


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
    if len(title) > MAX_TITLE:
        raise ValueError(f'"title" must be at most {MAX_TITLE} characters.')
    return title.strip()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def todo_list(request):
    if request.method == "POST":
        try:
            title = clean_title(read_json(request))
        except ValueError as exc:
            return error(str(exc), 400)
        todo = store.add_todo(title)
        response = JsonResponse(todo, status=201)
        response["Location"] = reverse("api_todo_detail", args=[todo["id"]])
        return response
    # safe=False: JsonResponse refuses anything but a dict unless told otherwise.
    return JsonResponse(store.TODOS, safe=False)


@csrf_exempt
@require_http_methods(["GET", "PATCH", "DELETE"])
def todo_detail(request, todo_id):
    todo = store.find_todo(todo_id)
    if todo is None:
        return error(f"Todo {todo_id} not found.", 404)
    if request.method == "PATCH":
        data = read_json(request)
        if not isinstance(data, dict) or not isinstance(data.get("done"), bool):
            return error('Send {"done": true} or {"done": false}.', 400)
        todo["done"] = data["done"]
    elif request.method == "DELETE":
        store.delete_todo(todo_id)
        return HttpResponse(status=204)
    return JsonResponse(todo)
