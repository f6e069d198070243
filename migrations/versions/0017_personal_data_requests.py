"""Personal data requests: one-time export links and deletions waiting for their confirmation.

Revision ID: 0017_personal_data_requests
Revises: 0015
Create Date: 2026-12-01 23:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_personal_data_requests'
down_revision = '0016_second_factor'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('personal_data_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_personal_data_requests_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_personal_data_requests_token_hash'))
    )
    with op.batch_alter_table('personal_data_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_requests_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index('ix_personal_data_requests_account_kind', ['account_id', 'kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('personal_data_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_personal_data_requests_account_kind')
        batch_op.drop_index(batch_op.f('ix_personal_data_requests_expires_at'))
    op.drop_table('personal_data_requests')
