"""The todo API from lesson 06, with a SQLite database through Flask-SQLAlchemy.

The API has no HTML forms and reads no cookies, so it needs no CSRFProtect.
"""

from datetime import UTC, datetime

from flask import Flask, request, url_for
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

app = Flask(__name__)
# A relative SQLite path is relative to the app's instance folder: instance/todo.sqlite3.
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///todo.sqlite3"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(app, model_class=Base)

MAX_TITLE = 100
WELCOME_TODOS = ["Read the lesson on databases", "Look inside the SQLite file"]


class Todo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(db.String(MAX_TITLE))
    done: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))

    def to_dict(self) -> dict:
        """The todo as the API shows it."""
        return {"id": self.id, "title": self.title, "done": self.done}


with app.app_context():
    db.create_all()  # creates the tables that do not exist yet; never changes existing ones
    if db.session.scalar(db.select(db.func.count()).select_from(Todo)) == 0:
        db.session.add_all([Todo(title=title) for title in WELCOME_TODOS])
        db.session.commit()


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
    # The id breaks ties between todos created in the same instant.
    query = db.select(Todo).order_by(Todo.created_at.desc(), Todo.id.desc())
    done = request.args.get("done")
    if done in ("0", "1"):
        query.where(Todo.done == (done == "1"))
    # Building the query read nothing: it runs here, once.
    todos = db.session.execute(query).scalars()
    return [todo.to_dict() for todo in todos]


@app.post("/api/todos")
def api_todo_create():
    try:
        title = clean_title(request.get_json(silent=True))
    except ValueError as exc:
        return error(str(exc), 400)
    todo = Todo(title=title)
    db.session.add(todo)
    db.session.commit()  # the database gives the todo its id
    return todo.to_dict(), 201, {"Location": url_for("api_todo_detail", todo_id=todo.id)}


@app.get("/api/todos/<int:todo_id>")
def api_todo_detail(todo_id):
    todo = db.session.get(Todo, todo_id)
    if todo is None:
        return error(f"Todo {todo_id} not found.", 404)
    return todo.to_dict()


@app.patch("/api/todos/<int:todo_id>")
def api_todo_update(todo_id):
    todo = db.session.get(Todo, todo_id)
    if todo is None:
        return error(f"Todo {todo_id} not found.", 404)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("done"), bool):
        return error('Send {"done": true} or {"done": false}.', 400)
    todo.done = data["done"]
    db.session.commit()
    return todo.to_dict()


if __name__ == "__main__":
    app.run()
