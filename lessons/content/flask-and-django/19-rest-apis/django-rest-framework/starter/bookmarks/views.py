from rest_framework import viewsets  # noqa: F401

# TODO: BookmarkViewSet, a ModelViewSet whose new bookmarks belong to the token's user.
