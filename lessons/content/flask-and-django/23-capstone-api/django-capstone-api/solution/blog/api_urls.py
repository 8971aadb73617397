"""The API's URLs, included under /api/ by mysite/urls.py."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("posts", api.PostViewSet)  # posts/ and posts/<pk>/
urlpatterns = router.urls
