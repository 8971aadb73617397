"""The "todos" blueprint: the todo list. Its routes are written from its own root, "/";
the app decides where the whole blueprint lives when it registers it (under /todos/)."""

from flask import Blueprint, redirect, render_template, request, url_for

from .models import Todo, db

bp = Blueprint("todos", __name__)


@bp.get("/")
def index():
    todos = db.session.scalars(db.select(Todo).order_by(Todo.id)).all()
    return render_template("todos/index.html", todos=todos)


@bp.post("/")
def create():
    title = request.form.get("title", "").strip()
    if title:
        db.session.add(Todo(title=title))
        db.session.commit()
    # ".index" is this blueprint's own index: "todos.index", whatever the prefix.
    return redirect(url_for(".index"))


@bp.get("/<int:todo_id>/")
def detail(todo_id):
    todo = db.get_or_404(Todo, todo_id)
    return render_template("todos/detail.html", todo=todo)
