"""URL configuration: the todo list at "/"."""

from django.urls import path
from todos import views

urlpatterns = [
    path("", views.todo_list, name="todo_list"),
]
