"""Menus edited whole: dishes and categories archived rather than destroyed while past orders
name them, and the catalog's version that every web process checks to drop a stale snapshot.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    catalog_state = op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_state'))
    )
    op.bulk_insert(catalog_state, [{'id': 1, 'version': 1}])

    with op.batch_alter_table('menu_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.drop_column('archived_at')

    with op.batch_alter_table('menu_categories', schema=None) as batch_op:
        batch_op.drop_column('archived_at')

    op.drop_table('catalog_state')
