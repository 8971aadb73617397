# The second migration of the todos app: every todo belongs to a list.

from django.db import migrations, models  # noqa: F401  (you will need models)


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0001_initial"),
    ]

    operations = [
        # TODO: add the field todo_list to the model todo, exactly as models.py
        # declares it (migrations.AddField).
    ]
