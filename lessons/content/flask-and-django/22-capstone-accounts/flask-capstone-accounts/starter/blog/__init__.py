"""The blog: an application factory, as in Flask's tutorial."""

from flask import Flask

from .extensions import csrf, db, login_manager  # noqa: F401 (csrf and login_manager are yours to bind)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # A development key: a real site reads its key from the environment.
        SECRET_KEY="dev",
        # A relative SQLite path lives in the instance folder, instance/blog.sqlite3.
        SQLALCHEMY_DATABASE_URI="sqlite:///blog.sqlite3",
    )
    if test_config is not None:
        app.config.update(test_config)

    db.init_app(app)
    # TODO: bind login_manager and csrf to the app, and tell login_manager the
    # endpoint of the sign-in view, so that @login_required redirects there.

    from . import commands, posts

    # TODO: register the auth blueprint (blog/auth.py) too.
    app.register_blueprint(posts.bp)
    commands.init_app(app)
    return app
