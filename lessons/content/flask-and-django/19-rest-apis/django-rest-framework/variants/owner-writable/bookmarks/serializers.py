from urllib.parse import urlsplit

from django.contrib.auth.models import User
from rest_framework import serializers

from .models import Bookmark


class BookmarkSerializer(serializers.ModelSerializer):
    # Shown as the username; perform_create sets it on a POST.
    owner = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), required=False)

    class Meta:
        model = Bookmark
        fields = ["id", "title", "link", "owner"]

    def validate_link(self, value):
        # URLField accepts ftp:// and ftps:// too; a bookmark is a web page.
        if urlsplit(value).scheme not in ("http", "https"):
            raise serializers.ValidationError("Enter an http:// or https:// URL.")
        return value
