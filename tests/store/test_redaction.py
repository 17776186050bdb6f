"""Personal data never reaches the database: declined questions, feedback questions and 👎
comments are redacted (bot.privacy) before they are written."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from bot.engine import Engine
from bot.slack.asking import ask
from bot.slack.services import Services
from bot.slack.stored import attach
from bot.store.feedback import Vote
from bot.store.models import DeclinedQuestion, FeedbackVote
from bot.store.store import Store
from tests.store.helpers import all_rows

PHONE = "07700 900123"
DECLINED = f"what is the capital of Peru? call me on {PHONE}"


def rows(store: Store, *columns: Any) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(*columns))]


#: Keys and keyed hashes (random hex) may hold any digits by chance ("0161", "2009"): they are
#: not text anyone typed, so they are left out of the search.
_HEX = re.compile(r"[0-9a-f]{32,}")


def nowhere_in(store: Store, *secrets: str) -> None:
    for table, found in all_rows(store.engine).items():
        for row in found:
            cells = [c for c in row if not (isinstance(c, str) and _HEX.fullmatch(c))]
            for secret in secrets:
                assert secret not in str(cells), f"{secret!r} in {table}: {row}"


def test_a_declined_question_with_a_phone_number_is_stored_redacted(store: Store) -> None:
    assert store.record_declined("T1", DECLINED) is True
    assert rows(store, DeclinedQuestion.text) == [
        ("what is the capital of peru call me on [phone]",)
    ]
    nowhere_in(store, PHONE, PHONE.replace(" ", ""), "900123")


def test_the_same_question_with_other_data_is_counted_as_one(store: Store) -> None:
    store.record_declined("T1", "suspect Jane Doe, DOB 14/03/2009, what about parking fines")
    store.record_declined("T1", "suspect Kyle Reid, DOB 02/11/2008: what about parking fines?")
    assert rows(store, DeclinedQuestion.text, DeclinedQuestion.count) == [
        ("suspect [name] dob [date of birth] what about parking fines", 2)
    ]
    nowhere_in(store, "Jane", "Doe", "Kyle", "Reid", "2009", "2008")


def test_feedback_question_and_comment_are_stored_redacted(store: Store) -> None:
    question = "does tagging work? victim Priya Patel, priya.p@example.com"
    comment = "ring her on 0161 496 0321 about CRN 12345/24"
    store.record_vote(Vote("T1", "U0ONE", "entry:electronic-monitoring", False, question, comment))
    store.record_vote(Vote("T1", "U0ONE", "entry:electronic-monitoring", False, question))
    [(stored_question, stored_comment)] = rows(store, FeedbackVote.question, FeedbackVote.comment)
    assert stored_question == "does tagging work victim [name] [email]"
    assert stored_comment == "ring her on [phone] about CRN [crime reference]"
    nowhere_in(store, "Priya", "Patel", "example.com", "0161", "12345/24")


def test_a_declined_slack_question_is_logged_redacted(store: Store, engine: Engine) -> None:
    services = attach(Services(engine), store)
    ask(services, f"<@U0BOT> {DECLINED}", team_id="T1")
    assert rows(store, DeclinedQuestion.text) == [
        ("what is the capital of peru call me on [phone]",)
    ]
