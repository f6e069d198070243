"""Loyalty you can see and spend: a row per change of a customer's points, the points an order
spent, and the friends customers invited.

Existing balances become one `opening` row each, so every balance is the sum of its rows from
the start.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loyalty_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_loyalty_movements_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_loyalty_movements_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_movements'))
    )
    op.create_index('ix_loyalty_movements_account_at', 'loyalty_movements', ['account_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_loyalty_movements_order_id'), 'loyalty_movements', ['order_id'], unique=False)
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inviter_account_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rewarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['inviter_account_id'], ['accounts.id'], name=op.f('fk_invitations_inviter_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_invitations_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('phone', name=op.f('uq_invitations_phone'))
    )
    op.create_index(op.f('ix_invitations_inviter_account_id'), 'invitations', ['inviter_account_id'], unique=False)
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('points_spent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('points_xaf', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "INSERT INTO loyalty_movements (account_id, order_id, kind, points, created_at) "
        "SELECT id, NULL, 'opening', loyalty_points, CURRENT_TIMESTAMP FROM accounts WHERE loyalty_points <> 0"
    )


def downgrade() -> None:
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('points_xaf')
        batch_op.drop_column('points_spent')
    op.drop_index(op.f('ix_invitations_inviter_account_id'), table_name='invitations')
    op.drop_table('invitations')
    op.drop_index(op.f('ix_loyalty_movements_order_id'), table_name='loyalty_movements')
    op.drop_index('ix_loyalty_movements_account_at', table_name='loyalty_movements')
    op.drop_table('loyalty_movements')
