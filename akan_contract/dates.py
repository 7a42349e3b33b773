"""Norwegian (bokmål) wording of dates, as the bot and the gateway write them."""
from __future__ import annotations

from datetime import datetime

WEEKDAY_NAMES_NB = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTH_NAMES_NB = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)


def describe_next_opening(at: datetime) -> str:
    """Norwegian wording of a moment, e.g. "mandag 23. november kl. 08.00"."""
    return (
        f"{WEEKDAY_NAMES_NB[at.weekday()]} {at.day}. {MONTH_NAMES_NB[at.month - 1]} "
        f"kl. {at.hour:02d}.{at.minute:02d}"
    )
