"""The project's URLs: the admin, signing in and out, the JSON API under /api/, and the
blog at the root."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("blog.api_urls")),
    path("", include("blog.urls")),
]
