"""A USSD order and an SMS order, logged at DEBUG through the service's own log handler: no
customer's number in clear in any line, and no message body at INFO or above."""
import io
import json
import logging

from chopbar.logs import handler
from tests import demo
from tests.console.helpers import cash_pickup_by_ussd
from tests.sms import last, text


async def test_orders_by_ussd_and_sms_leave_no_customer_number_in_clear_in_the_logs(chopbar):
    stream = io.StringIO()
    root, access = logging.getLogger(), logging.getLogger("aiohttp.access")
    levels = root.level, access.level
    written = handler(stream, [])
    root.addHandler(written)
    root.setLevel(logging.DEBUG)
    access.setLevel(logging.DEBUG)  # the access log too, which production keeps at WARNING
    try:
        ussd_customer, sms_customer = demo.CUSTOMER_EN.phone, demo.CUSTOMER_FR.phone
        code = await cash_pickup_by_ussd(chopbar, ussd_customer)
        await text(chopbar, sms_customer, "MENU bastos")
        listing = await last(chopbar, sms_customer)
        number = next(part.split()[0] for part in listing.split(": ", 1)[1].split(", ") if "Chez Maman Ngo" in part)
        order = f"COMMANDE {number} 1x2 CASH"
        await text(chopbar, sms_customer, order)
        assert (await last(chopbar, sms_customer)).startswith("2x Ndole.")
        await chopbar.get("/sim/messages", params={"to": ussd_customer})  # a number in a logged URL
    finally:
        root.removeHandler(written)
        root.setLevel(levels[0])
        access.setLevel(levels[1])
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert code and len(lines) > 5
    assert any("+2376****" in json.dumps(line) for line in lines), "the access log names the numbers, masked"
    for line in lines:
        said = json.dumps(line, ensure_ascii=False)
        for phone in (ussd_customer, sms_customer):
            assert phone[-9:] not in said, said  # in no form: +237..., 237..., national
        if line["level"] != "debug":
            assert order not in said and "Poulet DG" not in said, said
