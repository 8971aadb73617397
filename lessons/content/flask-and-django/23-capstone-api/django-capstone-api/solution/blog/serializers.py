"""What a post looks like in JSON, and what a client may send: DRF serializers."""

from rest_framework import serializers

from .models import Post


class PostSerializer(serializers.ModelSerializer):
    # The username, read-only: the view sets the author from the token's user.
    author = serializers.ReadOnlyField(source="author.username")

    class Meta:
        model = Post
        fields = ["id", "title", "body", "author", "published"]
        read_only_fields = ["published"]
