"""Promo codes and restaurants' time-boxed offers; an order keeps its discount and who pays it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('promo_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('restaurant_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=14), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('min_subtotal_xaf', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_order_only', sa.Boolean(), nullable=False),
    sa.Column('per_customer_limit', sa.Integer(), nullable=True),
    sa.Column('total_limit', sa.Integer(), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('funded_by', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_promo_codes_restaurant_id_restaurants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_promo_codes_code'))
    )
    with op.batch_alter_table('promo_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promo_codes_restaurant_id'), ['restaurant_id'], unique=False)
    op.create_table('restaurant_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('restaurant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=14), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('days', sa.String(length=7), nullable=False),
    sa.Column('starts_minute', sa.Integer(), nullable=False),
    sa.Column('ends_minute', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('min_subtotal_xaf', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_restaurant_offers_restaurant_id_restaurants'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restaurant_offers'))
    )
    with op.batch_alter_table('restaurant_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_restaurant_offers_restaurant_id'), ['restaurant_id'], unique=False)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount_xaf', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('discount_funder', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('promo_code_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_promo_code_id'), ['promo_code_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_promo_code_id_promo_codes'), 'promo_codes', ['promo_code_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_orders_offer_id_restaurant_offers'), 'restaurant_offers', ['offer_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_offer_id_restaurant_offers'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_orders_promo_code_id_promo_codes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_orders_promo_code_id'))
        batch_op.drop_column('offer_id')
        batch_op.drop_column('promo_code_id')
        batch_op.drop_column('discount_funder')
        batch_op.drop_column('discount_xaf')
    with op.batch_alter_table('restaurant_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_restaurant_offers_restaurant_id'))
    op.drop_table('restaurant_offers')
    with op.batch_alter_table('promo_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promo_codes_restaurant_id'))
    op.drop_table('promo_codes')
