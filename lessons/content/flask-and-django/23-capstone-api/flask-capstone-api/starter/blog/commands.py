"""flask --app blog seed: make the tables and fill them with the sample data."""

from datetime import datetime

import click

from .extensions import db
from .models import Post, User

# username, password, API token (what a client sends as "Authorization: Token <key>").
USERS = [
    ("alice", "alice-writes-2026", "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"),
    ("bob", "bob-writes-2026", "6d7c3e0f2b8a41c59e1d0a7b3c6f9e2d4a8b1c5e"),
]

# In the order they were imported: ids do not follow the dates.
POSTS = [
    ("Hello, Duet", "alice", "2026-01-03T09:00:00", "The first post of this blog: one app, written twice."),
    ("Why I write tests first", "bob", "2026-01-10T14:30:00", "A failing test is a to-do list that checks itself."),
    (
        "Templates without tears",
        "alice",
        "2026-01-07T08:15:00",
        "Jinja and the Django template language escape what you print.",
    ),
    ("A week with SQLite", "bob", "2026-01-15T18:00:00", "One file, no server, and more than enough for a blog."),
    (
        "Migrations, explained",
        "alice",
        "2026-01-12T10:00:00",
        "A migration is a change to the schema, written down in order.",
    ),
    ("Forms and CSRF", "bob", "2026-01-20T12:00:00", "Every form that changes something carries a token."),
    ("The admin site", "alice", "2026-01-18T16:45:00", "Django writes it for you; Flask-Admin comes close."),
    ("Sessions and cookies", "bob", "2026-01-25T09:30:00", "A signed cookie in Flask, a database row in Django."),
    ("An old post, imported", "alice", "2025-12-20T07:00:00", "Imported last from the old blog, but written first."),
    (
        "Blueprints or apps?",
        "bob",
        "2026-01-28T11:00:00",
        "Two names for one idea: a part of a site with its own views.",
    ),
    ("Paginating a list", "alice", "2026-02-02T13:00:00", "Five at a time, with a link to the next five."),
    ("Shipping it", "bob", "2026-02-05T17:20:00", "Waitress, a real secret key and DEBUG off."),
]


@click.command("seed")
def seed_command():
    """Drop and create the tables, then add the sample users and posts."""
    db.drop_all()
    db.create_all()
    users = {}
    for username, password, token in USERS:
        user = User(username=username, email=f"{username}@example.com", api_token=token)
        user.set_password(password)
        users[username] = user
    db.session.add_all(users.values())
    for title, author, published, body in POSTS:
        db.session.add(Post(title=title, body=body, author=users[author], published=datetime.fromisoformat(published)))
    db.session.commit()
    click.echo(f"Seeded {len(USERS)} users and {len(POSTS)} posts.")


def init_app(app):
    app.cli.add_command(seed_command)
