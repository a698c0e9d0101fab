"""consents and data requests (issue 14)

The owner's consent per kind of message (greetings, events, surveys), one row per decision; his
requests about his own data (a copy, a deletion) as their own record; owners that were anonymised.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 03:08:46
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('wording', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_consents_owner_id_owners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_owner_kind', ['owner_id', 'kind', 'id'], unique=False)

    op.create_table('data_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['staff.id'], name=op.f('fk_data_requests_decided_by_staff')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_data_requests_owner_id_owners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_requests'))
    )
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_requests_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('owners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))

    # An owner's data found by owner (his copy, anonymisation, retention; DOMAIN 5.3).
    op.create_index(op.f('ix_survey_answers_owner_id'), 'survey_answers', ['owner_id'], unique=False)
    op.create_index(op.f('ix_communication_log_owner_id'), 'communication_log', ['owner_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_communication_log_owner_id'), table_name='communication_log', if_exists=True)
    op.drop_index(op.f('ix_survey_answers_owner_id'), table_name='survey_answers', if_exists=True)
    with op.batch_alter_table('owners', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')

    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_requests_status'))
        batch_op.drop_index(batch_op.f('ix_data_requests_owner_id'))

    op.drop_table('data_requests')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('ix_consents_owner_kind')

    op.drop_table('consents')
