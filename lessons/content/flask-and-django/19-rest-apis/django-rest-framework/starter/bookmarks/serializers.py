from rest_framework import serializers  # noqa: F401

from .models import Bookmark  # noqa: F401

# TODO: BookmarkSerializer, a ModelSerializer of Bookmark with id, title, link and
# owner (the owner's username, read-only); a title of 1 to 100 characters once
# stripped, and a link that starts with http:// or https://.
