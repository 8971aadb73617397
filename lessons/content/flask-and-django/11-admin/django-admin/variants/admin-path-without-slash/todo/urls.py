"""URL configuration: the todo list at "/" and Django's admin site under "/admin/"."""

from django.contrib import admin
from django.urls import path
from todos import views

urlpatterns = [
    path("admin", admin.site.urls),
    path("", views.todo_list, name="todo_list"),
]
