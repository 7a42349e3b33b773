"""When counsellors can be reached: weekly windows in local time, Norwegian public
holidays closed, plus extra closed dates. Pure: no I/O, no clock of its own.

The weekly rules are written the way a person would say them, e.g.
``"mon-fri 08:00-15:30"`` or ``"mon-thu 08:00-15:30; fri 08:00-15:00"``:
rules separated by ``;``, each a set of days (``mon``…``sun``, single days or
ranges, comma-separated) and one or more ``HH:MM-HH:MM`` windows (comma-separated;
``24:00`` allowed as an end; a window never crosses midnight — write two rules).
``"always"`` is open at every moment, holidays included (tests and demos);
``"never"`` is never open. Windows are wall-clock times in the configured zone,
so on DST switch days a window keeps its local start and end.

Public holidays come from the ``holidays`` library (Norway: the ten statutory
holidays, 1. mai and 17. mai). Plain Sundays are not treated as holidays here —
whether Sunday is open is the weekly rules' business, so Easter Sunday and
Whit Sunday close a Sunday window while an ordinary Sunday does not. Christmas
Eve and New Year's Eve are not public holidays; close them with extra dates
(``CLOSED_DATES="12-24,12-31"``: ``MM-DD`` every year, ``YYYY-MM-DD`` once).

The gateway sends the next opening to the bot as an ISO time; its Norwegian wording
("mandag 23. november kl. 08.00") is `akan_contract.dates.describe_next_opening`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

DEFAULT_SPEC = "mon-fri 08:00-15:30"
DEFAULT_TZ = "Europe/Oslo"
ALWAYS = "always"
NEVER = "never"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# How far ahead next_opening looks before concluding the rules never open.
_HORIZON_DAYS = 800

_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_YEARLY = re.compile(r"^(\d{2})-(\d{2})$")


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year).keys())


def _minutes(hours: str, minutes: str, spec: str) -> int:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m != 0):
        raise ValueError(f"OPENING_HOURS: {spec!r} is not a time of day (use HH:MM, 00:00 to 24:00)")
    return h * 60 + m


def _parse_days(text: str, rule: str) -> set[int]:
    days: set[int] = set()
    for item in text.split(","):
        ends = item.strip().split("-")
        if len(ends) > 2 or not all(end in DAYS for end in ends):
            raise ValueError(
                f"OPENING_HOURS: {item.strip()!r} in {rule!r} is not a day or range of days "
                f"(use {', '.join(DAYS)}, e.g. mon-fri)"
            )
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        if last < first:
            raise ValueError(f"OPENING_HOURS: the day range {item.strip()!r} runs backwards")
        days.update(range(first, last + 1))
    return days


def _parse_windows(text: str, rule: str) -> list[tuple[int, int]]:
    windows = []
    for item in text.split(","):
        match = _WINDOW.match(item.strip())
        if not match:
            raise ValueError(
                f"OPENING_HOURS: {item.strip()!r} in {rule!r} is not a time window (use e.g. 08:00-15:30)"
            )
        start = _minutes(match[1], match[2], item.strip())
        end = _minutes(match[3], match[4], item.strip())
        if end <= start:
            raise ValueError(f"OPENING_HOURS: the window {item.strip()!r} must end after it starts, the same day")
        windows.append((start, end))
    return windows


def _parse_closed_dates(text: str) -> tuple[frozenset[date], frozenset[tuple[int, int]]]:
    once: set[date] = set()
    yearly: set[tuple[int, int]] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        match = _YEARLY.match(item)
        try:
            if match:
                date(2000, int(match[1]), int(match[2]))  # a leap year, so 02-29 is allowed
                yearly.add((int(match[1]), int(match[2])))
            else:
                once.add(date.fromisoformat(item))
        except ValueError:
            raise ValueError(f"CLOSED_DATES: {item!r} is not a date (use YYYY-MM-DD, or MM-DD for every year)") from None
    return frozenset(once), frozenset(yearly)


@dataclass(frozen=True)
class OpeningHours:
    """Weekly windows (minutes after local midnight, per weekday 0=Monday) and closed days."""

    windows: tuple[tuple[tuple[int, int], ...], ...] = ((),) * 7
    tz_name: str = DEFAULT_TZ
    always: bool = False
    closed_once: frozenset[date] = field(default_factory=frozenset)
    closed_yearly: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    spec: str = ""

    @classmethod
    def parse(cls, spec: str, tz: str = DEFAULT_TZ, closed_dates: str = "") -> "OpeningHours":
        """Read a spec like ``"mon-fri 08:00-15:30"``; ValueError says what is wrong."""
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"OPENING_HOURS_TZ: {tz!r} is not a known time zone (e.g. Europe/Oslo)") from None
        once, yearly = _parse_closed_dates(closed_dates)
        normalised = " ".join(spec.strip().lower().split())
        common = dict(tz_name=tz, closed_once=once, closed_yearly=yearly, spec=normalised)
        if normalised == ALWAYS:
            return cls(always=True, **common)
        if normalised == NEVER:
            return cls(**common)
        if not normalised:
            raise ValueError(f"OPENING_HOURS is empty (use e.g. {DEFAULT_SPEC!r}, {ALWAYS!r} or {NEVER!r})")
        per_day: list[list[tuple[int, int]]] = [[] for _ in DAYS]
        for rule in (part.strip() for part in normalised.split(";")):
            if not rule:
                continue
            tokens = rule.split(" ")
            split = next((i for i, token in enumerate(tokens) if token[0].isdigit()), len(tokens))
            if split == 0 or split == len(tokens) or any(not t[0].isdigit() for t in tokens[split:]):
                raise ValueError(f"OPENING_HOURS: {rule!r} needs days, then times, e.g. 'mon-fri 08:00-15:30'")
            days = _parse_days("".join(tokens[:split]), rule)
            windows = _parse_windows("".join(tokens[split:]), rule)
            for day in days:
                per_day[day].extend(windows)
        for day, windows in enumerate(per_day):
            ordered = sorted(windows)
            for (_, end), (start, _) in zip(ordered, ordered[1:]):
                if start < end:
                    raise ValueError(f"OPENING_HOURS: windows overlap on {DAYS[day]}")
            per_day[day] = ordered
        return cls(windows=tuple(tuple(w) for w in per_day), **common)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def never(self) -> bool:
        return not self.always and not any(self.windows)

    def is_closed_day(self, day: date) -> bool:
        """A public holiday or an extra closed date (no window opens that day)."""
        return (
            day in _public_holidays(day.year)
            or day in self.closed_once
            or (day.month, day.day) in self.closed_yearly
        )

    def is_open(self, at: datetime) -> bool:
        """Whether `at` (an aware datetime) lies inside an opening window."""
        if self.always:
            return True
        local = _aware(at).astimezone(self.tz)
        if self.is_closed_day(local.date()):
            return False
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.windows[local.weekday()])

    def next_opening(self, after: datetime) -> datetime | None:
        """The first moment at or after `after` when the service is open (so `after`
        itself when open now), in the configured zone; None when it never opens."""
        if self.always:
            return _aware(after).astimezone(self.tz)
        if self.never:
            return None
        local = _aware(after).astimezone(self.tz)
        if self.is_open(local):
            return local
        for offset in range(_HORIZON_DAYS):
            day = local.date() + timedelta(days=offset)
            if self.is_closed_day(day):
                continue
            for start, _ in self.windows[day.weekday()]:
                opening = _wall_clock(day, start, self.tz)
                if opening > local:
                    return opening
        return None


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("opening hours need an aware datetime (with a time zone)")
    return at


def _wall_clock(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The instant a local wall clock shows `minute` on `day`; a time skipped by the
    spring DST switch maps to the instant just after the jump."""
    naive = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    return naive.replace(tzinfo=tz).astimezone(timezone.utc).astimezone(tz)
