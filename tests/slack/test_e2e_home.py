"""The App Home tab and the answer modal opened from it, in both modes."""

from __future__ import annotations

from typing import Any

from bot.engine import Engine
from tests.slack.conftest import Bot, buttons, shown
from tests.stand_in import Call, FakeSlack, payloads
from tests.stand_in.defaults import USER_ID


def open_home(bot: Bot, fake: FakeSlack) -> Call:
    """Open the Messages tab (which publishes nothing), then the Home tab; return the publish."""
    assert bot.event(payloads.app_home_opened(tab="messages")).status == 200
    assert bot.event(payloads.app_home_opened()).status == 200
    [call] = fake.wait_for("views.publish", timeout=10)
    assert call.ok, (call.response, call.reasons)
    return call


def sections_after(blocks: list[dict[str, Any]], header: str) -> list[dict[str, Any]]:
    """The blocks between a header with this text and the next header."""
    start = next(
        i for i, b in enumerate(blocks) if b["type"] == "header" and b["text"]["text"] == header
    )
    rest = blocks[start + 1 :]
    end = next((i for i, b in enumerate(rest) if b["type"] == "header"), len(rest))
    return rest[:end]


def from_view(button: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """block_actions for a click in the Home tab or a modal: a view container, no response_url."""
    payload = payloads.block_actions(button["action_id"], button["value"], block_id="in_view")
    for key in ("message", "channel", "response_url"):
        payload.pop(key)
    return {**payload, "container": {"type": "view", "view_id": view["id"]}, "view": view}


def test_home_tab_lists_every_entry_with_open_buttons(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    call = open_home(bot, fake)
    view = call.params["view"]
    assert call.params["user_id"] == USER_ID
    assert view["type"] == "home"
    blocks = view["blocks"]
    examples = [e for e in engine.entries if e.verdict == "example" or e.kind == "example"]
    expected = {
        "What works": engine.working(),
        "What does not work (or is not shown to)": engine.not_working(),
        "Practice examples": examples,
        "Everything I cover": engine.entries,
    }
    for header, entries in expected.items():
        assert entries, header
        opened = [b["value"] for b in buttons(sections_after(blocks, header), "open_entry")]
        assert set(opened) == {e.id for e in entries}, header
    assert all(b["value"] in engine.by_id for b in buttons(blocks, "open_entry"))
    assert "How to ask" in shown(blocks)
    assert len(fake.calls_to("views.publish")) == 1, "the Messages tab publishes nothing"


def test_open_button_in_home_opens_the_answer_modal(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    home = open_home(bot, fake)
    view = home.response["view"]
    [button] = [b for b in buttons(view["blocks"], "open_entry") if b["value"] == "drug-courts"][:1]
    payload = from_view(button, view)
    trigger = payload["trigger_id"]
    assert bot.interaction(payload).status == 200

    [opened] = fake.wait_for("views.open", timeout=10)
    assert opened.ok, (opened.response, opened.reasons)
    assert opened.params["trigger_id"] == trigger
    modal = opened.params["view"]
    assert modal["type"] == "modal"
    entry = engine.by_id["drug-courts"]
    assert modal["blocks"][0]["text"]["text"] == entry.title
    assert entry.title in shown(modal["blocks"])
    assert not buttons(modal["blocks"], "share_answer"), "no response_url to share through"
    assert fake.responses == []


def test_feedback_in_the_modal_updates_it_with_thanks(bot: Bot, fake: FakeSlack) -> None:
    home = open_home(bot, fake).response["view"]
    [button] = [b for b in buttons(home["blocks"], "open_entry") if b["value"] == "mentoring"][:1]
    bot.interaction(from_view(button, home))
    [opened] = fake.wait_for("views.open", timeout=10)
    modal = opened.response["view"]
    [vote] = buttons(modal["blocks"], "feedback_up")

    assert bot.interaction(from_view(vote, modal)).status == 200
    [updated] = fake.wait_for("views.update", timeout=10)
    assert updated.ok, (updated.response, updated.reasons)
    assert updated.params["view_id"] == modal["id"]
    assert updated.params["hash"] == modal["hash"]
    assert "Thanks for the feedback" in shown(updated.params["view"]["blocks"])
    assert updated.params["view"]["blocks"][0] == modal["blocks"][0]
    assert fake.responses == []
