"""The project's URLconf: Django sends each request to the first pattern that matches."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
]
