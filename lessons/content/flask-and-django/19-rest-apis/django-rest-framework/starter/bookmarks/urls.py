from rest_framework.routers import DefaultRouter

router = DefaultRouter()
# TODO: register BookmarkViewSet as "bookmarks".

urlpatterns = router.urls
