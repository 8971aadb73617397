from django.conf import settings
from django.db import models


class Bookmark(models.Model):
    title = models.CharField(max_length=100)
    link = models.URLField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")

    class Meta:
        # Pages must not shift between two requests: the oldest first, by id.
        ordering = ["id"]

    def __str__(self):
        return self.title
