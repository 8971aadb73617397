"""What a post looks like in JSON, and what a client may send: DRF serializers."""

from rest_framework import serializers

from .models import Post


class PostSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-post-detail")

    class Meta:
        model = Post
        fields = ["id", "url", "title", "body", "author", "published"]
        read_only_fields = ["published"]
