"""Daily-tips fixtures: a fresh migrated database on SQLite always and on PostgreSQL when
TEST_DATABASE_URL is set (a schema of its own, dropped afterwards, so runs repeat), the Slack
stand-in, and helpers to build runners and subscriptions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.engine import Engine as Answers
from bot.jobs.tips import TipRunner
from bot.slack.delivery import retry_handlers
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.subscriptions import SubscriptionRecord, TipStore
from tests.databases import BACKENDS, fresh_database
from tests.stand_in import FakeSlack

TOKEN = "xoxb-test-bot"
TEAM = "T0001"


def utc(text_: str) -> datetime:
    """An aware UTC instant from ISO text."""
    moment = datetime.fromisoformat(text_)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the latest schema, on each backend."""
    with fresh_database(request.param, tmp_path, "tips_test") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(db: Engine) -> TipStore:
    return TipStore(session_factory(db))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A started Slack stand-in with a few channels the bot is in."""
    with FakeSlack() as slack:
        for channel in ("C0TIPS1", "C0TIPS2", "C0TIPS3", "C0TIPS4", "C0TIPS5"):
            slack.set_channel(channel)
        yield slack


def client_for(fake: FakeSlack) -> Callable[[str], WebClient | None]:
    """What compose builds for one workspace: the bot token, the retry policy, the stand-in."""

    def make(team_id: str) -> WebClient | None:
        return WebClient(token=TOKEN, base_url=fake.api_url, retry_handlers=retry_handlers())

    return make


@pytest.fixture
def runner(store: TipStore, engine: Answers, fake: FakeSlack) -> TipRunner:
    return TipRunner(store, engine, client_for(fake), cutoff=timedelta(hours=6))


def subscribe(
    store: TipStore,
    channel: str,
    *,
    at: str = "09:00",
    days: str = "weekdays",
    zone: str = "Europe/London",
    since: str = "2026-03-20T12:00:00Z",
    team: str = TEAM,
) -> SubscriptionRecord:
    """A subscription turned on at `since`."""
    return store.subscribe(
        team,
        channel,
        local_time=at,
        days=days,
        timezone=zone,
        created_by="hash",
        now=utc(since),
    )


def posts(fake: FakeSlack, channel: str | None = None) -> list[str]:
    """Channels of successful chat.postMessage calls (optionally to one channel)."""
    found = [str(c.params.get("channel")) for c in fake.calls_to("chat.postMessage") if c.ok]
    return [c for c in found if channel is None or c == channel]


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """slack_sdk's retry handlers sleep with time.sleep: record instead of waiting."""
    import slack_sdk.http_retry.builtin_handlers as builtin
    import slack_sdk.http_retry.handler as handler

    slept: list[float] = []
    monkeypatch.setattr(builtin.time, "sleep", slept.append)
    monkeypatch.setattr(handler.time, "sleep", slept.append)
    return slept
