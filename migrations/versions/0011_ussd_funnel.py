"""The USSD funnel: per day and screen, sessions that reached it and that left from it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ussd_screen_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('screen', sa.String(length=24), nullable=False),
    sa.Column('reached', sa.Integer(), nullable=False),
    sa.Column('left', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ussd_screen_days')),
    sa.UniqueConstraint('day', 'screen', name=op.f('uq_ussd_screen_days_day'))
    )


def downgrade() -> None:
    op.drop_table('ussd_screen_days')
