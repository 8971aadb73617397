"""The bookmarks API: an application factory, as in Flask's tutorial."""

from flask import Flask
from werkzeug.exceptions import HTTPException

from .extensions import db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    # No SECRET_KEY: the API keeps no session, a token comes with every request.
    # A relative SQLite path lives in the instance folder, instance/bookmarks.sqlite3.
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///bookmarks.sqlite3")
    if test_config is not None:
        app.config.update(test_config)

    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        # An API answers its errors in JSON too, in DRF's shape: {"detail": "..."}.
        # abort(404) and db.get_or_404() land here; so does abort(403, description=...).
        return {"detail": error.description}, error.code

    from . import api, commands

    app.register_blueprint(api.bp)
    commands.init_app(app)
    return app
