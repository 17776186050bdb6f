"""Is a Slack body well formed? Checked before Bolt parses it, so Bolt never trips over it.

Bolt indexes payloads without checking them (`body["event"]["type"]`, `authorizations[0]`,
`"id" in team`): a signed body that is not an object, or whose envelope fields have the wrong
types, raises inside Bolt and becomes an HTTP 500 with a traceback. These checks refuse such a
body with a reason instead. They cover what Slack always sends and what Bolt and the listeners
read; unknown fields and types pass (Slack adds new ones).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

#: Deeper than anything Slack sends (a modal's rich text is about 10 levels).
MAX_DEPTH = 32
#: More form fields than a slash command or interaction ever has.
MAX_FIELDS = 100
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

_KINDS: dict[str, type] = {"s": str, "o": dict, "l": list, "b": bool, "n": type(None)}


def _table(spec: str) -> dict[str, tuple[type, ...]]:
    """Fields from "name:kinds" words; kinds: s string, o object, l list, b boolean, n null.

    Null is allowed only where Slack sends it: `.get(key, {})` in Bolt and the listeners
    trips over an explicit null where an object or list is expected.
    """
    return {
        name: tuple(_KINDS[k] for k in kinds)
        for name, kinds in (word.split(":") for word in spec.split())
    }


#: Top-level fields of events, commands and interactions.
ENVELOPE = _table(
    "type:s token:sn team_id:sn api_app_id:sn event_id:sn enterprise_id:sn user_id:sn "
    "channel_id:sn command:s text:s response_url:sn trigger_id:sn callback_id:s action_id:s "
    "challenge:s ssl_check:s is_enterprise_install:bsn team:son enterprise:son user:so "
    "channel:so event:o view:o container:o message:o state:o workflow_step:o "
    "authorizations:l actions:l response_urls:l"
)
#: Fields of the event inside an event_callback.
EVENT = _table(
    "type:s subtype:sn team:sn text:s ts:s thread_ts:sn event_ts:s message_ts:s bot_id:sn "
    "channel_type:s tab:s user:so channel:so message:o previous_message:o item:o "
    "links:l blocks:l"
)
#: Fields of the smaller objects (view, container, action, team, user, link, message, ...).
OBJECT = _table(
    "id:s type:s callback_id:s hash:s team_id:sn user_id:sn enterprise_id:sn action_id:s "
    "block_id:s value:s response_url:s url:s ts:s message_ts:s channel_id:s thread_ts:sn "
    "bot_id:sn subtype:sn is_enterprise_install:bsn user:so channel:so text:so"
)
#: Interactions carry their user, channel and team as objects, never as bare ids.
INTERACTION = _table("user:o channel:o team:on")
INTERACTIONS = {"block_actions", "message_action", "shortcut", "view_submission", "view_closed"}
#: What each payload type must carry (Bolt reads these without looking first).
REQUIRED: dict[str, tuple[str, ...]] = {
    "event_callback": ("event",),
    "block_actions": ("actions",),
    "interactive_message": ("actions", "callback_id"),
    "view_submission": ("view",),
    "view_closed": ("view",),
    "message_action": ("callback_id",),
    "shortcut": ("callback_id",),
    "block_suggestion": ("action_id",),
}
#: What the events the bot listens to always carry.
EVENT_REQUIRED: dict[str, tuple[str, ...]] = {
    "message": ("channel", "ts"),
    "app_mention": ("channel", "ts", "text"),
    "app_home_opened": ("user",),
}


class Malformed(ValueError):
    """A body Slack would never send; the message is a fixed phrase, never the input."""


def parse_http(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The payload of a signed HTTP body (JSON, a form, or a form carrying `payload=` JSON)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("body is not UTF-8") from None
    if not text:
        raise Malformed("empty body")
    media = (content_type or "").split(";")[0].strip().lower()
    if media == JSON:
        payload = json_object(text)
    elif media == FORM:
        payload = form_payload(text)
    else:
        raise Malformed("unsupported content type")
    check_payload(payload)
    return payload


def json_object(text: str) -> dict[str, Any]:
    """A JSON object, at most MAX_DEPTH deep."""
    if not text.startswith("{"):  # Bolt decides "JSON or form" by this first character too
        raise Malformed("not a JSON object")
    try:
        value = json.loads(text)
    except RecursionError:
        raise Malformed("JSON nested too deeply") from None
    except ValueError:
        raise Malformed("not valid JSON") from None
    if not isinstance(value, dict):
        raise Malformed("not a JSON object")
    if depth(value) > MAX_DEPTH:
        raise Malformed("JSON nested too deeply")
    return value


def form_payload(text: str) -> dict[str, Any]:
    """A slash command's fields, or the JSON object an interaction carries in `payload`."""
    if text.startswith("{"):
        raise Malformed("JSON body sent as a form")
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS))
    except ValueError:
        raise Malformed("form with too many fields") from None
    if "payload" in fields:
        return json_object(fields["payload"])
    if "command" in fields or "ssl_check" in fields:
        return dict(fields)
    raise Malformed("form without payload or command")


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (without recursing)."""
    deepest, stack = 0, [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def check_payload(payload: dict[str, Any]) -> None:
    """Refuse a payload whose envelope fields have the wrong types or lack what Bolt reads."""
    fields(payload, ENVELOPE, "envelope")
    kind = payload.get("type")
    if kind in INTERACTIONS:
        fields(payload, INTERACTION, str(kind))
    for key in REQUIRED.get(kind, ()) if isinstance(kind, str) else ():
        if not payload.get(key):
            raise Malformed(f"{kind} without {key}")
    for key in ("view", "container", "message", "team", "user", "channel", "enterprise"):
        if isinstance(payload.get(key), dict):
            fields(payload[key], OBJECT, key)
    for key in ("authorizations", "actions", "response_urls"):
        for item in payload.get(key) or ():
            if not isinstance(item, dict):
                raise Malformed(f"{key} holds a non-object")
            fields(item, OBJECT, key)
    if kind == "block_actions" and not all("action_id" in a for a in payload["actions"]):
        raise Malformed("block_actions with an action without action_id")  # Bolt indexes it
    if "event" in payload:
        check_event(payload["event"])


def check_event(event: dict[str, Any]) -> None:
    """The event inside an event_callback."""
    fields(event, EVENT, "event")
    kind = event.get("type")
    if not isinstance(kind, str) or not kind:
        raise Malformed("event without type")
    for key in EVENT_REQUIRED.get(kind, ()):
        if key not in event:
            raise Malformed(f"{kind} event without {key}")
    for key in ("message", "previous_message", "item"):
        if isinstance(event.get(key), dict):
            fields(event[key], OBJECT, f"event {key}")
    for link in event.get("links") or ():
        if not isinstance(link, dict):
            raise Malformed("event links hold a non-object")
        fields(link, OBJECT, "event link")


def fields(obj: dict[str, Any], types: dict[str, tuple[type, ...]], where: str) -> None:
    """Each known field present has one of its types."""
    for key, allowed in types.items():
        if key in obj and not isinstance(obj[key], allowed):
            raise Malformed(f"{where} field {key} has the wrong type")
