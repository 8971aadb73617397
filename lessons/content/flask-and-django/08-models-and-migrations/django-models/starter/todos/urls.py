from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/<int:list_id>/", views.list_detail, name="list_detail"),
    path("lists/<int:list_id>/todos/", views.todo_create, name="todo_create"),
    path("lists/<int:list_id>/delete/", views.list_delete, name="list_delete"),
    path("todos/<int:todo_id>/", views.todo_detail, name="todo_detail"),
]
