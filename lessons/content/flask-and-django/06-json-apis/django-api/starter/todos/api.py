"""The JSON API, for programs (the HTML pages for people are in views.py)."""

import json

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_http_methods

from . import store


@require_http_methods(["GET", "POST"])
def todo_list(request):
    if request.method == "POST":
        # TODO: validate the title, answer 201 Created with a Location header,
        # and 400 with a JSON error for bad input.
        data = json.loads(request.body)
        return JsonResponse(store.add_todo(data["title"]))
    # safe=False: JsonResponse refuses anything but a dict unless told otherwise.
    return JsonResponse(store.TODOS, safe=False)


@require_http_methods(["GET"])  # TODO: PATCH with {"done": true or false}, and DELETE
def todo_detail(request, todo_id):
    todo = store.find_todo(todo_id)
    if todo is None:
        raise Http404("No such todo.")  # TODO: an API client expects a JSON error, not an HTML page
    return JsonResponse(todo)
