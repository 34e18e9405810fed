"""发文登记簿: the per-代字, per-year counter and the register's entries.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "number_counter",
        sa.Column("area_code", sa.String(6), primary_key=True),
        sa.Column("prefix", sa.String(20), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_code", sa.String(6), nullable=False, index=True),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        *(sa.Column(name, sa.Text, nullable=False) for name in (
            "title", "genre", "recipients", "copies_to", "secrecy", "urgency", "signers", "issuer")),
        sa.Column("written_on", sa.Date),
        sa.Column("printed_on", sa.Date),
        sa.Column("pages", sa.Integer),
        sa.Column("copies", sa.Integer),
        sa.Column("attachments", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("remark", sa.Text, nullable=False),
        sa.Column("taken_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("area_code", "prefix", "year", "sequence"),
    )


def downgrade() -> None:
    op.drop_table("register_entry")
    op.drop_table("number_counter")
