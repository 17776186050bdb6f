"""auth, conversations, users, team, apps and oauth methods of the fake Web API."""

from __future__ import annotations

from typing import Any

from tests.stand_in.http_body import basic_credentials
from tests.stand_in.methods_chat import Ctx, Handler
from tests.stand_in.records import Outcome, err, ok
from tests.stand_in.workspace import BASE_EPOCH, Channel, Workspace


def auth_test(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """auth.test for the calling token."""
    ws, who = ctx.ws, ctx.identity
    assert who is not None
    name = ws.users.get(who.user_id, {}).get("name", who.user_id)
    body: dict[str, Any] = {
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_name,
        "user": name,
        "team_id": who.team_id,
        "user_id": who.user_id,
        "is_enterprise_install": False,
    }
    if who.bot_id:
        body["bot_id"] = who.bot_id
    return ok(**body)


def _readable(ws: Workspace, channel_id: Any) -> Channel | None:
    """A channel the caller can see (private ones only as a member)."""
    channel = ws.channel(str(channel_id or ""))
    if channel is None or (channel.is_private and not channel.is_member):
        return None
    return channel


def channel_object(ws: Workspace, channel: Channel) -> dict[str, Any]:
    """The conversations.info `channel` object."""
    if channel.is_dm:
        other = next((m for m in channel.members if m != ws.bot_user_id), "U0001")
        return {
            "id": channel.id,
            "created": BASE_EPOCH,
            "is_im": True,
            "is_org_shared": False,
            "user": other,
            "is_user_deleted": False,
            "priority": 0,
        }
    topic = {"value": "", "creator": "", "last_set": 0}
    return {
        "id": channel.id,
        "name": channel.name,
        "name_normalized": channel.name,
        "is_channel": not channel.is_private,
        "is_group": channel.is_private,
        "is_im": False,
        "is_mpim": False,
        "is_private": channel.is_private,
        "created": BASE_EPOCH,
        "is_archived": channel.is_archived,
        "is_general": channel.name == "general",
        "unlinked": 0,
        "is_shared": False,
        "is_org_shared": False,
        "is_ext_shared": False,
        "is_pending_ext_shared": False,
        "pending_shared": [],
        "context_team_id": ws.team_id,
        "shared_team_ids": [ws.team_id],
        "updated": BASE_EPOCH * 1000,
        "creator": "U0001",
        "is_member": channel.is_member,
        "topic": topic,
        "purpose": dict(topic),
        "previous_names": [],
    }


def conversations_info(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """conversations.info."""
    channel = _readable(ctx.ws, params.get("channel"))
    if channel is None:
        return err("channel_not_found")
    body = channel_object(ctx.ws, channel)
    if str(params.get("include_num_members", "")).lower() in ("1", "true"):
        body["num_members"] = len(channel.members)
    return ok(channel=body)


def conversations_members(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """conversations.members with offset cursors."""
    channel = _readable(ctx.ws, params.get("channel"))
    if channel is None:
        return err("channel_not_found")
    members = list(channel.members)
    start = int(params.get("cursor") or 0)
    limit = int(params.get("limit") or 100)
    page = members[start : start + limit]
    following = start + limit if start + limit < len(members) else None
    cursor = "" if following is None else str(following)
    return ok(members=page, response_metadata={"next_cursor": cursor})


def users_info(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """users.info."""
    user = ctx.ws.users.get(str(params.get("user") or ""))
    return ok(user=user) if user else err("user_not_found")


def team_info(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """team.info."""
    ws = ctx.ws
    icon = {
        "image_default": True,
        "image_34": "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png",
    }
    team = {
        "id": ws.team_id,
        "name": ws.team_name,
        "url": f"https://{ws.team_domain}.slack.com/",
        "domain": ws.team_domain,
        "email_domain": "",
        "icon": icon,
        "avatar_base_url": "https://ca.slack-edge.com/",
        "is_verified": False,
    }
    return ok(team=team)


def connections_open(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """apps.connections.open: a fresh Socket Mode URL on the stand-in."""
    return ok(url=ctx.open_socket())


def oauth_v2_access(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """oauth.v2.access: client credentials by Basic auth or params, single-use codes."""
    client_id, secret = basic_credentials(ctx.headers) or (
        str(params.get("client_id") or ""),
        str(params.get("client_secret") or ""),
    )
    app = ctx.ws.oauth
    if app is None or client_id != app.client_id:
        return err("invalid_client_id")
    if secret != app.client_secret:
        return err("bad_client_secret")
    overrides = ctx.ws.redeem(str(params.get("code") or ""))
    if overrides is None:
        return err("invalid_code")
    return Outcome(ctx.ws.installation_body(overrides))


HANDLERS: dict[str, Handler] = {
    "auth.test": auth_test,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "users.info": users_info,
    "team.info": team_info,
    "apps.connections.open": connections_open,
    "oauth.v2.access": oauth_v2_access,
}
