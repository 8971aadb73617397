"""The project's URLconf: Django sends each request to the first pattern that matches."""

from django.urls import path

from . import views

urlpatterns = [
    path("todos/", views.todo_list, name="todo_list"),
    path("todos/<int:todo_id>", views.todo_detail, name="todo_detail"),
]
