"""Ratings: one per delivered or collected order, the restaurant's answer to its comment, and the
count and total of stars kept on restaurants and drivers for cheap averages.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

COUNTED = ('restaurants', 'drivers')


def upgrade() -> None:
    for table in COUNTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('rating_count', sa.Integer(), nullable=False, server_default='0'))
            batch_op.add_column(sa.Column('rating_total', sa.Integer(), nullable=False, server_default='0'))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('rating_count', server_default=None)
            batch_op.alter_column('rating_total', server_default=None)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_code', sa.String(length=6), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('restaurant_id', sa.Integer(), nullable=False),
    sa.Column('driver_account_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('restaurant_stars', sa.Integer(), nullable=True),
    sa.Column('driver_stars', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(length=300), nullable=True),
    sa.Column('channel', sa.String(length=12), nullable=True),
    sa.Column('answer', sa.String(length=300), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by', sa.String(length=40), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_ratings_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['driver_account_id'], ['drivers.account_id'], name=op.f('fk_ratings_driver_account_id_drivers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_ratings_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_ratings_restaurant_id_restaurants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('order_id', name=op.f('uq_ratings_order_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_account_status', ['account_id', 'status'], unique=False)
        batch_op.create_index('ix_ratings_restaurant_rated', ['restaurant_id', 'rated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_restaurant_rated')
        batch_op.drop_index('ix_ratings_account_status')
    op.drop_table('ratings')
    for table in COUNTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('rating_total')
            batch_op.drop_column('rating_count')
