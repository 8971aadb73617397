"""The JSON API, for programs (the HTML pages for people are in views.py).

The API reads no cookie and no session, so a forged cross-site request gains
nothing that any client could not do anyway: its views are exempt from
CsrfViewMiddleware, which would otherwise refuse them for lack of a token.
"""

import json

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import store

MAX_TITLE = 100


def error(message: str, status: int) -> JsonResponse:
    """Every API error has the same shape: {"error": "...", "status": ...}."""
    return JsonResponse({"error": message, "status": status}, status=status)


def read_json(request) -> object:
    """The request's body as JSON, or None when it is not valid JSON."""
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


@method_decorator(csrf_exempt, name="dispatch")
class TodoListView(View):
    """A View answers 405 by itself for any method it has no handler for (PUT here)."""

    def get(self, request):
        return JsonResponse(store.TODOS, safe=False)

    def post(self, request):
        data = read_json(request)
        if not isinstance(data, dict):
            return error('Send a JSON object, such as {"title": "Buy milk"}.', 400)
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            return error('"title" is required and must be a non-empty string.', 400)
        title = title.strip()
        if len(title) > MAX_TITLE:
            return error(f'"title" must be at most {MAX_TITLE} characters.', 400)
        todo = store.add_todo(title)
        response = JsonResponse(todo, status=201)
        response["Location"] = reverse("api_todo_detail", kwargs={"todo_id": todo["id"]})
        return response


@method_decorator(csrf_exempt, name="dispatch")
class TodoDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        todo = store.find_todo(kwargs["todo_id"])
        if todo is None:
            return error(f"Todo {kwargs['todo_id']} not found.", 404)
        self.todo = todo
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, todo_id):
        return JsonResponse(self.todo)

    def patch(self, request, todo_id):
        data = read_json(request)
        done = data.get("done") if isinstance(data, dict) else None
        if not isinstance(done, bool):
            return error('Send {"done": true} or {"done": false}.', 400)
        self.todo["done"] = done
        return JsonResponse(self.todo)

    def delete(self, request, todo_id):
        store.delete_todo(todo_id)
        return HttpResponse(status=204)


todo_list = TodoListView.as_view()
todo_detail = TodoDetailView.as_view()
