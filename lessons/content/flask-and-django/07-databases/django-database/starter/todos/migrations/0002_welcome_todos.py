"""A data migration: the two todos every new database starts with.

Lesson 08 is about writing migrations; this one is given.
"""

from django.db import migrations

WELCOME_TODOS = ["Read the lesson on databases", "Look inside the SQLite file"]


def add_welcome_todos(apps, schema_editor):
    # The model as it was at this point of the migrations, not the current class.
    Todo = apps.get_model("todos", "Todo")
    for title in WELCOME_TODOS:
        Todo.objects.create(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_welcome_todos, migrations.RunPython.noop),
    ]
