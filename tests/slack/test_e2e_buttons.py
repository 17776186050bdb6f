"""The message shortcut and the buttons on answers (open, 👍 / 👎), in both modes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.engine import Engine
from bot.slack.actions import THANKS
from tests.slack.conftest import (
    Bot,
    buttons,
    click,
    command_reply,
    running,
    shown,
    wait_responses,
    wait_until,
)
from tests.stand_in import FakeSlack, ResponsePost, payloads
from tests.stand_in.defaults import BOT_USER_ID


def answered(bot: Bot, fake: FakeSlack, question: str) -> list[dict[str, object]]:
    """The blocks of the bot's public answer to a mention."""
    bot.event(payloads.app_mention(f"<@{BOT_USER_ID}> {question}"))
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.ok
    blocks: list[dict[str, object]] = call.params["blocks"]
    return blocks


def one_response(fake: FakeSlack, url: str) -> ResponsePost:
    [post] = wait_responses(fake, url)
    assert not post.rejected, post.reasons
    return post


def test_shortcut_answers_privately_with_share(bot: Bot, fake: FakeSlack, engine: Engine) -> None:
    url = fake.response_url()
    shortcut = payloads.message_action(
        "check_with_toolkit", message_text="Scare tactics and shock videos stop kids using drugs"
    )
    delivered = bot.interaction({**shortcut, "response_url": url})
    assert delivered.status == 200
    assert delivered.seconds < 3
    post = one_response(fake, url)
    assert post.response_type == "ephemeral"
    entry = engine.by_id["scare-tactics"]
    assert post.body["text"].startswith(entry.title)
    assert entry.title in shown(post.body["blocks"])
    [share] = buttons(post.body["blocks"], "share_answer")
    assert json.loads(share["value"])["t"] == "entry:scare-tactics"
    assert fake.calls_to("chat.postMessage") == []


def test_related_button_opens_that_entry_privately(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    blocks = answered(bot, fake, "drug courts")
    related = buttons(blocks, "open_entry")
    assert related, "the drug courts answer offers related entries"
    target = engine.by_id[related[0]["value"]]
    stale = fake.response_url()  # a button for an entry since removed from the knowledge base
    assert bot.interaction(click({**related[0], "value": "no-such-entry"}, stale)).status == 200
    url = fake.response_url()
    assert bot.interaction(click(related[0], url)).status == 200
    post = one_response(fake, url)
    assert post.response_type == "ephemeral"
    assert not post.replace_original
    assert post.body["blocks"][0]["text"]["text"] == target.title
    assert post.body["text"].startswith(target.title)
    assert buttons(post.body["blocks"], "share_answer")
    assert [r for r in fake.responses if stale.endswith(r.id)] == [], "nothing for a stale button"


def test_did_you_mean_button_opens_that_entry(bot: Bot, fake: FakeSlack, engine: Engine) -> None:
    question = "cooking drug prevention for pets"
    expected = engine.answer(question)
    assert expected.intent == "fallback" and expected.alternatives, "a decline with suggestions"
    url = fake.response_url()
    declined = command_reply(bot.command(payloads.slash_command(question, response_url=url)))
    suggestions = buttons(declined.body["blocks"], "open_entry")
    assert [b["value"] for b in suggestions] == [e.id for e in expected.alternatives]
    target = engine.by_id[suggestions[0]["value"]]
    url = fake.response_url()
    assert bot.interaction(click(suggestions[0], url, ephemeral=True)).status == 200
    post = one_response(fake, url)
    assert post.response_type == "ephemeral"
    assert post.body["text"].startswith(target.title)


@pytest.mark.parametrize(("action_id", "helpful"), [("feedback_up", 1), ("feedback_down", 0)])
def test_feedback_is_acknowledged_privately_and_stored(
    bot: Bot, fake: FakeSlack, action_id: str, helpful: int
) -> None:
    blocks = answered(bot, fake, "drug courts")
    [vote] = buttons(blocks, action_id)
    url = fake.response_url()
    assert bot.interaction(click(vote, url)).status == 200
    post = one_response(fake, url)
    assert post.response_type == "ephemeral"
    assert not post.replace_original
    assert post.body["text"] == THANKS
    assert len(fake.calls_to("chat.postMessage")) == 1, "feedback is never posted publicly"
    stored = wait_until(
        lambda: bot.query(
            "SELECT question FROM feedback WHERE target = ? AND helpful = ?",
            "entry:drug-courts",
            helpful,
        )
    )
    assert stored == [("drug courts",)]
    if not helpful:  # 👎 also asks what was missing, in a modal
        [modal] = fake.wait_for("views.open", timeout=10)
        assert modal.ok, modal.reasons
        assert modal.params["view"]["callback_id"] == "feedback_comment"


@pytest.fixture(scope="module", params=["http", "socket"])
def storeless_bot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bot]:
    """A bot whose database cannot be opened: it answers anyway and logs feedback instead."""
    home = tmp_path_factory.mktemp(f"storeless-{request.param}")
    unusable = f"sqlite:///{home}/missing-dir/sub/toolkit-bot.db"
    (home / "missing-dir").write_text("a file where a directory should be")
    with (
        FakeSlack() as own_fake,
        running(request.param, own_fake, home, DATABASE_URL=unusable) as bot,
    ):
        yield bot


@pytest.mark.parametrize(
    ("action_id", "word"), [("feedback_up", "helpful"), ("feedback_down", "not helpful")]
)
def test_feedback_is_logged_when_there_is_no_database(
    storeless_bot: Bot, action_id: str, word: str
) -> None:
    bot, fake = storeless_bot, storeless_bot.fake
    fake.reset()
    blocks = answered(bot, fake, "drug courts")
    [vote] = buttons(blocks, action_id)
    mark = bot.log_mark()
    url = fake.response_url()
    assert bot.interaction(click(vote, url)).status == 200
    assert one_response(fake, url).body["text"] == THANKS
    log = bot.wait_log(f"feedback {word} on entry:drug-courts", since=mark)
    assert "'drug courts'" in log
