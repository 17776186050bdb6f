"""conversations.history and conversations.replies of the fake Web API: reading messages back,
with their metadata when include_all_metadata is set (as Slack does)."""

from __future__ import annotations

from typing import Any

from tests.stand_in.methods_chat import Ctx, Handler, postable
from tests.stand_in.records import Outcome, err, ok


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes")


def _shown(message: dict[str, Any], metadata: bool) -> dict[str, Any]:
    """A message as the read methods return it: metadata only when asked for."""
    return dict(message) if metadata else {k: v for k, v in message.items() if k != "metadata"}


def _limit(params: dict[str, Any]) -> int:
    try:
        return max(1, min(1000, int(params.get("limit") or 100)))
    except ValueError:
        return 100


def history(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """conversations.history: top-level messages, newest first, from `oldest` on."""
    channel = postable(ctx.ws, params.get("channel"))
    if isinstance(channel, Outcome):
        return channel
    oldest = float(params.get("oldest") or 0)
    with ctx.ws.lock:
        found = [
            m
            for (c, _), m in ctx.ws.messages.items()
            if c == channel.id
            and float(m["ts"]) >= oldest
            and m.get("thread_ts") in (None, m["ts"])
        ]
    found.sort(key=lambda m: m["ts"], reverse=True)
    metadata = _flag(params.get("include_all_metadata"))
    shown = [_shown(m, metadata) for m in found[: _limit(params)]]
    return ok(messages=shown, has_more=len(found) > len(shown))


def replies(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """conversations.replies: a thread's parent and replies, oldest first."""
    channel = postable(ctx.ws, params.get("channel"))
    if isinstance(channel, Outcome):
        return channel
    ts = str(params.get("ts") or "")
    if not ts:
        return err("invalid_arguments")
    with ctx.ws.lock:
        found = [
            m
            for (c, _), m in ctx.ws.messages.items()
            if c == channel.id and (m["ts"] == ts or m.get("thread_ts") == ts)
        ]
    found.sort(key=lambda m: m["ts"])
    metadata = _flag(params.get("include_all_metadata"))
    shown = [_shown(m, metadata) for m in found[: _limit(params)]]
    if not shown:  # a thread whose parent the stand-in never saw: Slack says thread_not_found
        return err("thread_not_found")
    return ok(messages=shown, has_more=len(found) > len(shown))


HANDLERS: dict[str, Handler] = {
    "conversations.history": history,
    "conversations.replies": replies,
}
