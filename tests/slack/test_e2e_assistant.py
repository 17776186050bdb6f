"""Slack's agent surfaces in the bot's DM, in HTTP mode and in Socket Mode: suggested prompts when
the DM or a new assistant thread opens, a status while a question in a thread is answered, the
thread's title, follow-ups about the thread's entry, and every DM answered exactly once."""

from __future__ import annotations

from typing import Any

from bot.engine import Engine
from bot.slack.assistant import PROMPTS_TITLE, STATUS, suggested_prompts, thread_title
from tests.slack.conftest import Bot, buttons, quiet, wait_until
from tests.stand_in import Call, FakeSlack, payloads
from tests.stand_in.defaults import BOT_ID, BOT_USER_ID, DM_CHANNEL

PROMPTS = "assistant.threads.setSuggestedPrompts"
STATUS_METHOD = "assistant.threads.setStatus"
TITLE = "assistant.threads.setTitle"
POST = "chat.postMessage"


def open_thread(bot: Bot, fake: FakeSlack) -> str:
    """A person opens a new assistant thread; returns its thread_ts once the prompts are set."""
    started = payloads.assistant_thread_started()
    thread: str = started["assistant_thread"]["thread_ts"]
    assert bot.event(started).status == 200
    wait_until(lambda: fake.workspace.assistant_thread(DM_CHANNEL, thread).get("prompts"))
    return thread


def answers_in(fake: FakeSlack, thread: str, count: int = 1) -> list[Call]:
    """The bot's posts in one thread, once `count` of them arrived (each accepted by Slack)."""

    def posts() -> list[Call]:
        found = [c for c in fake.calls_to(POST) if c.params.get("thread_ts") == thread]
        return found if len(found) >= count else []

    found = wait_until(posts)
    assert all(c.ok for c in found), [c.response for c in found]
    return found


def test_opening_the_dm_pins_the_suggested_prompts(bot: Bot, fake: FakeSlack) -> None:
    assert bot.event(payloads.app_home_opened(tab="messages")).status == 200
    [call] = fake.wait_for(PROMPTS)
    assert call.ok, call.response
    # agent_view: pinned to the DM itself, so no thread_ts (Slack ignores the call with one)
    assert "thread_ts" not in call.params
    assert call.params["channel_id"] == DM_CHANNEL
    assert (call.params["prompts"], call.params["title"]) == (suggested_prompts(), PROMPTS_TITLE)
    quiet()
    assert fake.calls_to("views.publish") == []  # the Messages tab is not the Home tab


def test_the_home_tab_still_gets_the_home_view_and_no_prompts(bot: Bot, fake: FakeSlack) -> None:
    bot.event(payloads.app_home_opened(tab="home"))
    [call] = fake.wait_for("views.publish")
    assert call.ok and call.params["view"]["type"] == "home"
    assert fake.calls_to(PROMPTS) == []


def test_a_new_assistant_thread_gets_the_prompts(bot: Bot, fake: FakeSlack) -> None:
    thread = open_thread(bot, fake)
    [call] = fake.calls_to(PROMPTS)
    assert call.params["channel_id"] == DM_CHANNEL and call.params["thread_ts"] == thread
    assert fake.workspace.assistant_thread(DM_CHANNEL, thread) == {
        "prompts": suggested_prompts(),
        "prompts_title": PROMPTS_TITLE,
    }
    assert [c.method for c in fake.calls] == [PROMPTS]  # nothing posted, nothing read back


def test_a_question_in_the_thread_gets_a_status_the_answer_there_and_a_title(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    thread = open_thread(bot, fake)
    bot.event(payloads.assistant_thread_message("Does Scared Straight work?", thread))
    [answer] = answers_in(fake, thread)
    assert answer.params["channel"] == DM_CHANNEL
    assert answer.params["text"].startswith(engine.by_id["scared-straight"].title)
    [status] = fake.calls_to(STATUS_METHOD)
    assert status.ok and status.params["thread_ts"] == thread
    assert status.params["status"] == STATUS
    assert status.at <= answer.at, "the status shows while the answer is on its way"
    [title] = fake.wait_for(TITLE)
    assert title.ok and (title.params["channel_id"], title.params["thread_ts"]) == (
        DM_CHANNEL,
        thread,
    )
    assert title.params["title"] == "Does Scared Straight work?"
    kept = wait_until(lambda: fake.workspace.assistant_thread(DM_CHANNEL, thread).get("title"))
    assert kept == "Does Scared Straight work?"
    assert fake.workspace.assistant_thread(DM_CHANNEL, thread)["status"] == ""  # cleared


def test_a_follow_up_in_the_thread_is_about_the_threads_entry(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    thread = open_thread(bot, fake)
    bot.event(payloads.assistant_thread_message("Does Scared Straight work?", thread))
    answers_in(fake, thread)
    bot.event(payloads.assistant_thread_message("how strong is the evidence?", thread))
    _first, follow_up = answers_in(fake, thread, 2)
    entry = engine.by_id["scared-straight"]
    assert follow_up.params["text"].startswith("How strong the evidence is")
    assert entry.title in follow_up.params["text"]
    quiet()
    # one title per thread, from its first question; a status for each question
    assert [c.params["title"] for c in fake.calls_to(TITLE)] == ["Does Scared Straight work?"]
    assert len(fake.calls_to(STATUS_METHOD)) == 2


def test_tips_for_my_team_is_answered_with_todays_tip(bot: Bot, fake: FakeSlack) -> None:
    thread = open_thread(bot, fake)
    bot.event(payloads.assistant_thread_message("Tips for my team", thread))
    [answer] = answers_in(fake, thread)
    assert answer.params["text"].startswith("Tip:")
    assert buttons(answer.params["blocks"], "open_entry"), "Tell me more opens the entry"


def test_the_title_is_shortened_and_escaped(bot: Bot, fake: FakeSlack) -> None:
    thread = open_thread(bot, fake)
    question = "<!channel> does scared straight work for the kids on the estate near the school?"
    bot.event(payloads.assistant_thread_message(question, thread))
    [title] = fake.wait_for(TITLE)
    assert title.params["title"] == thread_title(question)
    assert title.params["title"].startswith("&lt;!channel&gt; does scared straight")
    shown = title.params["title"].replace("&lt;", "<").replace("&gt;", ">")
    assert shown.endswith("…") and len(shown) == 60  # 60 characters as Slack shows them


def test_an_ordinary_dm_still_gets_exactly_one_answer(bot: Bot, fake: FakeSlack) -> None:
    quiet()  # an earlier test's late answers land before this one starts counting
    before = len(fake.calls_to(POST))
    status_before, title_before = len(fake.calls_to(STATUS_METHOD)), len(fake.calls_to(TITLE))
    bot.event(payloads.dm_message("do scare tactics work?"))
    wait_until(lambda: len(fake.calls_to(POST)) > before)
    quiet()
    [call] = fake.calls_to(POST)[before:]
    assert call.ok and call.params["channel"] == DM_CHANNEL
    assert call.params["text"].startswith("Scare tactics")
    assert not call.params.get("thread_ts")
    assert len(fake.calls_to(STATUS_METHOD)) == status_before
    assert len(fake.calls_to(TITLE)) == title_before


def test_no_dm_is_answered_twice_or_dropped(bot: Bot, fake: FakeSlack) -> None:
    thread = open_thread(bot, fake)
    top_level = payloads.dm_message("what is a drug court?")
    in_thread = payloads.assistant_thread_message("halfway houses", thread)
    retried = payloads.event_callback(in_thread)
    deliveries: list[dict[str, Any]] = [
        top_level,
        retried,
        payloads.assistant_thread_context_changed(thread),
        payloads.assistant_thread_root_changed(thread, title="halfway houses"),
        payloads.bot_message(  # the bot's own answer, seen as an event in the thread
            "an answer", user=BOT_USER_ID, bot_id=BOT_ID, subtype=None, channel=DM_CHANNEL
        )
        | {"thread_ts": thread},
    ]
    for delivery in deliveries:
        assert bot.event(delivery).status == 200
    assert bot.event(retried, retry=1).status == 200  # Slack's retry: the same event_id
    assert bot.event(in_thread).status == 200  # the same message again under a new event_id
    answers_in(fake, thread)
    wait_until(lambda: [c for c in fake.calls_to(POST) if not c.params.get("thread_ts")])
    quiet()
    posts = fake.calls_to(POST)
    assert sorted(str(c.params.get("thread_ts") or "") for c in posts) == ["", thread], posts
    assert len(fake.calls_to(STATUS_METHOD)) == 1 and len(fake.calls_to(TITLE)) == 1
    # the context change is kept by the bot: Bolt's default store would read and edit messages
    assert not fake.calls_to("conversations.replies") and not fake.calls_to("chat.update")
