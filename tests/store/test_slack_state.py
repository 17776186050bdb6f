"""The Slack layer's hooks into the store: answers counted and declines logged from the one
asking path, 👎 opening the "What were you looking for?" modal, and its submission stored."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.engine import Engine
from bot.slack import actions, comments
from bot.slack.asking import ask, ask_command, rebuild
from bot.slack.blocks import button_value
from bot.slack.services import Services
from bot.slack.stored import attach
from bot.store.models import AnswerCount, DeclinedQuestion, DeliveryFailure, FeedbackVote
from bot.store.store import Store


def rows(store: Store, *columns: Any) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(*columns))]


class Client:
    """Records the Web API calls a listener makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        return lambda **kwargs: self.calls.append((method, kwargs)) or {"ok": True}


def test_questions_are_counted_and_declines_logged(store: Store, engine: Engine) -> None:
    services = attach(Services(engine), store)
    ask(services, "do scare tactics work?", team_id="T1")
    ask(services, "Do scare tactics work", team_id="T1")
    ask(services, "what is the capital of Peru?", team_id="T1")
    ask_command(services, "what works", team_id="T2")
    rebuild(services, button_value("entry:scare-tactics", "x"), shareable=False)  # not counted
    ask(services, "do scare tactics work?")  # no team given: a rebuild, not a question
    counted = rows(store, AnswerCount.team_id, AnswerCount.target, AnswerCount.count)
    assert sorted(counted) == [("T1", "entry:scare-tactics", 2), ("T2", "what-works", 1)]
    assert rows(store, DeclinedQuestion.text, DeclinedQuestion.count) == [
        ("what is the capital of peru", 1)
    ]


def test_failures_are_persisted_and_still_kept_in_memory(store: Store, engine: Engine) -> None:
    services = attach(Services(engine), store)
    services.failures.record("DM answer in D1", "channel_not_found")
    assert [f.reason for f in services.failures.recent()] == ["channel_not_found"]
    assert rows(store, DeliveryFailure.what, DeliveryFailure.reason) == [
        ("DM answer in D1", "channel_not_found")
    ]
    assert [f.what for f in store.recent_failures()] == ["DM answer in D1"]


def test_the_comment_modal_fits_slack_limits() -> None:
    view = comments.comment_modal("entry:drug-courts", "do drug courts work?")
    assert view["type"] == "modal" and view["callback_id"] == comments.CALLBACK
    assert len(view["title"]["text"]) <= 24
    [block] = view["blocks"]
    assert block["label"]["text"] == "What were you looking for?"
    assert block["optional"] is True
    assert block["element"]["type"] == "plain_text_input"
    assert block["element"]["max_length"] == 300
    assert json.loads(view["private_metadata"]) == {
        "t": "entry:drug-courts",
        "q": "do drug courts work?",
    }
    huge = comments.comment_modal("entry:x", "q" * 5000)
    assert len(huge["private_metadata"]) <= comments.METADATA_CHARS


def click(helpful: bool, **extra: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    value = button_value("entry:drug-courts", "do drug courts work?")
    body = {"team": {"id": "T1"}, "user": {"id": "U1"}, "trigger_id": "1.2.abc", **extra}
    return body, {"value": value}


def test_thumbs_down_stores_the_vote_and_opens_the_modal(store: Store, engine: Engine) -> None:
    services = attach(Services(engine), store)
    client, acked = Client(), []
    body, action = click(False)
    actions.on_feedback(services, helpful=False)(lambda: acked.append(1), body, action, client)
    assert acked == [1]
    [(method, kwargs)] = [c for c in client.calls if c[0].startswith("views_")]
    assert method == "views_open" and kwargs["trigger_id"] == "1.2.abc"
    assert kwargs["view"]["callback_id"] == comments.CALLBACK
    assert rows(store, FeedbackVote.target, FeedbackVote.helpful) == [("entry:drug-courts", False)]


def test_thumbs_down_in_a_modal_pushes_the_comment_modal(store: Store, engine: Engine) -> None:
    services = attach(Services(engine), store)
    client = Client()
    view = {"id": "V1", "hash": "h", "type": "modal", "title": {"type": "plain_text", "text": "x"}}
    body, action = click(False, view=view, container={"type": "view"})
    actions.on_feedback(services, helpful=False)(lambda: None, body, action, client)
    assert [c[0] for c in client.calls] == ["views_push"]  # at once: the trigger_id expires
    [owed] = store.due_deliveries() or pending(store)
    assert (owed.method, owed.payload["view_id"], owed.purpose) == (
        "views.update",
        "V1",
        "feedback thanks",
    )


def pending(store: Store) -> list[Any]:
    """Deliveries recorded and still owed (whoever holds them)."""
    from bot.store import outbox

    with store.engine.connect() as connection:
        rows = connection.execute(
            outbox.DELIVERIES.select().where(outbox.DELIVERIES.c.state == "pending")
        )
        return [outbox._owed(row) for row in rows]


def test_thumbs_up_opens_no_modal(store: Store, engine: Engine) -> None:
    services = attach(Services(engine), store)
    client = Client()
    body, action = click(True)
    actions.on_feedback(services, helpful=True)(lambda: None, body, action, client)
    assert client.calls == []
    assert rows(store, FeedbackVote.helpful) == [(True,)]


def submission(text: str | None, metadata: str) -> tuple[dict[str, Any], dict[str, Any]]:
    values = (
        {} if text is None else {"comment": {"text": {"type": "plain_text_input", "value": text}}}
    )
    view = {"private_metadata": metadata, "state": {"values": values}, "team_id": "T1"}
    return {"team": {"id": "T1"}, "user": {"id": "U1"}, "view": view}, view


def test_the_submitted_comment_is_stored_on_that_vote(store: Store, engine: Engine) -> None:
    services = attach(Services(engine), store)
    body, action = click(False)
    actions.on_feedback(services, helpful=False)(lambda: None, body, action, Client())
    metadata = comments.comment_modal("entry:drug-courts", "do drug courts work?")[
        "private_metadata"
    ]
    acked: list[int] = []
    handler = comments.on_comment(services)
    handler(lambda: acked.append(1), *submission("  cost per case\n please ", metadata))
    handler(lambda: acked.append(1), *submission(None, metadata))  # left empty: nothing changes
    handler(lambda: acked.append(1), *submission("x", "not json"))  # unreadable: dropped
    assert acked == [1, 1, 1]
    assert rows(store, FeedbackVote.helpful, FeedbackVote.comment) == [
        (False, "cost per case please")
    ]
