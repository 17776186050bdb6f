"""`toolkit-bot tips run-due`: exit 0 whatever Slack says; non-zero only for configuration or
database errors; a short summary on stdout."""

from __future__ import annotations

import logging

import pytest

from bot.cli import main
from bot.store.subscriptions import TipStore
from tests.jobs.conftest import TOKEN, posts, subscribe
from tests.stand_in import FakeSlack


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_url: str, fake: FakeSlack) -> pytest.MonkeyPatch:
    for name in ("SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    return monkeypatch


def test_posts_and_prints_one_summary_line(
    env: pytest.MonkeyPatch,
    store: TipStore,
    fake: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, "toolkit_bot.tips")
    subscribe(store, "C0TIPS1")
    fake.set_channel("C0TIPS2", is_member=False)
    subscribe(store, "C0TIPS2")
    assert main(["tips", "run-due", "--now", "2026-03-23T09:00:00Z"]) == 0
    assert capsys.readouterr().out == (
        "tips run-due at 2026-03-23T09:00Z: 1 posted, 0 skipped, 0 failed, 1 paused, 0 busy, "
        "0 already done\n"
    )  # one slot per line in the log (stderr): the subprocess tests read it there
    assert "tip posted T0001/C0TIPS1" in caplog.text
    assert "tip paused T0001/C0TIPS2" in caplog.text
    assert posts(fake) == ["C0TIPS1"]


def test_a_time_without_offset_is_utc(
    env: pytest.MonkeyPatch, store: TipStore, capsys: pytest.CaptureFixture[str]
) -> None:
    subscribe(store, "C0TIPS1")
    assert main(["tips", "run-due", "--now", "2026-03-23T09:00:00"]) == 0
    assert "1 posted" in capsys.readouterr().out


def test_slack_down_is_still_exit_zero(
    env: pytest.MonkeyPatch,
    store: TipStore,
    fake: FakeSlack,
    no_sleep: list[float],
    capsys: pytest.CaptureFixture[str],
) -> None:
    subscribe(store, "C0TIPS1")
    fake.server_error("chat.postMessage", status=503, times=None)
    assert main(["tips", "run-due", "--now", "2026-03-23T09:00:00Z"]) == 0
    assert "1 failed" in capsys.readouterr().out


def test_no_token_is_a_configuration_error(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.delenv("SLACK_BOT_TOKEN")
    assert main(["tips", "run-due"]) == 1
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def test_an_unreachable_database_is_an_error(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nothing")
    assert main(["tips", "run-due"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "cannot use the database" in err
