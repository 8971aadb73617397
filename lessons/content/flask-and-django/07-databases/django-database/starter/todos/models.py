"""The todos app's models: each class is a table, each field a column."""

from django.db import models


class Todo(models.Model):
    # Django adds the primary key, "id", by itself.
    title = models.CharField(max_length=100)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title

    def to_dict(self) -> dict:
        """The todo as the API shows it."""
        return {"id": self.id, "title": self.title, "done": self.done}
