"""An account's login lockout kept in the store, so that a restart does not lift it (issue 21 #1).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account") as table:
        table.add_column(sa.Column("locked_until", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account") as table:
        table.drop_column("locked_until")
