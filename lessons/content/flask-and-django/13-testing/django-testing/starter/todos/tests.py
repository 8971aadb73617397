"""Your tests for the todos app. Run them from the folder that holds manage.py with:

    python manage.py test -v 2

These few only try the happy path: each buggy version of the app that they let
through is a test still to write.
"""

from django.test import TestCase

from .models import Todo


class TodoListTests(TestCase):
    def test_the_list_shows_a_todo(self):
        Todo.objects.create(title="Buy milk")

        response = self.client.get("/todos/")

        self.assertContains(response, "Buy milk")


class AddTodoTests(TestCase):
    """Adding a todo. (The test client skips CSRF checks unless you ask for them.)"""

    def test_adding_a_todo_redirects_to_its_page(self):
        response = self.client.post("/todos/", {"title": "Buy milk"})

        todo = Todo.objects.get()
        self.assertRedirects(response, f"/todos/{todo.pk}/")

    def test_an_empty_title_adds_no_todo(self):
        response = self.client.post("/todos/", {"title": ""})

        self.assertEqual(response.status_code, 200)
        self.assertFalse(Todo.objects.exists())
