"""code attempts: wrong invitation and staff codes, counted per account and overall

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_attempts")),
    )
    op.create_index(op.f("ix_code_attempts_telegram_user_id"), "code_attempts", ["telegram_user_id"])
    op.create_index(op.f("ix_code_attempts_at"), "code_attempts", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_code_attempts_at"), table_name="code_attempts")
    op.drop_index(op.f("ix_code_attempts_telegram_user_id"), table_name="code_attempts")
    op.drop_table("code_attempts")
