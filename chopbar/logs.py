"""Structured logs: one JSON object a line on stderr, secrets replaced and phone numbers masked
before anything is written, whichever logger wrote the record (aiohttp's access log included)."""
import json
import logging
import sys
from datetime import datetime, timezone
from typing import TextIO

from chopbar.phone_masks import mask, mask_value

# What every LogRecord has; anything else on a record came from `extra=` and is masked too.
_RECORD_KEYS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in getattr(record, "fields", {}).items():
            entry[key] = value
        if record.exc_info or record.exc_text:
            entry["exc"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class Redactor(logging.Filter):
    """Replaces every configured secret that would appear in a log line with ***."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            cleaned = message
            for secret in self.secrets:
                cleaned = cleaned.replace(secret, "***")
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


class PhoneMasker(logging.Filter):
    """Masks phone numbers in a record's message, its arguments, its extra fields and its traceback,
    so no handler after it sees a customer's number in clear."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        for key, value in vars(record).items():
            if key not in _RECORD_KEYS:
                setattr(record, key, mask_value(value))
        return True


def handler(stream: TextIO, secrets: list[str]) -> logging.Handler:
    """The one handler every record goes through: secrets out, numbers masked, JSON written."""
    out = logging.StreamHandler(stream)
    out.setFormatter(JsonFormatter())
    out.addFilter(Redactor(secrets))
    out.addFilter(PhoneMasker())
    return out


def configure(level: str, secrets: list[str]) -> None:
    root = logging.getLogger()
    root.handlers[:] = [handler(sys.stderr, secrets)]
    root.setLevel(level)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def fields(**values) -> dict:
    """`log.info("order placed", extra=fields(code=...))` adds keys to the JSON line."""
    return {"fields": values}
