"""assistant.threads.* on the stand-in, called by the real slack_sdk WebClient and Bolt's own
SetSuggestedPrompts / SetStatus / SetTitle; the assistant payloads read by Bolt's matchers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_bolt import SetStatus, SetSuggestedPrompts, SetTitle
from slack_bolt.request.payload_utils import (
    is_assistant_thread_context_changed_event,
    is_assistant_thread_started_event,
    is_other_message_sub_event_in_assistant_thread,
    is_user_message_event_in_assistant_thread,
)
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.stand_in import payloads
from tests.stand_in.defaults import CHANNEL, DM_CHANNEL
from tests.stand_in.web_api import FakeSlack

PROMPTS = [{"title": f"Prompt {i}", "message": f"Question {i}?"} for i in range(1, 5)]


def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test-bot", base_url=fake.api_url)


def refused(call: Any) -> dict[str, Any]:
    """The body of the error Slack answers (HTTP 200, ok false)."""
    with pytest.raises(SlackApiError) as caught:
        call()
    assert caught.value.response.status_code == 200
    return dict(caught.value.response.data)


def test_suggested_prompts_in_a_thread_are_kept(fake_slack: FakeSlack) -> None:
    thread = payloads.next_ts()
    answer = client(fake_slack).assistant_threads_setSuggestedPrompts(
        channel_id=DM_CHANNEL, thread_ts=thread, prompts=PROMPTS, title="Try asking"
    )
    assert answer.data == {"ok": True}
    [call] = fake_slack.calls_to("assistant.threads.setSuggestedPrompts")
    assert call.params["prompts"] == PROMPTS and call.params["thread_ts"] == thread
    kept = fake_slack.workspace.assistant_thread(DM_CHANNEL, thread)
    assert kept == {"prompts": PROMPTS, "prompts_title": "Try asking"}


def test_suggested_prompts_without_a_thread_pin_to_the_dm(fake_slack: FakeSlack) -> None:
    client(fake_slack).assistant_threads_setSuggestedPrompts(
        channel_id=DM_CHANNEL, prompts=PROMPTS[:1]
    )
    assert fake_slack.workspace.assistant_thread(DM_CHANNEL)["prompts"] == PROMPTS[:1]


def test_prompts_sent_as_a_form_are_read_as_json(fake_slack: FakeSlack) -> None:
    client(fake_slack).api_call(
        "assistant.threads.setSuggestedPrompts",
        params={"channel_id": DM_CHANNEL, "prompts": json.dumps(PROMPTS[:2])},
    )
    assert fake_slack.workspace.assistant_thread(DM_CHANNEL)["prompts"] == PROMPTS[:2]


@pytest.mark.parametrize(
    ("prompts", "message"),
    [
        ([*PROMPTS, {"title": "Five", "message": "Five?"}], "no more than 4 items allowed"),
        ([], "no less than 1 items allowed"),
        ([{"title": "No message"}], "missing required field: message [json-pointer:/prompts/0]"),
        ([{"title": "", "message": "x"}], "must be a non-empty string"),
        (["just text"], "must be an object [json-pointer:/prompts/0]"),
    ],
)
def test_prompts_slack_refuses(fake_slack: FakeSlack, prompts: Any, message: str) -> None:
    body = refused(
        lambda: client(fake_slack).assistant_threads_setSuggestedPrompts(
            channel_id=DM_CHANNEL, thread_ts=payloads.next_ts(), prompts=prompts
        )
    )
    assert body["error"] == "invalid_arguments"
    assert any(message in m for m in body["response_metadata"]["messages"]), body
    assert fake_slack.workspace.assistant == {}


@pytest.mark.parametrize(
    ("method", "params", "error"),
    [
        ("assistant.threads.setSuggestedPrompts", {"prompts": PROMPTS}, "invalid_arguments"),
        ("assistant.threads.setSuggestedPrompts", {"channel_id": "D1"}, "invalid_arguments"),
        ("assistant.threads.setStatus", {"channel_id": "D1", "status": "x"}, "invalid_arguments"),
        (
            "assistant.threads.setStatus",
            {"channel_id": "D1", "thread_ts": "1.1"},
            "invalid_arguments",
        ),
        ("assistant.threads.setTitle", {"channel_id": "D1", "thread_ts": "1"}, "invalid_arguments"),
    ],
)
def test_missing_arguments(
    fake_slack: FakeSlack, method: str, params: dict[str, Any], error: str
) -> None:
    body = refused(lambda: client(fake_slack).api_call(method, json=params))
    assert body["error"] == error
    assert body["response_metadata"]["messages"][0].startswith("[ERROR] missing required field")


@pytest.mark.parametrize("method", ["assistant.threads.setStatus", "assistant.threads.setTitle"])
def test_a_thread_ts_that_is_not_a_ts(fake_slack: FakeSlack, method: str) -> None:
    params = {"channel_id": DM_CHANNEL, "thread_ts": "yesterday", "status": "x", "title": "x"}
    assert refused(lambda: client(fake_slack).api_call(method, json=params)) == {
        "ok": False,
        "error": "invalid_thread_ts",
    }


def test_unknown_channels_and_channels_outside_the_dm(fake_slack: FakeSlack) -> None:
    web, thread = client(fake_slack), payloads.next_ts()
    for call in (
        lambda: web.assistant_threads_setTitle(channel_id="C9999", thread_ts=thread, title="x"),
        lambda: web.assistant_threads_setTitle(channel_id=CHANNEL, thread_ts=thread, title="x"),
        lambda: web.assistant_threads_setSuggestedPrompts(channel_id=CHANNEL, prompts=PROMPTS),
        lambda: web.assistant_threads_setStatus(channel_id="C9999", thread_ts=thread, status="x"),
    ):
        assert refused(call) == {
            "ok": False,
            "error": "channel_not_found",
            "detail": "Invalid channel_id",
        }
    # Slack lets chat:write apps show a loading state in a channel thread the bot is in.
    web.assistant_threads_setStatus(channel_id=CHANNEL, thread_ts=thread, status="Looking…")
    assert fake_slack.workspace.assistant_thread(CHANNEL, thread) == {"status": "Looking…"}


def test_status_is_cleared_by_a_reply_in_its_thread(fake_slack: FakeSlack) -> None:
    web, thread = client(fake_slack), payloads.next_ts()
    web.assistant_threads_setStatus(
        channel_id=DM_CHANNEL, thread_ts=thread, status="Looking…", loading_messages=["a", "b"]
    )
    assert fake_slack.workspace.assistant_thread(DM_CHANNEL, thread)["status"] == "Looking…"
    web.chat_postMessage(channel=DM_CHANNEL, text="elsewhere")  # top level: not this thread
    assert fake_slack.workspace.assistant_thread(DM_CHANNEL, thread)["status"] == "Looking…"
    web.chat_postMessage(channel=DM_CHANNEL, thread_ts=thread, text="the answer")
    assert fake_slack.workspace.assistant_thread(DM_CHANNEL, thread)["status"] == ""


def test_status_checks(fake_slack: FakeSlack) -> None:
    web, thread = client(fake_slack), payloads.next_ts()
    body = refused(
        lambda: web.assistant_threads_setStatus(
            channel_id=DM_CHANNEL, thread_ts=thread, status="x", loading_messages=["m"] * 11
        )
    )
    assert body["response_metadata"]["messages"] == [
        "[ERROR] no more than 10 items allowed [json-pointer:/loading_messages]"
    ]
    web.assistant_threads_setStatus(channel_id=DM_CHANNEL, thread_ts=thread, status="")
    assert fake_slack.workspace.assistant_thread(DM_CHANNEL, thread) == {"status": ""}


def test_bolts_own_helpers_call_the_stand_in(fake_slack: FakeSlack) -> None:
    web, thread = client(fake_slack), payloads.next_ts()
    SetSuggestedPrompts(web, DM_CHANNEL, thread)(["Does Scared Straight work?"], title="Try")
    SetStatus(web, DM_CHANNEL, thread)("Looking that up…")
    SetTitle(web, DM_CHANNEL, thread)("Does Scared Straight work?")
    assert fake_slack.workspace.assistant_thread(DM_CHANNEL, thread) == {
        "prompts": [
            {"title": "Does Scared Straight work?", "message": "Does Scared Straight work?"}
        ],
        "prompts_title": "Try",
        "status": "Looking that up…",
        "title": "Does Scared Straight work?",
    }
    assert [c.method for c in fake_slack.calls] == [
        "assistant.threads.setSuggestedPrompts",
        "assistant.threads.setStatus",
        "assistant.threads.setTitle",
    ]
    assert all(c.headers["authorization"] == "Bearer xoxb-test-bot" for c in fake_slack.calls)


def test_the_methods_need_a_bot_token(fake_slack: FakeSlack) -> None:
    web = WebClient(token="xoxb-unknown", base_url=fake_slack.api_url)
    body = refused(
        lambda: web.assistant_threads_setTitle(channel_id="D1", thread_ts="1.1", title="x")
    )
    assert body["error"] == "invalid_auth"


def test_assistant_payloads_are_what_bolt_matches() -> None:
    started = payloads.event_callback(payloads.assistant_thread_started())
    thread = started["event"]["assistant_thread"]["thread_ts"]
    changed = payloads.event_callback(payloads.assistant_thread_context_changed(thread))
    asked = payloads.event_callback(payloads.assistant_thread_message("drug courts?", thread))
    root = payloads.event_callback(payloads.assistant_thread_root_changed(thread))
    top_level = payloads.event_callback(payloads.dm_message("drug courts?"))
    assert is_assistant_thread_started_event(started)
    assert started["event"]["assistant_thread"]["context"]["channel_id"] == CHANNEL
    assert is_assistant_thread_context_changed_event(changed)
    assert changed["event"]["assistant_thread"]["context"]["channel_id"] == "C0002"
    assert is_user_message_event_in_assistant_thread(asked)
    assert asked["event"]["thread_ts"] == thread and asked["event"]["ts"] != thread
    assert is_other_message_sub_event_in_assistant_thread(root)
    assert not is_user_message_event_in_assistant_thread(root)
    assert not is_user_message_event_in_assistant_thread(top_level)
