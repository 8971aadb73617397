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


add_todo("Learn how routes work")
add_todo("Write a template")
