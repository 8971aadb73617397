"""The API's URLs, included under /api/ by mysite/urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("posts/", api.PostList.as_view(), name="api-post-list"),
    path("posts/<int:pk>/", api.PostDetail.as_view(), name="api-post-detail"),
]
