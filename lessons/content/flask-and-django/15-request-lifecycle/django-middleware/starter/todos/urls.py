from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "todos"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="todos:list")),
    path("todos/", views.todo_list, name="list"),
    path("boom/", views.boom, name="boom"),
]
