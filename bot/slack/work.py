"""Work the bot owes Slack: recorded as each request is acked, done by the listeners, and done
again after a crash from what was recorded.

A Bolt global middleware turns a request into a Work item (a question, a click, a shared link)
and records it before Slack gets its ack; its key is the request's natural identity (the
message's channel and ts, the click's trigger id), so a retry, a redelivery or a replay is
acked and dropped there. The listener then hands the work to the work pool (`later`;
bot/slack/pool.py), whose threads call `process`, which turns the work into the messages owed
(deterministic ids, so work done twice owes the same messages) and hands them to the sender. A
question whose turn came more than `Services.busy_after` seconds after it arrived gets a short
busy reply instead (`too_late`). Recovery calls the same `process` for work whose owner died.

Each request's end is `finished`: counted in the metrics (bot/metrics.py) and logged as one
line (one JSON object with LOG_FORMAT=json): surface, kind, intent, latency and status, never
the text or the body.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from slack_bolt import BoltResponse

from bot.logs import FIELDS
from bot.metrics import DECLINED
from bot.slack.asking import ask, more_detail, open_entry, rebuild
from bot.slack.blocks import MORE, OPEN, SHARE, unfurl_blocks
from bot.slack.home import answer_modal
from bot.slack.replies import Reply, credited
from bot.slack.sending import utc_now
from bot.slack.text import bounded, without_mention
from bot.slack.threads import thread_key
from bot.store.outbox import Owed, Work

if TYPE_CHECKING:
    from bot.slack.services import Services

log = logging.getLogger("toolkit_bot.work")
NAMESPACE = uuid.UUID("6d1f8f3e-3c1b-4b8e-9a65-4f6d1b1e7a10")
#: How long the bot keeps trying to deliver each kind of message.
ANSWER_DEADLINE = timedelta(minutes=15)
CLICK_DEADLINE = timedelta(minutes=5)
MODAL_DEADLINE = timedelta(seconds=3)  # a trigger_id is only valid for 3 seconds
#: The reply to a question that waited longer than Services.busy_after for its turn.
BUSY = "busy"
BUSY_TEXT = (
    "Sorry, I'm very busy right now and could not get to your question in time. "
    "Please ask again in a minute."
)
#: Message subtypes that are still a person asking something.
ASKING_SUBTYPES = {None, "thread_broadcast", "file_share"}


class WorkLedger(Protocol):
    """Where work is recorded (the database, or memory)."""

    def accept(self, work: Work) -> bool: ...

    def complete(self, key: str, owed: list[Owed]) -> None: ...


def delivery_id(key: str, n: int = 0) -> str:
    """The id of a work item's n-th message: the same every time the work is done."""
    return str(uuid.uuid5(NAMESPACE, f"{key}#{n}"))


def from_a_person(event: dict[str, Any]) -> bool:
    """Not the bot itself, not another bot, not an edit or a deletion."""
    return (
        event.get("subtype") in ASKING_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and "text" in event
    )


def team_of(body: dict[str, Any]) -> str:
    """The workspace a request came from."""
    team = body.get("team")
    team_id = team.get("id") if isinstance(team, dict) else team
    return str(body.get("team_id") or team_id or body.get("event", {}).get("team") or "")


# -- what a request owes -------------------------------------------------------------------


def work_of(body: dict[str, Any], bot_user_id: str | None) -> Work | None:
    """The work a request from Slack asks of the bot, or None (nothing to owe)."""
    kind = body.get("type")
    if kind == "event_callback":
        return _event_work(body, body.get("event") or {}, bot_user_id)
    if kind == "block_actions":
        return _click_work(body)
    if kind == "message_action":
        text = bounded(str((body.get("message") or {}).get("text", "")))
        data = {"text": text, "response_url": body.get("response_url")}
        return Work(f"shortcut:{body.get('trigger_id')}", "shortcut", team_of(body), data)
    if body.get("command") and body.get("trigger_id"):  # answered in the ack: kept for replays
        return Work(f"command:{body['trigger_id']}", "command", team_of(body), {})
    return None


def _event_work(body: dict[str, Any], event: dict[str, Any], bot: str | None) -> Work | None:
    kind, team, channel = event.get("type"), team_of(body), str(event.get("channel") or "")
    if kind == "message" and event.get("channel_type") == "im" and from_a_person(event):
        thread = event.get("thread_ts")
        data = {"text": bounded(event["text"]), "channel": channel, "thread": thread,
                "reply": thread, "surface": "dm"}  # fmt: skip
        data["user"] = event["user"]  # who gets a private reminder (bot/privacy.py)
        return Work(f"message:{channel}:{event.get('ts')}", "question", team, data)
    if kind == "app_mention" and from_a_person(event):
        thread = event.get("thread_ts") or event.get("ts")
        text = without_mention(bounded(event["text"]), bot)
        data = {"text": text, "channel": channel, "thread": thread, "reply": thread,
                "surface": "mention"}  # fmt: skip
        data["user"] = event["user"]
        return Work(f"message:{channel}:{event.get('ts')}", "question", team, data)
    if kind == "link_shared":
        data = {
            "channel": channel,
            "ts": event.get("message_ts"),
            "links": [str(link.get("url", "")) for link in event.get("links", [])],
            "unfurl_id": event.get("unfurl_id"),
            "source": event.get("source"),
        }
        return Work(f"unfurl:{channel}:{event.get('message_ts')}", "unfurl", team, data)
    return None


def _click_work(body: dict[str, Any]) -> Work | None:
    actions = body.get("actions") or []
    action_id = str(actions[0].get("action_id", "")) if actions else ""
    kind = next((k for k, p in CLICKS.items() if action_id.startswith(p)), None)
    if kind is None:
        return None
    view = body.get("view") or {}
    in_view = body.get("container", {}).get("type") == "view" or bool(view)
    data = {
        "value": str(actions[0].get("value", "")),
        "user": str(body.get("user", {}).get("id", "")),
        "response_url": body.get("response_url"),
        "channel": str(body.get("channel", {}).get("id", "") or ""),
        "in_view": in_view,
        "trigger_id": body.get("trigger_id"),
        "view_type": view.get("type"),
    }
    key = f"click:{body.get('trigger_id') or actions[0].get('action_ts')}:{action_id}"
    return Work(key, kind, team_of(body), data)


CLICKS = {"open": OPEN, "more": MORE, "share": SHARE}
#: Kinds of work that are a question someone asked (answered, or declined).
ASKED = frozenset({"question", "shortcut"})
#: Kinds whose line is logged as their reply is composed (`answered`), not by `process`; a
#: /toolkit question is answered in its ack (bot/slack/commands.py).
REPLIED = ASKED | {"command"}


def surface_of(work: Work) -> str:
    """Where the request came from: dm, mention, shortcut, command, button or unfurl."""
    if work.kind == "question":  # work recorded before "surface" was: a DM channel id is D...
        dm = str(work.data.get("channel", "")).startswith("D")
        return str(work.data.get("surface") or ("dm" if dm else "mention"))
    return {"shortcut": "shortcut", "command": "command", "unfurl": "unfurl"}.get(
        work.kind, "button"
    )


def intake(services: Services) -> Callable[..., Any]:
    """The Bolt global middleware: record the work before the ack; drop what was seen."""

    def middleware(body: dict[str, Any], context: Any, next: Callable[[], Any]) -> Any:
        received = time.monotonic()
        work = work_of(body, getattr(context, "bot_user_id", None))
        if work is None:
            return next()
        if not services.ledger.accept(work):
            log.info("already seen %s %s: not done again", work.kind, work.key.split(":")[0])
            return BoltResponse(status=200, body="")
        if work.kind in ASKED:  # a /toolkit question is counted where it is answered
            services.metrics.asked(surface_of(work))
        context["work"] = replace(work, received=received)
        return next()

    return middleware


# -- doing the work ------------------------------------------------------------------------


def later(services: Services, work: Work) -> None:
    """Have the work done: by the work pool when one runs (bot/slack/pool.py), else now."""
    if services.pool is not None:
        services.pool.submit(work)
    else:
        process(services, work)


def too_late(services: Services, work: Work) -> bool:
    """Whether a question waited so long for its turn that a busy reply goes instead."""
    waited = None if work.received is None else time.monotonic() - work.received
    return waited is not None and services.busy_after > 0 and waited > services.busy_after


def process(services: Services, work: Work, *, recovered: bool = False) -> None:
    """Do one item of work: the messages it owes are recorded, then sent.

    Work recovered from the ledger may already have been done (its owner died after posting,
    or a timed-out write committed late): its messages are marked uncertain, so the sender
    reads the conversation back before posting.
    """
    try:
        owed = PROCESSORS[work.kind](services, work)
    except Exception:
        finished(services, work, "error")
        raise
    if recovered:
        owed = [replace(item, uncertain=True) for item in owed]
    services.ledger.complete(work.key, owed)
    for item in owed:
        services.send(item)
    if work.kind not in REPLIED:  # a question's line went out as its reply was composed
        finished(services, work, "done")


def answered(services: Services, work: Work | None, reply: Reply) -> None:
    """A question's reply is composed: counted (answer, decline or busy) and logged."""
    if work is None:
        return
    if reply.intent == BUSY:
        services.metrics.busy(surface_of(work))
        finished(services, work, "busy")
        return
    status = "declined" if reply.intent == DECLINED else "answered"
    finished(services, work, status, reply.intent or None)


def busy_reply() -> Reply:
    """What a question gets when the bot is too busy to answer it in good time."""
    return Reply(BUSY_TEXT, [{"type": "section", "text": {"type": "mrkdwn", "text": BUSY_TEXT}}],
                 intent=BUSY)  # fmt: skip


def finished(services: Services, work: Work, status: str, intent: str | None = None) -> None:
    """The end of one request: its metrics and its one log line (never text or body)."""
    surface = surface_of(work)
    seconds = None if work.received is None else time.monotonic() - work.received
    if status in ("answered", "declined"):
        services.metrics.answered(surface, intent or "", seconds)
    ms = None if seconds is None else round(seconds * 1000, 1)
    fields = {"surface": surface, "kind": work.kind, "intent": intent, "latency_ms": ms,
              "status": status}  # fmt: skip
    log.info(
        "%s from %s: %s%s%s",
        work.kind,
        surface,
        status,
        f" ({intent})" if intent else "",
        "" if ms is None else f" in {ms:.0f} ms",
        extra={FIELDS: fields},
    )


def _owed(work: Work, n: int, method: str, channel: str, thread: str | None, purpose: str,
          payload: dict[str, Any], deadline: timedelta) -> Owed:  # fmt: skip
    now = utc_now()
    return Owed(delivery_id(work.key, n), work.team_id, method, channel, thread, purpose,
                payload, now + deadline, now)  # fmt: skip


def _question(services: Services, work: Work) -> list[Owed]:
    d = work.data
    key = thread_key(work.team_id, d["channel"], d["thread"])
    if too_late(services, work):
        reply = busy_reply()
    else:
        reply = ask(services, d["text"], team_id=work.team_id, thread=key)
    payload = {"channel": d["channel"], **reply.message()}
    if d["reply"]:
        payload["thread_ts"] = d["reply"]
    else:  # a top-level DM answer: a reply in the answer's own thread follows on from it
        payload["_follow"] = key
    owed = [_owed(work, 0, "chat.postMessage", d["channel"], d["reply"], "answer", payload,
                  ANSWER_DEADLINE)]  # fmt: skip
    if reply.intent != BUSY:  # a busy reply read nothing: no reminder
        owed += _privacy_reminder(services, work, d)
    answered(services, work, reply)
    return owed


def _privacy_reminder(services: Services, work: Work, d: dict[str, Any]) -> list[Owed]:
    """A private nudge when a question looks like it holds personal data (still answered)."""
    reminder = services.privacy_reminder(d["text"])
    user = d.get("user")
    if reminder is None or not user:
        return []
    payload = {"channel": d["channel"], "user": user, "text": reminder}
    if d["reply"]:
        payload["thread_ts"] = d["reply"]
    return [_owed(work, 1, "chat.postEphemeral", d["channel"], d["reply"], "privacy", payload,
                  ANSWER_DEADLINE)]  # fmt: skip


def _unfurl(services: Services, work: Work) -> list[Owed]:
    d, engine = work.data, services.engine
    unfurls = {}
    for url in d["links"]:
        entry = services.unfurler().entry_for(url)
        if entry is not None:
            blocks = unfurl_blocks(entry, engine.by_id, engine.version)
            unfurls[url] = {"blocks": [blk.to_dict() for blk in blocks]}
    if not unfurls:
        return []
    payload = {"channel": d["channel"], "ts": d["ts"], "unfurls": unfurls}
    payload.update({k: d[k] for k in ("unfurl_id", "source") if d.get(k)})
    return [_owed(work, 0, "chat.unfurl", d["channel"], None, "unfurl", payload, ANSWER_DEADLINE)]


def _click(reply: Reply | None, work: Work, purpose: str, *, public: bool = False) -> list[Owed]:
    """Show a reply to the person who clicked: a modal from a view, else via response_url."""
    d = work.data
    if reply is None:
        return []
    if d["in_view"]:
        method = "views.push" if d.get("view_type") == "modal" else "views.open"
        payload = {"trigger_id": d["trigger_id"], "view": answer_modal(reply)}
        return [_owed(work, 0, method, d["channel"] or "view", None, purpose, payload,
                      MODAL_DEADLINE)]  # fmt: skip
    if not d.get("response_url"):
        return []
    kind = "in_channel" if public else "ephemeral"
    body = {"response_type": kind, "replace_original": False, **reply.message()}
    payload = {"url": d["response_url"], "body": body}
    return [_owed(work, 0, "response_url", d["channel"] or "dm", None, purpose, payload,
                  CLICK_DEADLINE)]  # fmt: skip


def _shortcut(services: Services, work: Work) -> list[Owed]:
    d = work.data
    if too_late(services, work):
        reply = busy_reply()
    else:
        reply = ask(services, d["text"], shareable=True, team_id=work.team_id)
    answered(services, work, reply)
    if not d.get("response_url"):
        return []
    payload = {"url": d["response_url"], "body": {"response_type": "ephemeral", **reply.message()}}
    return [_owed(work, 0, "response_url", "shortcut", None, "shortcut answer", payload,
                  CLICK_DEADLINE)]  # fmt: skip


def owe(services: Services, team: str, method: str, channel: str, purpose: str,
        payload: dict[str, Any], deadline: timedelta = CLICK_DEADLINE) -> None:  # fmt: skip
    """Record and send one message that no work item produced (Home tab, a thank-you)."""
    now = utc_now()
    owed = Owed(str(uuid.uuid4()), team, method, channel, None, purpose, payload,
                now + deadline, now)  # fmt: skip
    services.ledger.record(owed)
    services.send(owed)


def _open(services: Services, work: Work) -> list[Owed]:
    shareable = not work.data["in_view"]
    return _click(open_entry(services, work.data["value"], shareable=shareable), work, "opened")


def _more(services: Services, work: Work) -> list[Owed]:
    return _click(more_detail(services, work.data["value"]), work, "more detail")


def _share(services: Services, work: Work) -> list[Owed]:
    reply = credited(rebuild(services, work.data["value"], shareable=False), work.data["user"])
    return _click(reply, work, "share", public=True)


PROCESSORS: dict[str, Callable[[Services, Work], list[Owed]]] = {
    "question": _question,
    "unfurl": _unfurl,
    "open": _open,
    "more": _more,
    "share": _share,
    "shortcut": _shortcut,
    "command": lambda services, work: [],  # a command's answer went out in its ack
}
