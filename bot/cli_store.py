"""`toolkit-bot db upgrade|current` and `toolkit-bot report`: the durable state from the shell."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.reporting import FORMATS, render
from bot.store import migrate
from bot.store.store import StoreUnavailable, open_store, reason

COMMANDS = ("db", "report")


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31"
        ) from None


def _positive(raw: str) -> int:
    if not raw.isdigit() or int(raw) <= 0:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number above 0")
    return int(raw)


def add_parsers(sub: Any) -> None:
    """Add `db` and `report` to the sub-command parsers."""
    db = sub.add_parser("db", help="database schema: upgrade (migrate) or show the revision")
    db.add_argument("action", choices=("upgrade", "current"))
    report = sub.add_parser("report", help="what officers asked that went unanswered, ratings")
    report.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only from this day")
    report.add_argument("--format", choices=FORMATS, default="text", help="text (default)")
    report.add_argument("--team", metavar="T", help="one Slack workspace (team id)")
    report.add_argument("--limit", type=_positive, default=20, metavar="N", help="rows per list")


def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Run `db` or `report`; an unusable database raises StoreUnavailable (a ToolkitBotError)."""
    if args.command == "db":
        return _db(args.action, settings, out)
    store = open_store(settings, upgrade=False, must_exist=True)
    try:
        report = store.report(since=args.since, team=args.team, limit=args.limit)
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"cannot read the database at {store.url}: {reason(exc)}") from exc
    finally:
        store.close()
    out.write(render(report, args.format))
    return 0


def _db(action: str, settings: Settings, out: TextIO) -> int:
    store = open_store(settings, upgrade=action == "upgrade")
    try:
        revision = migrate.current(store.engine)
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"cannot use the database at {store.url}: {reason(exc)}") from exc
    finally:
        store.close()
    head = migrate.head()
    state = "up to date" if revision == head else f"behind: the latest is {head}"
    print(f"{store.url}: revision {revision or '(empty)'} ({state})", file=out)
    return 0
