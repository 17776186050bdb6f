"""Feedback: one vote per user per answer, changeable, with a comment; user ids only hashed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from bot.config import Settings
from bot.store import feedback
from bot.store.feedback import Vote
from bot.store.models import FeedbackVote, StoredSecret
from bot.store.store import Store
from tests.store.helpers import FakeClock, all_rows, other_store, race

USER = "U0SECRET42"
QUESTION = "Do scare tactics work in schools?"


def votes(store: Store) -> list[FeedbackVote]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(FeedbackVote).order_by(FeedbackVote.id)).all()
    return [FeedbackVote(**row._mapping) for row in rows]


def vote(
    helpful: bool,
    *,
    team_id: str = "T1",
    user_id: str = USER,
    target: str = "entry:scared-straight",
    question: str = QUESTION,
    comment: str = "",
) -> Vote:
    return Vote(team_id, user_id, target, helpful, question, comment)


def test_one_vote_per_user_per_answer_and_it_can_change(store: Store, clock: FakeClock) -> None:
    store.record_vote(vote(True))
    clock.advance(minutes=5)
    store.record_vote(vote(False))
    [only] = votes(store)
    assert only.helpful is False
    assert only.created_at < only.updated_at == clock()


def test_same_answer_means_same_target_and_normalised_question(store: Store) -> None:
    store.record_vote(vote(True))
    store.record_vote(vote(True, question="  do SCARE tactics work in schools  "))
    store.record_vote(vote(True, question="<@U0OTHER> Do scare tactics work in schools?"))
    assert len(votes(store)) == 1
    store.record_vote(vote(True, target="entry:drug-courts"))
    store.record_vote(vote(True, question="Do drug courts work?"))
    assert len(votes(store)) == 3


def test_each_user_and_each_team_has_a_vote(store: Store) -> None:
    store.record_vote(vote(True))
    store.record_vote(vote(False, user_id="U0OTHER"))
    store.record_vote(vote(False, team_id="T2"))
    assert sorted(v.helpful for v in votes(store)) == [False, False, True]


def test_a_comment_is_kept_on_the_vote_and_dropped_when_the_vote_flips(store: Store) -> None:
    store.record_vote(vote(False))
    store.record_vote(vote(False, comment="  something on\nknife crime  "))
    assert votes(store)[0].comment == "something on knife crime"
    store.record_vote(vote(False))  # the same 👎 clicked again: the comment stays
    assert votes(store)[0].comment == "something on knife crime"
    store.record_vote(vote(True))  # changed their mind: the comment explained the 👎
    assert votes(store)[0].comment == ""
    store.record_vote(vote(False, comment="x" * 400))
    assert votes(store)[0].comment == "x" * feedback.COMMENT_CHARS


def test_user_ids_are_stored_only_as_keyed_hashes(store: Store) -> None:
    store.record_vote(vote(True))
    store.record_vote(vote(False, user_id="U0OTHER", comment="more please"))
    store.record_vote(vote(False, question=f"what about <@{USER}> asking this"))
    store.record_declined("T1", f"<@{USER}> what about parking fines?")
    store.count_answer("T1", "entry:drug-courts")
    for table, rows in all_rows(store.engine).items():
        for row in rows:
            for value in row:
                for raw in (USER, "U0OTHER", USER.lower(), "u0other"):
                    assert raw not in str(value), f"{raw} in {table}: {row}"
    hashes = {v.user_hash for v in votes(store)}
    assert store.user_hash("T1", USER) in hashes
    assert all(len(h) == 64 for h in hashes)


def test_the_key_is_generated_once_and_shared_by_instances(
    store: Store, settings: Settings, clock: FakeClock
) -> None:
    second = other_store(settings, clock)
    try:
        assert store.user_hash("T1", USER) == second.user_hash("T1", USER)
        with store.engine.connect() as connection:
            secrets = connection.execute(select(StoredSecret.name)).scalars().all()
        assert secrets == [feedback.KEY_NAME]
    finally:
        second.close()


def test_a_configured_secret_is_used_instead(
    store: Store, settings: Settings, clock: FakeClock
) -> None:
    configured = other_store(settings, clock, hash_secret="s3cret")
    try:
        assert configured.user_hash("T1", USER) == feedback.user_hash(b"s3cret", "T1", USER)
        assert configured.user_hash("T1", USER) != store.user_hash("T1", USER)
    finally:
        configured.close()


def test_instances_racing_to_create_the_key_agree(database_url: str, store: Store) -> None:
    keys = race("hash_key", database_url, None, processes=4)
    assert len(set(keys)) == 1
    assert store.hash_key().decode() == keys[0]


def test_concurrent_votes_by_one_user_leave_one_row(store: Store) -> None:
    threads = 8
    start = threading.Barrier(threads)

    def click(i: int) -> None:
        start.wait(timeout=30)
        store.record_vote(vote(i % 2 == 0))

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(click, range(threads)))
    assert len(votes(store)) == 1
