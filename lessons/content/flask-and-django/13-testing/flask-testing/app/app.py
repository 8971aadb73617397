"""A small todo app (correct, read-only in this exercise). create_app() is an
application factory: the server calls it once, and every test calls it again with its
own configuration and its own database."""

import os

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import StringField
from wtforms.validators import DataRequired, Length

PER_PAGE = 5
MAX_TITLE = 100


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Todo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(db.String(MAX_TITLE))


class TodoForm(FlaskForm):
    # DataRequired refuses an empty title and one made only of spaces alike.
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])


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
        return redirect(url_for("todos.todo_detail", todo_id=todo.id))

    # Newest first, PER_PAGE todos a page. db.paginate() reads ?page=N (1 is the first
    # page) and answers 404 for a page that is not a number, below 1 or after the last.
    pagination = db.paginate(select(Todo).order_by(Todo.id.desc()), per_page=PER_PAGE)
    return render_template(
        "todo_list.html",
        form=form,
        todos=pagination.items,
        page=pagination.page,
        has_next=pagination.has_next,
    )


@bp.route("/todos/<int:todo_id>/")
def todo_detail(todo_id):
    todo = db.get_or_404(Todo, todo_id)
    return render_template("todo_detail.html", todo=todo)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # For learning only: a real deployment sets SECRET_KEY in the environment.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI="sqlite:///todo.sqlite3",
    )
    if test_config is not None:
        app.config.update(test_config)

    db.init_app(app)
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
    return app
