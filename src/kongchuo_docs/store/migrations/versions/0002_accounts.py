"""Accounts, their server-side sessions and the 操作日志 (issue 21 #1, #2).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_code", sa.String(6), nullable=False, index=True),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("role", sa.String(4), nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("area_code", "name"),
    )
    op.create_table(
        "login_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_code", sa.String(6), nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        *(sa.Column(name, sa.Text, nullable=False) for name in ("account", "unit", "action", "task", "counts",
                                                                  "files", "outcome")),
        sa.Column("role", sa.String(4), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_entry")
    op.drop_table("login_session")
    op.drop_table("account")
