"""Who may do what at a restaurant: its owner, managers and staff, and its console numbers.

One table, read by every channel: the SMS console, the REST API and the web console ask `may`
before acting for a restaurant. A person's role comes from their account's roles (`owner:12`,
`manager:12`, `staff:12`); the restaurant's main console number acts as a manager and its backup
number as staff, so a kitchen's shared cheap phone can answer orders and keep the menu right,
while money (payouts) and people stay with the owner. A number that is both takes the stronger role.
"""
OWNER, MANAGER, STAFF = "owner", "manager", "staff"
RESTAURANT_ROLES = (OWNER, MANAGER, STAFF)  # strongest first

# What each action is, by name: the channels name these, never a role.
ANSWER = "answer"      # accept, reject, mark ready, mark a pickup collected
STOCK = "stock"        # a dish sold out or available again
OPEN = "open"          # close for now, open again
PRICES = "prices"      # change a dish's price
MENU = "menu"          # create, rename, reorder and delete dishes and categories; CSV import
REPORT = "report"      # the day's orders and takings
AUTO = "auto"          # accept every new order at once
HOURS = "hours"        # the week's opening hours
PEOPLE = "people"      # who works there
PAYOUT = "payout"      # ask for the restaurant's money now
PROMOS = "promos"      # the restaurant's own promo codes and offers
RATINGS = "ratings"    # read the customers' comments and answer them

ACTIONS = (ANSWER, STOCK, OPEN, PRICES, MENU, REPORT, AUTO, HOURS, PEOPLE, PAYOUT, PROMOS, RATINGS)
_STAFF = frozenset({ANSWER, STOCK, OPEN})
_MANAGER = _STAFF | {PRICES, MENU, REPORT, AUTO, HOURS, PROMOS, RATINGS}
MAY: dict[str, frozenset[str]] = {OWNER: frozenset(ACTIONS), MANAGER: frozenset(_MANAGER), STAFF: _STAFF}
CONSOLE_ROLE, BACKUP_ROLE = MANAGER, STAFF


def may(role: str | None, action: str) -> bool:
    """True when someone of this role at a restaurant may take this action there."""
    if action not in ACTIONS:
        raise ValueError(f"unknown restaurant action {action!r}")
    return role in MAY and action in MAY[role]


def strongest(roles) -> str | None:
    """The strongest of these restaurant roles, None when there is none."""
    held = set(roles)
    return next((role for role in RESTAURANT_ROLES if role in held), None)


def role_of_number(phone: str, *, console: str | None, backup: str | None, person_roles=()) -> str | None:
    """The role a number has at a restaurant: its own account's roles there, or the console's."""
    held = set(person_roles)
    if phone == console:
        held.add(CONSOLE_ROLE)
    if backup and phone == backup:
        held.add(BACKUP_ROLE)
    return strongest(held)


def roles_that_may(action: str) -> tuple[str, ...]:
    """The roles allowed an action, strongest first: for refusals and the OpenAPI text."""
    return tuple(role for role in RESTAURANT_ROLES if may(role, action))
