"""repairs in chat: the builder's countersignature of the site survey (issue 12)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site_surveys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("countersign", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("countersigned_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("countersigned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("countersign_note", sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_site_surveys_countersigned_by_staff"), "staff",
                                    ["countersigned_by"], ["id"])
    # A repair still open whose latest survey is over 500 yuan asked the builder to countersign,
    # with no way to answer: that request is now pending.
    op.execute(
        "UPDATE site_surveys SET countersign = 'pending' WHERE estimate_fen > 50000"
        " AND id IN (SELECT max(id) FROM site_surveys GROUP BY ticket_id)"
        " AND ticket_id IN (SELECT id FROM tickets WHERE status NOT IN ('closed', 'unconfirmed'))"
    )


def downgrade() -> None:
    with op.batch_alter_table("site_surveys", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_site_surveys_countersigned_by_staff"), type_="foreignkey")
        batch_op.drop_column("countersign_note")
        batch_op.drop_column("countersigned_at")
        batch_op.drop_column("countersigned_by")
        batch_op.drop_column("countersign")
