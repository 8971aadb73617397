from rest_framework import viewsets

from .models import Bookmark
from .permissions import IsAuthorOrReadOnly
from .serializers import BookmarkSerializer


class BookmarkViewSet(viewsets.ModelViewSet):
    queryset = Bookmark.objects.select_related("owner")
    serializer_class = BookmarkSerializer
    permission_classes = [IsAuthorOrReadOnly]

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)
