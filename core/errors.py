"""Expected failures of the domain; each edge turns them into a 4xx or a short help reply."""


from state_machines.flow import TransitionRefused


class ChopbarError(Exception):
    """Expected failures: a 4xx or a help reply at the edge."""

    code = "error"
    status = 400


class BadInput(ChopbarError):
    code = "bad_input"
    status = 400


class NotFound(ChopbarError):
    code = "not_found"
    status = 404


class Unauthorized(ChopbarError):
    """No valid credentials: sign in again."""

    code = "unauthorized"
    status = 401


class Forbidden(ChopbarError):
    code = "forbidden"
    status = 403


class BadSignature(ChopbarError):
    """A gateway request whose signature does not check out: 403, nothing stored."""

    code = "bad_signature"
    status = 403


class Conflict(ChopbarError):
    """Someone else changed the same thing first; the caller may read again and retry."""

    code = "conflict"
    status = 409


class IllegalTransition(ChopbarError, TransitionRefused):
    """A lifecycle change its state machine does not allow from the current state."""

    code = "illegal_transition"
    status = 409

    def __init__(self, entity: str, ref: str, state: str, trigger: str) -> None:
        TransitionRefused.__init__(self, entity, ref, state, trigger)


class Unavailable(ChopbarError):
    """An outside system we need right now did not answer: nothing changed, try again shortly."""

    code = "unavailable"
    status = 503


class SecondFactorRequired(Forbidden):
    """A support or admin permission asked with a token signed in by SMS code alone."""

    code = "second_factor_required"


class SecondFactorEnrolmentRequired(Forbidden):
    """A support or admin account without a second factor yet: only its enrolment is open to it."""

    code = "second_factor_enrolment_required"


class AccountLocked(ChopbarError):
    """Too many wrong codes: every code is refused, even the right one, for `retry_after_s`."""

    code = "account_locked"
    status = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = max(int(retry_after_s), 1)
