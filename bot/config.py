"""One settings object, read once from the environment and passed down."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.content import default_dir
from bot.errors import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable. Nothing else in the bot reads os.environ."""

    knowledge_dir: Path
    intents_dir: Path
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    port: int = 3000
    api_url: str = DEFAULT_API_URL
    log_level: str = "INFO"
    database_url: str = "sqlite:///toolkit-bot.db"
    hash_secret: str | None = None
    retention_days: int = 90
    tip_cutoff_hours: float = 6.0
    client_id: str | None = None
    client_secret: str | None = None
    authorize_url: str = DEFAULT_AUTHORIZE_URL
    redirect_uri: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read every variable once; report every invalid one together."""
        problems: list[str] = []
        port = _port(environ.get("PORT") or "3000", problems)
        retention = _number(environ, "RETENTION_DAYS", 90, problems)
        cutoff = _number(environ, "TIP_CUTOFF_HOURS", 6, problems)
        api_url = environ.get("SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            problems.append(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        authorize_url = environ.get("SLACK_AUTHORIZE_URL") or DEFAULT_AUTHORIZE_URL
        redirect_uri = environ.get("SLACK_REDIRECT_URI") or None
        for name, url in (
            ("SLACK_AUTHORIZE_URL", authorize_url),
            ("SLACK_REDIRECT_URI", redirect_uri),
        ):
            if url is not None and not url.startswith(("http://", "https://")):
                problems.append(f"{name} must be an http(s) URL, got {url!r}")
        if problems:
            raise ConfigError("Invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))
        return cls(
            knowledge_dir=Path(environ.get("KNOWLEDGE_DIR") or default_dir("knowledge")),
            intents_dir=Path(environ.get("INTENTS_DIR") or default_dir("intents")),
            bot_token=environ.get("SLACK_BOT_TOKEN") or None,
            signing_secret=environ.get("SLACK_SIGNING_SECRET") or None,
            app_token=environ.get("SLACK_APP_TOKEN") or None,
            port=port,
            api_url=api_url if api_url.endswith("/") else api_url + "/",
            log_level=(environ.get("LOG_LEVEL") or "INFO").upper(),
            database_url=environ.get("DATABASE_URL") or "sqlite:///toolkit-bot.db",
            hash_secret=environ.get("TOOLKIT_BOT_HASH_SECRET") or None,
            retention_days=retention,
            tip_cutoff_hours=cutoff,
            client_id=environ.get("SLACK_CLIENT_ID") or None,
            client_secret=environ.get("SLACK_CLIENT_SECRET") or None,
            authorize_url=authorize_url,
            redirect_uri=redirect_uri,
        )

    @property
    def oauth(self) -> bool:
        """Many workspaces: SLACK_CLIENT_ID / SLACK_CLIENT_SECRET select Slack's install flow."""
        return bool(self.client_id or self.client_secret)

    @property
    def mode(self) -> str:
        """Socket Mode when an app-level token is set (one workspace only), otherwise HTTP."""
        return "socket" if self.app_token and not self.oauth else "http"

    def check_for_serve(self, mode: str | None = None) -> None:
        """Raise one ConfigError naming every missing or invalid Slack variable."""
        mode = mode or self.mode
        if self.oauth:
            problems = self._oauth_problems(mode)
        else:
            problems = _token_problems("SLACK_BOT_TOKEN", self.bot_token, "xoxb-", WHERE_BOT_TOKEN)
            if mode == "socket":
                problems += _token_problems(
                    "SLACK_APP_TOKEN", self.app_token, "xapp-", WHERE_APP_TOKEN
                )
            elif not self.signing_secret:  # HTTP mode
                problems.append(
                    f"SLACK_SIGNING_SECRET is not set (needed in HTTP mode): {WHERE_SECRET}"
                )
        if problems:
            lines = "\n".join(f"  - {p}" for p in problems)
            raise ConfigError(f"Cannot start the Slack app:\n{lines}")

    def _oauth_problems(self, mode: str) -> list[str]:
        """Many workspaces: both client credentials, the signing secret, HTTP mode, no bot token."""
        problems = [
            f"{name} is not set (needed to install the app into many workspaces): {where}"
            for name, value, where in (
                ("SLACK_CLIENT_ID", self.client_id, WHERE_CLIENT),
                ("SLACK_CLIENT_SECRET", self.client_secret, WHERE_CLIENT),
                ("SLACK_SIGNING_SECRET", self.signing_secret, WHERE_SECRET_OAUTH),
            )
            if not value
        ]
        if self.bot_token:
            problems.append(
                "SLACK_BOT_TOKEN is set as well as SLACK_CLIENT_ID/SLACK_CLIENT_SECRET: with the "
                "install flow each workspace's token comes from the database, so unset "
                "SLACK_BOT_TOKEN (or unset the client variables to serve one workspace)"
            )
        if mode == "socket":
            problems.append(
                "Socket Mode was asked for, but installing into many workspaces "
                "(SLACK_CLIENT_ID/SLACK_CLIENT_SECRET) needs HTTP mode: Slack sends installers "
                "to /slack/install and /slack/oauth_redirect on a public HTTPS address. Run "
                "`toolkit-bot serve --mode http`"
                + (" (SLACK_APP_TOKEN is then not used)" if self.app_token else "")
                + ", or unset the client variables and use SLACK_BOT_TOKEN for one workspace"
            )
        return problems

    def __repr__(self) -> str:
        """Never show token values, only whether they are set."""
        secret = {"bot_token", "signing_secret", "app_token", "hash_secret", "client_secret"}
        parts = [
            f"{name}={'<set>' if getattr(self, name) else None}"
            if name in secret
            else f"{name}={_shown(getattr(self, name))!r}"
            for name in self.__dataclass_fields__
        ]
        return f"Settings({', '.join(parts)})"


WHERE_BOT_TOKEN = (
    "copy the Bot User OAuth Token from https://api.slack.com/apps -> your app -> "
    "OAuth & Permissions (install the app to your workspace first)"
)
WHERE_APP_TOKEN = (
    "create an app-level token with the connections:write scope at https://api.slack.com/apps "
    "-> your app -> Basic Information -> App-Level Tokens (or unset it to run in HTTP mode)"
)
WHERE_CLIENT = (
    "copy the Client ID and Client Secret from https://api.slack.com/apps -> your app -> "
    "Basic Information -> App Credentials"
)
WHERE_SECRET_OAUTH = (
    "copy the Signing Secret from https://api.slack.com/apps -> your app -> Basic Information "
    "-> App Credentials"
)
WHERE_SECRET = (
    "copy the Signing Secret from https://api.slack.com/apps -> your app -> Basic Information "
    "-> App Credentials (or set SLACK_APP_TOKEN to run in Socket Mode)"
)


def _token_problems(name: str, value: str | None, prefix: str, where: str) -> list[str]:
    """What is wrong with a token, without ever showing its value."""
    if not value:
        return [f"{name} is not set: {where}"]
    if not value.startswith(prefix):
        return [f"{name} does not look right (it should start with {prefix}): {where}"]
    return []


def _shown(value: object) -> object:
    """A value as repr may show it: database URLs lose their password."""
    if isinstance(value, str):
        return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", value)
    return value


def _number(environ: Mapping[str, str], name: str, default: int, problems: list[str]) -> int:
    raw = environ.get(name) or str(default)
    if not raw.isdigit() or int(raw) <= 0:
        problems.append(f"{name} must be a whole number above 0, got {raw!r}")
        return default
    return int(raw)


def _port(raw: str, problems: list[str]) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        problems.append(f"PORT must be a number between 1 and 65535, got {raw!r}")
        return 3000
    return port
