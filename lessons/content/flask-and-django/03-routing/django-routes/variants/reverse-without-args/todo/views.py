from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

# The todos, by id. A database replaces this dict in a later lesson.
TODOS = {
    1: "Buy milk",
    2: "Water the plants",
    3: "Learn routing",
}


@require_safe
def todo_list(request):
    links = ((reverse("todo_detail"), title) for todo_id, title in TODOS.items())
    items = format_html_join("", '<li><a href="{}">{}</a></li>', links)
    return HttpResponse(format_html("<h1>Todos</h1><ul>{}</ul>", items))


@require_safe
def todo_detail(request, todo_id):
    if todo_id not in TODOS:
        raise Http404("No todo with this id.")
    return HttpResponse(
        format_html('<h1>{}</h1><p><a href="{}">All todos</a></p>', TODOS[todo_id], reverse("todo_list"))
    )
