"""Buttons and the message shortcut. Thin: ack, look up, render, reply."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.slack.comments import ask_what_was_missing
from bot.slack.models import Feedback
from bot.slack.services import Services
from bot.slack.work import later, owe

SHORTCUT = "check_with_toolkit"
Handler = Callable[..., None]
THANKS = "Thanks for the feedback: it helps the team improve the knowledge base."


def in_view(body: dict[str, Any]) -> bool:
    """Whether the click came from the Home tab or a modal (no response_url there)."""
    return body.get("container", {}).get("type") == "view" or "view" in body


def _do_click(services: Services) -> Handler:
    def handle(ack: Ack, context: BoltContext) -> None:
        ack()
        work = context.get("work")
        if work is not None:
            later(services, work)

    return handle


def on_open(services: Services) -> Handler:
    """Related, did-you-mean and better-supported buttons open that answer (a modal from the
    Home tab)."""
    return _do_click(services)


def on_more(services: Services) -> Handler:
    """More detail: the entry's details, to the clicker (a modal from the Home tab)."""
    return _do_click(services)


def on_share(services: Services) -> Handler:
    """Share in channel: the same answer posted publicly, credited to the person who shared it."""
    return _do_click(services)


def on_feedback(services: Services, *, helpful: bool) -> Handler:
    """👍 / 👎: handed to the feedback sink and acknowledged to the clicker only."""

    def handle(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        vote = feedback_of(body, action, helpful=helpful)
        if not helpful:  # first: the trigger_id is only valid for 3 seconds
            ask_what_was_missing(services, client, body, vote)
        services.feedback.record(vote)
        team = str(body.get("team", {}).get("id", ""))
        if in_view(body) and "view" in body:
            view = body["view"]
            modal = answer_modal_from(view, THANKS)
            payload = {"view_id": view["id"], "hash": view.get("hash"), "view": modal}
            owe(services, team, "views.update", "view", "feedback thanks", payload)
            return
        url = body.get("response_url")
        if url:
            message = {"response_type": "ephemeral", "replace_original": False, "text": THANKS}
            owe(
                services,
                team,
                "response_url",
                "feedback",
                "feedback thanks",
                {"url": url, "body": message},
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
    return _do_click(services)
