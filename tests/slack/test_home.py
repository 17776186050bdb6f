"""The App Home tab and the answer modal stay within Slack's view limits."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import DividerBlock, SectionBlock

from bot.engine import Engine
from bot.slack import blocks as b
from bot.slack.home import HOW, INTRO, answer_modal, cap, home_blocks, home_view
from bot.slack.replies import Reply, compose, entry_reply
from bot.slack.text import escape, shorten
from tests.slack.test_blocks import limit_problems, opens, shown, synthetic_engine
from tests.stand_in.block_limits import view_violations


def headers(view: dict[str, Any]) -> list[str]:
    return [blk["text"]["text"] for blk in view["blocks"] if blk["type"] == "header"]


def opened(view: dict[str, Any]) -> list[str]:
    return [e["value"] for e in opens(view["blocks"])]


@pytest.fixture(scope="module")
def big(engine: Engine) -> Engine:
    return synthetic_engine(engine)


def test_home_view_is_within_limits(engine: Engine) -> None:
    view = home_view(engine)
    assert view["type"] == "home"
    assert view_violations(view) == []
    assert limit_problems(view["blocks"], 100) == []


def test_home_says_what_the_bot_does_and_how_to_ask(engine: Engine) -> None:
    view = home_view(engine)
    text = shown(view["blocks"])
    assert INTRO in text
    assert HOW in text  # its bullet lines keep their line breaks
    assert "\n• Mention me in a channel" in text


def test_home_lists_every_group_from_the_knowledge_base(engine: Engine) -> None:
    view = home_view(engine)
    assert headers(view) == [
        "Toolkit Bot",
        "What works",
        "What does not work (or is not shown to)",
        "Practice examples",
        "Everything I cover",
    ]
    works = {e.id for e in engine.working()}
    harmful = {e.id for e in engine.not_working()}
    examples = {e.id for e in engine.entries if e.kind == "example" or e.verdict == "example"}
    assert set(opened(view)) == works | harmful | examples | set(engine.by_id)
    assert not works & {"scared-straight", "imprisonment"}
    assert {"scared-straight", "imprisonment", "scare-tactics"} <= harmful


def test_home_buttons_open_entries(engine: Engine) -> None:
    buttons = opens(home_view(engine)["blocks"])
    assert buttons
    for button in buttons:
        assert str(button["action_id"]).startswith(b.OPEN)
        assert button["value"] in engine.by_id


def test_home_for_200_entries_fits_and_names_every_entry(big: Engine) -> None:
    view = home_view(big)
    assert view_violations(view) == []
    assert limit_problems(view["blocks"], 100) == []
    text = shown(view["blocks"])
    for entry in big.entries:
        assert escape(shorten(entry.title, 150)) in text


def test_home_lists_are_compact_so_a_big_base_fits(big: Engine) -> None:
    """Home holds four lists; each is written as lines with rows of buttons, never 100+ blocks."""
    view = home_view(big)
    assert view_violations(view) == []
    assert len(view["blocks"]) <= 100
    assert {e["value"] for e in opens(view["blocks"])} >= {e.id for e in big.entries[:25]}


def test_home_blocks_are_all_kept_when_they_fit(engine: Engine) -> None:
    assert len(home_blocks(engine)) < 100
    assert "…and " not in shown(home_view(engine)["blocks"])


def test_cap() -> None:
    ten: list[Any] = [DividerBlock() for _ in range(10)]
    assert cap(ten, 10) is ten
    capped = cap(ten, 5)
    assert len(capped) == 5
    assert capped[:4] == ten[:4]
    assert capped[-1].to_dict()["elements"][0]["text"].startswith("…and 6 more.")


def modal_ok(view: dict[str, Any]) -> None:
    assert view["type"] == "modal"
    assert view_violations(view) == []
    assert limit_problems(view["blocks"], 100) == []
    assert 0 < len(view["title"]["text"]) <= 24


def test_answer_modal_for_every_entry(engine: Engine) -> None:
    for entry in engine.entries:
        reply = entry_reply(entry, engine, entry.title, shareable=False)
        view = answer_modal(reply)
        modal_ok(view)
        assert view["blocks"] == reply.blocks
        assert view["callback_id"] == "answer_modal"
        assert b.SHARE not in str(view)


def test_answer_modal_with_a_note_and_lists(engine: Engine) -> None:
    reply = compose(engine.for_intent("topics"), engine, "topics")
    view = answer_modal(reply, note="Opened from the Home tab")
    modal_ok(view)
    assert view["blocks"][:-1] == reply.blocks
    assert view["blocks"][-1]["elements"][0]["text"] == "Opened from the Home tab"


def test_answer_modal_caps_very_long_replies() -> None:
    many = [SectionBlock(text=b.md(f"line {i}")).to_dict() for i in range(150)]
    reply = Reply("long", many)
    modal_ok(answer_modal(reply))
    assert len(answer_modal(reply)["blocks"]) == 99
    assert len(answer_modal(reply, note="n")["blocks"]) == 100


def test_answer_modal_for_the_synthetic_base(big: Engine) -> None:
    for entry in big.entries[::10]:
        modal_ok(answer_modal(entry_reply(entry, big, "q", shareable=False), note="n"))
    for intent in ("what-works", "what-doesnt-work", "topics"):
        modal_ok(answer_modal(compose(big.for_intent(intent), big, intent)))
