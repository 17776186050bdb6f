"""One settings object, read once from the environment and passed down."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from bot.content import default_dir
from bot.errors import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
DEFAULT_DATABASE_URL = "sqlite:///toolkit-bot.db"
LOG_FORMATS = ("text", "json")
#: Settings field -> environment variable, for the serving shape (WEB_CONCURRENCY as on PaaS).
SHAPE = {
    "web_workers": "WEB_CONCURRENCY",
    "web_threads": "WEB_THREADS",
    "work_threads": "WORK_THREADS",
    "sender_threads": "SENDER_THREADS",
}


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
    log_format: str = "text"  # text | json (one JSON object per line)
    database_url: str = DEFAULT_DATABASE_URL
    hash_secret: str | None = None
    retention_days: int = 90
    tip_cutoff_hours: float = 6.0
    lease_seconds: int = 30
    client_id: str | None = None
    client_secret: str | None = None
    authorize_url: str = DEFAULT_AUTHORIZE_URL
    redirect_uri: str | None = None
    admins: tuple[str, ...] = ()  # Slack user ids allowed to run `/toolkit reload`
    #: The serving shape (chosen with benchmarks/load.py; README "Capacity and load"): gunicorn
    #: worker processes and request threads in HTTP mode, threads doing acked work and threads
    #: posting to Slack in each serving process.
    web_workers: int = 2
    web_threads: int = 32
    work_threads: int = 4
    sender_threads: int = 16

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read every variable once; report every invalid one together."""
        problems: list[str] = []
        port = _port(environ.get("PORT") or "3000", problems)
        retention = _number(environ, "RETENTION_DAYS", 90, problems)
        cutoff = _number(environ, "TIP_CUTOFF_HOURS", 6, problems)
        lease = _number(environ, "DELIVERY_LEASE_SECONDS", 30, problems)
        defaults = {f.name: f.default for f in fields(cls)}
        shape = {
            field: _number(environ, name, int(str(defaults[field])), problems)
            for field, name in SHAPE.items()
        }
        log_format = (environ.get("LOG_FORMAT") or "text").strip().lower()
        if log_format not in LOG_FORMATS:
            problems.append(f"LOG_FORMAT must be text or json, got {environ['LOG_FORMAT']!r}")
        api_url = environ.get("SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            problems.append(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        database_url = _database_url(environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL, problems)
        authorize_url = environ.get("SLACK_AUTHORIZE_URL") or DEFAULT_AUTHORIZE_URL
        redirect_uri = environ.get("SLACK_REDIRECT_URI") or None
        admins = _user_ids(environ, "TOOLKIT_BOT_ADMINS", problems)
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
            log_format=log_format,
            database_url=database_url,
            hash_secret=environ.get("TOOLKIT_BOT_HASH_SECRET") or None,
            retention_days=retention,
            tip_cutoff_hours=cutoff,
            lease_seconds=lease,
            client_id=environ.get("SLACK_CLIENT_ID") or None,
            client_secret=environ.get("SLACK_CLIENT_SECRET") or None,
            authorize_url=authorize_url,
            redirect_uri=redirect_uri,
            admins=admins,
            **shape,
        )

    @property
    def oauth(self) -> bool:
        """Many workspaces: SLACK_CLIENT_ID / SLACK_CLIENT_SECRET select Slack's install flow."""
        return bool(self.client_id or self.client_secret)

    @property
    def mode(self) -> str:
        """Socket Mode when an app-level token is set (one workspace only), otherwise HTTP."""
        return "socket" if self.app_token and not self.oauth else "http"

    @property
    def slack_configured(self) -> bool:
        """Whether any Slack variable is set (with none at all, `serve` starts the preview)."""
        slack = (self.bot_token, self.app_token, self.signing_secret)
        return any((*slack, self.client_id, self.client_secret))

    def serve_mode(self, asked: str = "auto") -> str:
        """`serve --mode`: as asked; for auto, the local preview when no Slack variable is set."""
        if asked != "auto":
            return asked
        return self.mode if self.slack_configured else "preview"

    def check_for_serve(self, mode: str | None = None) -> None:
        """Raise one ConfigError naming every missing or invalid Slack variable."""
        mode = mode or self.mode
        if mode == "preview":
            return  # the local preview needs no Slack variable at all
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


DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgres", "postgresql+psycopg")
DATABASE_FORMS = (
    "sqlite:///FILE (sqlite:////FILE for an absolute path) or "
    "postgresql://USER:PASSWORD@HOST:PORT/DBNAME"
)
#: user:password@ host :port, as SQLAlchemy splits a URL (a password may hold ':' or '/').
_AUTHORITY = re.compile(r"(?:[^:/]*(?::[^@]*)?@)?(?:\[[^/?]+\]|[^/:?]+)?(?::(?P<port>[^/?]*))?")


def _database_url(raw: str, problems: list[str]) -> str:
    """DATABASE_URL checked for its form here, so a typo is named before anything starts (the
    database layer is not imported for this); the password is never shown."""
    scheme, sep, rest = raw.partition("://")
    wrong = ""
    if not sep or scheme.lower() not in DATABASE_SCHEMES:
        wrong = "it does not start with sqlite:// or postgresql://"
    elif scheme.lower().startswith("sqlite"):
        if rest and not rest.startswith("/"):
            wrong = "a SQLite URL has three slashes before the file name"
    else:
        match = _AUTHORITY.match(rest)
        port = match["port"] if match else None
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            wrong = f"the port {port!r} is not a number between 1 and 65535"
    if wrong:
        problems.append(
            f"DATABASE_URL is malformed ({wrong}): {_shown(raw)!r}; write {DATABASE_FORMS}"
        )
    return raw


#: A Slack user id, as Slack's "Copy member ID" gives it: U or W, then capitals and digits.
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


def _user_ids(environ: Mapping[str, str], name: str, problems: list[str]) -> tuple[str, ...]:
    """A comma-separated list of Slack user ids (spaces and empty items ignored)."""
    ids = tuple(part.strip() for part in (environ.get(name) or "").split(",") if part.strip())
    wrong = [i for i in ids if not _USER_ID.fullmatch(i)]
    if wrong:
        problems.append(
            f"{name} must be Slack user ids separated by commas, like U012AB3CD (in Slack: a "
            f"person's profile -> More -> Copy member ID), got {', '.join(map(repr, wrong))}"
        )
    return ids


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
