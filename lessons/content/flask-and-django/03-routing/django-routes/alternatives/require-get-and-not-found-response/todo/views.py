from django.http import HttpResponse, HttpResponseNotFound
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

# The todos, by id. A database replaces this dict in a later lesson.
TODOS = {
    1: "Buy milk",
    2: "Water the plants",
    3: "Learn routing",
}


@require_GET
def todo_list(request):
    links = (
        (request.build_absolute_uri(reverse("todo_detail", kwargs={"todo_id": todo_id})), title)
        for todo_id, title in TODOS.items()
    )
    items = format_html_join("", '<li><a href="{}">{}</a></li>', links)
    return HttpResponse(format_html("<h1>Todos</h1><ul>{}</ul>", items))


@require_GET
def todo_detail(request, todo_id):
    title = TODOS.get(todo_id)
    if title is None:
        return HttpResponseNotFound(format_html("<h1>No todo {}</h1>", todo_id))
    return HttpResponse(format_html('<h1>{}</h1><p><a href="{}">All todos</a></p>', title, reverse("todo_list")))
