"""报送 rounds: a round the 教育局 opens and the files its units upload to it.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_round",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_code", sa.String(6), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("units", sa.JSON, nullable=False),
        sa.Column("opened_by", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime),
    )
    op.create_table(
        "round_upload",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("report_round.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("area_code", sa.String(6), nullable=False),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("uploader", sa.Text, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("problems", sa.JSON, nullable=False),
        sa.Column("error_workbook", sa.LargeBinary),
    )


def downgrade() -> None:
    op.drop_table("round_upload")
    op.drop_table("report_round")
