"""URL configuration: Django sends each request to the first pattern that matches."""
from django.urls import path  # noqa: F401  (you will need it)

from . import views  # noqa: F401  (you will need it)

urlpatterns = [
    # TODO: send the site's root URL, "/", to views.home
]
