"""The API's URLs, included under /api/ by mysite/urls.py."""

from . import api  # noqa: F401 (for your routes)

# TODO: route posts/ and posts/<pk>/ to the views of blog/api.py (a DefaultRouter
# does both for a viewset).
urlpatterns = []
