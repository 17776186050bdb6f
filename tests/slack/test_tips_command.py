"""`/toolkit tips on|off|status|now` as a sub-command handler, against the Slack stand-in and a
real database (SQLite, and PostgreSQL with TEST_DATABASE_URL). Replies are ephemeral."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.engine import Engine
from bot.jobs.tips import TipRunner
from bot.slack.services import Services
from bot.slack.tips import TipsCommand
from bot.store.subscriptions import TipStore
from tests.jobs import conftest as jobs
from tests.jobs.conftest import TEAM, client_for, posts, utc
from tests.stand_in import FakeSlack, payloads

NOW = "2026-03-20T10:00:00Z"  # a Friday

# The daily-tips fixtures (a fresh database on each backend, the stand-in) from tests/jobs.
db_url, db, store, fake = jobs.db_url, jobs.db, jobs.store, jobs.fake


@pytest.fixture
def tips(store: TipStore, engine: Engine, fake: FakeSlack) -> TipsCommand:
    runner = TipRunner(store, engine, client_for(fake))
    return TipsCommand(
        store,
        runner,
        client_for(fake),
        hash_user=lambda team, user: f"hash-of-{user}",
        clock=lambda: utc(NOW),
    )


def say(tips: TipsCommand, engine: Engine, text: str, channel: str = "C0TIPS1") -> str:
    reply = tips(payloads.slash_command(text, channel_id=channel), Services(engine))
    assert reply["response_type"] == "ephemeral"
    return str(reply.get("text") or reply.get("blocks"))


def test_on_with_the_defaults(
    tips: TipsCommand, engine: Engine, store: TipStore, fake: FakeSlack
) -> None:
    text = say(tips, engine, "tips on")
    assert "Daily tips are on in <#C0TIPS1>: 09:00 on weekdays (Europe/London)" in text
    assert "Monday 23 March at 09:00" in text
    sub = store.get(TEAM, "C0TIPS1")
    assert sub is not None and sub.active
    assert (sub.local_time, sub.days, sub.timezone) == ("09:00", "weekdays", "Europe/London")
    assert sub.created_at == utc(NOW) and sub.updated_at == utc(NOW)
    [info] = fake.calls_to("conversations.info")
    assert info.params["channel"] == "C0TIPS1"


def test_on_with_time_days_and_zone_in_any_case(
    tips: TipsCommand, engine: Engine, store: TipStore
) -> None:
    text = say(tips, engine, "tips on 8:30 DAILY europe/dublin")
    assert "08:30 every day (Europe/Dublin)" in text and "Saturday 21 March at 08:30" in text
    sub = store.get(TEAM, "C0TIPS1")
    assert sub is not None and (sub.local_time, sub.days, sub.timezone) == (
        "08:30",
        "daily",
        "Europe/Dublin",
    )


def test_on_again_changes_only_what_is_given(
    tips: TipsCommand, engine: Engine, store: TipStore
) -> None:
    say(tips, engine, "tips on 07:15 daily Asia/Kolkata")
    changed = say(tips, engine, "tips on 10:00")
    assert "Daily tips in <#C0TIPS1> are now 10:00 every day (Asia/Kolkata)" in changed
    sub = store.get(TEAM, "C0TIPS1")
    assert sub is not None and (sub.local_time, sub.days, sub.timezone) == (
        "10:00",
        "daily",
        "Asia/Kolkata",
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ("25:00", ["`25:00`", "09:00", "14:15"]),
        ("9", ["`9`", "HH:MM"]),
        ("weekends", ["`weekends`", "`weekdays`", "`daily`"]),
        ("Europe/Londn", ["Did you mean Europe/London", "IANA"]),
        ("Atlantis", ["`Atlantis`", "Europe/London"]),
        ("09:00 10:00", ["once"]),
    ],
)
def test_bad_times_days_and_zones_say_what_is_accepted(
    tips: TipsCommand, engine: Engine, store: TipStore, fake: FakeSlack, args: str, says: list[str]
) -> None:
    text = say(tips, engine, f"tips on {args}")
    for part in says:
        assert part in text
    assert "/toolkit tips on 09:00 weekdays Europe/London" in text
    assert store.get(TEAM, "C0TIPS1") is None
    assert fake.calls_to("conversations.info") == []  # nothing asked of Slack


@pytest.mark.parametrize(
    ("channel", "setup"),
    [
        ("C0OUT", {"is_member": False}),
        ("G0PRIV", {"is_member": False, "is_private": True}),  # Slack says channel_not_found
    ],
)
def test_the_bot_must_be_in_the_channel(
    tips: TipsCommand,
    engine: Engine,
    store: TipStore,
    fake: FakeSlack,
    channel: str,
    setup: dict[str, bool],
) -> None:
    fake.set_channel(channel, **setup)
    for action in ("on", "now"):
        text = say(tips, engine, f"tips {action}", channel)
        assert "/invite @Toolkit Bot" in text and f"/toolkit tips {action}" in text
    assert store.get(TEAM, channel) is None
    assert posts(fake) == []


def test_archived_channels_and_direct_messages(
    tips: TipsCommand, engine: Engine, fake: FakeSlack
) -> None:
    fake.set_channel("C0OLD", is_archived=True)
    assert "archived" in say(tips, engine, "tips on", "C0OLD")
    assert "for channels" in say(tips, engine, "tips on", "D0001")


def test_slack_unreachable_while_checking(
    tips: TipsCommand, engine: Engine, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import slack_sdk.http_retry.builtin_handlers as builtin

    monkeypatch.setattr(builtin.time, "sleep", lambda seconds: None)
    fake.server_error("conversations.info", status=503, times=None)
    assert "try again" in say(tips, engine, "tips on")


def test_off_and_status(tips: TipsCommand, engine: Engine, store: TipStore) -> None:
    assert "Daily tips are off in <#C0TIPS1>" in say(tips, engine, "tips status")
    assert "already off" in say(tips, engine, "tips off")
    say(tips, engine, "tips on 08:00 daily UTC")
    status = say(tips, engine, "tips status")
    assert "on in <#C0TIPS1>: 08:00 every day (UTC)" in status
    assert "Next: Saturday 21 March at 08:00" in status and f"0 of {len(engine.entries)}" in status
    assert "Daily tips are off in <#C0TIPS1>" in say(tips, engine, "tips off")
    sub = store.get(TEAM, "C0TIPS1")
    assert sub is not None and not sub.active
    assert "turns them back on" in say(tips, engine, "tips status")


def test_status_of_a_paused_channel_says_why(
    tips: TipsCommand, engine: Engine, store: TipStore, fake: FakeSlack
) -> None:
    say(tips, engine, "tips on")
    fake.set_channel("C0TIPS1", is_member=False)
    assert tips.runner is not None
    tips.runner.run_due(utc("2026-03-23T09:00:00Z"))
    status = say(tips, engine, "tips status")
    assert "paused" in status and "not_in_channel" in status and "/invite @Toolkit Bot" in status


def test_now_posts_the_next_tip_in_the_channels_cycle(
    tips: TipsCommand, engine: Engine, store: TipStore, fake: FakeSlack
) -> None:
    say(tips, engine, "tips on")
    text = say(tips, engine, "tips now")
    assert text.startswith("Posted a tip to <#C0TIPS1>")
    say(tips, engine, "tips now")
    [first, second] = [c for c in fake.calls_to("chat.postMessage")]
    assert first.params["channel"] == "C0TIPS1" and first.params["text"] != second.params["text"]
    sub = store.get(TEAM, "C0TIPS1")
    assert sub is not None and len(store.shown(sub.id, 0)) == 2
    assert f"2 of {len(engine.entries)}" in say(tips, engine, "tips status")


def test_now_without_a_subscription_posts_todays_tip(
    tips: TipsCommand, engine: Engine, fake: FakeSlack
) -> None:
    assert "Posted a tip" in say(tips, engine, "tips now", "C0TIPS2")
    assert posts(fake) == ["C0TIPS2"]


def test_help_and_questions_that_start_with_tips(tips: TipsCommand, engine: Engine) -> None:
    for text in ("tips", "tips help"):
        usage = say(tips, engine, text)
        assert "/toolkit tips on [HH:MM] [weekdays|daily] [TIMEZONE]" in usage
        assert "/invite @Toolkit Bot" in usage
    answer = say(tips, engine, "tips for talking to parents about drugs")
    assert "/toolkit tips on" not in answer  # answered as a question


def test_without_a_database_the_reply_says_so(engine: Engine, fake: FakeSlack) -> None:
    tips = TipsCommand(None, None, client_for(fake), hash_user=lambda t, u: "")
    for text in ("tips on", "tips off", "tips status", "tips now"):
        assert "can't reach my database" in say(tips, engine, text)
    assert "/toolkit tips on" in say(tips, engine, "tips help")


def test_the_creator_is_stored_as_a_keyed_hash(
    tips: TipsCommand, engine: Engine, store: TipStore
) -> None:
    say(tips, engine, "tips on")
    from sqlalchemy import select

    from bot.store.models import Subscription

    with store.sessions.begin() as session:
        assert session.scalar(select(Subscription.created_by)) == "hash-of-U0001"


def test_times_are_shown_in_the_channels_zone(tips: TipsCommand, engine: Engine) -> None:
    tips.clock = lambda: datetime.fromisoformat("2026-03-27T10:00:00+00:00")
    text = say(tips, engine, "tips on")  # next is Monday 30 March, after the clocks change
    assert "Monday 30 March at 09:00" in text
