from django.shortcuts import redirect, render  # noqa: F401  (you will need redirect)

from .forms import TodoForm
from .store import TODOS, add_todo  # noqa: F401  (you will need add_todo)


def todo_list(request):
    return render(request, "todos/list.html", {"todos": TODOS})


def todo_new(request):
    form = TodoForm()
    # TODO: on POST, bind the form to the submitted data. When it is valid, store
    # the todo with add_todo() and redirect to the list; otherwise show the form again.
    return render(request, "todos/new.html", {"form": form})
