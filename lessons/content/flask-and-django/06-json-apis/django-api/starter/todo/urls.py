"""URL configuration: the same paths as the Flask version.

The pages end with a slash; the API's URLs do not, as is usual for JSON APIs.
"""

from django.urls import path
from todos import api, views

urlpatterns = [
    path("todos/", views.todo_list, name="todo_list"),
    path("todos/new/", views.todo_new, name="todo_new"),
    path("api/todos", api.todo_list, name="api_todo_list"),
    path("api/todos/<int:todo_id>", api.todo_detail, name="api_todo_detail"),
]
