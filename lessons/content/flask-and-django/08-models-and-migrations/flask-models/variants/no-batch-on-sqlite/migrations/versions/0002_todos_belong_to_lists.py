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
    op.add_column("todo", sa.Column("todo_list_id", sa.Integer(), nullable=False))
    op.create_index(op.f("ix_todo_todo_list_id"), "todo", ["todo_list_id"], unique=False)
    op.create_foreign_key(op.f("fk_todo_todo_list_id_todo_list"), "todo", "todo_list", ["todo_list_id"], ["id"])


def downgrade():
    op.drop_constraint(op.f("fk_todo_todo_list_id_todo_list"), "todo", type_="foreignkey")
    op.drop_index(op.f("ix_todo_todo_list_id"), table_name="todo")
    op.drop_column("todo", "todo_list_id")
