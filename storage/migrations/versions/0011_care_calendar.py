"""care calendar, notices, templates (issue 14)

Care message templates per kind and locale, and the audit of their edits; notices to a project's or building's owners
(milestones, events, owner meetings, the quarterly report); documents attached to the delivery
notice; family occasions; each owner's customer specialist; each project's name per locale; the end of an outbox row's delivery window; indexes for the rows due today
(birthdays, subscriptions, delivery dates).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 04:08:20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('care_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_templates')),
    sa.UniqueConstraint('kind', 'locale', name='uq_care_templates_kind_locale')
    )
    op.create_table('care_template_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('old_text', sa.Text(), nullable=True),
    sa.Column('new_text', sa.Text(), nullable=True),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_template_changes'))
    )
    op.create_table('care_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['outbox_files.id'], name=op.f('fk_care_documents_file_id_outbox_files')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_care_documents_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_documents'))
    )
    with op.batch_alter_table('care_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_documents_project_id'), ['project_id'], unique=False)

    op.create_table('care_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('send_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('place', sa.JSON(), nullable=True),
    sa.Column('texts', sa.JSON(), nullable=True),
    sa.Column('media', sa.JSON(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('drafted_by', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('planned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_care_notices_building_id_buildings')),
    sa.ForeignKeyConstraint(['decided_by'], ['staff.id'], name=op.f('fk_care_notices_decided_by_staff')),
    sa.ForeignKeyConstraint(['drafted_by'], ['staff.id'], name=op.f('fk_care_notices_drafted_by_staff')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_care_notices_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_notices'))
    )
    with op.batch_alter_table('care_notices', schema=None) as batch_op:
        batch_op.create_index('ix_care_notices_due', ['status', 'send_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_notices_project_id'), ['project_id'], unique=False)

    op.create_table('family_occasions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_family_occasions_owner_id_owners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_occasions'))
    )
    with op.batch_alter_table('family_occasions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_occasions_on_date'), ['on_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_occasions_owner_id'), ['owner_id'], unique=False)

    with op.batch_alter_table('owners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('specialist_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_owners_birthday', ['birthday_month', 'birthday_day'], unique=False)
        batch_op.create_index('ix_owners_subscription_date', ['subscription_date'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_owners_specialist_id_staff'), 'staff', ['specialist_id'], ['id'])

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=True))

    # Adding a nullable column: no table rewrite (SQLite's ALTER TABLE ADD COLUMN, PostgreSQL's catalog).
    op.add_column('outbox', sa.Column('send_until', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_delivery_date'), ['delivery_date'], unique=False)



def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        # IF EXISTS: databases migrated while 0011 was being written lack it.
        op.execute("ALTER TABLE outbox DROP COLUMN IF EXISTS send_until")
    else:
        with op.batch_alter_table('outbox', schema=None) as batch_op:
            batch_op.drop_column('send_until')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('names')

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_delivery_date'))

    with op.batch_alter_table('owners', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_owners_specialist_id_staff'), type_='foreignkey')
        batch_op.drop_index('ix_owners_subscription_date')
        batch_op.drop_index('ix_owners_birthday')
        batch_op.drop_column('specialist_id')

    with op.batch_alter_table('family_occasions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_occasions_owner_id'))
        batch_op.drop_index(batch_op.f('ix_family_occasions_on_date'))

    op.drop_table('family_occasions')
    with op.batch_alter_table('care_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_notices_project_id'))
        batch_op.drop_index('ix_care_notices_due')

    op.drop_table('care_notices')
    with op.batch_alter_table('care_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_documents_project_id'))

    op.drop_table('care_documents')
    op.drop_table('care_template_changes')
    op.drop_table('care_templates')
