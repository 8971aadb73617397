"""todos belong to lists

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-09 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite cannot add a foreign key to an existing table, so Alembic's batch mode
    # copies the table into a new one that has it. The new column is NOT NULL without
    # a default: fine while the table is empty; a table with rows would need the column
    # nullable first, a list for the old todos, and only then NOT NULL.
    with op.batch_alter_table("todo") as batch_op:
        batch_op.add_column(sa.Column("todo_list_id", sa.Integer(), nullable=False))
        batch_op.create_index(batch_op.f("ix_todo_todo_list_id"), ["todo_list_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_todo_todo_list_id_todo_list"), "todo_list", ["todo_list_id"], ["id"])


def downgrade():
    with op.batch_alter_table("todo") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_todo_todo_list_id_todo_list"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_todo_todo_list_id"))
        batch_op.drop_column("todo_list_id")
