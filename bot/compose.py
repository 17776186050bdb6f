"""Composition root for `toolkit-bot serve`: settings -> content -> engine -> store -> app.

Each part is built here and passed down; nothing reaches for globals.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.engine import Engine

if TYPE_CHECKING:
    from datetime import datetime
    from typing import TextIO

    import sqlalchemy

    from bot.jobs.scheduler import TipScheduler
    from bot.jobs.tips import TipRunner
    from bot.slack.commands import SubCommand
    from bot.slack.oauth import ClientFor
    from bot.slack.services import Services
    from bot.store.store import Store

log = logging.getLogger("toolkit_bot")


def run_serve(settings: Settings, engine: Engine, mode: str) -> int:
    """Build every part the Slack app needs and serve until stopped.

    First the start-up checks (the port is free, Slack answers and accepts the tokens), so a
    failure is a StartupError of a line or two rather than tracebacks from inside the server.
    """
    from bot.logs import setup_logging
    from bot.reload import Reloader, signal_master
    from bot.serve import check_port, serve
    from bot.slack.app import build_app
    from bot.slack.services import Services
    from bot.slack.startup import check_slack

    setup_logging(settings.log_level, settings.log_format)
    if mode == "http":
        check_port(settings.port)
    if settings.oauth:
        check_install_database(settings)
    check_slack(settings, mode)
    if mode == "http" and settings.web_workers > 1 and not database_usable(settings):
        log.warning(
            "the database cannot be used, so state is kept in memory, per process: serving "
            "with one web worker (not %d) so that a Slack retry is still recognised",
            settings.web_workers,
        )
        settings = replace(settings, web_workers=1)
    services = Services(engine)
    background: list[Any] = []
    http = mode == "http"  # then this process becomes the gunicorn master
    reloader = Reloader(
        services,
        settings.knowledge_dir,
        settings.intents_dir,
        others=signal_master(os.getpid()) if http else None,
        where="gunicorn master" if http else "",
    )

    def build() -> Any:  # runs in the serving process (the gunicorn worker)
        from bot.slack.recovery import start_delivery
        from bot.slack.reloading import ReloadCommand

        store = start_state(settings, services, background)  # after any fork: no shared pool
        db = (store.engine if store else open_database(settings)) if settings.oauth else None
        if settings.oauth:
            _log_oauth(settings)  # here: logging is set up by now
        tips, scheduler = tips_parts(settings, lambda: services.engine, store)
        reload = ReloadCommand(reloader, settings.admins)
        app = build_app(settings, services, {"tips": tips, "reload": reload}, mode=mode, db=db)
        reloader.listen(f"worker {os.getpid()}" if http else None)  # SIGHUP: bot/reload.py
        client_for = make_client_for(settings, db)
        background.extend(
            start_delivery(
                services,
                client_for,
                workers=settings.sender_threads,
                work_threads=settings.work_threads,
            )
        )
        if scheduler is not None:  # only once the app is built (a failed boot starts nothing)
            scheduler.start()
            background.append(scheduler)
        return app

    def stop_background() -> None:  # last started, first stopped: the write-behind goes last
        for worker in reversed(background):
            worker.stop()

    return serve(
        settings,
        build,
        mode,
        on_exit=stop_background,
        on_hup=reloader.reload,
        metrics=services.metrics,
        pressure=services.pressure,
    )


def check_install_database(settings: Settings) -> None:
    """Many workspaces: each one's token is in the database, so without it nothing can answer
    (one workspace runs on without a database). Opened, migrated and closed before any fork."""
    from bot.errors import ExitStatus, StartupError

    migrations = logging.getLogger("alembic")
    level = migrations.level
    migrations.setLevel(logging.WARNING)  # a failure here is two lines, not alembic's INFO chatter
    from bot.store.store import StoreUnavailable, open_store  # alembic logs as it is imported

    try:
        open_store(settings).close()
    except StoreUnavailable as exc:
        raise StartupError(
            ExitStatus.DATABASE_UNAVAILABLE,
            f"{exc}.\nThe install flow keeps every workspace's token there: check DATABASE_URL "
            "and that the database server is up.",
        ) from exc
    finally:
        migrations.setLevel(level)


def start_state(
    settings: Settings, services: Services, background: list[Any] | None = None
) -> Store | None:
    """Open and migrate the store, back the listeners' services with it, start retention and
    the write-behind (added to `background`, to be stopped at exit).

    When the database cannot be used the error is logged and the services keep their in-memory
    fallbacks: answers never depend on the database.
    """
    from bot.slack.stored import WriteBehind, attach
    from bot.store.guard import Breaker
    from bot.store.runtime import start_retention, start_store

    store = start_store(settings)
    if store is not None:
        breaker = Breaker()
        later = WriteBehind(store).start()
        attach(services, store, breaker, later)
        start_retention(store)
        if background is not None:
            background.append(later)
    return store


def database_usable(settings: Settings) -> bool:
    """Whether the bot's database can be opened and migrated now (checked in the master before
    the web workers fork; the connection is closed again, so no pool crosses the fork)."""
    from bot.store.store import StoreUnavailable, open_store

    try:
        open_store(settings).engine.dispose()
    except StoreUnavailable:
        return False  # each worker logs the reason when it opens the store itself
    return True


def open_database(settings: Settings) -> sqlalchemy.Engine:
    """The bot's database (SQLite file or PostgreSQL), migrated to the latest schema."""
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade

    db = make_engine(settings.database_url)
    upgrade(db)
    return db


def make_client_for(settings: Settings, db: sqlalchemy.Engine | None = None) -> ClientFor:
    """`client_for(team_id) -> WebClient | None` for posting outside a Slack request (tips).

    One workspace (SLACK_BOT_TOKEN): that token for every team. Many workspaces (the install
    flow): each team's bot token from the installation store in `db` (opened from DATABASE_URL
    when not given); None for a team that has not installed the app.
    """
    from bot.slack import oauth

    if not settings.oauth:
        return oauth.make_client_for(settings)
    store = oauth.installation_store(settings, db or open_database(settings))
    return oauth.make_client_for(settings, store)


def _log_oauth(settings: Settings) -> None:
    from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH

    log.info(
        "many workspaces: installs start at %s and return to %s (Slack authorize page %s)",
        INSTALL_PATH,
        REDIRECT_PATH,
        settings.authorize_url,
    )
    if settings.app_token:
        log.warning("SLACK_APP_TOKEN is not used: the install flow runs in HTTP mode")


# -- daily tips ---------------------------------------------------------------------------


def tips_parts(
    settings: Settings, engine: Engine | Callable[[], Engine], store: Store | None
) -> tuple[SubCommand, TipScheduler | None]:
    """The `/toolkit tips` handler and the tips scheduler (none without a database)."""
    from bot.jobs.scheduler import TipScheduler
    from bot.slack.tips import TipsCommand

    if store is None:
        client_for = make_client_for(settings) if not settings.oauth else _no_client
        return TipsCommand(None, None, client_for, hash_user=_no_hash), None
    runner = _tip_runner(settings, engine, store)
    command = TipsCommand(runner.store, runner, runner.client_for, hash_user=store.user_hash)
    return command, TipScheduler(runner.run_due)


def run_tips_due(settings: Settings, engine: Engine, now: datetime | None, out: TextIO) -> int:
    """`toolkit-bot tips run-due`: post every due tip once, print a one-line summary, exit 0.

    Per-slot lines go to the log (stderr). A missing Slack token or an unusable database raises
    a ToolkitBotError (exit 1); Slack errors never change the exit status.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from bot.errors import ConfigError
    from bot.jobs.scheduler import utc_now
    from bot.logs import setup_logging
    from bot.store.store import StoreUnavailable, open_store, reason

    setup_logging(settings.log_level, settings.log_format)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # stderr: one line per slot
    if not settings.bot_token and not settings.oauth:
        raise ConfigError(
            "tips run-due posts to Slack: set SLACK_BOT_TOKEN (one workspace), or "
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (many workspaces, tokens from the database)"
        )
    store = open_store(settings)
    try:
        summary = _tip_runner(settings, engine, store).run_due(now or utc_now())
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"cannot use the database at {store.url}: {reason(exc)}") from exc
    finally:
        store.close()
    print(summary.line(), file=out)
    return 0


def _tip_runner(
    settings: Settings, engine: Engine | Callable[[], Engine], store: Store
) -> TipRunner:
    from datetime import timedelta

    from bot.jobs.tips import TipRunner
    from bot.store.db import session_factory
    from bot.store.subscriptions import TipStore

    return TipRunner(
        TipStore(session_factory(store.engine)),
        engine,
        make_client_for(settings, store.engine),
        cutoff=timedelta(hours=settings.tip_cutoff_hours),
    )


def _no_client(team_id: str) -> None:
    return None


def _no_hash(team_id: str, user_id: str) -> str:
    return ""
