"""chat.* methods of the fake Web API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.stand_in.block_limits import message_problem, violations
from tests.stand_in.records import Outcome, err, ok, rejected
from tests.stand_in.workspace import BASE_EPOCH, Channel, Identity, Workspace

MESSAGE_FIELDS = ("blocks", "attachments", "thread_ts", "metadata")


@dataclass(frozen=True)
class Ctx:
    """What a method handler may use: the workspace, the caller and the socket issuer."""

    ws: Workspace
    identity: Identity | None
    open_socket: Callable[[], str]
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[[Ctx, dict[str, Any]], Outcome]


def postable(ws: Workspace, channel_id: Any) -> Channel | Outcome:
    """Find a channel the bot may post into, or the error Slack gives."""
    channel_id = str(channel_id or "")
    if channel_id[:1] in ("U", "W"):
        channel_id = "D" + channel_id[1:]
    channel = ws.channel(channel_id) if channel_id else None
    if channel is None or (channel.is_private and not channel.is_member):
        return err("channel_not_found")
    if channel.is_archived:
        return err("is_archived")
    if not channel.is_member and not channel.is_dm:
        return err("not_in_channel")
    return channel


def content_problem(params: dict[str, Any]) -> Outcome | None:
    """The rejection for bad message content, if any."""
    error, reasons = message_problem(params)
    return rejected(error, reasons) if error else None


def bot_profile(ws: Workspace, identity: Identity) -> dict[str, Any]:
    """The bot_profile object Slack attaches to bot messages."""
    return {
        "id": identity.bot_id,
        "app_id": ws.app_id,
        "name": ws.bot_name,
        "deleted": False,
        "updated": BASE_EPOCH,
        "team_id": identity.team_id,
        "icons": {"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"},
    }


def build_message(ctx: Ctx, params: dict[str, Any], ts: str) -> dict[str, Any]:
    """The message object echoed back by chat.postMessage / chat.update."""
    identity = ctx.identity or Identity("bot", ctx.ws.team_id, ctx.ws.bot_user_id, ctx.ws.bot_id)
    message: dict[str, Any] = {
        "type": "message",
        "user": identity.user_id,
        "text": params.get("text") or "",
        "ts": ts,
        "team": identity.team_id,
        "app_id": ctx.ws.app_id,
    }
    if identity.bot_id:
        message["bot_id"] = identity.bot_id
        message["bot_profile"] = bot_profile(ctx.ws, identity)
    message.update({k: params[k] for k in MESSAGE_FIELDS if params.get(k) is not None})
    return message


def post_message(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """chat.postMessage."""
    channel = postable(ctx.ws, params.get("channel"))
    if isinstance(channel, Outcome):
        return channel
    problem = content_problem(params)
    if problem:
        return problem
    ts = ctx.ws.next_ts()
    message = build_message(ctx, params, ts)
    with ctx.ws.lock:
        ctx.ws.messages[(channel.id, ts)] = message
        thread = ctx.ws.assistant.get((channel.id, str(params.get("thread_ts") or "")))
        if thread is not None and params.get("thread_ts"):  # a reply clears the loading status
            thread["status"] = ""
    return ok(channel=channel.id, ts=ts, message=message)


def post_ephemeral(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """chat.postEphemeral (the user must be in the channel when members are known)."""
    channel = postable(ctx.ws, params.get("channel"))
    if isinstance(channel, Outcome):
        return channel
    user = str(params.get("user") or "")
    if not user:
        return err("user_not_found")
    if channel.members and not channel.is_dm and user not in channel.members:
        return err("user_not_in_channel")
    return content_problem(params) or ok(message_ts=ctx.ws.next_ts())


def _own_message(
    ctx: Ctx, params: dict[str, Any], verb: str
) -> tuple[str, dict[str, Any]] | Outcome:
    """Find the message to change, insisting the caller posted it."""
    channel = postable(ctx.ws, params.get("channel"))
    if isinstance(channel, Outcome):
        return channel
    key = (channel.id, str(params.get("ts") or ""))
    with ctx.ws.lock:
        message = ctx.ws.messages.get(key)
    if message is None:
        return err("message_not_found")
    if ctx.identity and message.get("user") != ctx.identity.user_id:
        return err(f"cant_{verb}_message")
    return channel.id, message


def update(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """chat.update."""
    found = _own_message(ctx, params, "update")
    if isinstance(found, Outcome):
        return found
    channel_id, message = found
    problem = content_problem(params)
    if problem:
        return problem
    ts = str(message["ts"])
    updated = {**message, **build_message(ctx, params, ts), "edited": {"user": message["user"]}}
    with ctx.ws.lock:
        ctx.ws.messages[(channel_id, ts)] = updated
    return ok(channel=channel_id, ts=ts, text=updated["text"], message=updated)


def delete(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """chat.delete."""
    found = _own_message(ctx, params, "delete")
    if isinstance(found, Outcome):
        return found
    channel_id, message = found
    with ctx.ws.lock:
        ctx.ws.messages.pop((channel_id, str(message["ts"])), None)
    return ok(channel=channel_id, ts=message["ts"])


def unfurl(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """chat.unfurl, checking each unfurl's blocks."""
    by_ts = params.get("channel") and params.get("ts")
    if not by_ts and not (params.get("unfurl_id") and params.get("source")):
        return err("invalid_arguments")
    unfurls = params.get("unfurls")
    if not isinstance(unfurls, dict):
        return rejected("invalid_unfurls_format", ["must be an object [json-pointer:/unfurls]"])
    reasons: list[str] = []
    for url, attachment in unfurls.items():
        blocks = attachment.get("blocks") if isinstance(attachment, dict) else None
        if blocks is not None:
            reasons += [
                p.replace("[json-pointer:", f"[json-pointer:/unfurls/{url}")
                for p in violations(blocks, surface="unfurl")
            ]
    return rejected("invalid_blocks", reasons) if reasons else ok()


HANDLERS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
    "chat.unfurl": unfurl,
}
