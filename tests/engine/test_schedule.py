"""The schedule is pure: slots from a local time, days and zone, for any `now` we pass."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.engine.schedule import (
    Schedule,
    ScheduleError,
    due_slot,
    latest_slot,
    next_slot,
    parse_days,
    parse_schedule,
    parse_time,
    parse_zone,
    slot_on,
)

LONDON = Schedule(time(9, 0), "weekdays", "Europe/London")
LONDON_DAILY = Schedule(time(9, 0), "daily", "Europe/London")
SIX_HOURS = timedelta(hours=6)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(moment: datetime, zone: str = "Europe/London") -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


# -- daylight saving: 09:00 stays 09:00 local -----------------------------------------------


def test_march_change_keeps_nine_oclock_local() -> None:
    # Clocks go forward on Sunday 29 March 2026: 09:00 GMT on Friday, 09:00 BST on Monday.
    assert slot_on(LONDON, date(2026, 3, 27)) == utc("2026-03-27T09:00")
    assert slot_on(LONDON, date(2026, 3, 30)) == utc("2026-03-30T08:00")
    assert local(slot_on(LONDON, date(2026, 3, 30))) == "2026-03-30 09:00 BST"
    assert slot_on(LONDON_DAILY, date(2026, 3, 29)) == utc("2026-03-29T08:00")  # the day itself


def test_october_change_keeps_nine_oclock_local() -> None:
    # Clocks go back on Sunday 25 October 2026.
    assert slot_on(LONDON, date(2026, 10, 23)) == utc("2026-10-23T08:00")
    assert slot_on(LONDON, date(2026, 10, 26)) == utc("2026-10-26T09:00")
    assert local(slot_on(LONDON_DAILY, date(2026, 10, 25))) == "2026-10-25 09:00 GMT"


def test_next_slot_across_the_change_in_both_directions() -> None:
    assert next_slot(LONDON, utc("2026-03-27T10:00")) == utc("2026-03-30T08:00")
    assert next_slot(LONDON, utc("2026-10-23T10:00")) == utc("2026-10-26T09:00")
    assert latest_slot(LONDON, utc("2026-03-30T07:59")) == utc("2026-03-27T09:00")
    assert latest_slot(LONDON, utc("2026-03-30T08:00")) == utc("2026-03-30T08:00")


def test_a_time_skipped_by_the_change_runs_an_hour_later_on_the_new_clock() -> None:
    early = Schedule(time(1, 30), "daily", "Europe/London")
    slot = slot_on(early, date(2026, 3, 29))  # 01:30 does not exist that night
    assert slot == utc("2026-03-29T01:30")
    assert local(slot) == "2026-03-29 02:30 BST"


def test_a_time_repeated_by_the_change_is_the_first_one_only() -> None:
    early = Schedule(time(1, 30), "daily", "Europe/London")
    slot = slot_on(early, date(2026, 10, 25))  # 01:30 happens twice that night
    assert slot == utc("2026-10-25T00:30")  # 01:30 BST
    # One slot per local date: after the first 01:30 the next slot is the next day's.
    assert next_slot(early, utc("2026-10-25T00:30")) == utc("2026-10-26T01:30")
    assert latest_slot(early, utc("2026-10-25T01:45")) == utc("2026-10-25T00:30")


# -- days and zones ---------------------------------------------------------------------------


def test_weekdays_skip_the_weekend_and_daily_does_not() -> None:
    sunday_noon = utc("2026-03-22T12:00")
    assert latest_slot(LONDON, sunday_noon) == utc("2026-03-20T09:00")  # Friday
    assert latest_slot(LONDON_DAILY, sunday_noon) == utc("2026-03-22T09:00")
    assert next_slot(LONDON, utc("2026-03-20T10:00")) == utc("2026-03-23T09:00")  # Monday
    assert next_slot(LONDON_DAILY, utc("2026-03-20T10:00")) == utc("2026-03-21T09:00")


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        ("America/New_York", date(2026, 3, 6), "2026-03-06T14:00"),  # EST
        ("America/New_York", date(2026, 3, 9), "2026-03-09T13:00"),  # EDT (US changes 8 March)
        ("Asia/Kolkata", date(2026, 3, 9), "2026-03-09T03:30"),  # +05:30, no DST
        ("Australia/Sydney", date(2026, 4, 3), "2026-04-02T22:00"),  # AEDT
        ("Australia/Sydney", date(2026, 4, 6), "2026-04-05T23:00"),  # AEST (ends 5 April)
        ("UTC", date(2026, 3, 9), "2026-03-09T09:00"),
    ],
)
def test_time_zones(zone: str, day: date, expected: str) -> None:
    assert slot_on(Schedule(time(9, 0), "daily", zone), day) == utc(expected)


def test_the_weekday_is_the_local_one() -> None:
    # 09:00 Monday in Sydney is Sunday evening in UTC: a weekday slot all the same.
    sydney = Schedule(time(9, 0), "weekdays", "Australia/Sydney")
    assert latest_slot(sydney, utc("2026-03-22T23:00")) == utc("2026-03-22T22:00")


# -- what is due ----------------------------------------------------------------------------


def test_due_on_time_late_and_past_the_cutoff() -> None:
    slot = utc("2026-03-23T09:00")
    before = due_slot(LONDON, utc("2026-03-23T08:59"), cutoff=SIX_HOURS)
    assert before is not None and before.slot == utc("2026-03-20T09:00") and before.expired
    on_time = due_slot(LONDON, slot, cutoff=SIX_HOURS)
    assert on_time is not None and on_time.slot == slot and not on_time.expired
    late = due_slot(LONDON, utc("2026-03-23T14:59"), cutoff=SIX_HOURS)
    assert late is not None and late.late == timedelta(hours=5, minutes=59) and not late.expired
    too_late = due_slot(LONDON, utc("2026-03-23T15:01"), cutoff=SIX_HOURS)
    assert too_late is not None and too_late.slot == slot and too_late.expired


def test_only_the_latest_slot_is_ever_due() -> None:
    # Down from Monday to Thursday noon: Thursday's slot is due (late), never Monday's.
    found = due_slot(LONDON, utc("2026-03-26T12:00"), cutoff=SIX_HOURS)
    assert found is not None and found.slot == utc("2026-03-26T09:00")


def test_slots_before_the_subscription_are_not_due() -> None:
    since = utc("2026-03-23T10:00")
    assert due_slot(LONDON, utc("2026-03-23T11:00"), cutoff=SIX_HOURS, since=since) is None
    found = due_slot(LONDON, utc("2026-03-24T09:00"), cutoff=SIX_HOURS, since=since)
    assert found is not None and found.slot == utc("2026-03-24T09:00")


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        latest_slot(LONDON, datetime(2026, 3, 23, 9))


# -- reading what people type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9)),
        ("9:00", time(9)),
        ("9.30", time(9, 30)),
        ("0930", time(9, 30)),
        ("14:15", time(14, 15)),
        ("9am", time(9)),
        ("2:30pm", time(14, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("00:00", time(0)),
        ("23:59", time(23, 59)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9", "12:60", "noon", "13pm", "9:5", "-1:00"])
def test_bad_times_say_what_is_accepted(text: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_time(text)
    assert f"`{text}`" in str(caught.value)
    assert "09:00" in str(caught.value) or "am/pm" in str(caught.value)


def test_days() -> None:
    assert parse_days("weekdays") == "weekdays"
    assert parse_days("Daily") == "daily"
    assert parse_days("every-day") == "daily"
    with pytest.raises(ScheduleError, match=r"`weekdays`.*`daily`"):
        parse_days("weekends")


def test_zones() -> None:
    assert parse_zone("Europe/London") == "Europe/London"
    assert parse_zone("europe/london") == "Europe/London"
    assert parse_zone("utc") == "UTC"
    with pytest.raises(ScheduleError, match="Did you mean Europe/London"):
        parse_zone("Europe/Londn")
    with pytest.raises(ScheduleError, match="IANA time zone"):
        parse_zone("Mars/Olympus")


def test_schedule_defaults_any_order_and_errors() -> None:
    assert parse_schedule([]) == Schedule(time(9), "weekdays", "Europe/London")
    assert parse_schedule(["Europe/Dublin", "daily", "08:30"]) == Schedule(
        time(8, 30), "daily", "Europe/Dublin"
    )
    current = Schedule(time(7, 0), "daily", "Asia/Kolkata")
    assert parse_schedule(["10:00"], current) == Schedule(time(10), "daily", "Asia/Kolkata")
    with pytest.raises(ScheduleError, match="once"):
        parse_schedule(["09:00", "10:00"])
    with pytest.raises(ScheduleError, match="days"):
        parse_schedule(["weekly"])
    with pytest.raises(ScheduleError, match="time zone"):
        parse_schedule(["London/Europe"])
    with pytest.raises(ScheduleError, match="time"):
        parse_schedule(["25:00"])
