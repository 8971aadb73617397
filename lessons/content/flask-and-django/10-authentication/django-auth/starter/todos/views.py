from django.contrib.auth.decorators import login_required  # noqa: F401  (you will need it)
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .models import Todo


# TODO: only logged-in users may see the todo pages.
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "POST":
        title = request.POST.get("title", "").strip()[:200]
        if title:
            Todo.objects.create(title=title, owner=request.user)
        return redirect("todos:index")
    # TODO: only the current user's todos.
    todos = Todo.objects.all()
    return render(request, "todos/index.html", {"todos": todos})


@require_GET
def detail(request, todo_id):
    # TODO: only the current user's todo; another user's answers 404.
    todo = get_object_or_404(Todo, id=todo_id)
    return render(request, "todos/detail.html", {"todo": todo})
