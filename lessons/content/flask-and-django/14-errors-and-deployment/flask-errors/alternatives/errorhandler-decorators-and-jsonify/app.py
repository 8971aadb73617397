"""The todo app, ready for production: debug off, friendly error pages, errors logged."""

import os
from logging.config import dictConfig

from flask import Blueprint, Flask, jsonify, redirect, render_template, url_for
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import StringField
from wtforms.validators import DataRequired, Length

PER_PAGE = 5

# Configure logging before the app exists, as Flask's docs advise: every record, Flask's
# own included, goes to stderr with a time and a level, where the WSGI server's log
# (and your hosting's log collector) will find it.
dictConfig(
    {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "[%(asctime)s] %(levelname)s in %(module)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
    }
)


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
        return redirect(url_for("todos.todo_detail", todo_id=todo.id))

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


@bp.route("/healthz")
def healthz():
    # For the load balancer: it asks often, so keep it cheap.
    return jsonify(status="ok")


@bp.route("/boom/")
def boom():
    # Fails on purpose, so that you (and Duet) can see what a crash looks like.
    raise RuntimeError("Boom! This view fails on purpose.")


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # For learning only: a real deployment sets SECRET_KEY in the environment.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI="sqlite:///todo.sqlite3",
    )
    # No DEBUG here: debug mode is for your machine only (flask --app app run --debug).
    if test_config is not None:
        app.config.update(test_config)

    db.init_app(app)
    app.register_blueprint(bp)

    @app.errorhandler(404)
    def page_not_found(error):
        return render_template("404.html"), 404

    @app.errorhandler(500)
    def server_error(error):
        return render_template("500.html"), 500

    with app.app_context():
        db.create_all()
    return app
