"""flask --app bookmarks seed: make the tables and fill them with the sample data."""

import click

from .extensions import db
from .models import Bookmark, User

USERS = [
    ("alice", "alice-token-2026"),
    ("bob", "bob-token-2026"),
]

# (title, link, owner), in the order of their ids.
BOOKMARKS = [
    ("Django REST framework", "https://www.django-rest-framework.org/", "alice"),
    ("Flask documentation", "https://flask.palletsprojects.com/", "bob"),
    ("marshmallow", "https://marshmallow.readthedocs.io/", "alice"),
    ("HTTP status codes", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Status", "alice"),
    ("Flask-HTTPAuth", "https://flask-httpauth.readthedocs.io/", "bob"),
    ("Django documentation", "https://docs.djangoproject.com/en/5.2/", "alice"),
    ("SQLAlchemy 2.1", "https://docs.sqlalchemy.org/en/21/", "bob"),
    ("RFC 9110: HTTP Semantics", "https://www.rfc-editor.org/rfc/rfc9110", "alice"),
    ("JSON", "https://www.json.org/", "bob"),
    ("Flask-SQLAlchemy pagination", "https://flask-sqlalchemy.readthedocs.io/en/stable/pagination/", "alice"),
    ("Waitress", "https://docs.pylonsproject.org/projects/waitress/", "bob"),
    ("Python tutorial", "https://docs.python.org/3/tutorial/", "alice"),
]


@click.command("seed")
def seed_command():
    """Drop and create the tables, then add the sample users and bookmarks."""
    db.drop_all()
    db.create_all()
    users = {username: User(username=username, token=token) for username, token in USERS}
    db.session.add_all(users.values())
    for title, link, owner in BOOKMARKS:
        db.session.add(Bookmark(title=title, link=link, owner=users[owner]))
    db.session.commit()
    click.echo(f"Seeded {len(USERS)} users and {len(BOOKMARKS)} bookmarks.")


def init_app(app):
    app.cli.add_command(seed_command)
