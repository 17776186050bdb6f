"""FakeSlack's Web API behaves like Slack's for the real slack_sdk WebClient."""

from __future__ import annotations

import json
import threading
import time
from urllib.request import Request, urlopen

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from tests.stand_in.web_api import FakeSlack


def client(fake: FakeSlack, token: str | None = "xoxb-test-bot", **kwargs: object) -> WebClient:
    """A WebClient aimed at the stand-in."""
    return WebClient(token=token, base_url=fake.api_url, **kwargs)  # type: ignore[arg-type]


def api_error(call: object) -> SlackApiError:
    """Run a zero-argument call expecting SlackApiError."""
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_api_url_shape(fake_slack: FakeSlack) -> None:
    assert fake_slack.api_url == f"http://127.0.0.1:{fake_slack.port}/api/"
    assert fake_slack.response_url("abc").endswith("/response/abc")


def test_auth_test_ok(fake_slack: FakeSlack) -> None:
    body = client(fake_slack).auth_test()
    assert body["ok"] is True
    assert (body["user_id"], body["bot_id"], body["team_id"]) == ("UBOT", "BBOT", "T0001")
    call = fake_slack.wait_for("auth.test")[0]
    assert call.headers["authorization"] == "Bearer xoxb-test-bot"


@pytest.mark.parametrize(
    ("token", "error"),
    [
        ("xoxb-nope", "invalid_auth"),
        (None, "not_authed"),
        ("xapp-test-app", "not_allowed_token_type"),
    ],
)
def test_auth_errors(fake_slack: FakeSlack, token: str | None, error: str) -> None:
    failure = api_error(
        lambda: client(fake_slack, token).chat_postMessage(channel="C0001", text="x")
    )
    assert failure.response["error"] == error
    assert failure.response.status_code == 200


def test_token_may_come_as_form_param(fake_slack: FakeSlack) -> None:
    body = client(fake_slack, None).api_call("auth.test", params={"token": "xoxb-test-bot"})
    assert body["user_id"] == "UBOT"


def test_connections_open_needs_app_token(fake_slack: FakeSlack) -> None:
    failure = api_error(lambda: client(fake_slack).apps_connections_open(app_token="xoxb-test-bot"))
    assert failure.response["error"] == "not_allowed_token_type"
    url = client(fake_slack).apps_connections_open(app_token="xapp-test-app")["url"]
    assert url.startswith(f"ws://127.0.0.1:{fake_slack.socket.port}/link/?ticket=")


def test_unknown_method_is_http_200(fake_slack: FakeSlack) -> None:
    failure = api_error(lambda: client(fake_slack).api_call("chat.teleport"))
    assert failure.response.status_code == 200
    assert failure.response["error"] == "unknown_method"


def test_post_message_json_body(fake_slack: FakeSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    first = client(fake_slack).chat_postMessage(channel="C0001", text="hi", blocks=blocks)
    second = client(fake_slack).chat_postMessage(channel="C0001", text="again")
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["bot_id"] == "BBOT" and first["message"]["blocks"] == blocks
    call = fake_slack.calls_to("chat.postMessage")[0]
    assert call.params["blocks"] == blocks and call.ok and not call.rejected


def test_form_encoded_json_params_are_decoded(fake_slack: FakeSlack) -> None:
    blocks = [{"type": "divider"}]
    params = {"channel": "C0001", "text": "t", "blocks": json.dumps(blocks)}
    client(fake_slack).api_call("chat.postMessage", params=params)
    assert fake_slack.calls_to("chat.postMessage")[0].params["blocks"] == blocks


def test_channel_rules(fake_slack: FakeSlack) -> None:
    fake_slack.set_channel("C_OUT", is_member=False)
    fake_slack.set_channel("C_OLD", is_archived=True)
    fake_slack.set_channel("G_SECRET", is_member=False, is_private=True)
    web = client(fake_slack)
    for channel, error in [
        ("C_NOPE", "channel_not_found"),
        ("C_OUT", "not_in_channel"),
        ("C_OLD", "is_archived"),
        ("G_SECRET", "channel_not_found"),
    ]:
        assert (
            api_error(lambda c=channel: web.chat_postMessage(channel=c, text="x")).response["error"]
            == error
        )
    assert web.chat_postMessage(channel="D0042", text="dm")["channel"] == "D0042"


def test_conversations_users_team(fake_slack: FakeSlack) -> None:
    fake_slack.set_channel("C0TOOL", name="toolkit", members=["UBOT", "U1", "U2"])
    fake_slack.set_user("U1", name="pc.smith", real_name="PC Smith")
    web = client(fake_slack)
    info = web.conversations_info(channel="C0TOOL", include_num_members=True)["channel"]
    assert (info["name"], info["is_member"], info["num_members"]) == ("toolkit", True, 3)
    page = web.conversations_members(channel="C0TOOL", limit=2)
    assert page["members"] == ["UBOT", "U1"]
    rest = web.conversations_members(
        channel="C0TOOL", cursor=page["response_metadata"]["next_cursor"]
    )
    assert rest["members"] == ["U2"] and rest["response_metadata"]["next_cursor"] == ""
    assert web.conversations_info(channel="D0009")["channel"]["is_im"] is True
    assert web.users_info(user="U1")["user"]["real_name"] == "PC Smith"
    assert api_error(lambda: web.users_info(user="U404")).response["error"] == "user_not_found"
    assert web.team_info()["team"]["id"] == "T0001"


def test_rate_limit_then_success_with_retry_handler(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=1)
    web = client(fake_slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    started = time.monotonic()
    assert web.chat_postMessage(channel="C0001", text="x")["ok"] is True
    assert time.monotonic() - started >= 1.0
    statuses = [c.status for c in fake_slack.calls_to("chat.postMessage")]
    assert statuses == [429, 200]


def test_rate_limit_without_handler(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=7)
    failure = api_error(lambda: client(fake_slack).chat_postMessage(channel="C0001", text="x"))
    assert failure.response.status_code == 429
    assert failure.response["error"] == "ratelimited"
    assert failure.response.headers["Retry-After"] == "7"


def test_server_error_and_retry(fake_slack: FakeSlack) -> None:
    fake_slack.server_error("chat.postMessage", status=503)
    failure = api_error(lambda: client(fake_slack).chat_postMessage(channel="C0001", text="x"))
    assert (failure.response.status_code, failure.response["error"]) == (503, "internal_error")
    fake_slack.server_error("chat.postMessage", status=500)
    handler = ServerErrorRetryHandler(max_retry_count=1)
    assert client(fake_slack, retry_handlers=[handler]).chat_postMessage(channel="C0001", text="x")


def test_programmed_failure_counts_down(fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.update", error="cant_update_message", times=2)
    web = client(fake_slack)
    ts = web.chat_postMessage(channel="C0001", text="x")["ts"]
    for _ in range(2):
        failure = api_error(lambda: web.chat_update(channel="C0001", ts=ts, text="y"))
        assert failure.response["error"] == "cant_update_message"
    assert web.chat_update(channel="C0001", ts=ts, text="y")["message"]["text"] == "y"


def test_delay_makes_calls_slow(fake_slack: FakeSlack) -> None:
    fake_slack.delay("auth.test", 0.3)
    started = time.monotonic()
    client(fake_slack).auth_test()
    assert time.monotonic() - started >= 0.3


def test_update_and_delete_rules(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    theirs = fake_slack.add_message("C0001", "by a person")
    ts = web.chat_postMessage(channel="C0001", text="mine")["ts"]
    for call, error in [
        (lambda: web.chat_update(channel="C0001", ts="1.2", text="y"), "message_not_found"),
        (lambda: web.chat_update(channel="C0001", ts=theirs, text="y"), "cant_update_message"),
        (lambda: web.chat_delete(channel="C0001", ts=theirs), "cant_delete_message"),
    ]:
        assert api_error(call).response["error"] == error
    assert web.chat_delete(channel="C0001", ts=ts)["ts"] == ts
    assert [m["text"] for m in fake_slack.messages_in("C0001")] == ["by a person"]


def test_ephemeral(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    assert web.chat_postEphemeral(channel="C0001", user="U0001", text="psst")["message_ts"]
    failure = api_error(lambda: web.chat_postEphemeral(channel="C0001", user="U999", text="x"))
    assert failure.response["error"] == "user_not_in_channel"


def test_block_limits_reject_and_record(fake_slack: FakeSlack) -> None:
    blocks = [{"type": "divider"}] * 51
    failure = api_error(
        lambda: client(fake_slack).chat_postMessage(channel="C0001", text="x", blocks=blocks)
    )
    assert failure.response["error"] == "invalid_blocks"
    assert failure.response["errors"] == ["no more than 50 items allowed [json-pointer:/blocks]"]
    call = fake_slack.calls_to("chat.postMessage")[0]
    assert call.rejected and call.reasons == failure.response["errors"]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_text_rules(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    long = api_error(lambda: web.chat_postMessage(channel="C0001", text="x" * 40_001))
    assert long.response["error"] == "msg_too_long"
    empty = api_error(lambda: web.chat_postMessage(channel="C0001"))
    assert empty.response["error"] == "no_text"
    assert web.chat_postMessage(channel="C0001", text="x" * 40_000)["ok"]


def test_unfurl_checks_each_unfurl(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    good = {
        "https://x.test/a": {
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "A"}}]
        }
    }
    assert web.chat_unfurl(channel="C0001", ts="1.1", unfurls=good)["ok"]
    bad = {
        "https://x.test/b": {
            "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
        }
    }
    failure = api_error(lambda: web.chat_unfurl(unfurl_id="u1", source="composer", unfurls=bad))
    assert failure.response["error"] == "invalid_blocks"
    assert "/unfurls/https://x.test/b/blocks/0/text/text" in failure.response["errors"][0]


def test_views(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Toolkit"}, "blocks": []}
    opened = web.views_open(trigger_id="1.2.3", view=modal)["view"]
    assert opened["id"].startswith("V") and opened["root_view_id"] == opened["id"]
    updated = web.views_update(view_id=opened["id"], view={**modal, "callback_id": "again"})
    assert updated["view"]["callback_id"] == "again"
    home = {"type": "home", "blocks": [{"type": "divider"}] * 100}
    assert web.views_publish(user_id="U0001", view=home)["view"]["type"] == "home"
    too_big = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    failure = api_error(lambda: web.views_publish(user_id="U0001", view=too_big))
    assert failure.response["error"] == "invalid_blocks"
    missing = api_error(lambda: web.views_open(trigger_id="", view=modal))
    assert missing.response["error"] == "invalid_arguments"
    assert (
        api_error(lambda: web.views_update(view_id="V404", view=modal)).response["error"]
        == "not_found"
    )


def test_oauth_v2_access(fake_slack: FakeSlack) -> None:
    fake_slack.set_oauth(
        "111.222", "s3cret", {"good-code": {"team": {"id": "T0002", "name": "Force B"}}}
    )
    web = WebClient(base_url=fake_slack.api_url)
    body = web.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="good-code")
    assert body["token_type"] == "bot" and body["access_token"].startswith("xoxb-")
    assert body["team"] == {"id": "T0002", "name": "Force B"} and body["enterprise"] is None
    assert client(fake_slack, body["access_token"]).auth_test()["team_id"] == "T0002"
    again = api_error(
        lambda: web.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="good-code")
    )
    assert again.response["error"] == "invalid_code"
    bad = api_error(lambda: web.oauth_v2_access(client_id="111.222", client_secret="no", code="x"))
    assert bad.response["error"] == "bad_client_secret"


def post_json(url: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    """POST JSON with urllib, returning status and parsed body even for errors."""
    request = Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except Exception as error:  # HTTPError carries the body
        return error.code, json.loads(error.read())  # type: ignore[attr-defined]


def test_response_urls(fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url("cmd-1")
    assert post_json(
        url, {"text": "hi", "response_type": "in_channel", "replace_original": True}
    ) == (
        200,
        {"ok": True},
    )
    status, body = post_json(url, {"blocks": [{"type": "nope"}]})
    assert status == 400 and body["error"] == "invalid_blocks"
    assert post_json(url, {"delete_original": "true"})[0] == 200
    posts = fake_slack.wait_for_response(3)
    assert posts[0].id == "cmd-1" and posts[0].response_type == "in_channel"
    assert posts[0].replace_original and posts[1].rejected and posts[2].delete_original


def test_wait_for_is_thread_safe(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    threads = [
        threading.Thread(target=web.chat_postMessage, kwargs={"channel": "C0001", "text": str(i)})
        for i in range(20)
    ]
    for thread in threads:
        thread.start()
    assert len(fake_slack.wait_for("chat.postMessage", count=20, timeout=5)) == 20
    for thread in threads:
        thread.join()
    assert len({c.response["ts"] for c in fake_slack.calls_to("chat.postMessage")}) == 20


def test_wait_for_timeout_and_reset(fake_slack: FakeSlack) -> None:
    client(fake_slack).auth_test()
    with pytest.raises(TimeoutError):
        fake_slack.wait_for("chat.postMessage", timeout=0.1)
    fake_slack.fail("auth.test")
    fake_slack.reset()
    assert fake_slack.calls == []
    assert client(fake_slack).auth_test()["ok"]
