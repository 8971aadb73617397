"""URL configuration: the same paths as the Flask version, with trailing slashes."""

from django.urls import path
from todos import views

urlpatterns = [
    path("todos/", views.todo_list, name="todo_list"),
    path("todos/new/", views.todo_new, name="todo_new"),
]
