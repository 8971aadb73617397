"""The todos app's pages in Django's admin site."""

from django.contrib import admin  # noqa: F401  (you will need it)

from .models import Todo  # noqa: F401  (you will need it)

# TODO: register Todo with the admin site, with the columns and search the exercise asks for.
