"""👎 asks "What were you looking for?" in a modal; its submission is stored on that vote."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.slack.delivery import deliver
from bot.slack.models import Feedback
from bot.slack.services import Services

log = logging.getLogger("toolkit_bot.feedback")
CALLBACK = "feedback_comment"
BLOCK, ACTION = "comment", "text"
MAX_CHARS = 300
METADATA_CHARS = 3000
Handler = Callable[..., None]


def comment_modal(target: str, question: str) -> dict[str, Any]:
    """The modal: one optional plain-text field; the answer it is about rides in metadata."""
    metadata = json.dumps({"t": target, "q": question}, ensure_ascii=False)
    if len(metadata) > METADATA_CHARS:  # button values are shorter, so this is only a guard
        metadata = json.dumps({"t": target, "q": question[:1000]}, ensure_ascii=False)
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Not helpful"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "blocks": [
            {
                "type": "input",
                "block_id": BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "What were you looking for?"},
                "hint": {
                    "type": "plain_text",
                    "text": "Optional. It helps the team add what is missing.",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": ACTION,
                    "multiline": True,
                    "max_length": MAX_CHARS,
                },
            }
        ],
    }


def ask_what_was_missing(
    services: Services, client: WebClient, body: dict[str, Any], vote: Feedback
) -> None:
    """Open the modal for a 👎 (pushed on top when the click came from a modal)."""
    if not body.get("trigger_id"):
        return
    modal = comment_modal(vote.target, vote.question)
    opener = client.views_push if body.get("view", {}).get("type") == "modal" else client.views_open
    deliver(
        services.failures,
        "feedback comment modal",
        lambda: opener(trigger_id=body["trigger_id"], view=modal),
    )


def submitted_comment(view: dict[str, Any]) -> str:
    """The text typed into the modal ("" when left empty)."""
    field = view.get("state", {}).get("values", {}).get(BLOCK, {}).get(ACTION, {})
    return " ".join(str(field.get("value") or "").split())[:MAX_CHARS]


def on_comment(services: Services) -> Handler:
    """view_submission: close the modal, then keep the comment on the user's 👎 for that answer."""

    def handle(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack()
        comment = submitted_comment(view)
        if not comment:
            return
        try:
            data = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            log.warning("feedback comment without readable metadata; dropped")
            return
        services.feedback.record(
            Feedback(
                team_id=str(body.get("team", {}).get("id", "") or view.get("team_id", "")),
                user_id=str(body.get("user", {}).get("id", "")),
                target=str(data.get("t", "")),
                helpful=False,
                question=str(data.get("q", "")),
                comment=comment,
            )
        )

    return handle
