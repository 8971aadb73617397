from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

# The todos, by id. A database replaces this dict in a later lesson.
TODOS = {
    1: "Buy milk",
    2: "Water the plants",
    3: "Read about <script> tags",
}


@require_safe
def todo_list(request):
    query = request.GET.get("q", "").strip()
    todos = [{"id": todo_id, "title": title} for todo_id, title in TODOS.items() if query.lower() in title.lower()]
    # The heading's markup lives in the template, where {{ query }} is escaped.
    heading = mark_safe(f"Results for <em>{query}</em>") if query else "All todos"
    return render(request, "todo_list.html", {"todos": todos, "query": query, "heading": heading})


@require_safe
def todo_detail(request, todo_id):
    if todo_id not in TODOS:
        raise Http404("No todo with this id.")
    return render(request, "todo_detail.html", {"todo": {"id": todo_id, "title": TODOS[todo_id]}})
