"""`toolkit-bot db upgrade|current` and `toolkit-bot report`: the durable state from the shell.

The database layer (SQLAlchemy, Alembic, psycopg) is imported only when one of these runs, so
building the parser costs nothing; only `db upgrade` ever creates a database.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.reporting import FORMATS

if TYPE_CHECKING:
    from bot.config import Settings

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
    db = sub.add_parser("db", help="the database schema: migrate it, or show its revision")
    db.add_argument(
        "action",
        choices=("upgrade", "current"),
        help="upgrade: create or migrate the database (DATABASE_URL); "
        "current: print its revision (creates nothing)",
    )
    report = sub.add_parser("report", help="unanswered questions, ratings and busiest entries")
    report.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only from this day")
    report.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default), csv or json"
    )
    report.add_argument("--team", metavar="T", help="one Slack workspace (team id)")
    report.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="rows per list (default 20)"
    )


def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Run `db` or `report`; an unusable database raises StoreUnavailable (a ToolkitBotError)."""
    if args.command == "db":
        return _db(args.action, settings, out)
    return _report(args, settings, out)


def _report(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.reporting import render
    from bot.store.store import StoreUnavailable, open_store, reason

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
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store import migrate
    from bot.store.db import describe
    from bot.store.store import StoreUnavailable, open_store, reason

    head = migrate.head()
    missing = _missing_sqlite_file(settings.database_url) if action == "current" else None
    if missing is not None:  # connecting would create the file: say what is there instead
        where = describe(settings.database_url)
        if not missing.parent.is_dir():
            raise StoreUnavailable(
                f"cannot use the database at {where}: there is no directory {missing.parent}"
            )
        print(
            f"{where}: revision (empty) (behind: the latest is {head}); there is no file yet: "
            "`toolkit-bot db upgrade` creates it",
            file=out,
        )
        return 0
    store = open_store(settings, upgrade=action == "upgrade")
    try:
        revision = migrate.current(store.engine)
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"cannot use the database at {store.url}: {reason(exc)}") from exc
    finally:
        store.close()
    state = "up to date" if revision == head else f"behind: the latest is {head}"
    print(f"{store.url}: revision {revision or '(empty)'} ({state})", file=out)
    return 0


def _missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist (connecting would create it)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or name in (None, "", ":memory:"):
        return None
    return None if Path(name).exists() else Path(name)
