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

    # Many todos, one list. SET_NULL: keep the todos when their list goes.
    # related_name names the way back: todo_list.todos.all().
    todo_list = models.ForeignKey(TodoList, on_delete=models.SET_NULL, null=True, related_name="todos")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title
