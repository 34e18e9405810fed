"""网页版 jobs kept across restarts (issue 21 #5): the record of each job; its files stay in the work folder.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_job",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("area_code", sa.String(6), nullable=False, index=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("account", sa.String(32), nullable=False),
        sa.Column("role", sa.String(4), nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("task", sa.String(40), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("outputs", sa.Integer, nullable=False),
        sa.Column("result_bytes", sa.Integer, nullable=False),
        sa.Column("made_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kept_job")
