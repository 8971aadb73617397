"""flask --app shop seed: make the tables and fill them with the sample data."""

import click

from .extensions import db
from .models import Author, Book, Tag

AUTHORS = ["Ursula K. Le Guin", "Terry Pratchett", "Mary Shelley", "Octavia E. Butler", "Italo Calvino"]

# title, author, stock, tags
BOOKS = [
    ("A Wizard of Earthsea", "Ursula K. Le Guin", 5, ["fantasy", "classic"]),
    ("The Left Hand of Darkness", "Ursula K. Le Guin", 3, ["sci-fi", "classic"]),
    ("The Dispossessed", "Ursula K. Le Guin", 2, ["sci-fi"]),
    ("Mort", "Terry Pratchett", 4, ["fantasy", "humour"]),
    ("Small Gods", "Terry Pratchett", 1, ["fantasy", "humour", "classic"]),
    ("Going Postal", "Terry Pratchett", 6, []),
    ("Frankenstein", "Mary Shelley", 2, ["sci-fi", "horror", "classic"]),
]


@click.command("seed")
def seed_command():
    """Drop and create the tables, then add the sample authors, tags and books."""
    db.drop_all()
    db.create_all()
    authors = {name: Author(name=name) for name in AUTHORS}
    tags = {name: Tag(name=name) for _, _, _, names in BOOKS for name in names}
    db.session.add_all([*authors.values(), *tags.values()])
    for title, author, stock, names in BOOKS:
        db.session.add(Book(title=title, author=authors[author], stock=stock, tags=[tags[n] for n in names]))
    db.session.commit()
    click.echo(f"Seeded {len(AUTHORS)} authors and {len(BOOKS)} books.")


def init_app(app):
    app.cli.add_command(seed_command)
