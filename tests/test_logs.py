"""Logs are JSON lines, and a secret that would appear in one is replaced before it is written."""
import io
import json
import logging

from chopbar.logs import JsonFormatter, Redactor


def test_a_secret_in_a_log_line_is_replaced():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(Redactor(["sk_live_very_secret", "hunter22"]))
    log = logging.getLogger("chopbar.test.secrets")
    log.addHandler(handler)
    log.propagate = False
    log.warning("calling with key %s and password hunter22", "sk_live_very_secret")
    line = json.loads(stream.getvalue())
    assert line["msg"] == "calling with key *** and password ***"
    assert line["level"] == "warning"
