"""URL configuration: the todo list at "/". The admin site is not wired in yet."""

from django.urls import path
from todos import views

urlpatterns = [
    path("", views.todo_list, name="todo_list"),
]
