"""What a post looks like in JSON, and what a client may send: DRF serializers."""

from django.contrib.auth.models import User
from rest_framework import serializers

from .models import Post


class PostSerializer(serializers.ModelSerializer):
    # The username; perform_create() puts request.user in it on create.
    author = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), required=False)

    class Meta:
        model = Post
        fields = ["id", "title", "body", "author", "published"]
        read_only_fields = ["published"]
