from django.http import HttpResponse
from django.utils.html import format_html, format_html_join

# The todos, by id. A database replaces this dict in a later lesson.
TODOS = {
    1: "Buy milk",
    2: "Water the plants",
    3: "Learn routing",
}


def todo_list(request):
    # TODO: these links still point to the old /todo/<id>/ pages.
    items = format_html_join("", '<li><a href="/todo/{}/">{}</a></li>', TODOS.items())
    return HttpResponse(format_html("<h1>Todos</h1><ul>{}</ul>", items))


def todo_detail(request, todo_id):
    title = TODOS[int(todo_id)]
    return HttpResponse(format_html('<h1>{}</h1><p><a href="/todos/">All todos</a></p>', title))
