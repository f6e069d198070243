"""Personal data sealed at rest: names, addresses, numbers and messages become AES-GCM tokens
(core.sealing), and each number looked up gets a blind-index column beside it.

Upgrade: the key columns are added, the sealed columns become TEXT, then every row is read in
batches, its clear values sealed with the keyring the process installed (migrations/env.py: the
settings' CHOPBAR_DATA_KEYS) and its keys filled; the unique constraints and indexes move from
the numbers to their keys. Downgrade unseals the rows and puts the clear columns back.

SEALED and KEYS list the tables: a table added later is sealed by adding its lines there.

Revision ID: 0018_sealed_personal_data
Revises: 0017_personal_data_requests
Create Date: 2026-12-01 23:40:00
"""
import re

import sqlalchemy as sa
from alembic import op

from core import sealing

revision = '0018_sealed_personal_data'
down_revision = '0017_personal_data_requests'
branch_labels = None
depends_on = None

BATCH = 500

# table -> [(column, its type before sealing)]
SEALED = {
    'accounts': [('phone', sa.String(16)), ('name', sa.String(80))],
    'addresses': [('quarter_text', sa.String(80)), ('landmark', sa.String(120)), ('directions', sa.String(240))],
    'otp_codes': [('phone', sa.String(16))],
    'restaurants': [('phone', sa.String(16)), ('backup_phone', sa.String(16))],
    'orders': [('payer_phone', sa.String(16)), ('quarter_text', sa.String(80)), ('landmark', sa.String(120)),
               ('directions', sa.String(240)), ('cancel_reason', sa.String(160))],
    'payments': [('payer_phone', sa.String(16))],
    'outbox': [('to_phone', sa.String(16)), ('body', sa.Text()), ('redacted_body', sa.Text())],
    'inbound_messages': [('phone', sa.String(16)), ('text', sa.Text())],
    'audit_events': [('actor', sa.String(60)), ('reason', sa.String(240)), ('data', sa.JSON())],
    'idempotent_requests': [('answer', sa.Text())],
    'tickets': [('phone', sa.String(16))],
    'ticket_messages': [('author', sa.String(60)), ('body', sa.Text())],
    'payout_accounts': [('phone', sa.String(16))],
    'payouts': [('phone', sa.String(16)), ('requested_by', sa.String(60)), ('approved_by', sa.String(60))],
    'restaurant_applications': [('people', sa.JSON()), ('reviewed_by', sa.String(40))],
    'invitations': [('phone', sa.String(16))],
    'ratings': [('comment', sa.String(300)), ('answer', sa.String(300)), ('answered_by', sa.String(40))],
    'promo_codes': [('created_by', sa.String(40))],
    'second_factors': [('secret', sa.String(200))],
    'sign_in_attempts': [('address', sa.String(64))],
}

# table -> [(number column, key column, nullable, "unique" | "index" | None)]
KEYS = {
    'accounts': [('phone', 'phone_key', False, 'unique')],
    'otp_codes': [('phone', 'phone_key', False, 'index')],
    'restaurants': [('phone', 'phone_key', False, 'index'), ('backup_phone', 'backup_phone_key', True, 'index')],
    'orders': [('payer_phone', 'payer_phone_key', True, 'index')],
    'payments': [('payer_phone', 'payer_phone_key', True, 'index')],
    'outbox': [('to_phone', 'to_phone_key', False, 'index')],
    'inbound_messages': [('phone', 'phone_key', False, 'index')],
    'tickets': [('phone', 'phone_key', False, None)],
    'invitations': [('phone', 'phone_key', False, 'unique')],
}

# What the clear numbers had, dropped before and made again after: (table, kind, name, columns).
OLD = [
    ('accounts', 'unique', 'uq_accounts_phone', ['phone']),
    ('otp_codes', 'index', 'ix_otp_codes_phone', ['phone']),
    ('restaurants', 'index', 'ix_restaurants_phone', ['phone']),
    ('outbox', 'index', 'ix_outbox_to_phone', ['to_phone']),
    ('tickets', 'index', 'ix_tickets_phone_status', ['phone', 'status']),
    ('invitations', 'unique', 'uq_invitations_phone', ['phone']),
]
NEW = [('tickets', 'index', 'ix_tickets_phone_key_status', ['phone_key', 'status'])] + [
    (table, kind, f"{'uq' if kind == 'unique' else 'ix'}_{table}_{key}", [key])
    for table, keys in KEYS.items() for _, key, _, kind in keys if kind
]


def _drop(shapes) -> None:
    for table, kind, name, _ in shapes:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_='unique') if kind == 'unique' else batch.drop_index(name)


def _create(shapes) -> None:
    for table, kind, name, columns in shapes:
        with op.batch_alter_table(table) as batch:
            if kind == 'unique':
                batch.create_unique_constraint(name, columns)
            else:
                batch.create_index(name, columns, unique=False)


def _rewrite(table: str, columns: list[str], keyed: list[tuple[str, str]], change) -> None:
    """Each row's `columns` through `change`, and each key from its clear number, in batches."""
    connection = op.get_bind()
    t = sa.table(table, sa.column('id'), *(sa.column(c, sa.Text()) for c in columns),
                 *(sa.column(k, sa.Text()) for _, k in keyed))
    after = None
    while True:
        query = sa.select(t.c.id, *(t.c[c] for c in columns)).order_by(t.c.id).limit(BATCH)
        if after is not None:
            query = query.where(t.c.id > after)
        rows = connection.execute(query).all()
        if not rows:
            return
        for row in rows:
            clear = {c: getattr(row, c) for c in columns}
            values = {c: v if not v else change(v) for c, v in clear.items()}  # empty stays empty
            for source, key in keyed:
                number = clear[source] if change is sealing.seal else values[source]
                values[key] = None if number is None else sealing.blind(number)
            connection.execute(sa.update(t).where(t.c.id == row.id).values(values))
        after = rows[-1].id


def _blind_dedupe_keys() -> None:
    """Outbox dedupe keys that name a number get its blind index instead (core.outbox.blinded);
    a downgrade keeps them so: they stay unique, and a hash cannot be turned back."""
    connection = op.get_bind()
    t = sa.table('outbox', sa.column('id'), sa.column('dedupe_key', sa.Text()))
    for row in connection.execute(sa.select(t.c.id, t.c.dedupe_key).where(t.c.dedupe_key.like('%+%'))).all():
        blinded = re.sub(r"\+\d{8,15}", lambda m: sealing.blind(m.group()), row.dedupe_key)
        connection.execute(sa.update(t).where(t.c.id == row.id).values(dedupe_key=blinded))


def upgrade() -> None:
    _drop(OLD)
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, columns in SEALED.items():
        with op.batch_alter_table(table) as batch:
            for _, key, _, _ in KEYS.get(table, []):
                batch.add_column(sa.Column(key, sa.String(length=32), nullable=True))
            for name, before in columns:
                if not isinstance(before, sa.Text):
                    using = {'postgresql_using': f'{name}::text'} if postgres else {}
                    batch.alter_column(name, existing_type=before, type_=sa.Text(), **using)
    for table, columns in SEALED.items():
        _rewrite(table, [c for c, _ in columns], [(s, k) for s, k, _, _ in KEYS.get(table, [])], sealing.seal)
    _blind_dedupe_keys()
    for table, keys in KEYS.items():
        with op.batch_alter_table(table) as batch:
            for _, key, nullable, _ in keys:
                if not nullable:
                    batch.alter_column(key, existing_type=sa.String(length=32), nullable=False)
    _create(NEW)


def downgrade() -> None:
    _drop(NEW)
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, columns in SEALED.items():
        _rewrite(table, [c for c, _ in columns], [], sealing.unseal)
    for table, columns in SEALED.items():
        with op.batch_alter_table(table) as batch:
            for name, before in columns:
                if not isinstance(before, sa.Text):
                    using = {'postgresql_using': f'{name}::json'} if postgres and isinstance(before, sa.JSON) else {}
                    batch.alter_column(name, existing_type=sa.Text(), type_=before, **using)
            for _, key, _, _ in KEYS.get(table, []):
                batch.drop_column(key)
    _create(OLD)
