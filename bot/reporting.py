"""`toolkit-bot report` output: a readable text table, or CSV / JSON for other tools."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line builds its parser without importing the database layer
    from bot.store.report import Report

FORMATS = ("text", "csv", "json")
CSV_COLUMNS = (
    "section",
    "rank",
    "target",
    "text",
    "count",
    "helpful",
    "not_helpful",
    "helpful_ratio",
    "first_seen",
    "last_seen",
)


def render(report: Report, fmt: str) -> str:
    """The report in one of FORMATS."""
    if fmt == "json":
        return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return as_csv(report)
    if fmt == "text":
        return as_text(report)
    raise ValueError(f"unknown format {fmt!r}")


def _when(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def as_dict(report: Report) -> dict[str, Any]:
    """Plain JSON-ready data; times are UTC ISO-8601."""
    return {
        "since": report.since.isoformat() if report.since else None,
        "team": report.team,
        "unanswered": [
            {
                "text": u.text,
                "count": u.count,
                "first_seen": _when(u.first_seen),
                "last_seen": _when(u.last_seen),
            }
            for u in report.unanswered
        ],
        "worst_rated": [
            {
                "target": r.target,
                "helpful": r.helpful,
                "not_helpful": r.not_helpful,
                "votes": r.votes,
                "helpful_ratio": round(r.ratio, 3),
            }
            for r in report.worst_rated
        ],
        "busiest": [{"target": b.target, "answers": b.answers} for b in report.busiest],
        "looking_for": [
            {"target": c.target, "question": c.question, "comment": c.comment, "at": _when(c.at)}
            for c in report.looking_for
        ],
        "undelivered": [
            {
                "purpose": u.purpose,
                "channel": u.channel,
                "method": u.method,
                "attempts": u.attempts,
                "reason": u.reason,
                "at": _when(u.at),
            }
            for u in report.undelivered
        ],
    }


def as_csv(report: Report) -> str:
    """One table: a `section` column says which list each row belongs to."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for rank, u in enumerate(report.unanswered, 1):
        writer.writerow(
            {
                "section": "unanswered",
                "rank": rank,
                "text": u.text,
                "count": u.count,
                "first_seen": _when(u.first_seen),
                "last_seen": _when(u.last_seen),
            }
        )
    for rank, r in enumerate(report.worst_rated, 1):
        writer.writerow(
            {
                "section": "worst_rated",
                "rank": rank,
                "target": r.target,
                "count": r.votes,
                "helpful": r.helpful,
                "not_helpful": r.not_helpful,
                "helpful_ratio": f"{r.ratio:.3f}",
            }
        )
    for rank, b in enumerate(report.busiest, 1):
        writer.writerow(
            {"section": "busiest", "rank": rank, "target": b.target, "count": b.answers}
        )
    for rank, c in enumerate(report.looking_for, 1):
        writer.writerow(
            {
                "section": "looking_for",
                "rank": rank,
                "target": c.target,
                "text": c.comment,
                "last_seen": _when(c.at),
            }
        )
    for rank, d in enumerate(report.undelivered, 1):
        writer.writerow(
            {
                "section": "undelivered",
                "rank": rank,
                "target": f"{d.purpose} {d.method} {d.channel}",
                "text": d.reason,
                "count": d.attempts,
                "last_seen": _when(d.at),
            }
        )
    return out.getvalue()


def _name(target: str) -> str:
    return target.removeprefix("entry:") if target.startswith("entry:") else f"({target})"


def _table(headers: Sequence[str], rows: list[Sequence[str]], right: int) -> list[str]:
    """Columns padded to their widest cell; the first `right` columns are numbers."""
    if not rows:
        return ["  (nothing yet)"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i < right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return ("  " + "  ".join(parts)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def as_text(report: Report) -> str:
    """Headed sections with aligned columns; entries by id, intents in brackets."""
    scope = f"since {report.since.isoformat()}" if report.since else "all time"
    team = f"team {report.team}" if report.team else "all teams"
    lines = [f"Toolkit Bot report ({scope}, {team})", ""]
    lines.append("Most-asked unanswered questions")
    rows: list[Sequence[str]] = [
        [str(u.count), u.last_seen.date().isoformat(), u.text[:90]] for u in report.unanswered
    ]
    lines += _table(["asked", "last seen", "question (normalised)"], rows, 1)
    lines += ["", "Worst helpful ratio"]
    rows = [
        [f"{r.ratio:.0%}", str(r.helpful), str(r.not_helpful), _name(r.target)]
        for r in report.worst_rated
    ]
    lines += _table(["helpful", "up", "down", "answer"], rows, 3)
    lines += ["", "Busiest entries (intents in brackets)"]
    rows = [[str(b.answers), _name(b.target)] for b in report.busiest]
    lines += _table(["answers", "answer"], rows, 1)
    lines += ["", "What people were looking for (👎 comments)"]
    rows = [[c.at.date().isoformat(), _name(c.target), c.comment[:90]] for c in report.looking_for]
    lines += _table(["date", "answer", "comment"], rows, 0)
    lines += ["", "Replies given up on (Slack's reason)"]
    rows = [
        [str(d.attempts), d.at.strftime("%Y-%m-%d %H:%M"), d.purpose, d.channel, d.reason[:70]]
        for d in report.undelivered
    ]
    lines += _table(["tries", "given up", "what", "channel", "reason"], rows, 1)
    return "\n".join(lines) + "\n"
