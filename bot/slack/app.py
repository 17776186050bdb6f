"""Building the Bolt app: one WebClient (with retries, pointed at SLACK_API_URL) and listeners."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.config import Settings
from bot.slack import register
from bot.slack.commands import SubCommand
from bot.slack.delivery import retry_handlers
from bot.slack.oauth import app_options
from bot.slack.replays import answer_once
from bot.slack.services import Services


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """Every Web API call goes to settings.api_url, retried on 429, 5xx and connection errors."""
    return WebClient(
        token=token or settings.bot_token,
        base_url=settings.api_url,
        retry_handlers=retry_handlers(),
        timeout=15,
    )


def build_app(
    settings: Settings,
    services: Services,
    subcommands: dict[str, SubCommand] | None = None,
    *,
    mode: str | None = None,
    db: Engine | None = None,
) -> App:
    """The Bolt app with every listener registered.

    With SLACK_CLIENT_ID/SLACK_CLIENT_SECRET it also serves the install flow and authorises each
    request with its workspace's token from the installation store on `db` (bot/slack/oauth.py).
    """
    http = (mode or settings.mode) == "http"
    if settings.oauth:
        if db is None:
            raise ValueError("the install flow keeps its installations in the database: pass db")
        options = app_options(settings, db)
    else:
        options = {"client": web_client(settings)}
    app = App(
        **options,
        signing_secret=settings.signing_secret or "",
        request_verification_enabled=http,
        process_before_response=False,
        logger=logging.getLogger("toolkit_bot.bolt"),
    )
    register(app, services, subcommands)
    if http:  # a signed request replayed within Slack's window is acked, not run again
        app.use(answer_once(services))
    if settings.oauth:
        app.enable_token_revocation_listeners()  # app_uninstalled / tokens_revoked forget tokens
    return app
