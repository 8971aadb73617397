"""Your tests for the todo app in app.py. Run them from this folder with:

    python -m pytest -v

These few only try the happy path: each buggy version of the app that they let
through is a test still to write.
"""

import pytest
from app import Todo, create_app, db


@pytest.fixture
def app(tmp_path):
    """A fresh app for each test, with its own throwaway database."""
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "WTF_CSRF_ENABLED": False,  # the test client cannot read CSRF tokens like a browser
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


def add_todo(app, title):
    """Arrange: save a todo straight into the test database; return its id."""
    with app.app_context():
        todo = Todo(title=title)
        db.session.add(todo)
        db.session.commit()
        return todo.id


def count_todos(app):
    with app.app_context():
        return len(db.session.scalars(db.select(Todo)).all())


def test_the_list_shows_a_todo(app, client):
    add_todo(app, "Buy milk")

    response = client.get("/todos/")

    assert response.status_code == 200
    assert "Buy milk" in response.text


def test_adding_a_todo_redirects_to_its_page(app, client):
    response = client.post("/todos/", data={"title": "Buy milk"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/todos/1/"


def test_an_empty_title_adds_no_todo(app, client):
    response = client.post("/todos/", data={"title": ""})

    assert response.status_code == 200
    assert count_todos(app) == 0
