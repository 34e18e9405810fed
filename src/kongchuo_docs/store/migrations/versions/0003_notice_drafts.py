"""写通知 drafts kept per user (issue 21 #5).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_draft",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_code", sa.String(6), nullable=False, index=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("form", sa.Text, nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("area_code", "owner"),
    )


def downgrade() -> None:
    op.drop_table("notice_draft")
