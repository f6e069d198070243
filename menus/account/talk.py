"""Talk to us: the caller types a message to support, which opens a ticket (or joins theirs);
the ticket's number comes on the closing screen and by SMS."""
from core.use_cases import helpdesk
from menus.choices import Filled, Move
from menus.hopping import Hopping
from menus.screen import N_, Screen

MIN_TEXT = 3


async def typed_message(h: Hopping, text: str) -> Move:
    message = " ".join(text.split())
    if len(message) < MIN_TEXT:
        return Move(None, hint="too_short")
    account = await h.account()
    asker = helpdesk.Asker(h.hop.phone, "customer", h.state.language, account.id)
    # USSD carries no reply once the session ends: the acknowledgement also comes by SMS.
    asked = await helpdesk.ask_for_help(h.unit, asker, message, channel=h.hop.channel,
                                        acknowledge_by_sms=h.hop.channel == "ussd")
    h.state.known["ticket"] = asked.ticket_id
    return Move("send_message")


async def talk_sent(h: Hopping) -> Filled:
    return Filled(values={"ticket": h.state.known.get("ticket", "")})


TALK = Screen(
    name="talk", title=N_("Talk to us"), prompt=N_("Type your message to Chopbar support:"), typed=typed_message,
)
TALK_SENT = Screen(
    name="talk_sent", title=N_("Thank you. Your message is ticket {ticket}: we will answer you by SMS."), end=True,
    fill=talk_sent,
)
