"""Many workspaces: Slack's OAuth install flow, with its stores in the bot's own database.

When SLACK_CLIENT_ID / SLACK_CLIENT_SECRET are set, Bolt serves GET /slack/install (the "Add to
Slack" page, which issues a one-time state) and GET /slack/oauth_redirect (which checks the state,
exchanges the code with oauth.v2.access and saves the installation). Every incoming request is then
authorised with the bot token saved for its workspace, and `client_for(team_id)` gives other parts
(the tips scheduler) a WebClient for one workspace. Every Web API call, oauth.v2.access included,
goes to settings.api_url.

The state needs no secret of ours: it is a random value stored server-side (slack_oauth_states),
valid for STATE_EXPIRATION_SECONDS, deleted when used, and bound to the installer's browser by a
cookie that must match it on the way back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, select

from bot.config import Settings
from bot.slack.delivery import retry_handlers

log = logging.getLogger("toolkit_bot.oauth")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
#: The tables migration 0002 creates (a test keeps them equal).
INSTALLATIONS_TABLE, BOTS_TABLE, STATES_TABLE = (
    "slack_installations",
    "slack_bots",
    "slack_oauth_states",
)
#: How long an installer has between opening /slack/install and coming back (Bolt's default).
STATE_EXPIRATION_SECONDS = 600
#: Workspace lifecycle events handled in OAuth mode (manifest.oauth.yml subscribes to them).
LIFECYCLE_EVENTS = ("app_uninstalled", "tokens_revoked")

ClientFor = Callable[[str], WebClient | None]


def api_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for settings.api_url with the bot's retry policy (no token: set per request)."""
    return WebClient(
        token=token, base_url=settings.api_url, retry_handlers=retry_handlers(), timeout=15
    )


def installation_store(settings: Settings, db: Engine) -> SQLAlchemyInstallationStore:
    """slack_sdk's installation store on the bot's database (tables from migration 0002)."""
    return SQLAlchemyInstallationStore(
        client_id=_client_id(settings),
        engine=db,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
        logger=log,
    )


def state_store(db: Engine) -> SQLAlchemyOAuthStateStore:
    """slack_sdk's OAuth state store on the bot's database: shared by every instance."""
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS, engine=db, table_name=STATES_TABLE, logger=log
    )


class TeamAuthorize(InstallationStoreAuthorize):
    """Bolt's installation-store authorisation, saying clearly when a workspace has no token."""

    def __call__(self, *, context: Any, **ids: Any) -> AuthorizeResult | None:
        result: AuthorizeResult | None = super().__call__(context=context, **ids)
        if result is None:
            log.warning(
                "no installation for team %s (enterprise %s): request ignored. Install the app "
                "into that workspace at %s on this server (or reinstall if it was revoked)",
                ids.get("team_id") or "-",
                ids.get("enterprise_id") or "-",
                INSTALL_PATH,
            )
        return result


def _installed(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    log.info(
        "installed into team %s (%s)", installation.team_id or "-", installation.team_name or "-"
    )
    response: BoltResponse = args.default.success(args)
    return response


def _not_installed(args: FailureArgs) -> BoltResponse:
    # The reason only (invalid_state, invalid_browser, invalid_code, access_denied…): the query
    # string holds the one-time code and is never logged.
    log.warning("an install did not complete: %s", args.reason)
    response: BoltResponse = args.default.failure(args)
    return response


def app_options(settings: Settings, db: Engine) -> dict[str, Any]:
    """Keyword arguments for slack_bolt.App in OAuth mode: client, stores, authorize, settings.

    The app's client has no token: Bolt copies its base_url and retry handlers into a client per
    request and gives it the workspace's bot token; the OAuth flow calls oauth.v2.access and
    auth.test with it too, so nothing talks to slack.com when SLACK_API_URL points elsewhere.
    """
    from bot.slack import BOT_SCOPES  # read at build time: scopes may grow

    client = api_client(settings)
    installations = installation_store(settings, db)
    authorize = TeamAuthorize(
        logger=logging.getLogger("toolkit_bot.bolt"),
        installation_store=installations,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        client=client,  # token rotation, if ever enabled, also goes to settings.api_url
    )
    oauth = OAuthSettings(
        client_id=_client_id(settings),
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=settings.authorize_url,
        installation_store=installations,
        state_store=state_store(db),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        callback_options=CallbackOptions(success=_installed, failure=_not_installed),
        logger=log,
    )
    return {
        "client": client,
        "installation_store": installations,
        "authorize": authorize,
        "oauth_settings": oauth,
    }


def make_client_for(
    settings: Settings, store: SQLAlchemyInstallationStore | None = None
) -> ClientFor:
    """`client_for(team_id)`: a WebClient with that workspace's bot token, or None.

    With SLACK_BOT_TOKEN (one workspace) every team gets the one token. With the install flow the
    token is read from the installation store on each call (so an uninstall or reinstall is seen
    at once); a team that never installed, or uninstalled, gets None. Database errors propagate:
    "could not look it up" is not "not installed".
    """
    if not settings.oauth:
        token = settings.bot_token

        def single(team_id: str) -> WebClient | None:
            return api_client(settings, token) if token else None

        return single
    if store is None:
        raise ValueError("the install flow needs an installation store")
    installations = store

    def per_team(team_id: str) -> WebClient | None:
        token = team_bot_token(installations, team_id)
        if token is None:
            log.info("no bot token for team %s: it has not installed the app", team_id)
            return None
        return api_client(settings, token)

    return per_team


def team_bot_token(store: SQLAlchemyInstallationStore, team_id: str) -> str | None:
    """The newest bot token installed for a workspace, whether or not it is in an Enterprise
    Grid org (store.find_bot would need the enterprise id, which a subscription does not keep)."""
    bots = store.bots.c
    query = (
        select(bots.bot_token)
        .where(bots.client_id == store.client_id, bots.team_id == team_id)
        .where(bots.bot_token.is_not(None))
        .order_by(bots.installed_at.desc(), bots.id.desc())
        .limit(1)
    )
    with store.engine.connect() as connection:
        token = connection.execute(query).scalar()
    return str(token) if token else None


def _client_id(settings: Settings) -> str:
    if not settings.client_id or not settings.client_secret:
        raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are needed for the install flow")
    return settings.client_id
