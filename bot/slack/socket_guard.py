"""Socket Mode's door: each WebSocket message is checked before slack_sdk's client parses it.

slack_sdk's SocketModeClient json-decodes every text message and hands anything with a type,
an envelope_id and a payload to Bolt: broken JSON or deep nesting raise in its reader thread
(a traceback per message), a payload that is not an object raises in its listener, and an
envelope_id that is not a string is acked anyway. `guard_socket_mode(client)` puts a check in
front of the client's queue: a malformed message is dropped (never acked, never run) with one
rate-limited log line, and everything else goes on unchanged.
"""

from __future__ import annotations

from typing import Any

from bot.slack.pool import Pressure
from bot.slack.refusals import RefusalLog, hide_bodies
from bot.slack.shape import Malformed, check_payload, json_object

#: Larger than any envelope Slack sends; bigger ones are refused after arriving.
MAX_MESSAGE = 1024 * 1024
#: slack_sdk's builtin reader recurses once per recv() of this many bytes; its default of 1 KiB
#: makes any message over ~1 MB raise RecursionError and drop the connection. At 64 KiB a
#: message can be ~60 MB before that happens (Slack's are a few KB).
RECEIVE_BUFFER = 64 * 1024
#: Messages that are not envelopes; the client handles them itself.
CONTROL = ("hello", "disconnect")
#: Envelope types, with what their payload must be.
ENVELOPES = {"events_api": "event_callback", "slash_commands": None, "interactive": None}
MAX_ID = 200


def guard_socket_mode(
    client: Any, refusals: RefusalLog | None = None, pressure: Pressure | None = None
) -> None:
    """Check every message the client receives before it is queued for processing; with
    `pressure`, count each envelope from its arrival until its listeners ran (and it was acked):
    the work pool lets acks go first (bot/slack/pool.py)."""
    hide_bodies()
    log = refusals or RefusalLog()
    enqueue = client.enqueue_message

    def checked(message: str) -> None:
        try:
            envelope = check_message(message)
        except Malformed as problem:
            log.refused("Socket Mode message dropped", str(problem))
            return
        if envelope and pressure is not None:
            pressure.enter()
        enqueue(message)

    client.enqueue_message = checked  # the builtin client's _on_message calls this attribute
    if pressure is None:
        return
    run = client.run_message_listeners

    def counted(message: dict[str, Any], raw_message: str) -> None:
        try:
            run(message, raw_message)
        finally:
            if isinstance(message, dict) and message.get("envelope_id"):
                pressure.leave()

    client.run_message_listeners = counted  # process_message submits this attribute


def check_message(message: Any) -> bool:
    """Raise Malformed for anything but a control message or a well-formed envelope; True for
    an envelope."""
    if not isinstance(message, str):
        raise Malformed("not a text message")
    if len(message) > MAX_MESSAGE:
        raise Malformed("message over the size limit")
    data = json_object(message)
    kind = data.get("type")
    if kind in CONTROL:
        return False
    if not isinstance(kind, str) or kind not in ENVELOPES:
        raise Malformed("unknown message type")
    check_envelope(data, ENVELOPES[kind])
    return True


def check_envelope(data: dict[str, Any], payload_type: str | None) -> None:
    """An envelope: a short string id, an object payload and well-typed options."""
    envelope_id = data.get("envelope_id")
    if not isinstance(envelope_id, str) or not 0 < len(envelope_id) <= MAX_ID:
        raise Malformed("envelope without a usable envelope_id")
    payload = data.get("payload")
    if not isinstance(payload, dict):
        raise Malformed("payload is not an object")
    if not isinstance(data.get("accepts_response_payload", False), bool):
        raise Malformed("accepts_response_payload is not a boolean")
    retry = data.get("retry_attempt")
    if retry is not None and (isinstance(retry, bool) or not isinstance(retry, int)):
        raise Malformed("retry_attempt is not a number")
    if data.get("retry_reason") is not None and not isinstance(data["retry_reason"], str):
        raise Malformed("retry_reason is not a string")
    if payload_type is not None and payload.get("type") != payload_type:
        raise Malformed(f"payload type is not {payload_type}")
    if data["type"] == "slash_commands" and not isinstance(payload.get("command"), str):
        raise Malformed("slash command without command")
    check_payload(payload)
