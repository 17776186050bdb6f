"""/toolkit in both modes: a fast ack, a private answer with Share, and the fixed sub-commands."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.engine import Engine
from bot.engine.tips import pick_tip
from bot.slack.text import escape
from tests.slack.conftest import AckReply, Bot, buttons, click, command_reply, shown, wait_responses
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.block_limits import message_problem
from tests.stand_in.defaults import USER_ID


def toolkit(bot: Bot, fake: FakeSlack, text: str) -> AckReply:
    """Run `/toolkit TEXT`; check the ack was fast and carries the private answer."""
    url = fake.response_url()
    delivered = bot.command(payloads.slash_command(text, response_url=url))
    assert delivered.status == 200
    assert delivered.seconds < 3
    post = command_reply(delivered)
    assert post.body.get("blocks"), post.body
    assert message_problem(post.body) == ("", []), "within Block Kit limits"
    assert post.response_type == "ephemeral"
    assert [r for r in fake.responses if url.endswith(r.id)] == [], "answered in the ack"
    assert fake.calls_to("chat.postMessage") == [], "a /toolkit answer is never public"
    return post


def listed(post: AckReply) -> list[str]:
    """The entry ids a list answer offers to open, in order."""
    return [b["value"] for b in buttons(post.body["blocks"], "open_entry")]


def test_question_is_answered_privately_and_can_be_shared(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    post = toolkit(bot, fake, "do scare tactics work?")
    entry = engine.by_id["scare-tactics"]
    assert post.body["text"].startswith(entry.title)
    assert post.body["blocks"][0]["text"]["text"] == entry.title
    [share] = buttons(post.body["blocks"], "share_answer")

    url = fake.response_url()
    delivered = bot.interaction(click(share, url, ephemeral=True))
    assert delivered.status == 200
    [shared] = wait_responses(fake, url)
    assert not shared.rejected, shared.reasons
    assert shared.response_type == "in_channel"
    assert not shared.replace_original
    assert shared.body["text"] == post.body["text"]
    assert f"Shared by <@{USER_ID}>" in shown(shared.body["blocks"])
    assert entry.title in shown(shared.body["blocks"])
    assert not buttons(shared.body["blocks"], "share_answer")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what works", "what-works"),
        ("What works?", "what-works"),
        ("what doesn't work", "what-doesnt-work"),
        ("what does not work", "what-doesnt-work"),
    ],
)
def test_verdict_lists_hold_every_matching_entry(
    bot: Bot, fake: FakeSlack, engine: Engine, text: str, intent: str
) -> None:
    post = toolkit(bot, fake, text)
    expected = engine.for_intent(intent).entries
    assert expected, "the knowledge base has entries for this list"
    assert set(listed(post)) == {e.id for e in expected}
    assert all(escape(e.title) in shown(post.body["blocks"]) for e in expected)
    assert buttons(post.body["blocks"], "share_answer")


def test_a_shared_list_keeps_every_entry(bot: Bot, fake: FakeSlack, engine: Engine) -> None:
    post = toolkit(bot, fake, "what works")
    [share] = buttons(post.body["blocks"], "share_answer")
    url = fake.response_url()
    bot.interaction(click(share, url, ephemeral=True))
    [shared] = wait_responses(fake, url)
    assert not shared.rejected, shared.reasons
    assert shared.response_type == "in_channel"
    assert set(listed(shared)) == {e.id for e in engine.working()}
    assert f"Shared by <@{USER_ID}>" in shown(shared.body["blocks"])


def test_topics_lists_every_entry(bot: Bot, fake: FakeSlack, engine: Engine) -> None:
    post = toolkit(bot, fake, "topics")
    assert listed(post) == [e.id for e in engine.entries]
    assert len(set(listed(post))) == len(engine.entries)


@pytest.mark.parametrize("text", ["help", "", "  HELP  "])
def test_help_and_bare_command_show_help(
    bot: Bot, fake: FakeSlack, engine: Engine, text: str
) -> None:
    post = toolkit(bot, fake, text)
    said = engine.intents["help"].responses
    sections = [b["text"]["text"] for b in post.body["blocks"] if b["type"] == "section"]
    assert sections == [escape(t) for t in said]
    assert post.body["text"] == " ".join(said)


def test_tip_is_todays_tip(bot: Bot, fake: FakeSlack, engine: Engine) -> None:
    today = date.today()
    post = toolkit(bot, fake, "tip")
    tips = {pick_tip(engine.entries, d.toordinal()) for d in (today, today + timedelta(days=1))}
    [tip] = [t for t in tips if t is not None and post.body["text"].startswith(f"Tip: {t.title}")]
    assert escape(tip.tip or tip.summary) in shown(post.body["blocks"])
    [more] = buttons(post.body["blocks"], "open_entry")
    assert more["value"] == tip.id


def test_out_of_scope_command_declines_without_share(bot: Bot, fake: FakeSlack) -> None:
    post = toolkit(bot, fake, "what is the weather on mars?")
    blocks: list[dict[str, Any]] = post.body["blocks"]
    assert "won't guess" in post.body["text"]
    assert "what is the weather on mars?" in shown(blocks)
    assert not buttons(blocks, "share_answer")
