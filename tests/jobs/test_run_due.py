"""run_due in one process: slots, late posts, the cut-off, cycles, stale claims, Slack errors.

Every test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL; the clock is the `now`
passed in, and slack_sdk's retry sleeps are recorded instead of waited for.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.engine import Engine
from bot.jobs.tips import STALE_CLAIM, TipRunner
from bot.store.models import TipSlot
from bot.store.subscriptions import TipStore, to_db
from tests.jobs.conftest import TEAM, client_for, posts, subscribe, utc
from tests.stand_in import FakeSlack

MONDAY = "2026-03-23T09:00:00Z"  # 09:00 GMT, Europe/London


def statuses(store: TipStore) -> list[tuple[str, str]]:
    return [(s.slot_at.strftime("%Y-%m-%dT%H:%MZ"), s.status) for s in store.slots()]


def test_posts_once_at_the_slot_and_never_again(runner: TipRunner, fake: FakeSlack) -> None:
    subscribe(runner.store, "C0TIPS1")
    assert runner.run_due(utc("2026-03-23T08:59:59Z")).reports == []  # Friday's predates it
    first = runner.run_due(utc(MONDAY))
    assert [r.outcome for r in first.reports] == ["posted"]
    again = runner.run_due(utc("2026-03-23T09:00:30Z"))
    assert again.reports == [] and again.done == 1
    assert posts(fake) == ["C0TIPS1"]
    [slot] = runner.store.slots()
    assert slot.status == "posted" and slot.message_ts and slot.entry_id


def test_the_tip_card_has_verdict_source_and_tell_me_more(
    runner: TipRunner, fake: FakeSlack, engine: Engine
) -> None:
    subscribe(runner.store, "C0TIPS1")
    runner.run_due(utc(MONDAY))
    [call] = fake.calls_to("chat.postMessage")
    assert call.ok and not call.rejected
    entry = engine.by_id[runner.store.slots()[0].entry_id or ""]
    text = str(call.params["blocks"])
    assert entry.title in text and "Source:" in text and "Tell me more" in text
    assert "open_entry_tip" in text and entry.id in text
    assert str(call.params["text"]).startswith(f"Tip: {entry.title}")


def test_a_missed_slot_is_posted_late_once(runner: TipRunner, fake: FakeSlack) -> None:
    subscribe(runner.store, "C0TIPS1")
    summary = runner.run_due(utc("2026-03-23T14:30:00Z"))  # 5 h 30 late
    [report] = summary.reports
    assert report.outcome == "posted" and report.late == timedelta(hours=5, minutes=30)
    assert "late by 5 h 30 min" in report.line()
    runner.run_due(utc("2026-03-23T14:31:00Z"))
    assert posts(fake) == ["C0TIPS1"]


def test_a_slot_past_the_cutoff_is_skipped_logged_and_not_reconsidered(
    runner: TipRunner, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    subscribe(runner.store, "C0TIPS1")
    with caplog.at_level(logging.WARNING, "toolkit_bot.tips"):
        summary = runner.run_due(utc("2026-03-23T15:00:01Z"))
    assert [r.outcome for r in summary.reports] == ["skipped"]
    assert "cut-off" in caplog.text and "C0TIPS1" in caplog.text
    assert statuses(runner.store) == [("2026-03-23T09:00Z", "skipped")]
    assert runner.run_due(utc("2026-03-23T16:00:00Z")).reports == []
    assert posts(fake) == []
    runner.run_due(utc("2026-03-24T09:00:00Z"))  # the next day is posted as usual
    assert posts(fake) == ["C0TIPS1"]


def test_the_cutoff_comes_from_settings(store: TipStore, engine: Engine, fake: FakeSlack) -> None:
    subscribe(store, "C0TIPS1")
    short = TipRunner(store, engine, client_for(fake), cutoff=timedelta(hours=1))
    assert [r.outcome for r in short.run_due(utc("2026-03-23T10:30:00Z")).reports] == ["skipped"]


def test_weekdays_and_daily(runner: TipRunner, fake: FakeSlack) -> None:
    subscribe(runner.store, "C0TIPS1", days="weekdays")
    subscribe(runner.store, "C0TIPS2", days="daily")
    for day in range(21, 24):  # Saturday 21 to Monday 23 March
        runner.run_due(utc(f"2026-03-{day}T09:00:00Z"))
    assert posts(fake, "C0TIPS1") == ["C0TIPS1"]  # Monday only
    assert posts(fake, "C0TIPS2") == ["C0TIPS2"] * 3


def test_daylight_saving_in_both_directions(runner: TipRunner, fake: FakeSlack) -> None:
    subscribe(runner.store, "C0TIPS1", days="daily")
    posted = []
    for now in (
        "2026-03-28T09:00:00Z",  # Saturday 09:00 GMT
        "2026-03-29T07:59:00Z",  # Sunday 08:59 BST: nothing new
        "2026-03-29T08:00:00Z",  # Sunday 09:00 BST
        "2026-10-25T08:59:00Z",  # 08:59 GMT on the day the clocks went back: nothing
        "2026-10-25T09:00:00Z",  # 09:00 GMT
    ):
        posted += [r.slot for r in runner.run_due(utc(now)).reports if r.outcome == "posted"]
    assert posted == [
        utc("2026-03-28T09:00:00Z"),
        utc("2026-03-29T08:00:00Z"),
        utc("2026-10-25T09:00:00Z"),
    ]
    assert len(posts(fake)) == 3


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])
def test_other_time_zones(runner: TipRunner, fake: FakeSlack, zone: str) -> None:
    subscribe(runner.store, "C0TIPS1", zone=zone, days="daily")
    slot = {"America/New_York": "2026-03-23T13:00:00Z", "Asia/Kolkata": "2026-03-23T03:30:00Z"}
    before = utc(slot[zone]) - timedelta(seconds=1)
    assert [r.slot for r in runner.run_due(before).reports] != [utc(slot[zone])]
    assert [r.slot for r in runner.run_due(utc(slot[zone])).reports] == [utc(slot[zone])]


def test_a_subscription_made_after_the_slot_waits_for_the_next(
    runner: TipRunner, fake: FakeSlack
) -> None:
    subscribe(runner.store, "C0TIPS1", since="2026-03-23T09:30:00Z")
    assert runner.run_due(utc("2026-03-23T10:00:00Z")).reports == []
    assert [r.outcome for r in runner.run_due(utc("2026-03-24T09:00:00Z")).reports] == ["posted"]


def test_changing_the_time_does_not_give_a_second_tip_that_day(
    runner: TipRunner, fake: FakeSlack
) -> None:
    subscribe(runner.store, "C0TIPS1")
    runner.run_due(utc(MONDAY))
    subscribe(runner.store, "C0TIPS1", at="11:00", since="2026-03-23T10:00:00Z")
    assert [r.outcome for r in runner.run_due(utc("2026-03-23T11:00:00Z")).reports] == ["skipped"]
    runner.run_due(utc("2026-03-24T11:00:00Z"))
    assert posts(fake) == ["C0TIPS1", "C0TIPS1"]


def test_every_tip_before_any_repeat_across_days(
    runner: TipRunner, fake: FakeSlack, engine: Engine
) -> None:
    subscribe(runner.store, "C0TIPS1", days="daily")
    n = len(engine.entries)
    start = utc(MONDAY)
    for day in range(n + 2):
        runner.run_due(start + timedelta(days=day))
    picked = [s.entry_id for s in runner.store.slots()]
    assert len(picked) == n + 2
    assert sorted(picked[:n]) == sorted(e.id for e in engine.entries)
    assert picked[n] not in (None, picked[n - 1])
    sub = runner.store.get(TEAM, "C0TIPS1")
    assert sub is not None and sub.cycle == 1


def test_removed_entries_shown_earlier_are_ignored(
    store: TipStore, engine: Engine, fake: FakeSlack
) -> None:
    sub = subscribe(store, "C0TIPS1", days="daily")
    store.record_shown(sub.id, 0, "an-entry-that-was-deleted", utc("2026-03-01T00:00:00Z"))
    runner = TipRunner(store, engine, client_for(fake))
    n = len(engine.entries)
    for day in range(n):
        runner.run_due(utc(MONDAY) + timedelta(days=day))
    picked = [s.entry_id for s in store.slots()]
    assert sorted(picked) == sorted(e.id for e in engine.entries)  # the whole cycle, no repeat


# -- claims -----------------------------------------------------------------------------------


def test_a_fresh_claim_of_another_process_is_left_alone(runner: TipRunner, fake: FakeSlack) -> None:
    sub = subscribe(runner.store, "C0TIPS1")
    now = utc(MONDAY) + timedelta(minutes=2)
    assert runner.store.insert_slot(
        sub.id, utc(MONDAY), status="claimed", worker="other:1", now=utc(MONDAY)
    )
    assert [r.outcome for r in runner.run_due(now).reports] == ["busy"]
    assert posts(fake) == []


def test_a_stale_claim_is_taken_over_and_posted_once(
    runner: TipRunner, store: TipStore, engine: Engine, fake: FakeSlack
) -> None:
    sub = subscribe(store, "C0TIPS1")
    crashed_at = utc(MONDAY)
    store.insert_slot(
        sub.id, crashed_at, status="claimed", worker="crashed:1", now=crashed_at, entry_id="x"
    )
    now = crashed_at + STALE_CLAIM + timedelta(seconds=1)
    rival = TipRunner(store, engine, client_for(fake))
    outcomes = [r.outcome for r in runner.run_due(now).reports]
    outcomes += [r.outcome for r in rival.run_due(now).reports]
    assert outcomes == ["posted"]
    [slot] = store.slots()
    assert slot.status == "posted" and slot.attempts == 2 and slot.claimed_by == runner.worker
    assert posts(fake) == ["C0TIPS1"]


def test_a_lost_claim_is_not_overwritten(runner: TipRunner, store: TipStore) -> None:
    sub = subscribe(store, "C0TIPS1")
    store.insert_slot(sub.id, utc(MONDAY), status="claimed", worker="me", now=utc(MONDAY))
    with store.sessions.begin() as session:  # another process took it over meanwhile
        session.execute(update(TipSlot).values(claimed_by="them"))
    kept = store.posted(
        sub.id,
        utc(MONDAY),
        worker="me",
        now=utc(MONDAY),
        message_ts="1.1",
        entry_id="drug-courts",
        cycle=0,
    )
    assert not kept
    with store.sessions.begin() as session:
        assert session.scalar(select(TipSlot.status)) == "claimed"


def test_compare_and_set_lets_exactly_one_take_over(store: TipStore) -> None:
    sub = subscribe(store, "C0TIPS1")
    store.insert_slot(sub.id, utc(MONDAY), status="claimed", worker="dead", now=utc(MONDAY))
    [seen] = store.slots()
    later = utc(MONDAY) + timedelta(minutes=20)
    wins = [store.take_over(seen, worker=f"w{i}", now=later) for i in range(3)]
    assert wins == [True, False, False]
    with store.sessions.begin() as session:
        row = session.scalar(select(TipSlot))
        assert row is not None and row.claimed_by == "w0" and row.attempts == 2
        assert row.claimed_at == to_db(later)


# -- Slack errors -----------------------------------------------------------------------------


def test_rate_limited_then_posted_honouring_retry_after(
    runner: TipRunner, fake: FakeSlack, no_sleep: list[float]
) -> None:
    subscribe(runner.store, "C0TIPS1")
    fake.rate_limit("chat.postMessage", retry_after=7, times=1)
    assert [r.outcome for r in runner.run_due(utc(MONDAY)).reports] == ["posted"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(no_sleep) == 1 and 7 <= no_sleep[0] < 8  # Retry-After plus jitter
    assert posts(fake) == ["C0TIPS1"]


def test_still_rate_limited_is_recorded_and_retried_by_a_later_run(
    runner: TipRunner, fake: FakeSlack, no_sleep: list[float]
) -> None:
    subscribe(runner.store, "C0TIPS1")
    fake.rate_limit("chat.postMessage", retry_after=2, times=4)  # the client retries 3 times
    [report] = runner.run_due(utc(MONDAY)).reports
    assert report.outcome == "failed" and "ratelimited" in report.detail
    [slot] = runner.store.slots()
    assert slot.status == "failed" and slot.attempts == 1
    assert runner.store.failures() and runner.store.failures()[0][0] == TEAM
    assert [r.outcome for r in runner.run_due(utc(MONDAY) + timedelta(seconds=30)).reports] == [
        "busy"  # backing off
    ]
    later = runner.run_due(utc(MONDAY) + timedelta(minutes=2))
    assert [r.outcome for r in later.reports] == ["posted"]
    assert posts(fake) == ["C0TIPS1"]
    assert runner.store.slots()[0].attempts == 2


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_retried_inside_the_call(
    runner: TipRunner, fake: FakeSlack, no_sleep: list[float], status: int
) -> None:
    subscribe(runner.store, "C0TIPS1")
    fake.server_error("chat.postMessage", status=status, times=1)
    assert [r.outcome for r in runner.run_due(utc(MONDAY)).reports] == ["posted"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [status, 200]
    assert no_sleep  # backed off before retrying


def test_a_lasting_server_error_is_retried_by_later_runs_until_it_gives_up(
    runner: TipRunner, fake: FakeSlack, no_sleep: list[float]
) -> None:
    subscribe(runner.store, "C0TIPS1")
    fake.server_error("chat.postMessage", status=502, times=None)
    now = utc(MONDAY)
    outcomes = []
    for _ in range(8):
        outcomes += [r.outcome for r in runner.run_due(now).reports if r.outcome != "busy"]
        now += timedelta(minutes=20)
    assert outcomes == ["failed"] * 5  # MAX_ATTEMPTS, then left alone
    assert runner.store.slots()[0].attempts == 5
    assert posts(fake) == []


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        ({"is_member": False}, "not_in_channel"),
        ({"is_archived": True}, "is_archived"),
        ({"is_private": True, "is_member": False}, "channel_not_found"),
    ],
)
def test_errors_retrying_cannot_fix_pause_the_subscription(
    runner: TipRunner,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    setup: dict[str, bool],
    error: str,
) -> None:
    fake.set_channel("C0TIPS1", **setup)
    subscribe(runner.store, "C0TIPS1")
    subscribe(runner.store, "C0TIPS2")
    with caplog.at_level(logging.WARNING, "toolkit_bot.tips"):
        summary = runner.run_due(utc(MONDAY))
    outcomes = {r.channel_id: r.outcome for r in summary.reports}
    assert outcomes == {"C0TIPS1": "paused", "C0TIPS2": "posted"}
    assert "paused" in caplog.text and "C0TIPS1" in caplog.text
    sub = runner.store.get(TEAM, "C0TIPS1")
    assert sub is not None and not sub.active and error in (sub.paused_reason or "")
    calls = len(fake.calls_to("chat.postMessage"))
    for day in range(1, 4):
        runner.run_due(utc(MONDAY) + timedelta(days=day))
    to_paused = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == "C0TIPS1"]
    assert len(to_paused) == 1 and len(fake.calls_to("chat.postMessage")) == calls + 3


def test_a_deleted_channel_pauses(runner: TipRunner, fake: FakeSlack) -> None:
    subscribe(runner.store, "C0GONE")  # the stand-in has never heard of it
    assert [r.outcome for r in runner.run_due(utc(MONDAY)).reports] == ["paused"]
    sub = runner.store.get(TEAM, "C0GONE")
    assert sub is not None and "channel_not_found" in (sub.paused_reason or "")


def test_invalid_auth_pauses(runner: TipRunner, fake: FakeSlack) -> None:
    subscribe(runner.store, "C0TIPS1")
    fake.fail("chat.postMessage", "invalid_auth")
    assert [r.outcome for r in runner.run_due(utc(MONDAY)).reports] == ["paused"]


def test_a_workspace_without_a_token_pauses(store: TipStore, engine: Engine) -> None:
    subscribe(store, "C0TIPS1")
    runner = TipRunner(store, engine, lambda team: None)
    [report] = runner.run_due(utc(MONDAY)).reports
    assert report.outcome == "paused" and "not installed" in report.detail


def test_turning_tips_back_on_after_a_pause(runner: TipRunner, fake: FakeSlack) -> None:
    fake.set_channel("C0TIPS1", is_member=False)
    subscribe(runner.store, "C0TIPS1")
    runner.run_due(utc(MONDAY))
    fake.set_channel("C0TIPS1", is_member=True)
    subscribe(runner.store, "C0TIPS1", since="2026-03-23T10:00:00Z")
    assert runner.run_due(utc("2026-03-23T10:01:00Z")).reports == []  # today's is gone
    assert [r.outcome for r in runner.run_due(utc("2026-03-24T09:00:00Z")).reports] == ["posted"]


def test_summary_line(runner: TipRunner) -> None:
    subscribe(runner.store, "C0TIPS1")
    subscribe(runner.store, "C0TIPS2")
    line = runner.run_due(utc(MONDAY)).line()
    assert line == (
        "tips run-due at 2026-03-23T09:00Z: 2 posted, 0 skipped, 0 failed, 0 paused, 0 busy, "
        "0 already done"
    )


def test_a_stale_claim_whose_tip_landed_is_not_posted_again(
    runner: TipRunner, store: TipStore, engine: Engine, fake: FakeSlack
) -> None:
    """The claiming process died after Slack took the tip: the tip carries its delivery id in
    its metadata, so the run taking over reads the channel back and posts nothing."""
    from bot.jobs.tips import tip_delivery_id
    from bot.slack.tip_post import post_tip

    sub = subscribe(store, "C0TIPS1")
    crashed_at = utc(MONDAY)
    store.insert_slot(
        sub.id, crashed_at, status="claimed", worker="crashed:1", now=crashed_at, entry_id="x"
    )
    entry = engine.entries[0]
    client = client_for(fake)(TEAM)
    landed = post_tip(client, "C0TIPS1", entry, engine, tip_delivery_id(sub.id, crashed_at))
    assert landed.outcome == "posted"
    now = crashed_at + STALE_CLAIM + timedelta(seconds=1)
    assert [r.outcome for r in runner.run_due(now).reports] == ["posted"]
    [slot] = store.slots()
    assert slot.status == "posted" and slot.message_ts == landed.ts
    assert posts(fake) == ["C0TIPS1"], "read back, not posted twice"
    assert fake.calls_to("conversations.history")
