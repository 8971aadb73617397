"""Tests for the todos app: they pass on it and fail on each buggy version. Run them
from the folder that holds manage.py with:

    python manage.py test -v 2
"""

from django.test import TestCase

from .models import Todo

# Added oldest first, so "Water plants" is the newest todo and "Buy milk" the oldest.
TITLES = ["Buy milk", "Call mum", "Fix bike", "Pay rent", "Read book", "Water plants"]


class TodoListTests(TestCase):
    """The list, five todos a page, newest first."""

    @classmethod
    def setUpTestData(cls):
        # Runs once for the class; each test still sees exactly these six todos,
        # because TestCase rolls back whatever a test changes.
        for title in TITLES:
            Todo.objects.create(title=title)

    def test_page_one_shows_the_five_newest_todos(self):
        response = self.client.get("/todos/")

        for title in TITLES[1:]:
            self.assertContains(response, title)
        self.assertNotContains(response, "Buy milk")

    def test_the_newest_todo_comes_first(self):
        text = self.client.get("/todos/").content.decode()

        self.assertLess(text.index("Water plants"), text.index("Read book"))
        self.assertLess(text.index("Read book"), text.index("Call mum"))

    def test_page_two_shows_only_the_sixth_newest(self):
        response = self.client.get("/todos/", {"page": 2})

        self.assertContains(response, "Buy milk")
        self.assertNotContains(response, "Call mum")

    def test_a_page_that_does_not_exist_is_not_found(self):
        for page in [3, 0, -1, "two"]:
            with self.subTest(page=page):
                response = self.client.get("/todos/", {"page": page})

                self.assertEqual(response.status_code, 404)


class TodoDetailTests(TestCase):
    """One todo's page."""

    def test_a_todo_page_shows_its_title(self):
        todo = Todo.objects.create(title="Buy milk")

        response = self.client.get(f"/todos/{todo.pk}/")

        self.assertContains(response, "Buy milk")

    def test_an_unknown_todo_is_not_found(self):
        response = self.client.get("/todos/999/")

        self.assertEqual(response.status_code, 404)


class AddTodoTests(TestCase):
    """Adding a todo. (The test client skips CSRF checks unless you ask for them.)"""

    def test_adding_a_todo_redirects_to_its_page(self):
        response = self.client.post("/todos/", {"title": "Buy milk"})

        todo = Todo.objects.get()
        self.assertEqual(todo.title, "Buy milk")
        self.assertRedirects(response, f"/todos/{todo.pk}/")

    def test_a_blank_title_adds_no_todo(self):
        for title in ["", "   ", "\t\n"]:
            with self.subTest(title=title):
                response = self.client.post("/todos/", {"title": title})

                self.assertContains(response, "This field is required.")
                self.assertFalse(Todo.objects.exists())

    def test_a_title_of_exactly_100_characters_is_added(self):
        response = self.client.post("/todos/", {"title": "x" * 100})

        self.assertEqual(response.status_code, 302)
        self.assertEqual(Todo.objects.get().title, "x" * 100)

    def test_a_title_of_101_characters_adds_no_todo(self):
        response = self.client.post("/todos/", {"title": "x" * 101})

        self.assertEqual(response.status_code, 200)
        self.assertFalse(Todo.objects.exists())
