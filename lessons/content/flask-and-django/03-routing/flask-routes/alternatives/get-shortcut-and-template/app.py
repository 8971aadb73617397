"""Todo: a list of todos and a page for each, kept in memory for now."""

from flask import Flask, abort, render_template_string

app = Flask(__name__)

# The todos, by id. A database replaces this dict in a later lesson.
TODOS = {
    1: "Buy milk",
    2: "Water the plants",
    3: "Learn routing",
}

LIST = """<h1>Todos</h1>
<ul>
{% for todo_id, title in todos.items() %}
  <li><a href="{{ url_for('todo_detail', todo_id=todo_id) }}">{{ title }}</a></li>
{% endfor %}
</ul>"""

DETAIL = """<h1>{{ title }}</h1>
<p><a href="{{ url_for('todo_list') }}">All todos</a></p>"""


@app.get("/todos/")
def todo_list():
    return render_template_string(LIST, todos=TODOS)


@app.get("/todos/<int:todo_id>/")
def todo_detail(todo_id):
    if todo_id not in TODOS:
        abort(404)
    return render_template_string(DETAIL, title=TODOS[todo_id])


if __name__ == "__main__":
    app.run()
