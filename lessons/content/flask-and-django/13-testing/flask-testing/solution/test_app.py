"""Tests for the todo app in app.py: they pass on it and fail on each buggy version.
Run them from this folder with:

    python -m pytest -v
"""

import pytest
from app import Todo, create_app, db

# Added oldest first, so "Water plants" is the newest todo and "Buy milk" the oldest.
TITLES = ["Buy milk", "Call mum", "Fix bike", "Pay rent", "Read book", "Water plants"]


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


@pytest.fixture
def six_todos(app):
    for title in TITLES:
        add_todo(app, title)


def add_todo(app, title):
    """Arrange: save a todo straight into the test database; return its id."""
    with app.app_context():
        todo = Todo(title=title)
        db.session.add(todo)
        db.session.commit()
        return todo.id


def saved_titles(app):
    with app.app_context():
        return db.session.scalars(db.select(Todo.title)).all()


# The list: newest first, five a page


def test_page_one_shows_the_five_newest_todos(client, six_todos):
    response = client.get("/todos/")

    assert response.status_code == 200
    for title in TITLES[1:]:
        assert title in response.text
    assert "Buy milk" not in response.text


def test_the_newest_todo_comes_first(client, six_todos):
    text = client.get("/todos/").text

    assert text.index("Water plants") < text.index("Read book") < text.index("Call mum")


def test_page_two_shows_only_the_sixth_newest(client, six_todos):
    response = client.get("/todos/", query_string={"page": 2})

    assert response.status_code == 200
    assert "Buy milk" in response.text
    assert "Call mum" not in response.text


@pytest.mark.parametrize("page", [3, 0, -1, "two"])
def test_a_page_that_does_not_exist_is_not_found(client, six_todos, page):
    response = client.get("/todos/", query_string={"page": page})

    assert response.status_code == 404


# One todo's page


def test_a_todo_page_shows_its_title(app, client):
    todo_id = add_todo(app, "Buy milk")

    response = client.get(f"/todos/{todo_id}/")

    assert response.status_code == 200
    assert "Buy milk" in response.text


def test_an_unknown_todo_is_not_found(client):
    response = client.get("/todos/999/")

    assert response.status_code == 404


# Adding a todo


def test_adding_a_todo_redirects_to_its_page(app, client):
    response = client.post("/todos/", data={"title": "Buy milk"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/todos/1/"
    assert saved_titles(app) == ["Buy milk"]


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_a_blank_title_adds_no_todo(app, client, title):
    response = client.post("/todos/", data={"title": title})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert saved_titles(app) == []


def test_a_title_of_exactly_100_characters_is_added(app, client):
    response = client.post("/todos/", data={"title": "x" * 100})

    assert response.status_code == 302
    assert saved_titles(app) == ["x" * 100]


def test_a_title_of_101_characters_adds_no_todo(app, client):
    response = client.post("/todos/", data={"title": "x" * 101})

    assert response.status_code == 200
    assert saved_titles(app) == []
