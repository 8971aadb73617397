"""The project's URLconf: it hands each part of the URL space to an app's urls.py."""

from django.urls import include, path

urlpatterns = [
    path("todos/", include("todos.urls")),
    path("", include("pages.urls")),
]
