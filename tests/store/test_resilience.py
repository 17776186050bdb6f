"""The bot keeps answering when the database is not there: fallbacks, one clear log line."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from sqlalchemy.exc import OperationalError

from bot.config import Settings
from bot.engine import Engine
from bot.slack.asking import ask
from bot.slack.models import Feedback
from bot.slack.services import Services
from bot.slack.stored import attach
from bot.store.db import make_engine
from bot.store.guard import Breaker
from bot.store.runtime import start_store
from bot.store.store import Store

NOWHERE = "postgresql://postgres@127.0.0.1:1/nowhere"


@pytest.fixture
def broken_services(engine: Engine) -> Services:
    """Services attached to a store whose database refuses every connection."""
    return attach(Services(engine), Store(make_engine(NOWHERE)))


def test_an_unreachable_database_at_start_is_logged_and_skipped(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, "toolkit_bot.store"):
        assert start_store(replace(settings, database_url=NOWHERE)) is None
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith("cannot use the database at postgresql+psycopg://postgres@127.0.0.1:1/")
    assert "Connection refused" in line and "Answering without stored state" in line


def test_answers_do_not_depend_on_the_database(
    broken_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        reply = ask(broken_services, "do scare tactics work?", team_id="T1")
        decline = ask(broken_services, "what is the capital of peru", team_id="T1")
        broken_services.feedback.record(Feedback("T1", "U1", "entry:x", False, "q", "why"))
        broken_services.failures.record("a post", "channel_not_found")
    assert reply.text.startswith(broken_services.engine.by_id["scare-tactics"].title)
    assert decline.blocks  # the decline is still rendered
    assert [f.what for f in broken_services.failures.recent()] == ["a post"]
    unavailable = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(unavailable) == 1  # one line per outage, not one per message
    assert "answers are not affected" in unavailable[0].getMessage()


def test_dedupe_falls_back_to_memory(broken_services: Services) -> None:
    assert broken_services.seen.first_time("event:Ev1") is True
    assert broken_services.seen.first_time("event:Ev1") is False
    assert broken_services.seen.first_time("event:Ev2") is True


def test_a_delivery_handled_during_an_outage_is_not_answered_again_after_it(
    store: Store, engine: Engine
) -> None:
    ticks = [0.0]
    breaker = Breaker(cooldown=30, clock=lambda: ticks[0])
    services = attach(Services(engine), store, breaker)
    real = store.engine
    store.engine = make_engine(NOWHERE)
    assert services.seen.first_time("event:EvOutage") is True  # memory only
    store.engine, ticks[0] = real, 31.0  # the database is back
    assert services.seen.first_time("event:EvOutage") is False
    assert services.seen.first_time("event:EvAfter") is True


def test_the_breaker_skips_the_database_for_a_while_then_tries_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticks = [0.0]
    breaker = Breaker(cooldown=30, clock=lambda: ticks[0])
    calls: list[str] = []

    def failing() -> str:
        calls.append("db")
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    with caplog.at_level(logging.INFO, "toolkit_bot.store"):
        assert breaker.call("testing", failing, lambda: "memory") == "memory"
        ticks[0] = 10.0
        assert breaker.call("testing", failing, lambda: "memory") == "memory"
        assert calls == ["db"] and breaker.down
        ticks[0] = 31.0
        assert breaker.call("testing", lambda: "db", lambda: "memory") == "db"
    assert not breaker.down
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2 and "reachable again" in messages[1]


def test_a_bug_in_a_store_call_is_logged_and_the_fallback_used(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def buggy() -> str:
        raise TypeError("oops")

    assert Breaker().call("testing", buggy, lambda: "fallback") == "fallback"
    assert "store call failed while testing" in caplog.text


def test_services_without_a_store_keep_the_in_memory_behaviour(engine: Engine) -> None:
    services = Services(engine)
    ask(services, "do drug courts work?", team_id="T1")  # counted nowhere, no error
    assert services.seen.first_time("k") and not services.seen.first_time("k")
    services.failures.record("a post", "is_archived")
    assert len(services.failures.recent()) == 1
