"""The work pool and the busy reply: acked work done in order, late questions told to retry."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

from bot.engine import Engine
from bot.slack.pool import WorkPool
from bot.slack.services import Services
from bot.slack.work import BUSY_TEXT, later, process, work_of
from bot.store.outbox import Owed, Work
from tests.stand_in import payloads
from tests.stand_in.defaults import BOT_USER_ID


class Sent:
    """A stand-in sender: what would be posted."""

    def __init__(self) -> None:
        self.owed: list[Owed] = []

    def schedule(self, owed: Owed, delay: float = 0.0) -> bool:
        self.owed.append(owed)
        return True


def question(text: str, waited: float = 0.0) -> Work:
    body = payloads.event_callback(payloads.app_mention(f"<@{BOT_USER_ID}> {text}"))
    work = work_of(body, BOT_USER_ID)
    assert work is not None
    return replace(work, received=time.monotonic() - waited)


def services_for(engine: Engine, busy_after: float = 10.0) -> tuple[Services, Sent]:
    services, sent = Services(engine, busy_after=busy_after), Sent()
    services.sender = sent  # type: ignore[assignment]
    return services, sent


def test_a_question_that_waited_too_long_gets_the_busy_reply(engine: Engine) -> None:
    services, sent = services_for(engine, busy_after=5.0)
    process(services, question("do drug courts work?", waited=6.0))
    [owed] = sent.owed
    assert owed.payload["text"] == BUSY_TEXT and owed.payload["thread_ts"]
    busy = services.metrics.registry.get_sample_value
    assert busy("toolkit_bot_busy_replies_total", {"surface": "mention"}) == 1
    assert busy("toolkit_bot_answer_seconds_count", {"surface": "mention"}) == 0


def test_one_in_good_time_is_answered(engine: Engine) -> None:
    services, sent = services_for(engine, busy_after=5.0)
    process(services, question("do drug courts work?", waited=1.0))
    [owed] = sent.owed
    assert owed.payload["text"] != BUSY_TEXT and "Drug courts" in owed.payload["text"]


def test_recovered_work_is_never_busy(engine: Engine) -> None:
    services, sent = services_for(engine, busy_after=0.001)
    process(services, replace(question("mentoring"), received=None), recovered=True)
    assert sent.owed[0].payload["text"] != BUSY_TEXT


def test_the_pool_does_work_in_order_off_the_caller(engine: Engine) -> None:
    done: list[str] = []
    gate = threading.Event()

    def run(work: Work) -> None:
        gate.wait(5)
        done.append(work.data["text"])

    pool = WorkPool(run, workers=1).start()
    try:
        services, _ = services_for(engine)
        services.pool = pool
        for text in ("one", "two", "three"):
            later(services, replace(question(text), received=time.monotonic() - 2))
        assert done == [] and pool.depth == 3 and pool.oldest_age() >= 1.9
        gate.set()
        deadline = time.monotonic() + 5
        while len(done) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert done == ["one", "two", "three"] and pool.depth == 0
    finally:
        pool.stop()


def test_a_failure_in_the_pool_is_reported_and_the_pool_goes_on() -> None:
    failed: list[tuple[str, str]] = []
    done = threading.Event()

    def run(work: Work) -> None:
        if work.key == "bad":
            raise ValueError("boom")
        done.set()

    def report(work: Work, exc: Exception) -> Any:
        failed.append((work.key, str(exc)))

    pool = WorkPool(run, workers=1, on_error=report).start()
    try:
        pool.submit(Work("bad", "question", "T1", {}))
        pool.submit(Work("good", "question", "T1", {}))
        assert done.wait(5)
        assert failed == [("bad", "boom")]
    finally:
        pool.stop()
