"""When a channel's daily tip is due: pure functions of a schedule and an instant.

There is no clock here: callers pass `now` (an aware datetime). A schedule is a local wall-clock
time, the days it runs ("weekdays" = Monday to Friday, or "daily") and an IANA time zone; the
instant of each day's slot is computed from the zone's rules for that date, so 09:00 stays 09:00
local across daylight-saving changes.

Two local times need a rule (Python's `fold=0`, the same as most schedulers):

- a time that does not exist (the clocks go forward, e.g. 01:30 on the last Sunday of March in
  Europe/London) is read with the offset in force before the change, so the slot is at the same
  instant as it would have been, which the new wall clock shows an hour later (01:30 -> 02:30 BST);
- a time that happens twice (the clocks go back, e.g. 01:30 on the last Sunday of October) is the
  first of the two (01:30 BST). There is one slot per local date, so nothing is posted twice.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAYS, DAILY = "weekdays", "daily"
DAYS = (WEEKDAYS, DAILY)
DEFAULT_TIME = time(9, 0)
DEFAULT_DAYS = WEEKDAYS
DEFAULT_ZONE = "Europe/London"
DAY_WORDS = {
    "weekdays": WEEKDAYS,
    "weekday": WEEKDAYS,
    "mon-fri": WEEKDAYS,
    "workdays": WEEKDAYS,
    "daily": DAILY,
    "everyday": DAILY,
    "every-day": DAILY,
    "all": DAILY,
}
#: Words that look like days but are not accepted (a clearer message than "unknown zone").
DAY_LIKE = re.compile(
    r"^(week\w*|weekends?|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|days?|every\w*|hourly|monthly|nightly)$"
)
TIME_LIKE = re.compile(r"^\d{1,2}([:.h]\d{1,2})?\s*(am|pm)?$|^\d{3,4}$|^\d{1,2}(am|pm)$")
TIME_FORMS = "24-hour HH:MM, for example 09:00, 9:30 or 14:15 (9am and 2:30pm work too)"
DAY_FORMS = "`weekdays` (Monday to Friday) or `daily` (every day)"
ZONE_FORMS = "an IANA time zone name such as Europe/London, Europe/Dublin or UTC"


class ScheduleError(ValueError):
    """A time, days or zone that cannot be understood; the message says what is accepted."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """A local wall-clock time, the days it runs on and the IANA zone it is read in."""

    at: time = DEFAULT_TIME
    days: str = DEFAULT_DAYS
    zone: str = DEFAULT_ZONE

    @property
    def tz(self) -> ZoneInfo:
        """The zone's rules."""
        return ZoneInfo(self.zone)

    @property
    def hhmm(self) -> str:
        """The time as stored and shown: HH:MM."""
        return self.at.strftime("%H:%M")

    def describe(self) -> str:
        """e.g. "09:00 on weekdays (Europe/London)"."""
        when = "on weekdays" if self.days == WEEKDAYS else "every day"
        return f"{self.hhmm} {when} ({self.zone})"


# -- reading what people type ---------------------------------------------------------------


def parse_time(text: str) -> time:
    """09:00, 9:00, 9.30, 0930, 9am, 2:30pm -> a time; anything else raises ScheduleError."""
    raw = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?:[:.h](\d{2}))?(am|pm)?", raw) or re.fullmatch(
        r"(\d{2})(\d{2})()", raw
    )
    if match is None or (match.group(2) is None and not match.group(3)):
        raise ScheduleError(f"`{text}` is not a time I understand. Use {TIME_FORMS}.")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"`{text}` is not a time: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"`{text}` is not a time of day. Use {TIME_FORMS}.")
    return time(hour, minute)


def parse_days(text: str) -> str:
    """weekdays | daily (and a few synonyms) -> "weekdays" or "daily"."""
    found = DAY_WORDS.get(text.strip().lower())
    if found is None:
        raise ScheduleError(f"`{text}` is not a choice of days. Use {DAY_FORMS}.")
    return found


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Every zone name the system knows, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def parse_zone(text: str) -> str:
    """An IANA zone name in any letter case -> its canonical spelling."""
    raw = text.strip()
    name = _zones().get(raw.lower())
    if name is None:
        close = difflib.get_close_matches(raw.lower(), list(_zones()), n=3, cutoff=0.75)
        hint = f" Did you mean {', '.join(_zones()[c] for c in close)}?" if close else ""
        raise ScheduleError(f"`{text}` is not a time zone I know.{hint} Use {ZONE_FORMS}.")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # listed but unreadable: say so
        raise ScheduleError(f"`{text}` is not a usable time zone. Use {ZONE_FORMS}.") from exc
    return name


def parse_schedule(words: list[str], current: Schedule | None = None) -> Schedule:
    """`[HH:MM] [weekdays|daily] [TIMEZONE]` in any order; what is left out keeps `current`'s
    value (or the default: 09:00, weekdays, Europe/London)."""
    base = current or Schedule()
    at, days, zone = base.at, base.days, base.zone
    seen: set[str] = set()
    for word in words:
        low = word.lower()
        if low in DAY_WORDS or DAY_LIKE.match(low):
            kind, value = "days", low
        elif TIME_LIKE.match(low) or (any(c.isdigit() for c in low) and "/" not in low):
            kind, value = "time", low
        else:
            kind, value = "zone", word
        if kind in seen:
            raise ScheduleError(f"Give the {kind} once (got another: `{word}`).")
        seen.add(kind)
        if kind == "days":
            days = parse_days(value)
        elif kind == "time":
            at = parse_time(value)
        else:
            zone = parse_zone(value)
    return Schedule(at, days, zone)


def schedule_of(local_time: str, days: str, zone: str) -> Schedule:
    """The schedule stored in a subscription row (HH:MM, days, zone)."""
    return Schedule(parse_time(local_time), days if days in DAYS else DEFAULT_DAYS, zone)


# -- when slots fall ------------------------------------------------------------------------


def runs_on(schedule: Schedule, day: date) -> bool:
    """Whether the schedule has a slot on this local date."""
    return schedule.days == DAILY or day.weekday() < 5


def slot_on(schedule: Schedule, day: date) -> datetime:
    """The UTC instant of the slot on a local date (see the module notes for DST gaps/overlaps)."""
    local = datetime.combine(day, schedule.at, tzinfo=schedule.tz)  # fold=0
    return local.astimezone(UTC)


def _local_date(schedule: Schedule, now: datetime) -> date:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(schedule.tz).date()


def latest_slot(schedule: Schedule, now: datetime) -> datetime | None:
    """The most recent slot at or before `now` (within the last week), in UTC."""
    today = _local_date(schedule, now)
    for back in range(9):
        day = today - timedelta(days=back)
        if runs_on(schedule, day):
            slot = slot_on(schedule, day)
            if slot <= now:
                return slot
    return None


def next_slot(schedule: Schedule, now: datetime) -> datetime:
    """The first slot strictly after `now`, in UTC."""
    today = _local_date(schedule, now)
    for ahead in range(10):
        day = today + timedelta(days=ahead)
        if runs_on(schedule, day):
            slot = slot_on(schedule, day)
            if slot > now:
                return slot
    raise ValueError(f"no slot in the next ten days for {schedule}")  # cannot happen


@dataclass(frozen=True, slots=True)
class Due:
    """The slot to deal with now: post it (possibly late) or, past the cut-off, skip it."""

    slot: datetime  # UTC
    late: timedelta  # how long after the slot `now` is
    expired: bool  # older than the cut-off: record it as skipped, never post it


def due_slot(
    schedule: Schedule,
    now: datetime,
    *,
    cutoff: timedelta,
    since: datetime | None = None,
) -> Due | None:
    """The most recent slot not after `now`, if it is after `since` (when the subscription was
    turned on or changed). Older slots are superseded: only the latest one is ever considered,
    so a bot that was down for days posts at most one late tip."""
    slot = latest_slot(schedule, now)
    if slot is None or (since is not None and slot <= since):
        return None
    late = now - slot
    return Due(slot, late, late > cutoff)
