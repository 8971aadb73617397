from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="notes:list")),
    path("notes/", include("notes.urls")),
]
