"""Tests for the todo app in app.py, written as unittest.TestCase classes. pytest
finds and runs them too:

    python -m pytest -v        (or: python -m unittest -v)
"""

import re
import tempfile
import unittest
from pathlib import Path

from app import Todo, create_app, db

# The titles of the list's links, in the order the page shows them.
LISTED_TITLE = re.compile(r'<li><a href="[^"]*">([^<]*)</a></li>')


class TodoAppTestCase(unittest.TestCase):
    """Builds a fresh app with its own throwaway SQLite database before every test."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp.name) / 'test.sqlite3'}",
                "WTF_CSRF_ENABLED": False,
            }
        )
        self.addCleanup(self.close_database)
        self.client = self.app.test_client()

    def close_database(self):
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def create_todos(self, *titles):
        """Save todos in this order (so the last one is the newest); return their ids."""
        with self.app.app_context():
            todos = [Todo(title=title) for title in titles]
            db.session.add_all(todos)
            db.session.commit()
            return [todo.id for todo in todos]

    def todo_count(self):
        with self.app.app_context():
            return db.session.query(Todo).count()

    def listed_titles(self, response):
        return LISTED_TITLE.findall(response.get_data(as_text=True))


class TodoListTest(TodoAppTestCase):
    def setUp(self):
        super().setUp()
        # "Todo 1" is the oldest, "Todo 6" the newest.
        self.create_todos(*(f"Todo {n}" for n in range(1, 7)))

    def test_first_page_lists_the_five_newest_newest_first(self):
        response = self.client.get("/todos/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.listed_titles(response),
            ["Todo 6", "Todo 5", "Todo 4", "Todo 3", "Todo 2"],
        )

    def test_second_page_lists_the_oldest(self):
        response = self.client.get("/todos/?page=2")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.listed_titles(response), ["Todo 1"])

    def test_pages_that_do_not_exist_are_404(self):
        for page in ["3", "0", "-1", "two"]:
            with self.subTest(page=page):
                response = self.client.get(f"/todos/?page={page}")
                self.assertEqual(response.status_code, 404)


class EmptyListTest(TodoAppTestCase):
    def test_first_page_of_an_empty_list_is_200(self):
        response = self.client.get("/todos/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.listed_titles(response), [])


class TodoDetailTest(TodoAppTestCase):
    def test_detail_page_shows_the_title(self):
        (todo_id,) = self.create_todos("Buy milk")

        response = self.client.get(f"/todos/{todo_id}/")

        self.assertEqual(response.status_code, 200)
        self.assertIn("Buy milk", response.get_data(as_text=True))

    def test_unknown_id_is_404(self):
        self.create_todos("Buy milk")

        response = self.client.get("/todos/42/")

        self.assertEqual(response.status_code, 404)


class AddTodoTest(TodoAppTestCase):
    def test_valid_title_is_saved_and_redirects_to_the_new_todo(self):
        response = self.client.post("/todos/", data={"title": "Buy milk"})

        self.assertEqual(response.status_code, 302)
        with self.app.app_context():
            todo = db.session.query(Todo).one()
            self.assertEqual(todo.title, "Buy milk")
            self.assertEqual(response.headers["Location"], f"/todos/{todo.id}/")

    def test_title_of_100_characters_is_accepted(self):
        response = self.client.post("/todos/", data={"title": "a" * 100})

        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.todo_count(), 1)

    def test_invalid_titles_are_refused(self):
        cases = {
            "empty": "",
            "spaces": "    ",
            "tab and newline": "\t\n",
            "101 characters": "a" * 101,
        }
        for name, title in cases.items():
            with self.subTest(name):
                response = self.client.post("/todos/", data={"title": title})

                self.assertEqual(response.status_code, 200)
                self.assertIn('class="error"', response.get_data(as_text=True))
                self.assertEqual(self.todo_count(), 0)

    def test_blank_title_says_the_field_is_required(self):
        response = self.client.post("/todos/", data={"title": " "})

        self.assertIn("This field is required.", response.get_data(as_text=True))


if __name__ == "__main__":
    unittest.main()
