"""`toolkit-bot report` (text, csv, json; --since, --team, --limit) and `toolkit-bot db`."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from bot.cli import main
from bot.store import migrate
from bot.store.feedback import Vote
from bot.store.store import Store
from tests.store.helpers import FakeClock


@pytest.fixture
def filled(store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Old activity on 2026-03-02, recent activity on 2026-03-12; the CLI reads this database."""
    monkeypatch.setenv("DATABASE_URL", store.engine.url.render_as_string(hide_password=False))
    store.record_declined("T1", "old unanswered question")
    store.record_vote(Vote("T1", "U1", "entry:old-entry", False, "old"))
    store.count_answer("T1", "entry:old-entry")
    clock.advance(days=10)
    for _ in range(3):
        store.record_declined("T1", "What about parking fines?")
    store.record_declined("T2", "what about parking fines")
    store.record_declined("T1", "Is CCTV any good?")
    store.record_vote(Vote("T1", "U1", "entry:drug-courts", True, "drug courts?"))
    store.record_vote(Vote("T1", "U2", "entry:drug-courts", False, "drug courts?", "cost data"))
    store.record_vote(Vote("T1", "U1", "entry:scared-straight", False, "scare tactics?"))
    store.record_vote(Vote("T1", "U1", "what-works", True, "what works?"))
    for _ in range(4):
        store.count_answer("T1", "entry:drug-courts")
    store.count_answer("T2", "entry:scared-straight")
    return store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_since_a_date(filled: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--since", "2026-03-10", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["since"] == "2026-03-10" and data["team"] is None
    assert [(u["text"], u["count"]) for u in data["unanswered"]] == [
        ("what about parking fines", 4),
        ("is cctv any good", 1),
    ]
    assert data["unanswered"][0]["last_seen"] == "2026-03-12T09:30:00Z"
    assert [(r["target"], r["helpful"], r["not_helpful"]) for r in data["worst_rated"]] == [
        ("entry:scared-straight", 0, 1),
        ("entry:drug-courts", 1, 1),
        ("what-works", 1, 0),
    ]
    assert data["worst_rated"][1]["helpful_ratio"] == 0.5
    assert data["busiest"] == [
        {"target": "entry:drug-courts", "answers": 4},
        {"target": "entry:scared-straight", "answers": 1},
    ]
    assert [c["comment"] for c in data["looking_for"]] == ["cost data"]


def test_everything_without_since_and_one_team(
    filled: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(run(capsys, "--format", "json", "--team", "T2")[1])
    assert [(u["text"], u["count"]) for u in data["unanswered"]] == [
        ("what about parking fines", 1)
    ]
    assert data["worst_rated"] == [] and data["busiest"][0]["target"] == "entry:scared-straight"
    data = json.loads(run(capsys, "--format", "json", "--limit", "1")[1])
    assert [u["text"] for u in data["unanswered"]] == ["what about parking fines"]
    assert len(data["busiest"]) == 1
    everything = json.loads(run(capsys, "--format", "json")[1])
    assert "old unanswered question" in [u["text"] for u in everything["unanswered"]]


def test_csv_is_one_table_with_a_section_column(
    filled: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--since", "2026-03-10", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    sections = [r["section"] for r in rows]
    assert sections == ["unanswered"] * 2 + ["worst_rated"] * 3 + ["busiest"] * 2 + ["looking_for"]
    assert rows[0]["text"] == "what about parking fines" and rows[0]["count"] == "4"
    worst = rows[2]
    assert (worst["target"], worst["helpful"], worst["not_helpful"], worst["helpful_ratio"]) == (
        "entry:scared-straight",
        "0",
        "1",
        "0.000",
    )
    assert "old-entry" not in out


def test_text_is_a_readable_table(filled: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--since", "2026-03-10")
    assert code == 0
    assert "Toolkit Bot report (since 2026-03-10, all teams)" in out
    lines = out.splitlines()
    heading = lines.index("Most-asked unanswered questions")
    assert lines[heading + 1].split() == ["asked", "last", "seen", "question", "(normalised)"]
    assert lines[heading + 3].split() == ["4", "2026-03-12", "what", "about", "parking", "fines"]
    worst = lines.index("Worst helpful ratio")
    assert lines[worst + 3].split() == ["0%", "0", "1", "scared-straight"]
    assert lines[worst + 4].split() == ["50%", "1", "1", "drug-courts"]
    assert "(what-works)" in out and "cost data" in out and "old unanswered" not in out


def test_an_empty_report_says_so(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", store.engine.url.render_as_string(hide_password=False))
    code, out, _ = run(capsys)
    assert code == 0 and out.count("(nothing yet)") == 5


@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday", "12/03/2026"])
def test_a_bad_date_is_a_clear_usage_error(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--since", bad])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert f"{bad!r} is not a date: write it as YYYY-MM-DD" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "url",
    ["postgresql://postgres@127.0.0.1:1/nowhere", "sqlite:////nonexistent-dir/toolkit-bot.db"],
)
def test_an_unreachable_database_is_a_clear_error(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    for args in (["report"], ["db", "upgrade"], ["db", "current"]):
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.startswith("toolkit-bot: "), err
        assert "database at" in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


def test_report_on_an_unmigrated_database_says_what_to_run(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    if database_url.startswith("sqlite"):
        assert main(["report"]) == 1
        assert "there is no database at" in capsys.readouterr().err
        sqlite3.connect(database_url.removeprefix("sqlite:///")).close()  # a file, no schema
        capsys.readouterr()
    assert main(["report"]) == 1
    assert "run `toolkit-bot db upgrade`" in capsys.readouterr().err


def test_db_upgrade_and_current(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    head = migrate.head()
    assert main(["db", "current"]) == 0
    assert f"revision (empty) (behind: the latest is {head})" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"revision {head} (up to date)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.count(f"revision {head} (up to date)") == 2


def test_replies_given_up_on_show_with_slacks_reason(
    filled: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import timedelta

    from bot.store.outbox import Owed

    now = filled.clock()
    owed = Owed(
        "d-1", "T1", "chat.postMessage", "C42", "1.2", "answer", {"text": "x"},
        deadline=now + timedelta(hours=1), created_at=now,
    )  # fmt: skip
    filled.add_delivery(owed)
    filled.delivery_abandoned("d-1", "channel_not_found")
    code, out, err = run(capsys, "--format", "json")
    assert code == 0, err
    [lost] = json.loads(out)["undelivered"]
    assert (lost["purpose"], lost["channel"], lost["reason"]) == (
        "answer",
        "C42",
        "channel_not_found",
    )
    code, out, err = run(capsys)
    assert "Replies given up on" in out and "channel_not_found" in out
    code, out, err = run(capsys, "--format", "csv")
    assert "undelivered" in out and "channel_not_found" in out
