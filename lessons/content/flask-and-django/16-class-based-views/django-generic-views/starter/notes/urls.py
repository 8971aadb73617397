from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("", views.NoteList.as_view(), name="list"),
    path("new/", views.NoteCreate.as_view(), name="create"),
    path("<int:pk>/", views.NoteDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.NoteUpdate.as_view(), name="edit"),
    path("<int:pk>/delete/", views.NoteDelete.as_view(), name="delete"),
]
