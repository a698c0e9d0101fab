"""indexes for the complaint reports (issue 15)

The reports read, per office and kind, the cases alive in a period (still open, or closed since its
start) and the deadlines falling in it; without these indexes each report read every case the
office ever had (measured in bench/reports.py: the company's month over 1.3 million cases).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 12:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_report_closed", "tickets", ["project_id", "kind", "closed_at"])
    op.create_index("ix_tickets_report_progress_due", "tickets", ["project_id", "kind", "progress_due"])
    op.create_index("ix_tickets_report_resolve_due", "tickets", ["project_id", "kind", "resolve_due"])
    op.create_index(op.f("ix_work_orders_completed_at"), "work_orders", ["completed_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_work_orders_completed_at"), table_name="work_orders")
    op.drop_index("ix_tickets_report_resolve_due", table_name="tickets")
    op.drop_index("ix_tickets_report_progress_due", table_name="tickets")
    op.drop_index("ix_tickets_report_closed", table_name="tickets")
