"""The bookshop: an application factory, as in Flask's tutorial."""

from flask import Flask

from .extensions import db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # A relative SQLite path lives in the instance folder, instance/shop.sqlite3.
        SQLALCHEMY_DATABASE_URI="sqlite:///shop.sqlite3",
    )
    if test_config is not None:
        app.config.update(test_config)

    db.init_app(app)

    from . import commands, querycount, views

    app.register_blueprint(views.bp)
    querycount.init_app(app)
    commands.init_app(app)
    return app
