"""Stars as numbers: a rating's limits, an average from a count and a total, how it is shown
("4.6*"), and the score dispatch ranks drivers by. Pure: no database, no I/O.

A driver's score is a Bayesian average: their stars plus PRIOR_WEIGHT imaginary ratings of
PRIOR_STARS. A new driver scores the prior, one good rating lifts them a little and one bad
rating cannot sink them; after a few dozen ratings their own record speaks.
"""
MIN_STARS, MAX_STARS = 1, 5
PRIOR_STARS = 4.0  # what a driver with no ratings is taken to be worth
PRIOR_WEIGHT = 5  # how many ratings that assumption counts for


def average(total: int, count: int) -> float | None:
    """The average stars to one decimal, None with no rating yet."""
    if count <= 0:
        return None
    return round(total / count, 1)


def shown(total: int, count: int) -> str:
    """"4.6*" beside a name on USSD and SMS; nothing before the first rating."""
    mean = average(total, count)
    return f"{mean:.1f}*" if mean is not None else ""


def shown_with_count(total: int, count: int) -> str:
    """"4.6* (12)" in a restaurant's own title; nothing before the first rating."""
    stars = shown(total, count)
    return f"{stars} ({count})" if stars else ""


def titled(name: str, total: int, count: int) -> str:
    """A restaurant's name with its average and count, as its own screens head it."""
    rated = shown_with_count(total, count)
    return f"{name} {rated}" if rated else name


def driver_score(total: int, count: int) -> float:
    """What dispatch ranks equally placed drivers by: higher first; a new driver has the prior."""
    return (total + PRIOR_STARS * PRIOR_WEIGHT) / (max(count, 0) + PRIOR_WEIGHT)


def valid_stars(stars: int | None) -> bool:
    return stars is not None and MIN_STARS <= stars <= MAX_STARS
