"""End to end: `/toolkit tips on 09:00 daily Europe/London` sent as a signed slash command to a
real `toolkit-bot serve` (HTTP mode, DATABASE_URL set) against the Slack stand-in, then
`toolkit-bot tips run-due --now <the slot>` posts the tip to that channel once, and a second
run-due posts nothing. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.schedule import next_slot, schedule_of
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.subscriptions import TipStore
from tests.databases import BACKENDS, fresh_database
from tests.slack.conftest import (
    PATIENCE,
    ROOT,
    SCRIPT,
    Bot,
    bot_env,
    buttons,
    free_port,
    quiet,
    start,
    stop,
    wait_healthy,
    wait_responses,
)
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.fixtures import SIGNING_SECRET

CHANNEL = "C0TEAM"


@pytest.fixture(scope="module", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with fresh_database(request.param, tmp_path_factory.mktemp("tips-e2e"), "tips_e2e") as url:
        yield url


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.set_channel(CHANNEL, name="team-channel")
        yield fake


@pytest.fixture(scope="module")
def served(
    slack: FakeSlack, database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bot]:
    """`toolkit-bot serve` in HTTP mode with DATABASE_URL set."""
    port = free_port()
    log = tmp_path_factory.mktemp("tips-http") / "bot.log"
    env = bot_env(slack, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(port), DATABASE_URL=database)
    process = start(env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield Bot(process, slack, "http", url, log)
    finally:
        stop(process)


def run_due(slack: FakeSlack, database: str, now: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        DATABASE_URL=database,
        SLACK_BOT_TOKEN="xoxb-test-bot",
        SLACK_API_URL=slack.api_url,
        LOG_LEVEL="INFO",
    )
    return subprocess.run(
        [str(SCRIPT), "tips", "run-due", "--now", now],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def tips_to(slack: FakeSlack, channel: str) -> list[dict[str, object]]:
    return [
        c.params
        for c in slack.calls_to("chat.postMessage")
        if c.ok and c.params.get("channel") == channel
    ]


def test_subscribe_from_slack_then_run_due_posts_once(
    served: Bot, slack: FakeSlack, database: str
) -> None:
    slack.reset()
    response_url = slack.response_url()
    form = payloads.slash_command(
        "tips on 09:00 daily Europe/London", channel_id=CHANNEL, response_url=response_url
    )
    assert served.command(form).status == 200
    [reply] = wait_responses(slack, response_url)
    assert reply.response_type == "ephemeral"
    said = str(reply.body.get("text"))
    assert "Daily tips are on in <#C0TEAM>: 09:00 every day (Europe/London)" in said
    assert [c.params["channel"] for c in slack.calls_to("conversations.info")] == [CHANNEL]
    assert "tips scheduler started" in served.log()

    db = make_engine(database)
    try:
        store = TipStore(session_factory(db))
        sub = store.get("T0001", CHANNEL)
        assert sub is not None and sub.active
        slot = next_slot(schedule_of(sub.local_time, sub.days, sub.timezone), sub.updated_at)
    finally:
        db.dispose()
    assert slot.astimezone(schedule_of("09:00", "daily", "Europe/London").tz).hour == 9

    first = run_due(slack, database, slot.isoformat())
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("\n") == 1 and "tips run-due at" in first.stdout
    [posted] = tips_to(slack, CHANNEL)  # once (by this run, or the serve scheduler if due)
    assert "Tell me more" in str(posted["blocks"])

    second = run_due(slack, database, slot.isoformat())
    assert second.returncode == 0, second.stderr
    assert "0 posted" in second.stdout and "1 already done" in second.stdout
    assert len(tips_to(slack, CHANNEL)) == 1

    # "Tell me more" on the posted card opens the full answer for the clicker.
    blocks = posted["blocks"]
    assert isinstance(blocks, list)
    [more] = buttons(blocks, "open_entry")
    click_url = slack.response_url()
    payload = payloads.block_actions(
        more["action_id"], more["value"], channel=CHANNEL, response_url=click_url
    )
    assert served.interaction(payload).status == 200
    [answer] = wait_responses(slack, click_url)
    assert answer.response_type == "ephemeral"
    assert any(b.get("type") == "header" for b in answer.body.get("blocks", []))


def test_tips_on_in_a_channel_without_the_bot_says_how_to_invite(
    served: Bot, slack: FakeSlack
) -> None:
    slack.reset()
    slack.set_channel("C0NOBOT", is_member=False)
    response_url = slack.response_url()
    form = payloads.slash_command("tips on", channel_id="C0NOBOT", response_url=response_url)
    assert served.command(form).status == 200
    [reply] = wait_responses(slack, response_url)
    assert "/invite @Toolkit Bot" in str(reply.body.get("text"))


def test_the_scheduler_inside_serve_posts_a_due_tip_once(
    slack: FakeSlack, database: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A slot a minute ago, not yet posted: `serve` posts it on its first wake, and only once."""
    slack.reset()
    slack.set_channel("C0SCHED")
    now = datetime.now(UTC)
    db = make_engine(database)
    try:
        upgrade(db)
        TipStore(session_factory(db)).subscribe(
            "T0001",
            "C0SCHED",
            local_time=(now - timedelta(minutes=1)).strftime("%H:%M"),
            days="daily",
            timezone="UTC",
            created_by="hash",
            now=now - timedelta(hours=1),
        )
    finally:
        db.dispose()
    port = free_port()
    log = tmp_path_factory.mktemp("tips-sched") / "bot.log"
    env = bot_env(slack, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(port), DATABASE_URL=database)
    process = start(env, log)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, log)
        slack.wait_for("chat.postMessage", 1, timeout=PATIENCE)
        quiet()
        assert len(tips_to(slack, "C0SCHED")) == 1
        assert "tip posted T0001/C0SCHED" in log.read_text()
    finally:
        stop(process)
    assert "tips scheduler stopped" in log.read_text()
