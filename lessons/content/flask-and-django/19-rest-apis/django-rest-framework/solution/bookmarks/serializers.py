from urllib.parse import urlsplit

from rest_framework import serializers

from .models import Bookmark


class BookmarkSerializer(serializers.ModelSerializer):
    # Shown as the username; never read from the request (perform_create sets it).
    owner = serializers.ReadOnlyField(source="owner.username")

    class Meta:
        model = Bookmark
        fields = ["id", "title", "link", "owner"]

    def validate_link(self, value):
        # URLField accepts ftp:// and ftps:// too; a bookmark is a web page.
        if urlsplit(value).scheme not in ("http", "https"):
            raise serializers.ValidationError("Enter an http:// or https:// URL.")
        return value
