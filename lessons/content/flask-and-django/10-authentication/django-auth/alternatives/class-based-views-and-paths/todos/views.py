from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView

from .models import Todo


class TodoListView(LoginRequiredMixin, ListView):
    template_name = "todos/index.html"
    context_object_name = "todos"

    def get_queryset(self):
        # The way back from the user, by the ForeignKey's related_name.
        return self.request.user.todos.order_by("id")

    def post(self, request):
        title = request.POST.get("title", "").strip()[:200]
        if title:
            request.user.todos.create(title=title)
        return redirect("todos:index")


class TodoDetailView(LoginRequiredMixin, DetailView):
    template_name = "todos/detail.html"
    context_object_name = "todo"

    def get_object(self):
        return get_object_or_404(Todo, pk=self.kwargs["todo_id"], owner=self.request.user)


# todos/urls.py routes to views.index and views.detail.
index = TodoListView.as_view()
detail = TodoDetailView.as_view()
