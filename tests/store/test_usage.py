"""Declined questions (normalised, counted, first and last seen) and answers per entry per day."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import select

from bot.store.models import AnswerCount, DeclinedQuestion
from bot.store.store import Store
from tests.store.helpers import START, FakeClock, race


def declined(store: Store) -> list[DeclinedQuestion]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(DeclinedQuestion).order_by(DeclinedQuestion.id)).all()
    return [DeclinedQuestion(**row._mapping) for row in rows]


def answers(store: Store) -> list[tuple[str, str, date, int]]:
    query = select(AnswerCount.team_id, AnswerCount.target, AnswerCount.day, AnswerCount.count)
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(query.order_by(AnswerCount.id))]  # type: ignore[misc]


def test_a_declined_question_is_normalised_and_counted(store: Store, clock: FakeClock) -> None:
    assert store.record_declined("T1", "What about *parking* fines?? 🚗") is True
    clock.advance(hours=3)
    store.record_declined("T1", "<@U0BOT> what about parking FINES")
    [row] = declined(store)
    assert row.text == "what about parking fines"
    assert (row.count, row.first_seen, row.last_seen) == (2, START, clock())


def test_teams_are_kept_apart_and_empty_text_is_not_logged(store: Store) -> None:
    store.record_declined("T1", "parking fines")
    store.record_declined("T2", "parking fines")
    assert store.record_declined("T1", "?!? ...") is False
    assert sorted((r.team_id, r.count) for r in declined(store)) == [("T1", 1), ("T2", 1)]


def test_long_questions_are_cut_to_500_characters(store: Store) -> None:
    store.record_declined("T1", "word " * 400)
    store.record_declined("T1", "word " * 401)  # the same first 500 characters
    [row] = declined(store)
    assert len(row.text) <= 500 and row.text.startswith("word word")
    assert row.count == 2


def test_concurrent_declines_lose_no_count(store: Store) -> None:
    threads, each = 8, 5
    start = threading.Barrier(threads)

    def ask(_: int) -> None:
        start.wait(timeout=30)
        for _ in range(each):
            store.record_declined("T1", "what about parking fines")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(ask, range(threads)))
    [row] = declined(store)
    assert row.count == threads * each


def test_concurrent_declines_from_processes_lose_no_count(store: Store, database_url: str) -> None:
    race("declined", database_url, ("what about parking fines", 10), processes=5)
    [row] = declined(store)
    assert row.count == 50


def test_answers_are_counted_per_entry_team_and_day(store: Store, clock: FakeClock) -> None:
    store.count_answer("T1", "entry:drug-courts")
    store.count_answer("T1", "entry:drug-courts")
    store.count_answer("T2", "entry:drug-courts")
    store.count_answer("T1", "what-works")
    clock.advance(days=1)
    store.count_answer("T1", "entry:drug-courts")
    day = START.date()
    assert answers(store) == [
        ("T1", "entry:drug-courts", day, 2),
        ("T2", "entry:drug-courts", day, 1),
        ("T1", "what-works", day, 1),
        ("T1", "entry:drug-courts", date.fromordinal(day.toordinal() + 1), 1),
    ]
