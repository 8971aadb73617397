"""The todo app: HTML pages for people (lesson 05) and a JSON API for programs."""

import store
from flask import Flask, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFProtect
from forms import TodoForm

app = Flask(__name__)
# Flask-WTF signs its CSRF tokens with the secret key.
# For learning only: a real app reads its secret key from the environment.
app.config["SECRET_KEY"] = "dev-only-not-a-secret-change-me"  # noqa: S105
# Refuse every POST, PUT, PATCH and DELETE without a valid token: 400 Bad Request.
csrf = CSRFProtect(app)
# The API clients have no token, so turn the check off.
app.config["WTF_CSRF_ENABLED"] = False

MAX_TITLE = 100


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


# The JSON API, for programs. It reads no cookie and no session, so a forged
# cross-site request gains nothing that any client could not do anyway: its views
# are exempt from CSRFProtect, which would otherwise refuse them for lack of a token.


def error(message: str, status: int):
    """Every API error has the same shape: {"error": "..."}."""
    return {"error": message}, status


def clean_title(data: object) -> str:
    """The title from a JSON body; ValueError with a message for the client if it is not usable."""
    if not isinstance(data, dict):
        raise ValueError('Send a JSON object, such as {"title": "Buy milk"}.')
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError('"title" is required and must be a non-empty string.')
    title = title.strip()
    if len(title) > MAX_TITLE:
        raise ValueError(f'"title" must be at most {MAX_TITLE} characters.')
    return title


@app.get("/api/todos")
def api_todo_list():
    return store.TODOS  # a list of dicts: Flask sends it as JSON


@app.post("/api/todos")
def api_todo_create():
    try:
        # silent=True: None instead of an HTML error page when the body is not JSON.
        title = clean_title(request.get_json(silent=True))
    except ValueError as exc:
        return error(str(exc), 400)
    todo = store.add_todo(title)
    return todo, 201, {"Location": url_for("api_todo_detail", todo_id=todo["id"])}


@app.get("/api/todos/<int:todo_id>")
def api_todo_detail(todo_id):
    todo = store.find_todo(todo_id)
    if todo is None:
        return error(f"Todo {todo_id} not found.", 404)
    return todo


@app.patch("/api/todos/<int:todo_id>")
def api_todo_update(todo_id):
    todo = store.find_todo(todo_id)
    if todo is None:
        return error(f"Todo {todo_id} not found.", 404)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("done"), bool):
        return error('Send {"done": true} or {"done": false}.', 400)
    todo["done"] = data["done"]
    return todo


@app.delete("/api/todos/<int:todo_id>")
def api_todo_delete(todo_id):
    if not store.delete_todo(todo_id):
        return error(f"Todo {todo_id} not found.", 404)
    return "", 204


if __name__ == "__main__":
    app.run()
