"""outbox purpose: why each push is sent, so consent can attach per purpose

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Rows written before this revision are classified by their idempotency key.
_BACKFILL = """
UPDATE outbox SET purpose = CASE
    WHEN key LIKE 'remind:%' OR key LIKE 'overdue:%' OR key LIKE 'callback:%' THEN 'reminder'
    WHEN key LIKE 'confirm:%' THEN 'confirmation'
    WHEN key LIKE 'calendar:%' THEN 'calendar'
    WHEN key LIKE 'communication:%' THEN 'reply'
    ELSE 'case'
END
"""


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=32), nullable=False, server_default="case"))
    op.execute(_BACKFILL)
    op.create_index("ix_outbox_purpose", "outbox", ["purpose"])


def downgrade() -> None:
    op.drop_index("ix_outbox_purpose", table_name="outbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("purpose")
