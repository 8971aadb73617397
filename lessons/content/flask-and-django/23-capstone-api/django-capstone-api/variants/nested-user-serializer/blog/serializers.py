"""What a post looks like in JSON, and what a client may send: DRF serializers."""

from django.contrib.auth.models import User
from rest_framework import serializers

from .models import Post


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = "__all__"


class PostSerializer(serializers.ModelSerializer):
    author = UserSerializer(read_only=True)

    class Meta:
        model = Post
        fields = ["id", "title", "body", "author", "published"]
        read_only_fields = ["published"]
