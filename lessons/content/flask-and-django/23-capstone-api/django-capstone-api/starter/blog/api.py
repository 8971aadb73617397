"""The blog's JSON API: views and a permission class (blog/api_urls.py routes them)."""

from rest_framework import permissions, viewsets  # noqa: F401 (for your views)

from .models import Post  # noqa: F401 (for your views)

# Import PostSerializer from .serializers once you have written it.

# TODO: a permission class: anyone may read; only a post's author may change or
# delete it (has_object_permission).

# TODO: the views of /api/posts/ (list, newest first, and create: the author is
# request.user) and /api/posts/<pk>/ (read, update, delete): a ModelViewSet, or
# DRF's generic views.
