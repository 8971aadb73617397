"""The todos, kept in memory for now: they are lost whenever the app restarts.

Lesson 07 moves them into a database.
"""

from itertools import count
from threading import Lock

TODOS: list[dict] = []

_next_id = count(1)
_lock = Lock()  # the server answers several requests at once, in threads


def add_todo(title: str) -> dict:
    """Store a new todo and return it."""
    with _lock:
        todo = {"id": next(_next_id), "title": title, "done": False}
        TODOS.append(todo)
    return todo


def find_todo(todo_id: int) -> dict | None:
    """The todo with this id, or None."""
    return next((todo for todo in TODOS if todo["id"] == todo_id), None)


def delete_todo(todo_id: int) -> bool:
    """Remove the todo with this id; False when there was none."""
    with _lock:
        todo = find_todo(todo_id)
        if todo is None:
            return False
        TODOS.remove(todo)
    return True


add_todo("Learn how routes work")
add_todo("Write a template")
