"""assistant.threads.* methods of the fake Web API: suggested prompts, loading status, titles.

Checked as Slack documents them: channel_id (a DM the bot has; setStatus also takes a channel the
bot is in, since Slack lets chat:write apps show loading states in channels), thread_ts shaped
like a message ts (optional for setSuggestedPrompts: without it the prompts pin to the DM), at
most 4 prompts each with a title and a message, a status string ("" clears it) with at most 10
loading messages, a non-empty title. Missing or malformed arguments get `invalid_arguments` with
Slack's `[ERROR] …` messages; an unknown channel gets `channel_not_found` with its detail line.
What was set is kept per thread in `Workspace.assistant` (a reply posted in the thread clears
the status, as Slack does).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.stand_in.methods_chat import Ctx, Handler
from tests.stand_in.records import Outcome, err, ok
from tests.stand_in.workspace import Workspace

TS = re.compile(r"^\d{9,11}\.\d{6}$")
MAX_PROMPTS = 4
MAX_LOADING_MESSAGES = 10


def invalid(reasons: list[str]) -> Outcome:
    """Slack's answer to arguments its schema refuses."""
    messages = [f"[ERROR] {reason}" for reason in reasons]
    return err("invalid_arguments", response_metadata={"messages": messages})


def _missing(params: dict[str, Any], *names: str) -> list[str]:
    """The required fields that are absent or empty."""
    return [f"missing required field: {name}" for name in names if params.get(name) in (None, "")]


def _channel(ws: Workspace, channel_id: Any, *, channels_too: bool) -> str | Outcome:
    """The DM (or, for setStatus, a channel the bot is in) the call is about."""
    found = ws.channel(str(channel_id))
    usable = found is not None and (found.is_dm or (channels_too and found.is_member))
    if found is None or not usable:
        return err("channel_not_found", detail="Invalid channel_id")
    return found.id


def _thread(params: dict[str, Any], *, required: bool) -> str | Outcome | None:
    """The thread_ts, which must look like a message ts."""
    thread_ts = params.get("thread_ts")
    if thread_ts in (None, "") and not required:
        return None
    if not isinstance(thread_ts, str) or not TS.match(thread_ts):
        return err("invalid_thread_ts")
    return thread_ts


def _array(value: Any, path: str, limit: int) -> tuple[list[Any], list[str]]:
    """A JSON array field (form posts send it as JSON text), with its size problems."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [], [f"must be an array [json-pointer:{path}]"]
    if not isinstance(value, list):
        return [], [f"must be an array [json-pointer:{path}]"]
    if not value:
        return [], [f"no less than 1 items allowed [json-pointer:{path}]"]
    if len(value) > limit:
        return value, [f"no more than {limit} items allowed [json-pointer:{path}]"]
    return value, []


def prompt_problems(prompts: Any) -> list[str]:
    """What is wrong with a `prompts` argument: an array of 1-4 {title, message} strings."""
    items, problems = _array(prompts, "/prompts", MAX_PROMPTS)
    for index, prompt in enumerate(items):
        at = f"/prompts/{index}"
        if not isinstance(prompt, dict):
            problems.append(f"must be an object [json-pointer:{at}]")
            continue
        for name in ("title", "message"):
            value = prompt.get(name)
            if value is None:
                problems.append(f"missing required field: {name} [json-pointer:{at}]")
            elif not isinstance(value, str) or not value.strip():
                problems.append(f"must be a non-empty string [json-pointer:{at}/{name}]")
    return problems


def _keep(ws: Workspace, channel: str, thread_ts: str | None, **what: Any) -> None:
    """Record what was set on a thread (or on the DM itself, without thread_ts)."""
    with ws.lock:
        ws.assistant.setdefault((channel, thread_ts or ""), {}).update(what)


def set_suggested_prompts(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """assistant.threads.setSuggestedPrompts."""
    missing = _missing(params, "channel_id", "prompts")
    if missing:
        return invalid(missing)
    channel = _channel(ctx.ws, params["channel_id"], channels_too=False)
    thread_ts = _thread(params, required=False)
    for found in (channel, thread_ts):
        if isinstance(found, Outcome):
            return found
    problems = prompt_problems(params["prompts"])
    if params.get("title") is not None and not isinstance(params["title"], str):
        problems.append("must be a string [json-pointer:/title]")
    if problems:
        return invalid(problems)
    assert isinstance(channel, str) and not isinstance(thread_ts, Outcome)
    prompts = params["prompts"]
    prompts = json.loads(prompts) if isinstance(prompts, str) else prompts
    _keep(ctx.ws, channel, thread_ts, prompts=prompts, prompts_title=params.get("title"))
    return ok()


def set_status(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """assistant.threads.setStatus ("" clears the status)."""
    missing = _missing(params, "channel_id", "thread_ts")
    if "status" not in params:
        missing.append("missing required field: status")
    if missing:
        return invalid(missing)
    channel = _channel(ctx.ws, params["channel_id"], channels_too=True)
    thread_ts = _thread(params, required=True)
    for found in (channel, thread_ts):
        if isinstance(found, Outcome):
            return found
    problems: list[str] = []
    if not isinstance(params["status"], str):
        problems.append("must be a string [json-pointer:/status]")
    if params.get("loading_messages") is not None:
        problems += _array(params["loading_messages"], "/loading_messages", MAX_LOADING_MESSAGES)[1]
    if problems:
        return invalid(problems)
    assert isinstance(channel, str) and isinstance(thread_ts, str)
    _keep(ctx.ws, channel, thread_ts, status=params["status"])
    return ok()


def set_title(ctx: Ctx, params: dict[str, Any]) -> Outcome:
    """assistant.threads.setTitle."""
    missing = _missing(params, "channel_id", "thread_ts", "title")
    if missing:
        return invalid(missing)
    channel = _channel(ctx.ws, params["channel_id"], channels_too=False)
    thread_ts = _thread(params, required=True)
    for found in (channel, thread_ts):
        if isinstance(found, Outcome):
            return found
    assert isinstance(channel, str) and isinstance(thread_ts, str)
    _keep(ctx.ws, channel, thread_ts, title=str(params["title"]))
    return ok()


HANDLERS: dict[str, Handler] = {
    "assistant.threads.setSuggestedPrompts": set_suggested_prompts,
    "assistant.threads.setStatus": set_status,
    "assistant.threads.setTitle": set_title,
}
