"""Reloading the knowledge base without a restart: SIGHUP, and `/toolkit reload` for admins.

A reload loads and validates `knowledge/` and `intents/` exactly as `toolkit-bot validate`
does. Only when nothing is wrong is a new Engine built and swapped into the listeners'
Services in one attribute assignment (`holder.engine = new`); every handler reads
`services.engine` per request, so a request already running finishes with the engine it
started with and the next one gets the new one. With any problem the engine serving goes on
serving, every problem is logged, and the result carries them for the admin.

How each way of serving reloads (the design, and why):

* Socket Mode is one process: SIGHUP reloads it.
* HTTP mode runs gunicorn, whose own SIGHUP would start new workers and stop the old ones.
  That is not used: the knowledge base is loaded once in the master, before gunicorn starts,
  and new workers inherit the master's copy, so gunicorn's reload would bring back the *same*
  knowledge base while dropping every worker's in-memory state and background threads (tip
  scheduler, delivery). Instead the master's SIGHUP (bot.serve) reloads the master's own copy
  (so a worker gunicorn starts later, after a crash or a timeout, forks with the latest good
  knowledge base) and then forwards SIGHUP to every worker, which reloads in place. A broken
  edit is refused by each of them, so the good knowledge base stays serving everywhere. (A
  worker still booting, before its handler is installed, is stopped by the signal; gunicorn
  starts another, which forks from the master's already reloaded copy.)
* `/toolkit reload` reloads the worker that received it (so the admin's reply says what that
  worker now serves, or every problem) and, only if that worked, sends SIGHUP to the gunicorn
  master, which reloads every worker as above (the receiving worker finds nothing new and keeps
  its engine). Another instance of the bot (a second dyno or server) is another gunicorn:
  SIGHUP it as well, or restart it.

A signal handler only queues the reload (queue.SimpleQueue.put is safe in a signal handler);
a daemon thread does the work, so nothing heavy, locked or logged runs inside the handler.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue
from typing import Protocol

from bot.content import load_content
from bot.engine import Engine
from bot.errors import ContentError, Problem

log = logging.getLogger("toolkit_bot.reload")


class HoldsEngine(Protocol):
    """What a reload swaps the engine of (bot.slack.services.Services)."""

    engine: Engine


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What one reload did: the knowledge base now serving, and every problem if it failed."""

    ok: bool
    version: str  # the knowledge base serving after the reload (the old one when it failed)
    entries: int  # how many entries that knowledge base has
    previous: str = ""  # the version serving before
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether a different knowledge base is serving now."""
        return self.ok and self.version != self.previous

    def report(self) -> str:
        """The problems exactly as `toolkit-bot validate` prints them (bot.cli._failed)."""
        return f"toolkit-bot: {ContentError(list(self.problems))}" if self.problems else ""


def reload_content(holder: HoldsEngine, knowledge: Path, intents: Path) -> ReloadResult:
    """Load and validate both directories; swap in a new Engine only if nothing is wrong."""
    old = holder.engine
    try:
        content = load_content(knowledge, intents)
        same = content.version == old.version and bool(old.version)
        new = old if same else Engine(content.entries, content.intents, version=content.version)
    except ContentError as exc:
        problems = tuple(exc.problems)
    except Exception as exc:  # an unreadable file, say: still never stop serving
        log.exception("knowledge base reload failed")
        problems = (Problem(knowledge, None, None, f"could not be loaded: {exc}"),)
    else:
        holder.engine = new  # the swap: one assignment, atomic for every reader
        return ReloadResult(True, new.version, len(new.entries), old.version)
    return ReloadResult(False, old.version, len(old.entries), old.version, problems)


def log_result(result: ReloadResult, where: str = "") -> None:
    """One line per reload; a failed one adds a line per problem."""
    at = f" ({where})" if where else ""
    if result.ok:
        log.info(
            "knowledge base reloaded%s: version %s, %d entries (%s)",
            at,
            result.version,
            result.entries,
            f"was {result.previous}" if result.changed else "unchanged",
        )
        return
    log.error(
        "knowledge base NOT reloaded%s: %d problem(s); still serving version %s (%d entries)",
        at,
        len(result.problems),
        result.version,
        result.entries,
    )
    for problem in result.problems:
        log.error("  %s", problem)


class Reloader:
    """Reloads one process's knowledge base, on request or on SIGHUP.

    `others`, when given, is called after a successful reload(everywhere=True) to have every
    other process reload too (HTTP mode: SIGHUP to the gunicorn master).
    """

    def __init__(
        self,
        holder: HoldsEngine,
        knowledge: Path,
        intents: Path,
        *,
        others: Callable[[], None] | None = None,
        where: str = "",
    ) -> None:
        self.holder, self.knowledge, self.intents, self.others = holder, knowledge, intents, others
        self.where = where  # which process, in the log line
        self._lock = threading.Lock()  # one reload at a time per process

    def reload(self, *, everywhere: bool = False) -> ReloadResult:
        """Reload now, log the outcome, and return it."""
        with self._lock:
            result = reload_content(self.holder, self.knowledge, self.intents)
        log_result(result, self.where)
        if everywhere and result.ok and self.others is not None:
            try:
                self.others()
            except OSError:
                log.exception("could not ask the other workers to reload")
        return result

    def listen(self, where: str | None = None) -> None:
        """Reload on SIGHUP from now on (call from the main thread of the serving process).

        The handler only queues; a daemon thread reloads (several signals at once: one reload).
        """
        if where is not None:
            self.where = where
        pending: SimpleQueue[int] = SimpleQueue()

        def run() -> None:
            while True:
                pending.get()
                while not pending.empty():
                    pending.get_nowait()
                try:
                    self.reload()
                except Exception:  # the thread must live on for the next signal
                    log.exception("knowledge base reload failed")

        threading.Thread(target=run, name="knowledge-reload", daemon=True).start()
        signal.signal(signal.SIGHUP, lambda signum, _frame: pending.put(signum))


def signal_master(pid: int) -> Callable[[], None]:
    """`others` for a gunicorn worker: SIGHUP to the master, which reloads every worker."""
    return lambda: os.kill(pid, signal.SIGHUP)
