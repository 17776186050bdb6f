"""Personal data in a question, in HTTP mode and in Socket Mode: the normal answer still goes
out, the asker alone gets a reminder (chat.postEphemeral), and the declined-question log
keeps the question with the data replaced."""

from __future__ import annotations

from tests.slack.conftest import Bot, quiet, wait_until
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_USER_ID, CHANNEL, DM_CHANNEL, USER_ID

PHONE = "07700 900123"


def test_a_dm_with_a_phone_number_is_answered_and_privately_reminded(
    bot: Bot, fake: FakeSlack
) -> None:
    bot.event(payloads.dm_message(f"Mum rang from {PHONE} - do scare tactics work?"))
    [answer] = fake.wait_for("chat.postMessage", timeout=10)
    assert answer.ok, answer.response
    assert answer.params["channel"] == DM_CHANNEL
    assert answer.params["text"].startswith("Scare tactics")
    [nudge] = fake.wait_for("chat.postEphemeral", timeout=10)
    assert nudge.ok, nudge.response
    assert (nudge.params["channel"], nudge.params["user"]) == (DM_CHANNEL, USER_ID)
    assert "thread_ts" not in nudge.params
    text = nudge.params["text"]
    assert "(a phone number)" in text and "answered anyway" in text
    assert PHONE not in text and "900123" not in text
    assert "blocks" not in nudge.params


def test_a_mention_with_a_name_and_a_plate_is_reminded_in_its_thread(
    bot: Bot, fake: FakeSlack
) -> None:
    ts = payloads.next_ts()
    text = f"<@{BOT_USER_ID}> suspect Jane Doe keeps parking AB12 CDE outside, does CCTV work?"
    bot.event(payloads.app_mention(text, ts=ts))
    [answer] = fake.wait_for("chat.postMessage", timeout=10)
    assert answer.ok and answer.params["channel"] == CHANNEL
    assert answer.params["thread_ts"] == ts
    [nudge] = fake.wait_for("chat.postEphemeral", timeout=10)
    assert nudge.ok, nudge.response
    assert (nudge.params["channel"], nudge.params["user"]) == (CHANNEL, USER_ID)
    assert nudge.params["thread_ts"] == ts
    said = nudge.params["text"]
    assert "(a name and a vehicle registration)" in said
    assert "Jane" not in said and "AB12" not in said


def test_a_question_without_personal_data_gets_no_reminder(bot: Bot, fake: FakeSlack) -> None:
    bot.event(payloads.dm_message("since 2019, did hot spots policing cut crime by 26%?"))
    [answer] = fake.wait_for("chat.postMessage", timeout=10)
    assert answer.ok
    quiet()
    assert fake.calls_to("chat.postEphemeral") == []


def test_a_declined_question_is_logged_without_the_phone_number(bot: Bot, fake: FakeSlack) -> None:
    marker = f"capital of peru {bot.mode}"
    bot.event(payloads.dm_message(f"what is the {marker}? call me on {PHONE}"))
    [answer] = fake.wait_for("chat.postMessage", timeout=10)
    assert answer.ok
    fake.wait_for("chat.postEphemeral", timeout=10)
    stored = wait_until(
        lambda: bot.query("SELECT text FROM declined_questions WHERE text LIKE ?", f"%{marker}%")
    )
    assert stored == [(f"what is the {marker} call me on [phone]",)]
    everything = bot.query("SELECT text FROM declined_questions")
    assert not any("900123" in row[0] for row in everything)
