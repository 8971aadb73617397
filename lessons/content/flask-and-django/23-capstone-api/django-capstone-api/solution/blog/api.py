"""The blog's JSON API: views and a permission class (blog/api_urls.py routes them)."""

from rest_framework import permissions, viewsets

from .models import Post
from .serializers import PostSerializer


class IsAuthorOrReadOnly(permissions.BasePermission):
    """Anyone may read a post; only its author may change or delete it."""

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.author == request.user


class PostViewSet(viewsets.ModelViewSet):
    # Newest first; the pk breaks a tie between two posts of the same second.
    queryset = Post.objects.select_related("author").order_by("-published", "-pk")
    serializer_class = PostSerializer
    # A write without a token: 401. With a token, not the author: 403.
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]

    def perform_create(self, serializer):
        serializer.save(author=self.request.user)
