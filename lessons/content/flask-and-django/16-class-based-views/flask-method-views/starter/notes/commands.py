"""flask --app notes seed: make the table and fill it with twelve notes."""

import click

from .extensions import db
from .models import Note

NOTES = [
    ("Buy oat milk", "Two cartons, the barista kind."),
    ("Call the plumber", "The kitchen tap drips again."),
    ("Book club: chapter 4", "Finish it before Thursday."),
    ("Renew the library card", "It runs out at the end of the month."),
    ("Water the ferns", "Every three days, not more."),
    ("Back up the laptop", "Both disks, then unplug one."),
    ("Gift for Sam", "Something about trains."),
    ("Dentist on Tuesday", "At 9:30, bring the insurance card."),
    ("Fix the bike light", "The rear one flickers."),
    ("Plan the weekend walk", "The ridge path, if it does not rain."),
    ("Return the drill", "Borrowed from next door in March."),
    ("Pay the electricity bill", "Due on the 15th."),
]


@click.command("seed")
def seed_command():
    """Drop and create the table, then add the sample notes."""
    db.drop_all()
    db.create_all()
    db.session.add_all(Note(title=title, body=body) for title, body in NOTES)
    db.session.commit()
    click.echo(f"Seeded {len(NOTES)} notes.")


def init_app(app):
    app.cli.add_command(seed_command)
