from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .models import Todo, TodoList


@require_GET
def home(request):
    return redirect("list_index")


@require_http_methods(["GET", "POST"])
def list_index(request):
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name:
            return redirect("list_index")
        todo_list = TodoList.objects.create(name=name)
        return redirect("list_detail", list_id=todo_list.id)
    # One query for every list and the number of its todos: Count follows the
    # relation backwards, by its related_name.
    lists = TodoList.objects.annotate(todo_count=Count("todos"))
    return render(request, "todos/list_index.html", {"lists": lists})


@require_GET
def list_detail(request, list_id):
    todo_list = get_object_or_404(TodoList, id=list_id)
    return render(request, "todos/list_detail.html", {"todo_list": todo_list, "todos": todo_list.todos.all()})


@require_POST
def todo_create(request, list_id):
    todo_list = get_object_or_404(TodoList, id=list_id)
    title = request.POST.get("title", "").strip()
    if title:
        Todo.objects.create(title=title, todo_list=todo_list)
    return redirect("list_detail", list_id=todo_list.id)


@require_POST
def list_delete(request, list_id):
    todo_list = get_object_or_404(TodoList, id=list_id)
    todo_list.delete()
    return redirect("list_index")


@require_GET
def todo_detail(request, todo_id):
    todo = get_object_or_404(Todo.objects.select_related("todo_list"), id=todo_id)
    return render(request, "todos/todo_detail.html", {"todo": todo})
