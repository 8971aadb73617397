"""The todo app, followed from one end of a request to the other.

It works: the list, the form, the 404 and 500 pages. What it lacks is what happens
around each view: a request id and a timing on every answer, and a message after a
todo is added. /boom/ fails on purpose, so that you can see what a 500 goes through."""

import os
import re
import time
import uuid

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Todo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(db.String(100))


class TodoForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=100)])


bp = Blueprint("todos", __name__)


@bp.route("/")
def home():
    return redirect(url_for("todos.todo_list"))


@bp.route("/todos/", methods=["GET", "POST"])
def todo_list():
    form = TodoForm()
    if form.validate_on_submit():
        todo = Todo(title=form.title.data)
        db.session.add(todo)
        db.session.commit()
        # Kept in the session until the next page reads it: then it is gone.
        flash(f"Added {todo.title}.")
        return redirect(url_for("todos.todo_list"), code=303)

    todos = db.session.scalars(select(Todo).order_by(Todo.id.desc())).all()
    return render_template("todo_list.html", form=form, todos=todos)


@bp.route("/boom/")
def boom():
    # A bug on purpose, as a real one would be: a typo, a database that went away.
    raise RuntimeError("this view fails on purpose")


# What a client may send as its own request id; anything else gets a fresh one, so that
# nobody can write what they like into the logs.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
FRESH_REQUEST_ID = uuid.uuid4().hex


def start_request():
    """Before any view, for every request: start the clock and settle the request id."""
    g.started = time.perf_counter()
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = sent if VALID_REQUEST_ID.fullmatch(sent) else FRESH_REQUEST_ID


def add_lifecycle_headers(response):
    """After the view, or the 404 or 500 page that replaced it: label the answer."""
    elapsed_ms = (time.perf_counter() - g.started) * 1000
    response.headers["X-Request-ID"] = g.request_id
    response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
    return response


def page_not_found(error):
    return render_template("404.html"), 404


def server_error(error):
    # Flask has already logged the exception, with its traceback, on app.logger.
    return render_template("500.html"), 500


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # For learning only: a real deployment sets SECRET_KEY in the environment.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI="sqlite:///todo.sqlite3",
    )
    if test_config is not None:
        app.config.update(test_config)

    # On the app, not the blueprint: a blueprint's hooks run only for its own views, and
    # a 404 for an unknown URL belongs to none.
    app.before_request(start_request)
    app.after_request(add_lifecycle_headers)

    db.init_app(app)
    app.register_blueprint(bp)
    app.register_error_handler(404, page_not_found)
    app.register_error_handler(500, server_error)
    with app.app_context():
        db.create_all()
    return app
