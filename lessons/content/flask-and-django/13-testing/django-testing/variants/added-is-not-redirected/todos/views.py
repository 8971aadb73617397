from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .forms import TodoForm
from .models import Todo

PER_PAGE = 5


def todo_list(request):
    form = TodoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        todo = form.save()
        return render(request, "todos/todo_detail.html", {"todo": todo})

    # Newest first, PER_PAGE todos a page; ?page=1 is the first page. Paginator.page()
    # raises InvalidPage for a page that is not a number, below 1 or after the last.
    paginator = Paginator(Todo.objects.order_by("-id"), PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page.") from None
    context = {
        "form": form,
        "todos": page.object_list,
        "page": page.number,
        "has_next": page.has_next(),
    }
    return render(request, "todos/todo_list.html", context)


def todo_detail(request, pk):
    todo = get_object_or_404(Todo, pk=pk)
    return render(request, "todos/todo_detail.html", {"todo": todo})
