"""Restaurants sign up and are reviewed: their applications (who applied, the people named, a
refusal's reason), their cuisine, and a commission an admin may set instead of the tier's.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:42:24.507123
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('restaurant_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('restaurant_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('people', sa.JSON(), nullable=False),
    sa.Column('refusal_reason', sa.String(length=160), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_restaurant_applications_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_restaurant_applications_restaurant_id_restaurants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restaurant_applications')),
    sa.UniqueConstraint('restaurant_id', name=op.f('uq_restaurant_applications_restaurant_id'))
    )
    with op.batch_alter_table('restaurant_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_restaurant_applications_account_id'), ['account_id'], unique=False)

    with op.batch_alter_table('restaurants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cuisine', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('commission_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('restaurants', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('commission_percent')
        batch_op.drop_column('cuisine')

    with op.batch_alter_table('restaurant_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_restaurant_applications_account_id'))

    op.drop_table('restaurant_applications')