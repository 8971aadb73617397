"""URL configuration: the same paths as the Flask version, without trailing slashes."""

from django.urls import path
from todos import views

urlpatterns = [
    path("api/todos", views.todo_list, name="api_todo_list"),
    path("api/todos/<int:todo_id>", views.todo_detail, name="api_todo_detail"),
]
