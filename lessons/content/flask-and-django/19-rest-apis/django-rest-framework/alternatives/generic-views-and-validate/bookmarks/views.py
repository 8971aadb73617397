from rest_framework import generics, permissions

from .models import Bookmark
from .permissions import IsAuthorOrReadOnly
from .serializers import BookmarkSerializer


class BookmarkList(generics.ListCreateAPIView):
    queryset = Bookmark.objects.select_related("owner").order_by("id")
    serializer_class = BookmarkSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class BookmarkDetail(generics.RetrieveUpdateDestroyAPIView):
    queryset = Bookmark.objects.select_related("owner")
    serializer_class = BookmarkSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]
