# The second migration of the todos app: every todo belongs to a list.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0001_initial"),
    ]

    operations = [
        # No default: the column is required, and the todo table is still empty when
        # this runs. (On a table with rows, makemigrations asks for a one-off default,
        # which must then be the id of a list that exists.)
        migrations.AddField(
            model_name="todo",
            name="todo_list",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="todos",
                to="todos.todolist",
            ),
        ),
    ]
