"""views.* methods of the fake Web API."""

from __future__ import annotations

from typing import Any

from tests.stand_in.block_limits import view_violations
from tests.stand_in.methods_chat import Ctx, Handler
from tests.stand_in.records import Outcome, err, ok, rejected
from tests.stand_in.workspace import BASE_EPOCH, Workspace


def view_problem(view: Any, kind: str) -> Outcome | None:
    """Reject a view of the wrong type or one breaking Block Kit limits."""
    if not isinstance(view, dict):
        return rejected("invalid_arguments", ["must be an object [json-pointer:/view]"])
    if view.get("type") != kind:
        return rejected("invalid_arguments", [f"must be '{kind}' [json-pointer:/view/type]"])
    problems = view_violations(view)
    if not problems:
        return None
    in_blocks = any("json-pointer:/view/blocks" in p for p in problems)
    return rejected("invalid_blocks" if in_blocks else "invalid_arguments", problems)


def stored_view(ws: Workspace, view: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
    """The view object Slack echoes back, with ids and a fresh hash."""
    vid = view_id or ws.next_id("V")
    stored = {
        "id": vid,
        "team_id": ws.team_id,
        "type": view["type"],
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "state": {"values": {}},
        "callback_id": view.get("callback_id", ""),
        "hash": f"{BASE_EPOCH}.{ws.next_id('h')}",
        "title": view.get("title"),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "clear_on_close": bool(view.get("clear_on_close")),
        "previous_view_id": None,
        "notify_on_close": bool(view.get("notify_on_close")),
        "root_view_id": vid,
        "app_id": ws.app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }
    with ws.lock:
        ws.views[vid] = stored
    return stored


def views_open(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """views.open (needs a trigger_id)."""
    if not params.get("trigger_id"):
        return err(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] missing required field: trigger_id"]},
        )
    view = params.get("view")
    problem = view_problem(view, "modal")
    if problem or not isinstance(view, dict):
        return problem or err("invalid_arguments")
    return ok(view=stored_view(ctx.ws, view))


def views_publish(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """views.publish of a home tab for one user."""
    user_id = str(params.get("user_id") or "")
    if not user_id:
        return err(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] missing required field: user_id"]},
        )
    view = params.get("view")
    problem = view_problem(view, "home")
    if problem or not isinstance(view, dict):
        return problem or err("invalid_arguments")
    existing = next((v["id"] for v in ctx.ws.views.values() if v.get("_home_of") == user_id), None)
    stored = stored_view(ctx.ws, view, existing)
    stored["_home_of"] = user_id
    return ok(view={k: v for k, v in stored.items() if not k.startswith("_")})


def _find_view(ws: Workspace, params: dict[str, Any]) -> dict[str, Any] | None:
    """A stored view by view_id or external_id."""
    view_id, external = params.get("view_id"), params.get("external_id")
    with ws.lock:
        for view in ws.views.values():
            if (view_id and view["id"] == view_id) or (
                external and view["external_id"] == external
            ):
                return view
    return None


def views_update(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """views.update by view_id or external_id, honouring hash conflicts."""
    current = _find_view(ctx.ws, params)
    if current is None:
        return err("not_found")
    if params.get("hash") and params["hash"] != current["hash"]:
        return err("hash_conflict")
    view = params.get("view")
    problem = view_problem(view, current["type"])
    if problem or not isinstance(view, dict):
        return problem or err("invalid_arguments")
    stored = stored_view(ctx.ws, view, current["id"])
    if "_home_of" in current:
        stored["_home_of"] = current["_home_of"]
    return ok(view={k: v for k, v in stored.items() if not k.startswith("_")})


HANDLERS: dict[str, Handler] = {
    "views.open": views_open,
    "views.publish": views_publish,
    "views.update": views_update,
}
