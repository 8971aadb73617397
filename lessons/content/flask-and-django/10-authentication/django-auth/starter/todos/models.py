from django.conf import settings
from django.db import models


class Todo(models.Model):
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    # settings.AUTH_USER_MODEL, not User itself: a project may swap in its own user model.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="todos")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title
