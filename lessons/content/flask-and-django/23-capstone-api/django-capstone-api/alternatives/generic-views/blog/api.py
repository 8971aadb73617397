"""The blog's JSON API, as DRF's generic views, each with its own settings."""

from rest_framework import generics, permissions
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination

from .models import Post
from .serializers import PostSerializer


class FivePerPage(PageNumberPagination):
    page_size = 5


class AuthorWrites(permissions.BasePermission):
    """Reads for anyone; writes for a signed-in client, and only to its own posts."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.author_id == request.user.pk


class PostAPIMixin:
    queryset = Post.objects.select_related("author").order_by("-published", "-pk")
    serializer_class = PostSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [AuthorWrites]


class PostList(PostAPIMixin, generics.ListCreateAPIView):
    pagination_class = FivePerPage

    def perform_create(self, serializer):
        serializer.save(author=self.request.user)


class PostDetail(PostAPIMixin, generics.RetrieveUpdateDestroyAPIView):
    pass
