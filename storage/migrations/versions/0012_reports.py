"""complaint reports (issue 15)

The reports issued per office or company and period (the monthly summary's approval), the files
archived with them, and the recipients of each kind of report.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('scope', sa.String(length=24), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['staff.id'], name=op.f('fk_report_issues_decided_by_staff')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_report_issues_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_issues')),
    sa.UniqueConstraint('kind', 'scope', 'period', name=op.f('uq_report_issues_kind_scope_period'))
    )
    with op.batch_alter_table('report_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_issues_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_issues_status'), ['status'], unique=False)

    op.create_table('report_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report_issues.id'], name=op.f('fk_report_files_report_id_report_issues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_files'))
    )
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_files_report_id'), ['report_id'], unique=False)

    op.create_table('report_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_report_recipients_project_id_projects')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_report_recipients_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_recipients')),
    sa.UniqueConstraint('kind', 'project_id', 'staff_id', name=op.f('uq_report_recipients_kind_project_id_staff_id'))
    )
    with op.batch_alter_table('report_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_recipients_staff_id'), ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_recipients_staff_id'))
    op.drop_table('report_recipients')
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_files_report_id'))
    op.drop_table('report_files')
    with op.batch_alter_table('report_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_issues_status'))
        batch_op.drop_index(batch_op.f('ix_report_issues_project_id'))
    op.drop_table('report_issues')
