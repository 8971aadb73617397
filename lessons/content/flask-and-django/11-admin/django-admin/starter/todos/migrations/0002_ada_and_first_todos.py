"""A data migration: the exercise's staff user and a few todos.

The password is written here only so that you can log in while you learn. A real
project creates its first superuser with `python manage.py createsuperuser`, which asks
for the password and never stores it in the code.
"""

from django.db import migrations

# make_password("lovelace-1815"): Django stores only this salted hash, never the password.
# It is computed once here because hashing is slow on purpose (a million PBKDF2 rounds).
ADA_PASSWORD_HASH = "pbkdf2_sha256$1000000$1D4pJo5tTmEa8as5uOq1tj$onMohVWj1VYc79TOI/LNDdFTFgbJfWnGVV8XjXICasU="  # noqa: S105  (a hash, not a password)


def create_ada_and_todos(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Todo = apps.get_model("todos", "Todo")
    User.objects.create(
        username="ada",
        email="ada@example.com",
        password=ADA_PASSWORD_HASH,
        is_staff=True,
        is_superuser=True,
    )
    Todo.objects.create(title="Buy milk", notes="Two litres, semi-skimmed.")
    Todo.objects.create(title="Walk the dog", notes="Around the park, not just the block.", done=True)
    Todo.objects.create(title="Write the report", notes="Due on Friday.")


def remove_ada_and_todos(apps, schema_editor):
    apps.get_model("auth", "User").objects.filter(username="ada").delete()
    apps.get_model("todos", "Todo").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("todos", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_ada_and_todos, remove_ada_and_todos),
    ]
