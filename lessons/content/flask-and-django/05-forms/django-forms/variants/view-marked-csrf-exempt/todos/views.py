from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .forms import TodoForm
from .store import TODOS, add_todo


def todo_list(request):
    return render(request, "todos/list.html", {"todos": TODOS})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def todo_new(request):
    if request.method == "POST":
        form = TodoForm(request.POST)
        if form.is_valid():
            add_todo(form.cleaned_data["title"])
            # Post/Redirect/Get: reloading the list will not send the form again.
            return redirect("todo_list")
    else:
        form = TodoForm()
    return render(request, "todos/new.html", {"form": form})
