"""Posting one daily tip to a channel, and what Slack's answer means for the schedule.

The WebClient comes from `client_for(team_id)` and carries bot.slack.delivery's retry handlers,
so 429 (honouring Retry-After), 500/503 and connection errors are already retried a few times
inside the call. What is left is classified here:

- `posted`: Slack took it (the message ts is kept);
- `retry`: still rate limited, a server error or a network failure: a later run tries again;
- `pause`: an error retrying cannot fix (the bot is not in the channel, it was archived or
  deleted, the token is revoked…): the subscription is paused with the reason;
- `failed`: Slack refused the message itself (our fault): a later run tries a few more times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.engine import Engine, Entry
from bot.engine.tips import tip_text
from bot.slack.blocks import tip_blocks
from bot.slack.replies import Reply
from bot.slack.sending import METADATA_TYPE
from bot.slack.text import shorten

MaybeClient = WebClient | None
ClientFor = Callable[[str], WebClient | None]

#: Slack errors that mean "stop trying until a person fixes something".
PAUSE_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "ekm_access_denied",
        "team_access_not_granted",
        "org_login_required",
        "access_denied",
        "team_not_found",
        "app_uninstalled",
        "not_installed",
    }
)
#: Errors that are Slack's trouble, not ours: try again on a later run.
RETRY_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


@dataclass(frozen=True, slots=True)
class PostResult:
    """How one post ended: outcome is posted | retry | pause | failed."""

    outcome: str
    reason: str = ""
    ts: str | None = None


def tip_reply(entry: Entry, engine: Engine) -> Reply:
    """The tip card (tip, grading, caveats, source, Tell me more) and its notification text."""
    blocks = [block.to_dict() for block in tip_blocks(entry, engine.by_id, engine.version)]
    return Reply(f"Tip: {entry.title}: {shorten(tip_text(entry), 280)}", blocks)


def classify(exc: SlackApiError) -> PostResult:
    """Slack's error answer -> retry, pause or failed."""
    status = int(getattr(exc.response, "status_code", 200) or 200)
    error = str(exc.response.get("error", "") or f"HTTP {status}")
    if status == 429 or status >= 500 or error in RETRY_ERRORS:
        return PostResult("retry", f"{error} (HTTP {status})" if status != 200 else error)
    if error in PAUSE_ERRORS:
        return PostResult("pause", error)
    return PostResult("failed", error)


def post_tip(
    client: WebClient | None,
    channel_id: str,
    entry: Entry,
    engine: Engine,
    delivery_id: str | None = None,
) -> PostResult:
    """Post the tip card to a channel (no unfurls); never raises for Slack or network errors.

    `delivery_id` goes into the message's metadata, so a run taking over a claim whose process
    died mid-post can see whether Slack already has the tip (`find_tip`)."""
    if client is None:
        return PostResult("pause", "not_installed")
    reply = tip_reply(entry, engine)
    extra: dict[str, Any] = {}
    if delivery_id:
        extra["metadata"] = {"event_type": METADATA_TYPE, "event_payload": {"id": delivery_id}}
    try:
        response: Any = client.chat_postMessage(
            channel=channel_id,
            text=reply.text,
            blocks=reply.blocks,
            unfurl_links=False,
            unfurl_media=False,
            **extra,
        )
    except SlackApiError as exc:
        return classify(exc)
    except OSError as exc:  # connection refused, reset, timeout after the retries
        return PostResult("retry", f"network error: {exc}")
    return PostResult("posted", ts=str(response.get("ts") or ""))


def find_tip(client: WebClient | None, channel_id: str, delivery_id: str) -> str | None:
    """The ts of a tip already in the channel with this delivery id (its latest 100 messages),
    or None when it is not there or the channel cannot be read (then posting is the choice)."""
    if client is None:
        return None
    try:
        found: Any = client.conversations_history(
            channel=channel_id, include_all_metadata=True, limit=100
        )
    except (SlackApiError, OSError):
        return None
    for message in found.get("messages") or ():
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("id") == delivery_id:
            return str(message.get("ts") or "") or None
    return None


@dataclass(frozen=True, slots=True)
class Membership:
    """Whether the bot can post in a channel: ok, or the reason it cannot."""

    ok: bool
    reason: str = ""  # not_in_channel | is_archived | channel_not_found | is_dm | <slack error>
    name: str = ""


def check_membership(client: WebClient | None, channel_id: str) -> Membership:
    """conversations.info: is the bot a member of this (non-archived) channel?"""
    if client is None:
        return Membership(False, "not_installed")
    if channel_id.startswith("D"):
        return Membership(False, "is_dm")
    try:
        response: Any = client.conversations_info(channel=channel_id)
    except SlackApiError as exc:
        return Membership(False, str(exc.response.get("error", "") or "unknown_error"))
    except OSError as exc:
        return Membership(False, f"network error: {exc}")
    channel = response.get("channel") or {}
    name = str(channel.get("name") or "")
    if channel.get("is_im"):
        return Membership(False, "is_dm", name)
    if channel.get("is_archived"):
        return Membership(False, "is_archived", name)
    if not channel.get("is_member"):
        return Membership(False, "not_in_channel", name)
    return Membership(True, "", name)
