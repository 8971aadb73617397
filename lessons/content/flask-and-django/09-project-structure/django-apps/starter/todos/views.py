from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .models import Todo


@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "POST":
        title = request.POST.get("title", "").strip()
        if title:
            Todo.objects.create(title=title)
        return redirect("todos:index")
    return render(request, "todos/index.html", {"todos": Todo.objects.all()})


@require_GET
def detail(request, todo_id):
    todo = get_object_or_404(Todo, id=todo_id)
    return render(request, "todos/detail.html", {"todo": todo})
