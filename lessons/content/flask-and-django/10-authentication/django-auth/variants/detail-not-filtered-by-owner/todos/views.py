from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .models import Todo


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "POST":
        title = request.POST.get("title", "").strip()[:200]
        if title:
            Todo.objects.create(title=title, owner=request.user)
        return redirect("todos:index")
    todos = Todo.objects.filter(owner=request.user)
    return render(request, "todos/index.html", {"todos": todos})


@login_required
@require_GET
def detail(request, todo_id):
    # Filter by owner too: another user's todo is "not found", not "forbidden", which
    # would tell them it exists.
    todo = get_object_or_404(Todo, id=todo_id)
    return render(request, "todos/detail.html", {"todo": todo})
