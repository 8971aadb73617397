from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.generic.edit import FormView

from .forms import TodoForm
from .store import TODOS, add_todo


def todo_list(request):
    return render(request, "todos/list.html", {"todos": TODOS})


class TodoNewView(FormView):
    """GET shows the form; POST binds and validates it, and an invalid form is shown again, bound."""

    template_name = "todos/new.html"
    form_class = TodoForm
    success_url = reverse_lazy("todo_list")  # Post/Redirect/Get
    http_method_names = ["get", "post"]

    def form_valid(self, form):
        add_todo(form.cleaned_data["title"])
        return super().form_valid(form)


todo_new = TodoNewView.as_view()
