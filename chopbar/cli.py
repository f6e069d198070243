"""The `chopbar` command: serve, worker, migrate, seed, admin, settings and the operators' tools."""
import argparse
import asyncio
import json
import logging
import sys
import time

from chopbar import logs
from chopbar.runtime import tune_gc, use_uvloop
from chopbar.settings import Settings

log = logging.getLogger("chopbar")
SEND_WAIT_S = 120  # how long `payouts --send` waits for the providers to answer its transfers


def refuse_unsafe_secrets(settings: Settings) -> None:
    """Production never runs on development secrets: exits non-zero, naming every setting to set."""
    refusal = settings.refusal()
    if refusal:
        sys.exit(refusal)


def install_keyring(settings: Settings) -> None:
    """The keys of personal data for this process; keys that do not read exit with the reason."""
    from core import sealing

    try:
        sealing.install(settings.keyring())
    except ValueError as error:
        sys.exit(f"chopbar: CHOPBAR_DATA_KEYS or CHOPBAR_DATA_INDEX_KEY: {error}")


def rekey(settings: Settings, args) -> None:
    """Seals again every value under an older data key, table by table, printing each table's count."""
    from core import sealing
    from core.db import Database
    from core.rekeying import rekey as run

    async def go():
        db = Database(settings.database_url)
        try:
            return await run(db, batch=max(1, args.batch), progress=print)
        finally:
            await db.close()

    try:
        done = asyncio.run(go())
    except sealing.SealingError as error:
        sys.exit(f"chopbar rekey: {error}")
    current = sealing.keyring().current
    print(f"{done.total} of {done.checked} sealed values sealed again under {current}; "
          f"none is left under another key: keys other than {current} may now leave CHOPBAR_DATA_KEYS")


def new_keys(_settings: Settings, _args) -> None:
    import base64
    import secrets

    print(f"a data key (put it first in CHOPBAR_DATA_KEYS; pick your own id): "
          f"k{int(time.time())}:{base64.b64encode(secrets.token_bytes(32)).decode()}")
    print(f"a blind-index key (CHOPBAR_DATA_INDEX_KEY; set once, never rotated by rekey): {secrets.token_urlsafe(48)}")


def serve(settings: Settings, _args) -> None:
    refuse_unsafe_secrets(settings)  # before the imports: they log, and the refusal should stand alone
    from aiohttp import web

    from chopbar.app import create_app

    use_uvloop()
    log.info("starting", extra=logs.fields(**settings.redacted()))
    app = create_app(settings)
    tune_gc()
    web.run_app(app, host=settings.host, port=settings.port, print=None, shutdown_timeout=10, access_log=None)


def worker(settings: Settings, _args) -> None:
    refuse_unsafe_secrets(settings)
    from chopbar.worker import run_worker

    use_uvloop()
    tune_gc()
    asyncio.run(run_worker(settings))


def migrate(settings: Settings, args) -> None:
    from chopbar.migrate import downgrade, upgrade

    if args.down:
        downgrade(settings.database_url, args.revision or "base")
    else:
        upgrade(settings.database_url, args.revision or "head")


def seed(settings: Settings, args) -> None:
    from chopbar.migrate import upgrade
    from chopbar.seed import seed_demo, seed_gazetteer
    from core.db import Database

    upgrade(settings.database_url)

    async def go(work):
        db = Database(settings.database_url)
        try:
            return await work(db)
        finally:
            await db.close()

    if args.gazetteer:
        added = asyncio.run(go(seed_gazetteer))
        print(f"{added} quarters added to the gazetteer" if added else "the gazetteer is complete: nothing added")
        return
    print("demo data seeded" if asyncio.run(go(seed_demo)) else "restaurants already present: nothing seeded")


def make_admin(settings: Settings, args) -> None:
    from core.accounts import make_admin as make
    from core.errors import BadInput
    from core.phones import to_e164

    try:
        phone = to_e164(args.phone)
    except BadInput as error:
        sys.exit(f"chopbar admin: {error}; write it as +2376XXXXXXXX")

    async def work(unit) -> str:
        account, opened, added = await make(unit, phone, default_language=settings.default_language, actor="cli")
        if not added:
            return f"{phone} is an admin already (account {account.id}): nothing changed"
        return f"{phone} is now an admin (account {account.id}{', opened now' if opened else ''}); sign in with it on the API"

    print(run_unit(settings, work))


def phone(settings: Settings, args) -> None:
    from core.phones import to_e164
    from simulators.phone import main as run_phone

    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    run_phone(to_e164(args.number), args.url or f"http://{host}:{settings.port}", args.code or settings.ussd_code)


def run_unit(settings: Settings, work):
    """Runs `work(unit)` in one transaction on the configured database; a refusal exits clearly."""
    from core.db import Database
    from core.errors import ChopbarError

    async def go():
        db = Database(settings.database_url)
        try:
            async with db.unit() as unit:
                return await work(unit)
        finally:
            await db.close()

    try:
        return asyncio.run(go())
    except ChopbarError as error:
        sys.exit(str(error))


def add_driver(settings: Settings, args) -> None:
    from core.drivers import onboard
    from core.phones import to_e164

    async def work(unit) -> str:
        driver = await onboard(
            unit, to_e164(args.phone), name=args.name, city=args.city,
            zone=[q.strip() for q in args.zone.split(",") if q.strip()], language=args.language, actor="cli",
        )
        return f"{args.name} ({driver.account.phone}) drives in {driver.city}: {', '.join(driver.zone)}"

    print(run_unit(settings, work))


def add_quarter(settings: Settings, args) -> None:
    from core.places import add_quarter as add

    aliases = [a for a in (args.aliases or "").split("|") if a]
    run_unit(settings, lambda unit: add(unit, city=args.city, name=args.name, lat=args.lat, lon=args.lon, aliases=aliases, actor="cli"))
    print(f"{args.name} added to {args.city}; dialogs match it within a minute")


def remit(settings: Settings, args) -> None:
    from core.drivers import remit as record
    from core.phones import to_e164

    left = run_unit(settings, lambda unit: record(unit, to_e164(args.phone), args.amount, actor="cli"))
    print(f"{args.amount} XAF remitted; the driver still holds {left} XAF in cash")


def show_payouts(settings: Settings, args) -> None:
    from core.drivers import payouts
    from core.formatting import money

    if args.send:
        send_payouts(settings)
        return
    rows = run_unit(settings, payouts)
    for row in rows:
        print(f"{row.kind:10s} {row.name:28s} {row.phone:14s} {money(row.owed_xaf, 'en'):>14s}")
    if not rows:
        print("nothing owed")


def send_payouts(settings: Settings) -> None:
    """The daily payout, now: everyone owed at least the minimum, then sent until nothing is due."""
    from channels.payments.payouts import PayoutJobs
    from chopbar.providers import payout_sender
    from core.db import Database
    from core.formatting import money
    from core.use_cases import paying_out

    async def go():
        db = Database(settings.database_url)
        jobs = PayoutJobs(db, payout_sender(settings), settings.payout_rules())
        try:
            started = await paying_out.daily(db, jobs.rules, tz=settings.timezone, at=None, force=True)
            deadline = time.monotonic() + SEND_WAIT_S
            while True:  # until each transfer is answered; a failed one is left to the worker's retries
                while await jobs.run():
                    pass
                rows = [await paying_out.one(db, p.id) for p in started]
                if all(r.status not in ("APPROVED", "SENDING") for r in rows) or time.monotonic() > deadline:
                    return rows
                await asyncio.sleep(1)
        finally:
            await jobs.sender.close()
            await db.close()

    rows = asyncio.run(go())
    for p in rows:
        print(f"{p.kind:10s} {p.beneficiary_id:<6d} {p.phone:14s} {money(p.amount_xaf, 'en'):>14s}  {p.status}"
              + (f" ({p.last_error})" if p.last_error and p.status != "PAID" else ""))
    if not rows:
        print("nobody is owed the minimum, or everyone owed has a payout open")


def _day(settings: Settings, raw: str | None):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    if raw is None:
        return datetime.now(ZoneInfo(settings.timezone)).date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        sys.exit(f"--day is YYYY-MM-DD, not {raw!r}")


def reconcile(settings: Settings, args) -> None:
    from chopbar.providers import payout_sender
    from core.db import Database
    from core.use_cases import reconciling

    day = _day(settings, args.day)

    async def go():
        db = Database(settings.database_url)
        sender = payout_sender(settings)
        try:
            return await reconciling.reconcile(db, sender.clients, day, tz=settings.timezone)
        finally:
            await sender.close()
            await db.close()

    reports = asyncio.run(go())
    for r in reports:
        state = f"statement unread: {r.error}" if r.error else f"{len(r.differences)} difference(s)"
        print(f"{r.provider}: ledger in {r.ledger_xaf_in} out {r.ledger_xaf_out} XAF; provider in {r.provider_xaf_in} "
              f"out {r.provider_xaf_out} XAF, {r.lines} line(s); {state}")
        for d in r.differences:
            print(f"  {d.what:20s} {d.direction:3s} {d.our_reference}  ledger {d.ledger_xaf}  provider {d.provider_xaf}"
                  + (f" ({d.provider_status})" if d.provider_status else ""))
    if any(r.differences or r.error for r in reports):
        sys.exit(1)


def export(settings: Settings, args) -> None:
    from pathlib import Path

    from core.db import Database
    from core.use_cases import reconciling

    day = _day(settings, args.day)

    async def go():
        db = Database(settings.database_url)
        try:
            return await reconciling.export(db, day, tz=settings.timezone)
        finally:
            await db.close()

    orders, movements = asyncio.run(go())
    if args.stdout:
        sys.stdout.write(orders if args.stdout == "orders" else movements)
        return
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ((f"orders-{day}.csv", orders), (f"movements-{day}.csv", movements)):
        (folder / name).write_text(text, encoding="utf-8")
        print(folder / name)


def purge(settings: Settings, args) -> None:
    """What is past its retention period, kind by kind, as it goes; --dry-run counts only."""
    from core import retention
    from core.db import Database

    def said(name: str, done: int) -> None:
        print(f"{name:16s} {done:>8d} {'would go' if args.dry_run else 'purged'}", flush=True)

    async def go():
        db = Database(settings.database_url)
        try:
            return await retention.purge(db, settings.retention_periods(), dry_run=args.dry_run, progress=said)
        finally:
            await db.close()

    counts = asyncio.run(go())
    print(f"{sum(counts.values())} rows {'to purge' if args.dry_run else 'purged'}")


def demo_totp(settings: Settings, args) -> None:
    """The current second-factor code of a demo support or admin account, whose secret the demo
    data publish; only while the service runs on simulators (a real service has real secrets)."""
    import time

    from chopbar import demo_data
    from core.phones import to_e164
    from core.second_factor import code_at, holds_power

    if not settings.uses_simulators:
        sys.exit("refused: the service is set up with real providers; use the authenticator app")
    phone = to_e164(args.number)
    if not any(p.phone == phone and holds_power([p.role]) for p in demo_data.PEOPLE):
        sys.exit(f"refused: {phone} is not a demo support or admin account")
    print(code_at(demo_data.DEMO_TOTP_SECRET, time.time()))


def show_settings(settings: Settings, _args) -> None:
    print(json.dumps(settings.redacted(), indent=2))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="chopbar", description="Order food from any phone.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the web service (and its worker, in the embedded default)")
    commands.add_parser("worker", help="run a background worker: outbox, timeouts, payment polling")
    m = commands.add_parser("migrate", help="upgrade the database to the latest schema (or --down)")
    m.add_argument("revision", nargs="?")
    m.add_argument("--down", action="store_true", help="downgrade instead (default to base)")
    sd = commands.add_parser("seed", help="migrate, then seed quarters and demo data into an empty database")
    sd.add_argument("--gazetteer", action="store_true", help="only the quarters that are missing, no demo data")
    a = commands.add_parser("admin", help="make a number an admin (its account opened if new): chopbar admin +2376...")
    a.add_argument("phone")
    commands.add_parser("settings", help="print the settings in force, secrets hidden")
    d = commands.add_parser("driver", help="take a driver on: chopbar driver +2376... --name ... --city ... --zone Q1,Q2")
    d.add_argument("phone")
    d.add_argument("--name", required=True)
    d.add_argument("--city", required=True, choices=["Yaounde", "Douala"])
    d.add_argument("--zone", required=True, help="quarters served, comma-separated, as in quarters.csv")
    d.add_argument("--language", default="fr", choices=["fr", "en"])
    po = commands.add_parser("payouts", help="what each driver and restaurant is owed, from the ledger (--send: pay them now)")
    po.add_argument("--send", action="store_true", help="run the daily payout now and send it")
    rc = commands.add_parser("reconcile", help="the ledger's movements at each provider on a day, beside its statement")
    rc.add_argument("--day", help="the local day, YYYY-MM-DD (default today)")
    ex = commands.add_parser("export", help="a day's orders and money movements as CSV files")
    ex.add_argument("--day", help="the local day, YYYY-MM-DD (default today)")
    ex.add_argument("--dir", default=".", help="where to write orders-<day>.csv and movements-<day>.csv")
    ex.add_argument("--stdout", choices=["orders", "movements"], help="print one of them instead of writing files")
    pg = commands.add_parser("purge", help="remove what is past its retention period (codes, message bodies, logs)")
    pg.add_argument("--dry-run", action="store_true", help="count what would go, change nothing")
    q = commands.add_parser("quarter", help="add a quarter customers name that the gazetteer lacks")
    q.add_argument("--city", required=True, choices=["Yaounde", "Douala"])
    q.add_argument("--name", required=True)
    q.add_argument("--lat", required=True, type=float)
    q.add_argument("--lon", required=True, type=float)
    q.add_argument("--aliases", help="other spellings, |-separated")
    r = commands.add_parser("remit", help="record cash a driver handed over")
    r.add_argument("phone")
    r.add_argument("amount", type=int)
    p = commands.add_parser("phone", help="a feature phone in this terminal: dial the service, read its SMS")
    p.add_argument("number", help="the phone's number, e.g. +237699000001")
    p.add_argument("--url", help="the service (default http://127.0.0.1:$CHOPBAR_PORT)")
    p.add_argument("--code", help="the USSD code to dial (default $CHOPBAR_USSD_CODE)")
    t = commands.add_parser("totp", help="the current second-factor code of a demo support or admin account (simulators only)")
    t.add_argument("number", help="the demo account's number, e.g. +237677000099")
    rk = commands.add_parser("rekey", help="seal again, under the current data key, every value still under an older one")
    rk.add_argument("--batch", type=int, default=500, help="rows per transaction (default 500)")
    commands.add_parser("keys", help="print a new data key and a new blind-index key, for CHOPBAR_DATA_KEYS and CHOPBAR_DATA_INDEX_KEY")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logs.configure(settings.log_level, settings.secret_values())
    install_keyring(settings)
    handlers = {"serve": serve, "worker": worker, "migrate": migrate, "seed": seed, "settings": show_settings,
                "phone": phone, "driver": add_driver, "payouts": show_payouts,
                "quarter": add_quarter, "remit": remit, "admin": make_admin, "reconcile": reconcile, "export": export,
                "purge": purge, "totp": demo_totp, "rekey": rekey, "keys": new_keys}
    try:
        handlers[args.command](settings, args)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
