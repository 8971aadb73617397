from django.shortcuts import redirect, render

from .forms import TodoForm
from .models import Todo

PER_PAGE = 5


def todo_list(request):
    form = TodoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        todo = form.save()
        return redirect(todo)

    # Newest first, PER_PAGE todos a page; ?page=1 is the first page.
    page = int(request.GET.get("page", 1))
    todos = Todo.objects.order_by("-id")
    start = page * PER_PAGE
    context = {
        "form": form,
        "todos": todos[start : start + PER_PAGE],
        "page": page,
        "has_next": todos.count() > page * PER_PAGE,
    }
    return render(request, "todos/todo_list.html", context)


def todo_detail(request, pk):
    todo = Todo.objects.get(pk=pk)
    return render(request, "todos/todo_detail.html", {"todo": todo})
