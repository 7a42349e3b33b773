"""Opening hours: weekly windows in Oslo time, Norwegian public holidays closed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from akan_contract.dates import describe_next_opening
from bot.opening_hours import DEFAULT_SPEC, OpeningHours
from bot.settings import Settings

OSLO = ZoneInfo("Europe/Oslo")
UTC = timezone.utc
WEEKDAYS = OpeningHours.parse("mon-thu 08:00-15:30; fri 08:00-15:00")


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_default_is_weekdays_in_office_hours():
    hours = Settings.from_env({}).opening_hours
    assert hours == OpeningHours.parse(DEFAULT_SPEC)
    assert hours.is_open(oslo(2026, 11, 23, 10, 0))  # Monday
    assert not hours.is_open(oslo(2026, 11, 21, 10, 0))  # Saturday
    assert not hours.is_open(oslo(2026, 11, 22, 10, 0))  # Sunday


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (oslo(2026, 11, 24, 7, 59), False),
        (oslo(2026, 11, 24, 8, 0), True),
        (oslo(2026, 11, 24, 12, 0), True),
        (oslo(2026, 11, 24, 15, 29), True),
        (oslo(2026, 11, 24, 15, 30), False),
        (oslo(2026, 11, 24, 22, 0), False),
        (oslo(2026, 11, 27, 14, 59), True),  # Friday closes earlier
        (oslo(2026, 11, 27, 15, 0), False),
        (oslo(2026, 11, 28, 12, 0), False),  # Saturday
    ],
)
def test_weekday_windows_and_their_edges(moment, is_open):
    assert WEEKDAYS.is_open(moment) is is_open


def test_any_time_zone_in_means_the_same_instant():
    # 07:30 UTC in November is 08:30 in Oslo (UTC+1): open; 06:59 UTC is 07:59: closed.
    assert WEEKDAYS.is_open(utc(2026, 11, 24, 7, 30))
    assert not WEEKDAYS.is_open(utc(2026, 11, 24, 6, 59))
    assert WEEKDAYS.is_open(datetime(2026, 11, 24, 3, 0, tzinfo=timezone(timedelta(hours=-5))))


def test_windows_keep_local_time_across_dst_switches():
    every_day = OpeningHours.parse("mon-sun 08:00-15:30")
    # Winter (UTC+1) on Friday, summer (UTC+2) from Sunday 29 March 2026.
    assert every_day.is_open(utc(2026, 3, 27, 7, 0)) and not every_day.is_open(utc(2026, 3, 27, 6, 59))
    assert every_day.is_open(utc(2026, 3, 29, 6, 0)) and not every_day.is_open(utc(2026, 3, 29, 5, 59))
    assert every_day.is_open(utc(2026, 3, 29, 13, 29)) and not every_day.is_open(utc(2026, 3, 29, 13, 30))
    # Back to winter on Sunday 25 October 2026.
    assert every_day.is_open(utc(2026, 10, 25, 7, 0)) and not every_day.is_open(utc(2026, 10, 25, 6, 59))
    assert every_day.next_opening(utc(2026, 10, 24, 20, 0)) == oslo(2026, 10, 25, 8, 0)
    assert every_day.next_opening(utc(2026, 10, 24, 20, 0)) == utc(2026, 10, 25, 7, 0)


def test_next_opening_across_the_dst_weekend():
    opening = WEEKDAYS.next_opening(oslo(2026, 3, 27, 16, 0))
    assert opening == oslo(2026, 3, 30, 8, 0)
    assert opening.utcoffset() == timedelta(hours=2)
    assert opening == utc(2026, 3, 30, 6, 0)


def test_a_window_in_the_hour_skipped_by_dst_opens_after_the_jump():
    night = OpeningHours.parse("sun 02:30-04:00")
    opening = night.next_opening(oslo(2026, 3, 28, 12, 0))
    assert opening == utc(2026, 3, 29, 1, 30)  # 03:30 summer time
    assert night.is_open(opening)


@pytest.mark.parametrize(
    "holiday",
    [
        oslo(2027, 5, 17, 10, 0),  # 17. mai (a Monday in 2027)
        oslo(2026, 5, 1, 10, 0),  # 1. mai (Friday)
        oslo(2026, 4, 2, 10, 0),  # skjærtorsdag
        oslo(2026, 4, 3, 10, 0),  # langfredag
        oslo(2026, 4, 6, 10, 0),  # 2. påskedag
        oslo(2026, 5, 14, 10, 0),  # Kristi himmelfartsdag
        oslo(2026, 5, 25, 10, 0),  # 2. pinsedag
        oslo(2026, 12, 25, 10, 0),  # 1. juledag
        oslo(2028, 12, 26, 10, 0),  # 2. juledag (a Tuesday in 2028)
        oslo(2027, 1, 1, 10, 0),  # 1. nyttårsdag
    ],
)
def test_norwegian_public_holidays_are_closed(holiday):
    assert holiday.weekday() < 5
    assert not WEEKDAYS.is_open(holiday)
    assert WEEKDAYS.is_open(holiday + timedelta(days=7)) or WEEKDAYS.is_closed_day((holiday + timedelta(days=7)).date())


def test_ordinary_days_around_holidays_are_open():
    assert WEEKDAYS.is_open(oslo(2026, 4, 1, 10, 0))  # onsdag before Easter
    assert WEEKDAYS.is_open(oslo(2026, 4, 7, 10, 0))  # tuesday after
    assert WEEKDAYS.is_open(oslo(2026, 12, 23, 10, 0))
    assert WEEKDAYS.is_open(oslo(2026, 12, 24, 10, 0))  # julaften is not a public holiday


def test_sundays_follow_the_weekly_rules_but_holiday_sundays_close():
    every_day = OpeningHours.parse("mon-sun 10:00-14:00")
    assert every_day.is_open(oslo(2026, 11, 22, 12, 0))  # an ordinary Sunday
    assert not every_day.is_open(oslo(2026, 4, 5, 12, 0))  # 1. påskedag
    assert not every_day.is_open(oslo(2026, 5, 24, 12, 0))  # 1. pinsedag
    assert not every_day.is_open(oslo(2026, 5, 17, 12, 0))  # 17. mai on a Sunday


def test_next_opening_across_a_weekend_and_easter():
    assert WEEKDAYS.next_opening(oslo(2026, 11, 27, 15, 0)) == oslo(2026, 11, 30, 8, 0)
    assert WEEKDAYS.next_opening(oslo(2026, 11, 21, 3, 0)) == oslo(2026, 11, 23, 8, 0)
    assert WEEKDAYS.next_opening(oslo(2026, 4, 1, 15, 30)) == oslo(2026, 4, 7, 8, 0)
    assert WEEKDAYS.next_opening(oslo(2026, 12, 24, 16, 0)) == oslo(2026, 12, 28, 8, 0)


def test_next_opening_later_the_same_day_and_now_when_open():
    assert WEEKDAYS.next_opening(oslo(2026, 11, 24, 6, 15)) == oslo(2026, 11, 24, 8, 0)
    assert WEEKDAYS.next_opening(oslo(2026, 11, 24, 9, 0)) == oslo(2026, 11, 24, 9, 0)
    split = OpeningHours.parse("mon-fri 08:00-11:30, 12:00-15:30")
    assert not split.is_open(oslo(2026, 11, 24, 11, 45))
    assert split.next_opening(oslo(2026, 11, 24, 11, 45)) == oslo(2026, 11, 24, 12, 0)


def test_next_opening_is_in_oslo_time():
    opening = WEEKDAYS.next_opening(utc(2026, 11, 21, 12, 0))
    assert opening.tzinfo == OSLO
    assert describe_next_opening(opening) == "mandag 23. november kl. 08.00"


def test_extra_closed_dates_every_year_and_once():
    hours = OpeningHours.parse("mon-fri 08:00-15:30", closed_dates="12-24, 12-31, 2026-11-24")
    assert not hours.is_open(oslo(2026, 12, 24, 10, 0))
    assert not hours.is_open(oslo(2027, 12, 31, 10, 0))
    assert not hours.is_open(oslo(2026, 11, 24, 10, 0))
    assert hours.is_open(oslo(2027, 11, 24, 10, 0))
    assert hours.next_opening(oslo(2026, 12, 23, 16, 0)) == oslo(2026, 12, 28, 8, 0)


def test_always_and_never():
    always = OpeningHours.parse("always")
    assert always.is_open(oslo(2027, 5, 17, 3, 0))
    assert always.next_opening(utc(2027, 5, 17, 1, 0)) == utc(2027, 5, 17, 1, 0)
    never = OpeningHours.parse("never")
    assert not never.is_open(oslo(2026, 11, 24, 10, 0))
    assert never.next_opening(oslo(2026, 11, 24, 10, 0)) is None


def test_other_time_zone():
    hours = OpeningHours.parse("mon-fri 08:00-15:30", tz="Europe/London")
    assert hours.is_open(utc(2026, 11, 24, 8, 0))
    assert not hours.is_open(utc(2026, 11, 24, 7, 30))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        WEEKDAYS.is_open(datetime(2026, 11, 24, 10, 0))
    with pytest.raises(ValueError, match="aware"):
        WEEKDAYS.next_opening(datetime(2026, 11, 24, 10, 0))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        ("mon", "needs days, then times"),
        ("08:00-15:30", "needs days, then times"),
        ("mon-fri 8-15", "not a time window"),
        ("man-fre 08:00-15:30", "not a day"),
        ("fri-mon 08:00-15:30", "runs backwards"),
        ("mon 15:30-08:00", "must end after it starts"),
        ("mon 22:00-02:00", "must end after it starts"),
        ("mon 25:00-26:00", "not a time of day"),
        ("mon 08:60-09:00", "not a time of day"),
        ("mon-fri 08:00-12:00; wed 11:00-13:00", "overlap on wed"),
    ],
)
def test_bad_specs_are_clear_errors(spec, message):
    with pytest.raises(ValueError, match=message):
        OpeningHours.parse(spec)


def test_bad_settings_name_the_variable():
    with pytest.raises(ValueError, match="OPENING_HOURS"):
        Settings.from_env({"OPENING_HOURS": "weekdays 9-5"})
    with pytest.raises(ValueError, match="OPENING_HOURS_TZ"):
        Settings.from_env({"OPENING_HOURS_TZ": "Mars/Olympus"})
    with pytest.raises(ValueError, match="CLOSED_DATES"):
        Settings.from_env({"CLOSED_DATES": "24.12"})
    settings = Settings.from_env({"OPENING_HOURS": " Always ", "CLOSED_DATES": "12-24"})
    assert settings.opening_hours.always


def test_window_may_end_at_midnight():
    late = OpeningHours.parse("fri 18:00-24:00")
    assert late.is_open(oslo(2026, 11, 27, 23, 59))
    assert not late.is_open(oslo(2026, 11, 28, 0, 0))
