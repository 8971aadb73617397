from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "attachments"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="attachments:list")),
    path("attachments/", views.attachment_list, name="list"),
    path("attachments/<int:pk>/", views.attachment_download, name="download"),
]
