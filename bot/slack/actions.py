"""Buttons and the message shortcut. Thin: ack, look up, render, reply."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.slack.asking import ask, more_detail, open_entry, rebuild
from bot.slack.comments import ask_what_was_missing
from bot.slack.delivery import deliver, respond
from bot.slack.home import answer_modal
from bot.slack.models import Feedback
from bot.slack.replies import Reply, credited
from bot.slack.services import Services

SHORTCUT = "check_with_toolkit"
Handler = Callable[..., None]
THANKS = "Thanks for the feedback: it helps the team improve the knowledge base."


def in_view(body: dict[str, Any]) -> bool:
    """Whether the click came from the Home tab or a modal (no response_url there)."""
    return body.get("container", {}).get("type") == "view" or "view" in body


def on_open(services: Services) -> Handler:
    """Related and did-you-mean buttons open that answer (a modal from the Home tab)."""

    def build(value: str, shareable: bool) -> Reply | None:
        return open_entry(services, value, shareable=shareable)

    return _opener(services, build, "opened answer")


def on_more(services: Services) -> Handler:
    """More detail: the entry's details, to the clicker (a modal from the Home tab)."""

    def build(value: str, shareable: bool) -> Reply | None:
        return more_detail(services, value)

    return _opener(services, build, "more detail")


def _opener(services: Services, build: Callable[[str, bool], Reply | None], what: str) -> Handler:
    def handle(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        reply = build(action.get("value", ""), not in_view(body))
        if reply is None:
            return
        if in_view(body):
            view = answer_modal(reply)
            opener = (
                client.views_push
                if body.get("view", {}).get("type") == "modal"
                else client.views_open
            )
            deliver(
                services.failures,
                "answer modal",
                lambda: opener(trigger_id=body["trigger_id"], view=view),
            )
            return
        respond(
            services.failures,
            body.get("response_url"),
            what,
            {"response_type": "ephemeral", "replace_original": False, **reply.message()},
        )

    return handle


def on_share(services: Services) -> Handler:
    """Share in channel: the same answer posted publicly, credited to the person who shared it."""

    def handle(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        reply = credited(rebuild(services, action["value"], shareable=False), body["user"]["id"])
        respond(
            services.failures,
            body.get("response_url"),
            "shared answer",
            {"response_type": "in_channel", "replace_original": False, **reply.message()},
        )

    return handle


def on_feedback(services: Services, *, helpful: bool) -> Handler:
    """👍 / 👎: handed to the feedback sink and acknowledged to the clicker only."""

    def handle(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        vote = feedback_of(body, action, helpful=helpful)
        if not helpful:  # first: the trigger_id is only valid for 3 seconds
            ask_what_was_missing(services, client, body, vote)
        services.feedback.record(vote)
        if in_view(body) and "view" in body:
            view = body["view"]
            modal = answer_modal_from(view, THANKS)
            deliver(
                services.failures,
                "feedback thanks",
                lambda: client.views_update(view_id=view["id"], hash=view.get("hash"), view=modal),
            )
            return
        respond(
            services.failures,
            body.get("response_url"),
            "feedback thanks",
            {"response_type": "ephemeral", "replace_original": False, "text": THANKS},
        )

    return handle


def feedback_of(body: dict[str, Any], action: dict[str, Any], *, helpful: bool) -> Feedback:
    """The feedback record for a click."""
    data = json.loads(action.get("value") or "{}")
    return Feedback(
        team_id=str(body.get("team", {}).get("id", "")),
        user_id=body["user"]["id"],
        target=str(data.get("t", "")),
        helpful=helpful,
        question=str(data.get("q", "")),
    )


def answer_modal_from(view: dict[str, Any], note: str) -> dict[str, Any]:
    """The same modal with a note added (once)."""
    blocks = [blk for blk in view.get("blocks", []) if blk.get("block_id") != "note"]
    blocks.append(
        {"type": "context", "block_id": "note", "elements": [{"type": "mrkdwn", "text": note}]}
    )
    keep = ("type", "title", "close", "callback_id")
    return {**{k: view[k] for k in keep if k in view}, "blocks": blocks}


def on_shortcut(services: Services) -> Handler:
    """ "Check with the toolkit" on a message: a private answer about its text, with Share."""

    def handle(ack: Ack, shortcut: dict[str, Any]) -> None:
        ack()
        text = shortcut.get("message", {}).get("text", "")
        team = str(shortcut.get("team", {}).get("id", "") or "")
        reply = ask(services, text, shareable=True, team_id=team)
        respond(
            services.failures,
            shortcut.get("response_url"),
            "shortcut answer",
            {"response_type": "ephemeral", **reply.message()},
        )

    return handle
