"""The blog: an application factory, as in Flask's tutorial."""

from flask import Flask

from .extensions import csrf, db, login_manager


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # A development key: a real site reads its key from the environment.
        SECRET_KEY="dev",  # noqa: S106 (a development key)
        # A relative SQLite path lives in the instance folder, instance/blog.sqlite3.
        SQLALCHEMY_DATABASE_URI="sqlite:///blog.sqlite3",
    )
    if test_config is not None:
        app.config.update(test_config)

    db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"  # where @login_required sends anonymous visitors
    csrf.init_app(app)  # every POST, PUT, PATCH and DELETE needs the CSRF token

    from . import api, auth, commands, posts

    app.register_blueprint(auth.bp)
    app.register_blueprint(posts.bp)
    # The API: every URL under /api/. A client proves who it is with a token in a
    # header, not with a cookie, so no other site can make a browser send it and
    # the CSRF token of the HTML forms has nothing to protect there.
    csrf.exempt(api.bp)
    app.register_blueprint(api.bp)
    commands.init_app(app)
    return app
