"""The notes app: an application factory, as in Flask's tutorial."""

from flask import Flask, redirect, url_for

from .extensions import csrf, db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # A development key: a real site reads its key from the environment.
        SECRET_KEY="dev",  # noqa: S106
        # A relative SQLite path lives in the instance folder, instance/notes.sqlite3.
        SQLALCHEMY_DATABASE_URI="sqlite:///notes.sqlite3",
    )
    if test_config is not None:
        app.config.update(test_config)

    db.init_app(app)
    # Every POST must carry the form's CSRF token, the delete button's included.
    csrf.init_app(app)

    from . import commands, views

    app.register_blueprint(views.bp)
    commands.init_app(app)

    @app.get("/")
    def home():
        return redirect(url_for("notes.list"))

    return app
