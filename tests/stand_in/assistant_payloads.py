"""Builders for the events of Slack's assistant threads, shaped like Slack's documented examples;
re-exported by `payloads`. Overrides win."""

from __future__ import annotations

from typing import Any

from tests.stand_in.defaults import CHANNEL, DM_CHANNEL, TEAM_ID, USER_ID, next_ts


def _assistant_thread(
    kind: str, user: str, channel: str, thread_ts: str, context: dict[str, Any]
) -> dict[str, Any]:
    """The shape both assistant_thread_* events share."""
    return {
        "type": kind,
        "assistant_thread": {
            "user_id": user,
            "context": context,
            "channel_id": channel,
            "thread_ts": thread_ts,
        },
        "event_ts": next_ts(),
    }


def viewing(channel: str | None = CHANNEL, *, team_id: str = TEAM_ID) -> dict[str, Any]:
    """The context of a thread: the channel the person has open beside it (None: the DM itself)."""
    context: dict[str, Any] = {"team_id": team_id, "enterprise_id": None}
    if channel:
        context["channel_id"] = channel
    return context


def assistant_thread_started(
    *,
    user: str = USER_ID,
    channel: str = DM_CHANNEL,
    thread_ts: str | None = None,
    context: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A person opened a new assistant thread (thread_ts is the thread Slack created)."""
    event = _assistant_thread(
        "assistant_thread_started",
        user,
        channel,
        thread_ts or next_ts(),
        viewing() if context is None else context,
    )
    return {**event, **overrides}


def assistant_thread_context_changed(
    thread_ts: str,
    *,
    user: str = USER_ID,
    channel: str = DM_CHANNEL,
    context: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """The person moved to another channel while the assistant thread stayed open beside it."""
    event = _assistant_thread(
        "assistant_thread_context_changed",
        user,
        channel,
        thread_ts,
        viewing("C0002") if context is None else context,
    )
    return {**event, **overrides}


def assistant_thread_message(
    text: str,
    thread_ts: str,
    *,
    user: str = USER_ID,
    channel: str = DM_CHANNEL,
    **overrides: Any,
) -> dict[str, Any]:
    """What a person types in an assistant thread: a message.im reply under the thread's root."""
    from tests.stand_in.payloads import thread_message  # payloads re-exports this module

    return thread_message(
        text, thread_ts, channel=channel, channel_type="im", user=user, **overrides
    )


def assistant_thread_root_changed(
    thread_ts: str,
    *,
    title: str = "Chats from 2026-12-02",
    user: str = USER_ID,
    channel: str = DM_CHANNEL,
    **overrides: Any,
) -> dict[str, Any]:
    """Slack editing a thread's root (subtype assistant_app_thread), e.g. when its title is set."""
    root = {
        "type": "message",
        "subtype": "assistant_app_thread",
        "text": title,
        "user": user,
        "ts": thread_ts,
        "thread_ts": thread_ts,
        "team": TEAM_ID,
        "assistant_app_thread": {"title": title, "title_blocks": [], "artifacts": []},
    }
    ts = next_ts()
    event = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "message": {**root, "edited": {"user": user, "ts": ts}},
        "previous_message": root,
        "channel": channel,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
    }
    return {**event, **overrides}
