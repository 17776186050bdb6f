"""bot/slack/assistant.py on its own: the prompts, titles, and the thread-context store, the last
through a real Bolt app dispatching Slack's assistant events against the stand-in."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.engine import Engine
from bot.slack import assistant
from bot.slack.services import Services
from bot.slack.threads import thread_key
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import CHANNEL, DM_CHANNEL, TEAM_ID
from tests.stand_in.methods_assistant import prompt_problems


def test_the_four_prompts_are_what_slack_accepts() -> None:
    prompts = assistant.suggested_prompts()
    assert [p["title"] for p in prompts] == list(assistant.PROMPTS)
    assert all(p["message"] == p["title"] for p in prompts)  # a click asks exactly that
    assert prompt_problems(prompts) == []


def test_a_title_is_one_short_escaped_line() -> None:
    assert assistant.thread_title("Does Scared Straight work?") == "Does Scared Straight work?"
    assert assistant.thread_title("drug\n  courts?") == "drug courts?"
    long = "what works " * 20
    assert len(assistant.thread_title(long)) == assistant.TITLE_LIMIT
    assert assistant.thread_title(long).endswith("…")
    assert assistant.thread_title("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"


def test_thread_contexts_round_trip_apart_from_the_threads_entries(engine: Engine) -> None:
    services = Services(engine)
    store = assistant.ThreadContexts(services)
    thread = payloads.next_ts()
    store.save(
        channel_id=DM_CHANNEL,
        thread_ts=thread,
        context={"channel_id": CHANNEL, "team_id": TEAM_ID, "enterprise_id": None},  # type: ignore[dict-item]
    )
    found = store.find(channel_id=DM_CHANNEL, thread_ts=thread)
    assert found is not None and (found.channel_id, found.team_id) == (CHANNEL, TEAM_ID)
    assert found.enterprise_id is None
    assert services.threads.get(thread_key(TEAM_ID, DM_CHANNEL, thread)) == ()
    store.save(channel_id=DM_CHANNEL, thread_ts=thread, context={"team_id": TEAM_ID})
    assert store.find(channel_id=DM_CHANNEL, thread_ts=thread) is None  # the DM itself
    assert store.find(channel_id=DM_CHANNEL, thread_ts=payloads.next_ts()) is None


def dispatch(app: App, event: dict[str, Any]) -> int:
    """Hand one Events API body to the Bolt app, as the HTTP adapter would."""
    body = json.dumps(payloads.event_callback(event))
    return app.dispatch(
        BoltRequest(body=body, headers={"content-type": ["application/json"]})
    ).status


def test_bolt_keeps_the_threads_context_in_our_store(fake: FakeSlack, engine: Engine) -> None:
    services = Services(engine)
    app = App(
        client=WebClient(token="xoxb-test-bot", base_url=fake.api_url),
        request_verification_enabled=False,
        process_before_response=True,  # listeners finish inside dispatch
    )
    assistant.register(app, services)
    store = assistant.ThreadContexts(services)
    started = payloads.assistant_thread_started()
    thread = started["assistant_thread"]["thread_ts"]
    assert dispatch(app, started) == 200
    assert store.find(channel_id=DM_CHANNEL, thread_ts=thread) == {
        "channel_id": CHANNEL,
        "team_id": TEAM_ID,
    }
    fake.reset()
    assert dispatch(app, payloads.assistant_thread_context_changed(thread)) == 200
    found = store.find(channel_id=DM_CHANNEL, thread_ts=thread)
    assert found is not None and found.channel_id == "C0002"
    assert [c.method for c in fake.calls] == []  # no read-back, no edit of a reply
