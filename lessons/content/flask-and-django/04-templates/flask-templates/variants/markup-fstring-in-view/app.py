"""Todo: the list and the todo pages, rendered from templates."""

from flask import Flask, abort, render_template, request
from markupsafe import Markup

app = Flask(__name__)

# The todos, by id. A database replaces this dict in a later lesson.
TODOS = {
    1: "Buy milk",
    2: "Water the plants",
    3: "Read about <script> tags",
}


@app.route("/todos/")
def todo_list():
    query = request.args.get("q", "").strip()
    todos = [{"id": todo_id, "title": title} for todo_id, title in TODOS.items() if query.lower() in title.lower()]
    # The heading's markup lives in the template, where {{ query }} is escaped.
    heading = Markup(f"Results for <em>{query}</em>") if query else "All todos"
    return render_template("todo_list.html", todos=todos, query=query, heading=heading)


@app.route("/todos/<int:todo_id>/")
def todo_detail(todo_id):
    if todo_id not in TODOS:
        abort(404)
    return render_template("todo_detail.html", todo={"id": todo_id, "title": TODOS[todo_id]})


if __name__ == "__main__":
    app.run()
