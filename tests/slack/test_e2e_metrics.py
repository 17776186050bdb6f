"""/metrics and LOG_FORMAT=json from the real `toolkit-bot serve`, in HTTP and Socket Mode."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.slack.conftest import ROOT, SCRIPT, Bot, bot_env, running
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_USER_ID

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(bot: Bot) -> tuple[str, Samples]:
    """The Content-Type of GET /metrics and every sample in it."""
    with urllib.request.urlopen(f"{bot.url}/metrics", timeout=5) as response:
        content_type = response.headers["Content-Type"]
        text = response.read().decode("utf-8")
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return content_type, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_a_question_moves_the_counters_and_the_histogram(bot: Bot, fake: FakeSlack) -> None:
    _, before = scrape(bot)
    bot.event(payloads.dm_message("drug courts"))
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.ok
    content_type, after = scrape(bot)
    assert content_type.startswith("text/plain") and "version=" in content_type
    assert moved(before, after, "toolkit_bot_questions_total", surface="dm") == 1
    assert moved(before, after, "toolkit_bot_answers_total", surface="dm", intent="answer") == 1
    assert moved(before, after, "toolkit_bot_declines_total", surface="dm") == 0
    assert moved(before, after, "toolkit_bot_answer_seconds_count", surface="dm") == 1
    assert 0 < moved(before, after, "toolkit_bot_answer_seconds_sum", surface="dm") < 3
    assert value(after, "toolkit_bot_database_up") == 1
    assert ("toolkit_bot_outbox_depth", frozenset()) in after
    assert ("toolkit_bot_sender_queue_depth", frozenset()) in after
    assert value(after, "process_resident_memory_bytes") > 0


def test_a_declined_mention_is_counted_as_a_decline(bot: Bot, fake: FakeSlack) -> None:
    _, before = scrape(bot)
    bot.event(payloads.app_mention(f"<@{BOT_USER_ID}> what about parking fines"))
    fake.wait_for("chat.postMessage", timeout=10)
    _, after = scrape(bot)
    assert moved(before, after, "toolkit_bot_questions_total", surface="mention") == 1
    assert moved(before, after, "toolkit_bot_declines_total", surface="mention") == 1
    assert moved(before, after, "toolkit_bot_answer_seconds_count", surface="mention") == 1
    answers = [
        k for k in after if k[0] == "toolkit_bot_answers_total" and ("surface", "mention") in k[1]
    ]
    assert all(moved(before, after, name, **dict(labels)) == 0 for name, labels in answers)


def test_slack_api_errors_are_counted_by_method_and_code(bot: Bot, fake: FakeSlack) -> None:
    _, before = scrape(bot)
    fake.rate_limit("chat.postMessage", retry_after=1)
    bot.event(payloads.dm_message("mentoring"))
    first, second = fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert (first.status, second.ok) == (429, True)
    fake.reset()
    fake.fail("chat.postMessage", error="channel_not_found", times=None)
    mark = bot.log_mark()
    bot.event(payloads.dm_message("drug courts"))
    bot.wait_log("channel_not_found", since=mark)
    _, after = scrape(bot)
    errors = "toolkit_bot_slack_api_errors_total"
    assert moved(before, after, errors, method="chat.postMessage", code="ratelimited") == 1
    assert moved(before, after, errors, method="chat.postMessage", code="channel_not_found") == 1


def test_only_healthz_and_metrics_are_served_besides_slack(bot: Bot) -> None:
    with urllib.request.urlopen(f"{bot.url}/healthz", timeout=5) as response:
        assert response.read() == b"ok\n"
    if bot.mode == "socket":  # the small server of its own serves nothing else
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{bot.url}/slack/events", timeout=5)
        assert caught.value.code == 404


# -- LOG_FORMAT=json -------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["http", "socket"])
def json_bot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bot]:
    """A bot logging JSON, with a stand-in of its own (a second Socket Mode connection to the
    shared one would take some of its events)."""
    home = tmp_path_factory.mktemp(f"json-{request.param}")
    with FakeSlack() as fake, running(request.param, fake, home, LOG_FORMAT="json") as bot:
        yield bot


def lines(log: str) -> list[dict[str, Any]]:
    """Every line of the log, each parsed as one JSON object (fails on any that is not)."""
    parsed = []
    for number, line in enumerate(log.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"line {number} is not JSON: {line!r}")
        assert isinstance(entry, dict), line
        assert {"timestamp", "level", "logger", "message"} <= entry.keys(), line
        parsed.append(entry)
    return parsed


def test_json_logs_have_one_object_per_line_and_one_line_per_request(json_bot: Bot) -> None:
    json_bot.fake.reset()
    mark = json_bot.log_mark()
    json_bot.event(payloads.dm_message("drug courts"))
    json_bot.fake.wait_for("chat.postMessage", timeout=10)
    json_bot.wait_log('"status": "answered"', since=mark)
    entries = lines(json_bot.log())
    requests = [e for e in lines(json_bot.log()[mark:]) if e.get("kind") == "question"]
    assert len(requests) == 1, requests
    [line] = requests
    assert (line["surface"], line["intent"], line["status"]) == ("dm", "answer", "answered")
    assert isinstance(line["latency_ms"], int | float) and 0 <= line["latency_ms"] < 3000
    assert line["level"] == "INFO" and line["logger"] == "toolkit_bot.work"
    assert "drug courts" not in json.dumps(line).lower(), "no question text in the request line"
    assert any("starting in" in e["message"] for e in entries)
    if json_bot.mode == "http":  # gunicorn's own lines are JSON too
        assert any(e["logger"].startswith("gunicorn") for e in entries)


def test_a_bad_log_format_is_named_before_anything_starts(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        env = bot_env(fake, SLACK_APP_TOKEN="xapp-test-app", LOG_FORMAT="xml")
        result = subprocess.run(
            [str(SCRIPT), "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json, got 'xml'" in result.stderr
    assert "Traceback" not in result.stderr
