"""satisfaction surveys (issue 13)

Questionnaire versions, campaigns, the sampled households and their answers, topic
investigations; follow-ups may now be about a survey answer instead of a case.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:31:13
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_files'))
    )
    op.create_table('survey_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_templates')),
    sa.UniqueConstraint('form_id', 'version', name='uq_survey_templates_form_version')
    )
    with op.batch_alter_table('survey_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_templates_form_id'), ['form_id'], unique=False)

    op.create_table('survey_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('sample_percent', sa.Integer(), nullable=False),
    sa.Column('complainer_percent', sa.Integer(), nullable=False),
    sa.Column('target_percent', sa.Integer(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('expires_after_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_by', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('warned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_survey_campaigns_project_id_projects')),
    sa.ForeignKeyConstraint(['started_by'], ['staff.id'], name=op.f('fk_survey_campaigns_started_by_staff')),
    sa.ForeignKeyConstraint(['template_id'], ['survey_templates.id'], name=op.f('fk_survey_campaigns_template_id_survey_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_campaigns'))
    )
    with op.batch_alter_table('survey_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_campaigns_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_campaigns_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_campaigns_status'), ['status'], unique=False)

    op.create_table('survey_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('stratum', sa.String(length=64), nullable=False),
    sa.Column('from_complainers', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders', sa.Integer(), nullable=False),
    sa.Column('last_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_invitations_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_survey_invitations_owner_id_owners')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_survey_invitations_project_id_projects')),
    sa.ForeignKeyConstraint(['template_id'], ['survey_templates.id'], name=op.f('fk_survey_invitations_template_id_survey_templates')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_invitations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitations')),
    sa.UniqueConstraint('campaign_id', 'unit_id', name='uq_survey_invitations_campaign_unit')
    )
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_survey_invitations_campaign_status', ['campaign_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitations_owner_id'), ['owner_id'], unique=False)

    op.create_table('survey_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('low_count', sa.Integer(), nullable=False),
    sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_topics_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['closed_by'], ['staff.id'], name=op.f('fk_survey_topics_closed_by_staff')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_survey_topics_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_topics')),
    sa.UniqueConstraint('campaign_id', 'project_id', 'question', name='uq_survey_topics_item')
    )
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=24), nullable=True),
    sa.Column('loyalty', sa.String(length=12), nullable=True),
    sa.Column('score', sa.SmallInteger(), nullable=True),
    sa.Column('choice', sa.JSON(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_answers_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['invitation_id'], ['survey_invitations.id'], name=op.f('fk_survey_answers_invitation_id_survey_invitations')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_survey_answers_owner_id_owners')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_survey_answers_project_id_projects')),
    sa.ForeignKeyConstraint(['template_id'], ['survey_templates.id'], name=op.f('fk_survey_answers_template_id_survey_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('invitation_id', 'question', name='uq_survey_answers_invitation_question')
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answers_campaign_question', ['campaign_id', 'question', 'score'], unique=False)
        batch_op.create_index('ix_survey_answers_loyalty', ['campaign_id', 'invitation_id', 'loyalty', 'score', 'stage', 'project_id'], unique=False, sqlite_where=sa.text('loyalty IS NOT NULL'), postgresql_where=sa.text('loyalty IS NOT NULL'))

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('question', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assignee', sa.String(length=12), nullable=False, server_default='manager'))
        batch_op.add_column(sa.Column('phone_shown', sa.JSON(), nullable=True))
        batch_op.alter_column('ticket_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_follow_ups_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_follow_ups_owner_id_owners'), 'owners', ['owner_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_follow_ups_invitation_id_survey_invitations'), 'survey_invitations', ['invitation_id'], ['id'])



def downgrade() -> None:
    op.execute("DELETE FROM follow_ups WHERE ticket_id IS NULL")
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_follow_ups_invitation_id_survey_invitations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_follow_ups_owner_id_owners'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_follow_ups_invitation_id'))
        batch_op.alter_column('ticket_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('phone_shown')
        batch_op.drop_column('assignee')
        batch_op.drop_column('owner_id')
        batch_op.drop_column('question')
        batch_op.drop_column('invitation_id')

    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_answers_loyalty', sqlite_where=sa.text('loyalty IS NOT NULL'), postgresql_where=sa.text('loyalty IS NOT NULL'))
        batch_op.drop_index('ix_survey_answers_campaign_question')

    op.drop_table('survey_answers')
    op.drop_table('survey_topics')
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitations_owner_id'))
        batch_op.drop_index('ix_survey_invitations_campaign_status')

    op.drop_table('survey_invitations')
    with op.batch_alter_table('survey_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_campaigns_status'))
        batch_op.drop_index(batch_op.f('ix_survey_campaigns_project_id'))
        batch_op.drop_index(batch_op.f('ix_survey_campaigns_kind'))

    op.drop_table('survey_campaigns')
    with op.batch_alter_table('survey_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_templates_form_id'))

    op.drop_table('survey_templates')
    op.drop_table('outbox_files')
