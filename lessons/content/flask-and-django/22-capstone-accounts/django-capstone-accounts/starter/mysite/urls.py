"""The project's URLs: the admin, signing in and out, and the blog at the root."""

from django.contrib import admin
from django.urls import include, path

# TODO: route login/ and logout/ to Django's LoginView and LogoutView
# (django.contrib.auth.views), named "login" and "logout": the templates link to them.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("blog.urls")),
]
