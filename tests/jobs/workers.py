"""What each competing process runs in the exactly-once tests (importable for spawn)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.content import load_content
from bot.engine import Engine
from bot.jobs.tips import TipRunner
from bot.slack.delivery import retry_handlers
from bot.store.db import make_engine, session_factory
from bot.store.subscriptions import TipStore
from tests.conftest import INTENTS, KNOWLEDGE


def run_due_in_process(db_url: str, api_url: str, now: str, barrier: Any, results: Any) -> None:
    """Load everything, wait until every process is ready, then run one pass."""
    content = load_content(KNOWLEDGE, INTENTS)
    engine = Engine(content.entries, content.intents, version=content.version)
    db = make_engine(db_url)

    def client_for(team_id: str) -> WebClient:
        return WebClient(token="xoxb-test-bot", base_url=api_url, retry_handlers=retry_handlers())

    runner = TipRunner(TipStore(session_factory(db)), engine, client_for)
    barrier.wait(timeout=60)
    try:
        summary = runner.run_due(datetime.fromisoformat(now))
        results.put([r.outcome for r in summary.reports])
    except BaseException as exc:  # reported to the test, not lost in the child
        results.put([f"error: {exc!r}"])
    finally:
        db.dispose()
