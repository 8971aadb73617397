from django.contrib import messages
from django.shortcuts import render

from .forms import TodoForm
from .models import Todo


def todo_list(request):
    form = TodoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        todo = form.save()
        # Show the message on the page this POST renders.
        messages.success(request, f"Added {todo.title}.")
        form = TodoForm()

    todos = Todo.objects.order_by("-id")
    return render(request, "todos/todo_list.html", {"form": form, "todos": todos})


def boom(request):
    # A bug on purpose, as a real one would be: a typo, a database that went away.
    raise RuntimeError("this view fails on purpose")
