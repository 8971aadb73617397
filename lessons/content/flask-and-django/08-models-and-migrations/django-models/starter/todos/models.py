"""The models: what a list and a todo are, in Python. `makemigrations` turns their
changes into files in todos/migrations/, and `migrate` applies those to the database."""

from django.db import models


class TodoList(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Todo(models.Model):
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)

    # TODO: every todo belongs to one list: a foreign key called todo_list, whose
    # reverse accessor on TodoList is called todos. Deleting a list deletes its todos.

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title
