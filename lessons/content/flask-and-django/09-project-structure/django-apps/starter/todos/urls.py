"""The todos app's URLs, written from the app's own root: the project's urls.py decides
where the app lives by including this module (under todos/)."""

from django.urls import path

from . import views

app_name = "todos"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:todo_id>/", views.detail, name="detail"),
]
