"""Payments: the amount owed back to the payer, and the operator the provider reported.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:58:53.032784
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_due_xaf', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('operator', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('operator')
        batch_op.drop_column('refund_due_xaf')

