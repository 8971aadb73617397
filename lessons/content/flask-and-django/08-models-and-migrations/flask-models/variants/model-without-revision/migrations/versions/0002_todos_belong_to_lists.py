"""todos belong to lists

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-09 10:00:00

"""

import sqlalchemy as sa  # noqa: F401  (you will need it)
from alembic import op  # noqa: F401  (you will need it)

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # TODO: give the todo table its todo_list_id column, a foreign key to todo_list.id.
    # SQLite cannot add a foreign key to an existing table: do it in a batch,
    #     with op.batch_alter_table("todo") as batch_op: ...
    pass


def downgrade():
    # TODO: undo upgrade(), in the reverse order.
    pass
