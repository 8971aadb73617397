from rest_framework import serializers

from .models import Bookmark


class BookmarkSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Bookmark
        fields = ["id", "title", "link", "owner"]

    def validate(self, attrs):
        link = attrs.get("link")
        if link is not None and not link.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError({"link": ["Only http:// and https:// links."]})
        return attrs
