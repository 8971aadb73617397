"""The todo app as a package. create_app() is the application factory: it builds and
returns a new app each time it is called, so a test can make one with its own config."""

from flask import Flask

from .models import csrf, db


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # For learning only. A real app reads its secret key from the environment.
        SECRET_KEY="flask-insecure-duet-course-dev-key-not-for-production",  # noqa: S106
        # A relative SQLite path: Flask-SQLAlchemy puts the file in the instance/ folder.
        SQLALCHEMY_DATABASE_URI="sqlite:///todo.sqlite3",
    )
    if config is not None:
        # Settings passed in win, e.g. create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
        app.config.update(config)

    # The extensions were created without an app (in models.py); bind them to this one.
    db.init_app(app)
    csrf.init_app(app)

    # Imported here, not at the top: the blueprints are parts of this app.
    from . import pages, todos

    app.register_blueprint(pages.bp)
    app.register_blueprint(todos.bp)

    with app.app_context():
        db.create_all()

    return app
