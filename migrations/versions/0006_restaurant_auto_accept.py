"""A restaurant may accept every new order at once (AUTO ON/OFF), ready in its usual minutes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:55:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('restaurants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_accept', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('prep_minutes', sa.Integer(), nullable=False, server_default='20'))


def downgrade() -> None:
    with op.batch_alter_table('restaurants', schema=None) as batch_op:
        batch_op.drop_column('prep_minutes')
        batch_op.drop_column('auto_accept')
