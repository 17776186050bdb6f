"""What people type is never repeated as live mrkdwn: no pings, no spoofed links, in both modes."""

from __future__ import annotations

import json
from typing import Any

from tests.slack.conftest import Bot, buttons, click, command_reply, shown, wait_responses
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_USER_ID

RAW = ("<!channel>", "<!here>", "<@U999>", "<https://evil.example|click>")
ESCAPED = (
    "&lt;!channel&gt;",
    "&lt;!here&gt;",
    "&lt;@U999&gt;",
    "&lt;https://evil.example|click&gt;",
)
HOSTILE = " ".join(RAW) + " what is the weather on mars?"


def assert_inert(message: dict[str, Any]) -> None:
    """Nothing the person typed comes back as a ping or a link, in text or in any block."""
    rendered = shown(message.get("text", "")) + "\n" + shown(message.get("blocks", []))
    for raw in RAW:
        assert raw not in rendered, raw
    assert "evil.example|" not in rendered.replace("&lt;https://evil.example|click&gt;", "")
    assert "link_names" not in message
    assert str(message.get("parse", "none")) == "none"


def assert_no_link_names(fake: FakeSlack) -> None:
    assert fake.calls, "the bot called the Web API"
    assert all("link_names" not in c.params and "parse" not in c.params for c in fake.calls)


def test_hostile_dm_is_declined_and_echoed_escaped(bot: Bot, fake: FakeSlack) -> None:
    bot.event(payloads.dm_message(HOSTILE))
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.ok
    assert "won't guess" in call.params["text"]
    assert_inert(call.params)
    echoed = shown(call.params["blocks"])
    assert all(safe in echoed for safe in ESCAPED), echoed
    assert_no_link_names(fake)


def test_hostile_mention_is_escaped_and_drops_the_bot_mention(bot: Bot, fake: FakeSlack) -> None:
    bot.event(payloads.app_mention(f"<@{BOT_USER_ID}> {HOSTILE}"))
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.ok
    assert_inert(call.params)
    assert BOT_USER_ID not in shown(call.params["blocks"]), "the echo is the question alone"
    assert_no_link_names(fake)


def test_hostile_command_and_its_share_stay_inert(bot: Bot, fake: FakeSlack) -> None:
    url = fake.response_url()
    private = command_reply(
        bot.command(payloads.slash_command(f"{' '.join(RAW)} drug courts", response_url=url))
    )
    assert_inert(private.body)
    [share] = buttons(private.body["blocks"], "share_answer")
    assert json.loads(share["value"])["t"] == "entry:drug-courts"

    url = fake.response_url()
    bot.interaction(click(share, url, ephemeral=True))
    [shared] = wait_responses(fake, url)
    assert shared.response_type == "in_channel"
    assert_inert(shared.body)


def test_hostile_shortcut_is_escaped(bot: Bot, fake: FakeSlack) -> None:
    url = fake.response_url()
    shortcut = payloads.message_action("check_with_toolkit", message_text=HOSTILE)
    bot.interaction({**shortcut, "response_url": url})
    [post] = wait_responses(fake, url)
    assert not post.rejected
    assert_inert(post.body)
    assert "&lt;!channel&gt;" in shown(post.body["blocks"])
