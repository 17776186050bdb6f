"""One settings object, read once from the environment and passed down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.content import default_dir
from bot.errors import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"


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

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read every variable once; report every invalid one together."""
        problems: list[str] = []
        port = _port(environ.get("PORT", "3000"), problems)
        api_url = environ.get("SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            problems.append(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
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
        )

    def __repr__(self) -> str:
        """Never show token values, only whether they are set."""
        secret = {"bot_token", "signing_secret", "app_token"}
        parts = [
            f"{name}={'<set>' if getattr(self, name) else None}"
            if name in secret
            else f"{name}={getattr(self, name)!r}"
            for name in self.__dataclass_fields__
        ]
        return f"Settings({', '.join(parts)})"


def _port(raw: str, problems: list[str]) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        problems.append(f"PORT must be a number between 1 and 65535, got {raw!r}")
        return 3000
    return port
