"""Whatever keys a person presses, every screen is valid USSD: no 5xx, within the limit, ASCII."""
import itertools

from hypothesis import HealthCheck, given, settings, strategies as st

KEYS = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "0", "00", "98", "99", ""]),
    st.text(alphabet=st.characters(blacklist_characters="*", blacklist_categories=("Cs",)), max_size=25),
)
sessions = itertools.count()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(keys=st.lists(KEYS, max_size=14), phone=st.sampled_from(["+237699555002", "+237677000002", "+237655000003"]))
async def test_random_keys_never_break_a_screen(chopbar, keys, phone):
    session_id = f"prop-{next(sessions)}"
    for hop in range(len(keys) + 1):
        text = "*".join(keys[:hop])
        response = await chopbar.post(
            "/ussd/africastalking",
            data={"sessionId": session_id, "serviceCode": "*384*2468#", "phoneNumber": phone, "networkCode": "62401", "text": text},
        )
        body = await response.text()
        assert response.status < 500, body
        if response.status != 200:
            assert response.status == 400  # a path longer than any phone sends
            return
        assert body.startswith(("CON ", "END ")), body
        assert len(body) <= 160, body
        assert body.isascii(), body
        if body.startswith("END "):
            return
