"""The todo app: HTML pages for people (lesson 05) and a JSON API for programs."""

import store
from flask import Flask, abort, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFProtect
from forms import TodoForm

app = Flask(__name__)
# Flask-WTF signs its CSRF tokens with the secret key.
# For learning only: a real app reads its secret key from the environment.
app.config["SECRET_KEY"] = "dev-only-not-a-secret-change-me"  # noqa: S105
# Refuse every POST, PUT, PATCH and DELETE without a valid token: 400 Bad Request.
csrf = CSRFProtect(app)


# HTML pages, for people with a browser


@app.route("/todos/")
def todo_list():
    return render_template("todos/list.html", todos=store.TODOS)


@app.route("/todos/new/", methods=["GET", "POST"])
def todo_new():
    form = TodoForm()
    if form.validate_on_submit():
        store.add_todo(form.title.data)
        return redirect(url_for("todo_list"))
    return render_template("todos/new.html", form=form)


# The JSON API, for programs


@app.get("/api/todos")
def api_todo_list():
    return store.TODOS  # a list of dicts: Flask sends it as JSON


@app.post("/api/todos")
def api_todo_create():
    # TODO: validate the title, answer 201 Created with a Location header,
    # and 400 with a JSON error for bad input.
    data = request.get_json()
    return store.add_todo(data["title"])


@app.get("/api/todos/<int:todo_id>")
def api_todo_detail(todo_id):
    todo = store.find_todo(todo_id)
    if todo is None:
        abort(404)  # TODO: an API client expects a JSON error, not an HTML page
    return todo


# TODO: PATCH /api/todos/<id> with {"done": true or false}, and DELETE /api/todos/<id>.


if __name__ == "__main__":
    app.run()
