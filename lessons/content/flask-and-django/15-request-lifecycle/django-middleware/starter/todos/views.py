from django.shortcuts import redirect, render

from .forms import TodoForm
from .models import Todo


def todo_list(request):
    form = TodoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # TODO: leave the next page a one-time message, "Added <title>."
        return redirect("todos:list")

    todos = Todo.objects.order_by("-id")
    return render(request, "todos/todo_list.html", {"form": form, "todos": todos})


def boom(request):
    # A bug on purpose, as a real one would be: a typo, a database that went away.
    raise RuntimeError("this view fails on purpose")
