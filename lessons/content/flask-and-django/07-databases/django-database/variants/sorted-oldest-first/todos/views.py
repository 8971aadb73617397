"""The JSON API from lesson 06. It reads no cookies, so its views are CSRF-exempt.

The todos live in the database, through the Todo model.
"""

import json

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Todo

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
        todo = Todo.objects.create(title=title)
        response = JsonResponse(todo.to_dict(), status=201)
        response["Location"] = reverse("api_todo_detail", args=[todo.id])
        return response
    # The id breaks ties between todos created in the same instant.
    todos = Todo.objects.order_by("created_at", "id")
    done = request.GET.get("done")
    if done in ("0", "1"):
        todos = todos.filter(done=done == "1")
    # Nothing has been read from the database yet: the query runs here, once.
    return JsonResponse([todo.to_dict() for todo in todos], safe=False)


@csrf_exempt
@require_http_methods(["GET", "PATCH"])
def todo_detail(request, todo_id):
    try:
        todo = Todo.objects.get(id=todo_id)
    except Todo.DoesNotExist:
        return error(f"Todo {todo_id} not found.", 404)
    if request.method == "PATCH":
        data = read_json(request)
        if not isinstance(data, dict) or not isinstance(data.get("done"), bool):
            return error('Send {"done": true} or {"done": false}.', 400)
        todo.done = data["done"]
        todo.save(update_fields=["done"])
    return JsonResponse(todo.to_dict())
