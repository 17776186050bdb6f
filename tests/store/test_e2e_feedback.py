"""End to end through the real `toolkit-bot serve` (HTTP mode) and the Slack stand-in, with the
state in SQLite and in PostgreSQL: an answer is counted, 👎 opens "What were you looking for?",
the submitted text lands on that vote and in `toolkit-bot report`; with the database down the
bot still answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.store.db import make_engine
from bot.store.models import AnswerCount, FeedbackVote
from bot.store.models import DeclinedQuestion as DeclinedLog
from tests.slack.conftest import free_port, stop, wait_healthy
from tests.stand_in import FakeSlack, SignedDriver, payloads
from tests.stand_in.defaults import TEAM_ID, USER_ID
from tests.stand_in.fixtures import SIGNING_SECRET

pytestmark = pytest.mark.slow
SCRIPT = Path(sys.executable).with_name("toolkit-bot")
ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def eventually(check: Callable[[], T | None], what: str, timeout: float = 10.0) -> T:
    """Poll until `check()` returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


class Served:
    """`toolkit-bot serve --mode http` on a free port, logging to a file."""

    def __init__(self, fake: FakeSlack, database_url: str, log: Path) -> None:
        self.port, self.log_path = free_port(), log
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env.update(
            SLACK_BOT_TOKEN="xoxb-test-bot",
            SLACK_API_URL=fake.api_url,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            PORT=str(self.port),
            DATABASE_URL=database_url,
            LOG_LEVEL="INFO",
        )
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [str(SCRIPT), "serve", "--mode", "http"],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{self.port}"
        self.driver = SignedDriver(f"{self.url}/slack/events", SIGNING_SECRET)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self, timeout: float = 30) -> None:
        wait_healthy(self.url, self.process, self.log_path, timeout)

    def stop(self) -> None:
        stop(self.process)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as started:
        yield started


def serve(fake: FakeSlack, url: str, tmp_path: Path) -> Iterator[Served]:
    bot = Served(fake, url, tmp_path / "bot.log")
    try:
        bot.wait_healthy()
        yield bot
    finally:
        bot.stop()


@pytest.fixture
def bot(fake: FakeSlack, database_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(fake, database_url, tmp_path)


def ack_blocks(response: Any) -> list[dict[str, Any]]:
    """The blocks of a /toolkit answer, which comes in the command's acknowledgement."""
    return list(json.loads(response.body).get("blocks", []))


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button in {blocks}")


def test_thumbs_down_comment_round_trip(
    bot: Served,
    fake: FakeSlack,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answer_url = fake.response_url()
    form = payloads.slash_command("do drug courts work?", response_url=answer_url)
    acked = bot.driver.command(form)
    assert acked.status == 200
    down = button(ack_blocks(acked), "feedback_down")

    thanks_url, trigger = fake.response_url(), payloads.new_trigger_id()
    clicked = payloads.block_actions(
        down["action_id"],
        down["value"],
        block_id="answer_actions",
        response_url=thanks_url,
        trigger_id=trigger,
    )
    assert bot.driver.interaction(clicked).status == 200
    [opened] = fake.wait_for("views.open", timeout=10)
    assert opened.ok, (opened.response, opened.reasons)
    assert opened.params["trigger_id"] == trigger
    modal = opened.params["view"]
    assert modal["callback_id"] == "feedback_comment"
    assert modal["blocks"][0]["label"]["text"] == "What were you looking for?"
    thanks = eventually(
        lambda: [r for r in fake.responses if r.id == thanks_url.rsplit("/", 1)[-1]], "thanks"
    )
    assert thanks[0].response_type == "ephemeral" and "Thanks" in thanks[0].body["text"]

    submitted = payloads.view_submission(
        "feedback_comment",
        payloads.input_values(comment=("text", "cost per case, please")),
        private_metadata=modal["private_metadata"],
        view_id=opened.response["view"]["id"],
    )
    response = bot.driver.interaction(submitted)
    assert response.status == 200 and response.body in ("", "{}")  # acked: the modal closes

    engine = make_engine(database_url)
    try:

        def stored() -> list[Any]:
            with engine.connect() as connection:
                query = select(FeedbackVote.helpful, FeedbackVote.comment, FeedbackVote.user_hash)
                return [tuple(r) for r in connection.execute(query) if r.comment]

        [(helpful, comment, user_hash)] = eventually(stored, "the comment in the database")
        assert (helpful, comment) == (False, "cost per case, please")
        assert USER_ID not in user_hash and len(user_hash) == 64

        def counted() -> list[Any]:  # counts are written a batch at a time (bot/slack/stored.py)
            with engine.connect() as connection:
                rows = connection.execute(select(AnswerCount.team_id, AnswerCount.target))
                return [tuple(r) for r in rows]

        assert eventually(counted, "the answer counted") == [(TEAM_ID, "entry:drug-courts")]
    finally:
        engine.dispose()

    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["looking_for"][0]["comment"] == "cost per case, please"
    assert report["worst_rated"][0] == {
        "target": "entry:drug-courts",
        "helpful": 0,
        "not_helpful": 1,
        "votes": 1,
        "helpful_ratio": 0.0,
    }
    assert report["busiest"] == [{"target": "entry:drug-courts", "answers": 1}]


def test_a_retry_is_answered_once_and_a_decline_logged(
    bot: Served, fake: FakeSlack, database_url: str
) -> None:
    event = payloads.dm_message("what is the capital of peru?")
    body = payloads.event_callback(event)
    assert bot.driver.event(body).status == 200
    fake.wait_for("chat.postMessage", timeout=10)
    assert bot.driver.event(body, retry_num=1).status == 200
    time.sleep(1.0)
    assert len(fake.calls_to("chat.postMessage")) == 1
    engine = make_engine(database_url)
    try:

        def logged() -> list[Any]:
            with engine.connect() as connection:
                return list(connection.execute(select(DeclinedLog.text, DeclinedLog.count)))

        assert [tuple(r) for r in eventually(logged, "the decline")] == [
            ("what is the capital of peru", 1)
        ]
    finally:
        engine.dispose()


def test_with_the_database_down_the_bot_still_answers(fake: FakeSlack, tmp_path: Path) -> None:
    for bot in serve(fake, "postgresql://postgres@127.0.0.1:1/nowhere", tmp_path):
        assert "cannot use the database at postgresql+psycopg://postgres@127.0.0.1:1/" in bot.log()
        assert "Answering without stored state" in bot.log()
        assert "serving with one web worker (not 2)" in bot.log()  # memory is per process
        body = payloads.event_callback(payloads.dm_message("do scare tactics work?"))
        assert bot.driver.event(body).status == 200
        [posted] = fake.wait_for("chat.postMessage", timeout=10)
        assert posted.ok and "Scare" in str(posted.params.get("text"))
        assert bot.driver.event(body, retry_num=1).status == 200  # memory still dedupes
        time.sleep(1.0)
        assert len(fake.calls_to("chat.postMessage")) == 1
        assert "Traceback" not in bot.log()
