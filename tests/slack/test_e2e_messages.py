"""DMs and @mentions, in HTTP mode and in Socket Mode: where the answer goes and what it says."""

from __future__ import annotations

from typing import Any

from bot.engine import Engine
from bot.engine.models import VERDICT_LABELS
from tests.slack.conftest import Bot, buttons, quiet, shown
from tests.stand_in import Call, FakeSlack, payloads
from tests.stand_in.defaults import BOT_ID, BOT_USER_ID, CHANNEL, DM_CHANNEL


def only_post(fake: FakeSlack) -> Call:
    """The one chat.postMessage the bot made, which Slack accepted."""
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.ok, call.response
    return call


def assert_entry_answer(call: Call, engine: Engine, entry_id: str) -> None:
    """Text and blocks are the answer for this entry, with its verdict and 👍/👎."""
    entry = engine.by_id[entry_id]
    blocks: list[dict[str, Any]] = call.params["blocks"]
    assert call.params["text"].startswith(f"{entry.title} (")
    headers = [b for b in blocks if b["type"] == "header"]
    assert headers[0] == {"type": "header", "text": {"type": "plain_text", "text": entry.title}}
    assert blocks[0]["type"] == ("section" if entry.warning else "header")
    if entry.verdict:
        assert VERDICT_LABELS[entry.verdict] in shown(blocks)
    assert {b["action_id"] for b in buttons(blocks, "feedback_")} == {
        "feedback_up",
        "feedback_down",
    }
    assert not buttons(blocks, "share_answer"), "a public answer needs no Share button"


def test_dm_is_answered_in_the_dm_not_in_a_thread(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    delivered = bot.event(payloads.dm_message("do scare tactics work?"))
    assert delivered.status == 200
    call = only_post(fake)
    assert call.params["channel"] == DM_CHANNEL
    assert "thread_ts" not in call.params
    assert_entry_answer(call, engine, "scare-tactics")


def test_dm_in_a_thread_is_answered_in_that_thread(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    parent = payloads.next_ts()
    bot.event(payloads.thread_message("what is a drug court?", parent, channel=DM_CHANNEL))
    call = only_post(fake)
    assert call.params["channel"] == DM_CHANNEL
    assert call.params["thread_ts"] == parent
    assert_entry_answer(call, engine, "drug-courts")


def test_mention_is_answered_in_a_thread_under_it(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    mention = payloads.app_mention(f"<@{BOT_USER_ID}> do scare tactics work?")
    bot.event(mention)
    call = only_post(fake)
    assert call.params["channel"] == CHANNEL
    assert call.params["thread_ts"] == mention["ts"]
    assert_entry_answer(call, engine, "scare-tactics")


def test_mention_inside_a_thread_stays_in_that_thread(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    parent = payloads.next_ts()
    mention = payloads.app_mention(f"<@{BOT_USER_ID}> halfway houses", thread_ts=parent)
    bot.event(mention)
    call = only_post(fake)
    assert call.params["channel"] == CHANNEL
    assert call.params["thread_ts"] == parent
    assert_entry_answer(call, engine, "halfway-houses")


def test_dm_list_question_lists_every_matching_entry(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    bot.event(payloads.dm_message("what works?"))
    call = only_post(fake)
    works = engine.working()
    opened = [b["value"] for b in buttons(call.params["blocks"], "open_entry")]
    assert set(opened) == {e.id for e in works}
    assert all(e.title in call.params["text"] for e in works)


def test_bot_ignores_itself_other_bots_edits_and_deletions(bot: Bot, fake: FakeSlack) -> None:
    ignored = [
        payloads.bot_message(
            "drug courts", user=BOT_USER_ID, bot_id=BOT_ID, subtype=None, channel=DM_CHANNEL
        ),
        payloads.dm_message("drug courts", user=BOT_USER_ID),
        payloads.bot_message("drug courts", channel=DM_CHANNEL),
        payloads.message_changed("drug courts", previous_text="mentoring"),
        payloads.message_deleted(previous_text="drug courts"),
        payloads.app_mention(f"<@{BOT_USER_ID}> drug courts", user=BOT_USER_ID, bot_id=BOT_ID),
    ]
    for event in ignored:
        assert bot.event(event).status == 200
    quiet()
    assert fake.calls_to("chat.postMessage") == []
