"""Builders for slash-command forms and interaction payloads; keyword overrides replace fields."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.stand_in.defaults import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    CHANNEL,
    CHANNEL_NAME,
    TEAM_DOMAIN,
    TEAM_ID,
    USER_ID,
    USER_NAME,
    VERIFICATION_TOKEN,
    new_trigger_id,
    next_ts,
)

DEFAULT_RESPONSE_URL = f"https://hooks.slack.com/actions/{TEAM_ID}/1111/stand-in"


def _team() -> dict[str, Any]:
    """The `team` object of interaction payloads."""
    return {"id": TEAM_ID, "domain": TEAM_DOMAIN}


def _user(user_id: str) -> dict[str, Any]:
    """The `user` object of interaction payloads."""
    return {"id": user_id, "username": USER_NAME, "name": USER_NAME, "team_id": TEAM_ID}


def _action_ts() -> str:
    """An action_ts close to now."""
    return f"{time.time():.6f}"


def slash_command(
    text: str = "",
    *,
    command: str = "/toolkit",
    user_id: str = USER_ID,
    channel_id: str = CHANNEL,
    response_url: str | None = None,
    trigger_id: str | None = None,
    **overrides: Any,
) -> dict[str, str]:
    """The form fields of a slash command (send with SignedDriver.command or Socket Mode)."""
    form = {
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": CHANNEL_NAME
        if channel_id == CHANNEL
        else "directmessage"
        if channel_id.startswith("D")
        else channel_id.lower(),
        "user_id": user_id,
        "user_name": USER_NAME,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url or f"https://hooks.slack.com/commands/{TEAM_ID}/1111/stand-in",
        "trigger_id": trigger_id or new_trigger_id(),
    }
    return {**form, **{k: str(v) for k, v in overrides.items()}}


def bot_posted_message(
    text: str = "Here is what the toolkit says…",
    *,
    ts: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A message the bot posted earlier (as embedded in block_actions payloads)."""
    return {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "text": text,
        "ts": ts or next_ts(),
        "team": TEAM_ID,
        "blocks": blocks or [],
    }


def block_actions(
    action_id: str = "feedback_helpful",
    value: str = "helpful",
    *,
    block_id: str = "feedback",
    user: str = USER_ID,
    channel: str = CHANNEL,
    message: dict[str, Any] | None = None,
    response_url: str | None = None,
    trigger_id: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A block_actions payload for one button click on a bot message."""
    message = message or bot_posted_message()
    action = {
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "type": "button",
        "text": {"type": "plain_text", "text": value, "emoji": True},
        "action_ts": _action_ts(),
    }
    container = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel,
        "is_ephemeral": False,
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id or new_trigger_id(),
        "team": _team(),
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": CHANNEL_NAME},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url or DEFAULT_RESPONSE_URL,
        "actions": [action],
    }
    return {**payload, **overrides}


def message_action(
    callback_id: str = "ask_toolkit",
    *,
    message_text: str = "What works on burglary?",
    message_ts: str | None = None,
    message_user: str = USER_ID,
    user: str = USER_ID,
    channel: str = CHANNEL,
    response_url: str | None = None,
    trigger_id: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A message shortcut (message_action) invoked on someone's message."""
    ts = message_ts or next_ts()
    target = {
        "type": "message",
        "user": message_user,
        "ts": ts,
        "text": message_text,
        "client_msg_id": str(uuid.uuid4()),
    }
    payload = {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": _action_ts(),
        "team": _team(),
        "user": _user(user),
        "channel": {"id": channel, "name": CHANNEL_NAME},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or new_trigger_id(),
        "response_url": response_url or DEFAULT_RESPONSE_URL,
        "message_ts": ts,
        "message": target,
    }
    return {**payload, **overrides}


def input_values(**by_block: tuple[str, str]) -> dict[str, Any]:
    """view.state.values from block_id=(action_id, text) pairs of plain_text_input fields."""
    return {
        block: {action: {"type": "plain_text_input", "value": value}}
        for block, (action, value) in by_block.items()
    }


def view_submission(
    callback_id: str = "feedback_modal",
    values: dict[str, Any] | None = None,
    *,
    user: str = USER_ID,
    private_metadata: str = "",
    view_id: str = "V0000000001",
    **overrides: Any,
) -> dict[str, Any]:
    """A view_submission payload for a modal with the given state values."""
    view = {
        "id": view_id,
        "team_id": TEAM_ID,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values or {}},
        "hash": "1700000000.stand-in",
        "title": {"type": "plain_text", "text": "Toolkit", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": None,
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": APP_ID,
        "external_id": "",
        "app_installed_team_id": TEAM_ID,
        "bot_id": BOT_ID,
    }
    payload = {
        "type": "view_submission",
        "team": _team(),
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": new_trigger_id(),
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return {**payload, **overrides}
