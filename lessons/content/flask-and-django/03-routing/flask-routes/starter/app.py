"""Todo: a list of todos and a page for each, kept in memory for now."""

from flask import Flask
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
    # TODO: these links still point to the old /todo/<id>/ pages.
    items = "".join(f'<li><a href="/todo/{todo_id}/">{escape(title)}</a></li>' for todo_id, title in TODOS.items())
    return f"<h1>Todos</h1><ul>{items}</ul>"


@app.route("/todos/<todo_id>/")
def todo_detail(todo_id):
    title = TODOS[int(todo_id)]
    return f'<h1>{escape(title)}</h1><p><a href="/todos/">All todos</a></p>'


if __name__ == "__main__":
    app.run()
