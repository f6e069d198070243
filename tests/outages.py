"""Outages as tests fake them: the error the database's pool raises when its server refuses."""
from sqlalchemy.exc import OperationalError


def database_refused() -> OperationalError:
    return OperationalError("SELECT 1", None, ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"))
