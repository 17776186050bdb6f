"""The toolkit's grading end to end, in HTTP mode and in Socket Mode: warning-first cards,
comparisons, and follow-ups in a thread (also when another instance takes the follow-up)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.slack.text import escape
from tests.slack.conftest import Bot, buttons, running, shown, wait_responses
from tests.stand_in import Call, FakeSlack, payloads
from tests.stand_in.block_limits import violations
from tests.stand_in.defaults import BOT_USER_ID, CHANNEL


def posts(fake: FakeSlack, count: int) -> list[Call]:
    calls = fake.wait_for("chat.postMessage", count=count, timeout=10)
    assert all(c.ok for c in calls), [c.response for c in calls]
    return calls


def mention(text: str, **overrides: Any) -> dict[str, Any]:
    return payloads.app_mention(f"<@{BOT_USER_ID}> {text}", **overrides)


def test_a_harmful_intervention_leads_with_its_warning(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    bot.event(mention("would a trip round the cells put our young shoplifters off?"))
    [call] = posts(fake, 1)
    blocks = call.params["blocks"]
    entry = engine.by_id["scared-straight"]
    assert blocks[0]["block_id"] == "warning"
    assert escape(entry.warning or "") in blocks[0]["text"]["text"]
    assert "Warning:" in call.params["text"]
    text = shown(blocks)
    assert "Increases reoffending" in text
    for caveat in entry.evidence.caveats:  # type: ignore[union-attr]
        assert escape(caveat.text) in text
    assert {b["value"] for b in buttons(blocks, "open_entry")} >= set(entry.instead)
    assert violations(blocks) == []


def test_a_comparison_is_one_side_by_side_card(bot: Bot, fake: FakeSlack, engine: Engine) -> None:
    bot.event(mention("drug courts vs therapeutic communities?"))
    [call] = posts(fake, 1)
    blocks = call.params["blocks"]
    text = shown(blocks)
    assert call.params["text"].startswith("Side by side")
    for entry_id in ("drug-courts", "therapeutic-communities"):
        entry = engine.by_id[entry_id]
        assert entry.title in text
        assert f'"{entry.evidence.effect}"' in text  # type: ignore[union-attr]
    fields = [b for b in blocks if b["type"] == "section" and "fields" in b]
    assert fields, "two entries are drawn as side-by-side fields"
    assert [b["value"] for b in buttons(blocks, "open_entry")][:2] == [
        "drug-courts",
        "therapeutic-communities",
    ]
    assert violations(blocks) == []


def _follow_up(first: Bot, second: Bot, fake: FakeSlack) -> Call:
    question = mention("drug courts")
    first.event(question)
    [answer] = posts(fake, 1)
    assert answer.params["text"].startswith("Drug courts")
    second.event(mention("how strong is the evidence?", thread_ts=question["ts"]))
    calls = posts(fake, 2)
    return calls[1]


def test_a_follow_up_in_the_thread_is_about_its_entry(bot: Bot, fake: FakeSlack) -> None:
    reply = _follow_up(bot, bot, fake)
    assert reply.params["channel"] == CHANNEL
    assert reply.params["text"].startswith("How strong the evidence is: Drug courts")
    assert "Very strong" in shown(reply.params["blocks"])


def test_the_same_words_outside_the_thread_are_not_a_follow_up(bot: Bot, fake: FakeSlack) -> None:
    bot.event(mention("drug courts"))
    posts(fake, 1)
    bot.event(mention("how strong is the evidence?"))  # a new thread: nothing to follow
    reply = posts(fake, 2)[1]
    assert "Drug courts" not in reply.params["text"]


@pytest.mark.slow
def test_a_follow_up_reaching_another_instance(bot: Bot, fake: FakeSlack, tmp_path: Path) -> None:
    """A second instance on the same database knows what the first one's thread is about."""
    with running(bot.mode, fake, tmp_path, DATABASE_URL=bot.database_url) as other:
        fake.reset()
        reply = _follow_up(bot, other, fake)
        assert reply.params["text"].startswith("How strong the evidence is: Drug courts")


def test_more_detail_opens_the_details(bot: Bot, fake: FakeSlack, engine: Engine) -> None:
    bot.event(payloads.dm_message("hot spots policing"))
    [call] = posts(fake, 1)
    [more] = buttons(call.params["blocks"], "more_detail")
    url = fake.response_url()
    payload = payloads.block_actions(more["action_id"], more["value"], response_url=url)
    assert bot.interaction(payload).status == 200
    [response] = wait_responses(fake, url)
    text = shown(response.body)
    for detail in engine.by_id["hot-spots-policing"].details:
        assert escape(detail.text) in text
