"""The todo app: a list of todos and a form to add one."""

from flask import Flask, redirect, render_template, url_for  # noqa: F401  (you will need them)
from forms import TodoForm
from store import TODOS, add_todo  # noqa: F401  (you will need add_todo)

app = Flask(__name__)
# Flask-WTF signs its CSRF tokens with the secret key.
# For learning only: a real app reads its secret key from the environment.
app.config["SECRET_KEY"] = "dev-only-not-a-secret-change-me"  # noqa: S105


@app.route("/todos/")
def todo_list():
    return render_template("todos/list.html", todos=TODOS)


@app.route("/todos/new/")
def todo_new():
    form = TodoForm()
    # TODO: accept POST too. When the submitted form is valid, store the todo
    # with add_todo() and redirect to the list; otherwise show the form again.
    return render_template("todos/new.html", form=form)


if __name__ == "__main__":
    app.run()
