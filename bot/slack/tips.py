"""`/toolkit tips on|off|status|now`: daily tips for a channel, managed from Slack.

Registered through the /toolkit sub-command hook (first word "tips"); every reply is ephemeral.
`on` and `now` first ask Slack (conversations.info) whether the bot is in the channel and, if
not, say how to invite it. Times, days and zones are read by bot.engine.schedule, whose errors
say which forms are accepted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.engine.schedule import Schedule, ScheduleError, next_slot, parse_schedule, schedule_of
from bot.jobs.scheduler import utc_now
from bot.jobs.tips import TipRunner
from bot.slack.asking import ask_command
from bot.slack.services import Services
from bot.slack.text import escape
from bot.slack.tip_post import ClientFor, Membership, check_membership
from bot.store.subscriptions import TipStore

log = logging.getLogger("toolkit_bot.tips")

INVITE = "`/invite @Toolkit Bot`"
TURNED_OFF = "turned off with /toolkit tips off"
USAGE = (
    "*Daily tips for this channel*\n"
    "• `/toolkit tips on [HH:MM] [weekdays|daily] [TIMEZONE]`: one short piece of evidence a "
    "day, by default at 09:00 on weekdays, Europe/London time "
    "(e.g. `/toolkit tips on 08:30 daily Europe/Dublin`)\n"
    "• `/toolkit tips off`: stop them\n"
    "• `/toolkit tips status`: when the next one comes\n"
    "• `/toolkit tips now`: post the next tip straight away\n"
    f"I have to be in the channel to post: invite me with {INVITE}."
)
NO_DATABASE = (
    "I can't reach my database just now, so I can't change daily tips. "
    "Please try again in a minute."
)


def _local(moment: datetime, schedule: Schedule) -> str:
    """Monday 30 March at 09:00."""
    local = moment.astimezone(schedule.tz)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def membership_problem(found: Membership, channel: str, action: str) -> str:
    """Why the bot cannot post here, and what to do about it."""
    reason = found.reason
    if reason == "not_in_channel":
        return (
            f"I'm not in <#{channel}> yet, so I can't post tips there. Invite me with {INVITE} "
            f"in the channel, then run `/toolkit tips {action}` again."
        )
    if reason == "channel_not_found":
        return (
            "I can't see this channel (it's private, or I'm not in it). Invite me with "
            f"{INVITE} in the channel, then run `/toolkit tips {action}` again."
        )
    if reason == "is_archived":
        return "This channel is archived, so I can't post tips in it."
    if reason == "is_dm":
        return (
            "Daily tips are for channels. Run `/toolkit tips on` in a channel I'm in, or ask "
            "`/toolkit tip` for today's tip here."
        )
    if reason == "not_installed":
        return "Toolkit Bot is not installed in this workspace any more; ask an admin to add it."
    if reason in ("missing_scope", "invalid_auth", "not_authed", "account_inactive"):
        return (
            f"I can't check this channel: Slack said `{escape(reason)}`. Ask whoever installed "
            "Toolkit Bot to reinstall it (it needs the channels:read and groups:read permissions)."
        )
    return (
        f"I couldn't check this channel with Slack ({escape(reason)}). Please try again in a "
        "minute."
    )


@dataclass
class TipsCommand:
    """The `tips` sub-command: handler(command, services) -> the response_url message."""

    store: TipStore | None  # None when the database could not be opened
    runner: TipRunner | None
    client_for: ClientFor
    hash_user: Callable[[str, str], str]  # (team id, user id) -> keyed hash
    clock: Callable[[], datetime] = utc_now

    def __call__(self, command: dict[str, Any], services: Services) -> dict[str, Any]:
        text = str(command.get("text") or "")
        words = text.split()[1:]
        action = words[0].lower() if words else "help"
        handlers = {
            "on": self.on,
            "off": self.off,
            "status": self.status,
            "now": self.now,
            "help": self.help,
        }
        handler = handlers.get(action)
        if handler is None:  # "tips for talking to parents?" is a question, not a command
            return {"response_type": "ephemeral", **ask_command(services, text).message()}
        if self.store is None and action != "help":
            return _ephemeral(NO_DATABASE)
        try:
            return _ephemeral(handler(command, words[1:]))
        except SQLAlchemyError:
            log.exception("tips: database error on /toolkit tips %s", action)
            return _ephemeral(NO_DATABASE)

    def _ids(self, command: dict[str, Any]) -> tuple[str, str]:
        return str(command.get("team_id") or ""), str(command.get("channel_id") or "")

    def help(self, command: dict[str, Any], args: list[str]) -> str:
        return USAGE

    def on(self, command: dict[str, Any], args: list[str]) -> str:
        assert self.store is not None
        team, channel = self._ids(command)
        existing = self.store.get(team, channel)
        current = (
            schedule_of(existing.local_time, existing.days, existing.timezone) if existing else None
        )
        try:
            schedule = parse_schedule(args, current)
        except ScheduleError as exc:
            return f"{exc}\nFor example: `/toolkit tips on 09:00 weekdays Europe/London`."
        member = check_membership(self.client_for(team), channel)
        if not member.ok:
            return membership_problem(member, channel, "on")
        now = self.clock()
        self.store.subscribe(
            team,
            channel,
            local_time=schedule.hhmm,
            days=schedule.days,
            timezone=schedule.zone,
            created_by=self.hash_user(team, str(command.get("user_id") or "")),
            now=now,
        )
        log.info("tips: %s/%s on at %s", team, channel, schedule.describe())
        done = (
            f"Daily tips in <#{channel}> are now {schedule.describe()}"
            if existing is not None and existing.active
            else f"Daily tips are on in <#{channel}>: {schedule.describe()}"
        )
        return (
            f":white_check_mark: {done}. "
            f"The next one comes on {_local(next_slot(schedule, now), schedule)}.\n"
            "`/toolkit tips status` shows this again; `/toolkit tips off` stops them."
        )

    def off(self, command: dict[str, Any], args: list[str]) -> str:
        assert self.store is not None
        team, channel = self._ids(command)
        existing = self.store.get(team, channel)
        if existing is None or not existing.active:
            return f"Daily tips are already off in <#{channel}>."
        self.store.turn_off(team, channel, now=self.clock(), reason=TURNED_OFF)
        log.info("tips: %s/%s off", team, channel)
        return (
            f"Daily tips are off in <#{channel}>. `/toolkit tips on` turns them back on "
            "(carrying on where they left off)."
        )

    def status(self, command: dict[str, Any], args: list[str]) -> str:
        assert self.store is not None
        team, channel = self._ids(command)
        sub = self.store.get(team, channel)
        if sub is None:
            return (
                f"Daily tips are off in <#{channel}>. Turn them on with `/toolkit tips on` "
                "(09:00 on weekdays, Europe/London, unless you say otherwise)."
            )
        schedule = schedule_of(sub.local_time, sub.days, sub.timezone)
        lines = []
        if sub.active:
            lines.append(
                f"Daily tips are on in <#{channel}>: {schedule.describe()}. Next: "
                f"{_local(next_slot(schedule, self.clock()), schedule)}."
            )
        elif sub.paused_reason and sub.paused_reason != TURNED_OFF:
            lines.append(
                f"Daily tips are paused in <#{channel}> ({schedule.describe()}): Slack "
                f"answered `{escape(sub.paused_reason)}`. Fix that (for example invite me with "
                f"{INVITE}), then `/toolkit tips on` starts them again."
            )
        else:
            lines.append(
                f"Daily tips are off in <#{channel}> (they were {schedule.describe()}). "
                "`/toolkit tips on` turns them back on."
            )
        last = self.store.last_posted(sub.id)
        if last is not None:
            lines.append(f"Last tip: {_local(last.slot_at, schedule)}.")
        if self.runner is not None:
            ids = {e.id for e in self.runner.engine.entries}
            shown = len(self.store.shown(sub.id, sub.cycle) & ids)
            lines.append(f"This round: {shown} of {len(ids)} tips shown.")
        return "\n".join(lines)

    def now(self, command: dict[str, Any], args: list[str]) -> str:
        team, channel = self._ids(command)
        if self.runner is None:
            return NO_DATABASE
        member = check_membership(self.client_for(team), channel)
        if not member.ok:
            return membership_problem(member, channel, "now")
        result, entry = self.runner.post_now(team, channel, self.clock())
        if result.outcome == "posted" and entry is not None:
            return f"Posted a tip to <#{channel}>: *{escape(entry.title)}*."
        if result.outcome == "pause":
            return membership_problem(Membership(False, result.reason), channel, "now")
        return f"Slack did not take the tip ({escape(result.reason)}). Please try again shortly."


def _ephemeral(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": text}
