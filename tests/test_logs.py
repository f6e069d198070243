"""Logs are JSON lines, and a secret that would appear in one is replaced before it is written."""
import io
import json
import logging

from chopbar.logs import JsonFormatter, Redactor, fields, handler


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


def test_a_phone_number_is_masked_in_the_message_its_arguments_extra_fields_and_traceback():
    stream = io.StringIO()
    log = logging.getLogger("chopbar.test.phones")
    log.addHandler(handler(stream, []))
    log.propagate = False
    log.warning("sms from %s: %s", "+237699000001", "call me on 6 77 00 00 02", extra=fields(payer="237655000003"))
    log.setLevel(logging.DEBUG)
    log.info("hop %s", 237699000004)
    try:
        raise ValueError("bad number 699000005")
    except ValueError:
        log.exception("failed for %s", "699000006")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["msg"] == "sms from +2376****0001: call me on +2376****0002"
    assert lines[0]["payer"] == "+2376****0003"
    assert lines[1]["msg"] == "hop +2376****0004"
    assert lines[2]["msg"] == "failed for +2376****0006" and "+2376****0005" in lines[2]["exc"]
    assert "699000005" not in lines[2]["exc"]
