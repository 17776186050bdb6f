"""Builders for realistic Slack payloads (events here, interactions re-exported); overrides win."""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from tests.stand_in.assistant_payloads import (
    assistant_thread_context_changed,
    assistant_thread_message,
    assistant_thread_root_changed,
    assistant_thread_started,
    viewing,
)
from tests.stand_in.defaults import (
    APP_ID,
    BOT_USER_ID,
    CHANNEL,
    DM_CHANNEL,
    TEAM_ID,
    USER_ID,
    VERIFICATION_TOKEN,
    new_event_id,
    new_trigger_id,
    next_ts,
)
from tests.stand_in.interactions import (
    block_actions,
    input_values,
    message_action,
    slash_command,
    view_submission,
)


def rich_text(text: str) -> list[dict[str, Any]]:
    """The rich_text blocks Slack attaches to typed messages."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5], "elements": [section]}]


def message(
    text: str = "hello",
    *,
    user: str = USER_ID,
    channel: str = CHANNEL,
    channel_type: str = "channel",
    ts: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A `message` event typed by a person."""
    ts = ts or next_ts()
    event = {
        "type": "message",
        "client_msg_id": str(uuid.uuid4()),
        "text": text,
        "user": user,
        "ts": ts,
        "team": TEAM_ID,
        "blocks": rich_text(text),
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    return {**event, **overrides}


def dm_message(
    text: str = "hello", *, user: str = USER_ID, channel: str = DM_CHANNEL, **overrides: Any
) -> dict[str, Any]:
    """A direct message to the bot (channel_type im, channel D…)."""
    return message(text, user=user, channel=channel, channel_type="im", **overrides)


def thread_message(
    text: str,
    thread_ts: str,
    *,
    channel: str = DM_CHANNEL,
    channel_type: str | None = None,
    parent_user_id: str = USER_ID,
    **overrides: Any,
) -> dict[str, Any]:
    """A reply inside a thread (thread_ts = the parent's ts)."""
    kind = channel_type or ("im" if channel.startswith("D") else "channel")
    return message(
        text,
        channel=channel,
        channel_type=kind,
        thread_ts=thread_ts,
        parent_user_id=parent_user_id,
        **overrides,
    )


def app_mention(
    text: str = f"<@{BOT_USER_ID}> question",
    *,
    user: str = USER_ID,
    channel: str = CHANNEL,
    ts: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """An app_mention event ("<@UBOT> question")."""
    event = message(text, user=user, channel=channel, ts=ts)
    event.pop("channel_type")
    return {**event, "type": "app_mention", **overrides}


def bot_message(
    text: str = "beep",
    *,
    bot_id: str = "B0OTHER",
    user: str | None = None,
    subtype: str | None = "bot_message",
    channel: str = CHANNEL,
    **overrides: Any,
) -> dict[str, Any]:
    """A message from a bot; use user=UBOT, bot_id=BBOT, subtype=None for the bot's own posts."""
    ts = next_ts()
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "ts": ts,
        "bot_id": bot_id,
        "channel": channel,
        "event_ts": ts,
        "app_id": "A0OTHER",
        "channel_type": "im" if channel.startswith("D") else "channel",
    }
    if subtype:
        event.update(subtype=subtype, username="other-bot")
    if user:
        event["user"] = user
    return {**event, **overrides}


def message_changed(
    new_text: str = "edited",
    *,
    previous_text: str = "original",
    original_ts: str | None = None,
    user: str = USER_ID,
    channel: str = DM_CHANNEL,
    **overrides: Any,
) -> dict[str, Any]:
    """A message_changed event (hidden; the new message is under `message`)."""
    original_ts, ts = original_ts or next_ts(), next_ts()
    before = {"type": "message", "text": previous_text, "user": user, "ts": original_ts}
    after = {**before, "text": new_text, "edited": {"user": user, "ts": ts}}
    event = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "message": after,
        "previous_message": before,
        "channel_type": "im" if channel.startswith("D") else "channel",
    }
    return {**event, **overrides}


def message_deleted(
    deleted_ts: str | None = None,
    *,
    previous_text: str = "original",
    user: str = USER_ID,
    channel: str = DM_CHANNEL,
    **overrides: Any,
) -> dict[str, Any]:
    """A message_deleted event."""
    deleted_ts, ts = deleted_ts or next_ts(), next_ts()
    previous = {"type": "message", "text": previous_text, "user": user, "ts": deleted_ts}
    event = {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "ts": ts,
        "deleted_ts": deleted_ts,
        "channel": channel,
        "event_ts": ts,
        "previous_message": previous,
        "channel_type": "im" if channel.startswith("D") else "channel",
    }
    return {**event, **overrides}


def link_shared(
    urls: list[str] | str = "https://www.college.police.uk/research/crime-reduction-toolkit",
    *,
    user: str = USER_ID,
    channel: str = CHANNEL,
    message_ts: str | None = None,
    source: str = "conversations_history",
    **overrides: Any,
) -> dict[str, Any]:
    """A link_shared event with its links, unfurl_id and source."""
    urls = [urls] if isinstance(urls, str) else urls
    message_ts = message_ts or next_ts()
    links = [{"domain": urlsplit(u).hostname or "", "url": u} for u in urls]
    event = {
        "type": "link_shared",
        "channel": channel,
        "is_bot_user_member": True,
        "user": user,
        "message_ts": message_ts,
        "unfurl_id": f"{message_ts}.{user}",
        "source": source,
        "links": links,
        "event_ts": next_ts(),
    }
    return {**event, **overrides}


def app_home_opened(
    *, user: str = USER_ID, channel: str = DM_CHANNEL, tab: str = "home", **overrides: Any
) -> dict[str, Any]:
    """An app_home_opened event (tab home or messages)."""
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": tab,
        "event_ts": next_ts(),
    }
    return {**event, **overrides}


def event_callback(
    event: dict[str, Any],
    *,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    event_id: str | None = None,
    event_time: int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """The Events API envelope around an event (also the Socket Mode events_api payload)."""
    authorization = {
        "enterprise_id": None,
        "team_id": team_id,
        "user_id": BOT_USER_ID,
        "is_bot": True,
        "is_enterprise_install": False,
    }
    body = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [authorization],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }
    return {**body, **overrides}


__all__ = [
    "app_home_opened",
    "app_mention",
    "assistant_thread_context_changed",
    "assistant_thread_message",
    "assistant_thread_root_changed",
    "assistant_thread_started",
    "block_actions",
    "bot_message",
    "dm_message",
    "event_callback",
    "input_values",
    "link_shared",
    "message",
    "message_action",
    "message_changed",
    "message_deleted",
    "new_event_id",
    "new_trigger_id",
    "next_ts",
    "rich_text",
    "slash_command",
    "thread_message",
    "view_submission",
    "viewing",
]
