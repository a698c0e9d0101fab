"""repairs: warranty configuration, repair details, site surveys, work orders, cost approvals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heating_season", sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column("cooling_season", sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column("design_life_years", sa.Integer(), nullable=True))
    op.create_table(
        "warranty_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("period_kind", sa.String(length=12), nullable=False),
        sa.Column("period_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], name=op.f("fk_warranty_overrides_building_id_buildings")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_warranty_overrides_project_id_projects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warranty_overrides")),
        sa.UniqueConstraint("project_id", "building_id", "side", "component",
                            name=op.f("uq_warranty_overrides_project_id")),
    )
    with op.batch_alter_table("warranty_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warranty_overrides_project_id"), ["project_id"], unique=False)
    op.create_table(
        "repairs",
        sa.Column("ticket_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("trade", sa.String(length=24), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=False),
        sa.Column("visit_slots", sa.JSON(), nullable=False),
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("warranty_class", sa.String(length=1), nullable=False),
        sa.Column("payer", sa.String(length=8), nullable=False),
        sa.Column("warranty", sa.JSON(), nullable=False),
        sa.Column("override", sa.JSON(), nullable=True),
        sa.Column("callback_due", sa.Date(), nullable=True),
        sa.Column("callback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("callback_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["callback_by"], ["staff.id"], name=op.f("fk_repairs_callback_by_staff")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_repairs_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_repairs")),
    )
    op.create_table(
        "site_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=12), nullable=False),
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("trades", sa.JSON(), nullable=False),
        sa.Column("estimate_fen", sa.BigInteger(), nullable=False),
        sa.Column("builder_representative", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["recorded_by"], ["staff.id"], name=op.f("fk_site_surveys_recorded_by_staff")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_site_surveys_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_surveys")),
    )
    with op.batch_alter_table("site_surveys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_surveys_ticket_id"), ["ticket_id"], unique=False)
    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("order_type", sa.String(length=1), nullable=False),
        sa.Column("payer", sa.String(length=8), nullable=False),
        sa.Column("trades", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        sa.Column("work_done", sa.Text(), nullable=True),
        sa.Column("settlement_fen", sa.BigInteger(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_by", sa.Integer(), nullable=True),
        sa.Column("audit_required", sa.Boolean(), nullable=False),
        sa.Column("deposit_deduction", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["checked_by"], ["staff.id"], name=op.f("fk_work_orders_checked_by_staff")),
        sa.ForeignKeyConstraint(["completed_by"], ["staff.id"], name=op.f("fk_work_orders_completed_by_staff")),
        sa.ForeignKeyConstraint(["survey_id"], ["site_surveys.id"], name=op.f("fk_work_orders_survey_id_site_surveys")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_work_orders_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["worker_id"], ["staff.id"], name=op.f("fk_work_orders_worker_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_work_orders_number")),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_orders_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_worker_id"), ["worker_id"], unique=False)
    op.create_table(
        "cost_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_cost_approvals_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_orders.id"],
                                name=op.f("fk_cost_approvals_work_order_id_work_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_approvals")),
    )
    with op.batch_alter_table("cost_approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cost_approvals_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_cost_approvals_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    for table, indexes in (
        ("cost_approvals", ("status", "ticket_id")),
        ("work_orders", ("status", "ticket_id", "worker_id")),
        ("site_surveys", ("ticket_id",)),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexes:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
    op.drop_table("repairs")
    with op.batch_alter_table("warranty_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warranty_overrides_project_id"))
    op.drop_table("warranty_overrides")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("design_life_years")
        batch_op.drop_column("cooling_season")
        batch_op.drop_column("heating_season")
