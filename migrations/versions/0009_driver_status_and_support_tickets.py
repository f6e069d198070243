"""Drivers apply and are approved, refused, suspended; support tickets and their messages; a
failed delivery sent again gets a job of its own, so an order may have more than one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Drivers taken on before applications existed were taken on by support: approved.
    with op.batch_alter_table('drivers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=12), nullable=False, server_default='APPROVED'))
        batch_op.add_column(sa.Column('status_reason', sa.String(length=160), nullable=True))
    with op.batch_alter_table('drivers', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        batch_op.create_index(batch_op.f('ix_drivers_status'), ['status'], unique=False)

    with op.batch_alter_table('delivery_jobs', schema=None) as batch_op:
        batch_op.drop_constraint('uq_delivery_jobs_order_id', type_='unique')
        batch_op.create_index(batch_op.f('ix_delivery_jobs_order_id'), ['order_id'], unique=False)

    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('restaurant_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('solved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_tickets_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_tickets_restaurant_id_restaurants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_phone_status', ['phone', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_status'), ['status'], unique=False)

    op.create_table('ticket_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('author', sa.String(length=60), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_messages_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_messages'))
    )
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_messages_ticket_id'), ['ticket_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_messages_ticket_id'))
    op.drop_table('ticket_messages')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_status'))
        batch_op.drop_index('ix_tickets_phone_status')
    op.drop_table('tickets')

    # One job per order again: a resent order keeps its newest job.
    op.execute(
        "DELETE FROM delivery_jobs WHERE id NOT IN (SELECT MAX(id) FROM delivery_jobs GROUP BY order_id)"
    )
    with op.batch_alter_table('delivery_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_jobs_order_id'))
        batch_op.create_unique_constraint('uq_delivery_jobs_order_id', ['order_id'])

    with op.batch_alter_table('drivers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drivers_status'))
        batch_op.drop_column('status_reason')
        batch_op.drop_column('status')
