"""Todo: a list of todos and a page for each, kept in memory for now."""

from flask import Flask, abort, url_for
from markupsafe import escape

app = Flask(__name__)

# The todos, by id. A database replaces this dict in a later lesson.
TODOS = {
    1: "Buy milk",
    2: "Water the plants",
    3: "Learn routing",
}


@app.route("/todos/")
def todo_list():
    items = "".join(
        f'<li><a href="{url_for("todo_detail", todo_id=todo_id)}">{escape(title)}</a></li>'
        for todo_id, title in TODOS.items()
    )
    return f"<h1>Todos</h1><ul>{items}</ul>"


@app.route("/todos/<int:todo_id>/")
def todo_detail(todo_id):
    if todo_id > len(TODOS):
        abort(404)
    title = TODOS[todo_id]
    return f'<h1>{escape(title)}</h1><p><a href="{url_for("todo_list")}">All todos</a></p>'


if __name__ == "__main__":
    app.run()
