"""Connecting: SQLite by default (a file), PostgreSQL when DATABASE_URL points at one."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///toolkit-bot.db"
#: Seconds to wait for PostgreSQL to accept a connection (an unreachable server fails fast).
CONNECT_TIMEOUT = 2
#: Longest a statement may run, and a lock may be waited for, on PostgreSQL (milliseconds); on
#: SQLite, how long a writer waits for another's lock. The answer path has its own, shorter
#: limit on top (bot/store/guard.py); these bound everything else, such as the tips scheduler.
STATEMENT_TIMEOUT_MS = 5000
LOCK_TIMEOUT_MS = 2000
SQLITE_BUSY_MS = 5000


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// use psycopg 3; anything else is passed through."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the
    # process being killed (kill -9 included); only a power cut or an OS crash can lose the last
    # few. It doubles how many writes a second the file takes (benchmarks/load.py, README).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


#: Statements that only read: they need no turn at writing.
_READS = ("SELECT", "PRAGMA", "WITH", "EXPLAIN")


class _Writers:
    """One writer at a time within this process, waiting its turn on a lock.

    SQLite lets one connection write at a time; the others get SQLITE_BUSY and its busy handler
    makes them sleep and retry (1, 2, 5, 10, ... up to 100 ms at a time), so with a dozen
    threads writing, a write that takes a millisecond can wait a second (measured under
    benchmarks/load.py: the store's half-second limit tripped at 50 events/s). A lock hands the
    file to the next writer the moment the last one commits. A transaction takes the lock at its
    first statement that writes and gives it back at commit or rollback; readers never wait
    (WAL). Another process is still kept in order by SQLite's own locking; a turn not had within
    the busy timeout goes ahead without the lock, to SQLite's.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()  # a thread may write on a second connection meanwhile

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "commit", self._release)
        event.listen(engine, "rollback", self._release)

    def _before(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get("writing") or statement.lstrip()[:7].upper().startswith(_READS):
            return
        if conn.in_transaction() and self._lock.acquire(timeout=SQLITE_BUSY_MS / 1000):
            conn.info["writing"] = True

    def _release(self, conn: Any) -> None:
        if conn.info.pop("writing", False):
            with contextlib.suppress(RuntimeError):  # released by another thread: not ours
                self._lock.release()


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a generous busy timeout."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        _Writers().attach(engine)
        return engine
    parsed = make_url(url)
    limits = f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}"
    options = f"{parsed.query.get('options', '')} {limits}".strip()  # keep a URL's own options
    return create_engine(
        parsed.update_query_dict({"options": options}),
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        pool_timeout=2,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT,
            # a silent network: TCP keepalives notice a dead peer within about 10 s
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": 5000,
        },
    )


def describe(url: str) -> str:
    """The URL as it may be shown to a person: the password hidden."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that do not expire objects on commit (records are read after commit)."""
    return sessionmaker(engine, expire_on_commit=False)
