"""The fake workspace's state: tokens, channels, users, messages, views and OAuth codes."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

BASE_EPOCH = 1_700_000_000
TOKEN_KINDS = {"xoxb-": "bot", "xoxp-": "user", "xapp-": "app"}
BOT_SCOPES = (
    "app_mentions:read,channels:history,chat:write,commands,im:history,links:read,links:write"
)


@dataclass(frozen=True)
class Identity:
    """Whom a token belongs to; kind is bot, user or app."""

    kind: str
    team_id: str
    user_id: str
    bot_id: str | None = None


@dataclass
class Channel:
    """A conversation the fake knows about."""

    id: str
    name: str
    is_member: bool = True
    is_archived: bool = False
    is_private: bool = False
    members: list[str] = field(default_factory=list)

    @property
    def is_dm(self) -> bool:
        """True for direct-message ids (D…)."""
        return self.id.startswith("D")


@dataclass
class OAuthApp:
    """Client credentials and the one-time codes they may exchange."""

    client_id: str
    client_secret: str
    codes: dict[str, dict[str, Any]]


@dataclass
class Workspace:
    """Mutable state shared by every handler; guard multi-step changes with `lock`."""

    team_id: str = "T0001"
    team_name: str = "Toolkit Test Workspace"
    team_domain: str = "toolkit-test"
    app_id: str = "A0001"
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    bot_name: str = "toolkit-bot"
    tokens: dict[str, Identity] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: assistant.threads.* state by (channel, thread_ts or ""): prompts, status, title.
    assistant: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    oauth: OAuthApp | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def seed(self, tokens: Iterable[str]) -> None:
        """Register the starting tokens, the bot user, one person and #general."""
        for token in tokens:
            self.add_token(token)
        self.set_user(self.bot_user_id, name=self.bot_name, is_bot=True)
        self.set_user("U0001", name="officer.one", real_name="Officer One")
        self.channels["C0001"] = Channel("C0001", "general", members=[self.bot_user_id, "U0001"])

    def next_ts(self) -> str:
        """A unique, increasing message ts like 1700000000.000100."""
        micros = next(self._counter) * 100
        return f"{BASE_EPOCH + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def next_id(self, prefix: str) -> str:
        """A unique Slack-looking id such as V0000000007."""
        return f"{prefix}{next(self._counter):010d}"

    def channel(self, channel_id: str) -> Channel | None:
        """Look a channel up; DM ids (D…) always exist."""
        with self.lock:
            found = self.channels.get(channel_id)
            if found is None and channel_id.startswith("D"):
                found = Channel(channel_id, channel_id, members=[self.bot_user_id])
            return found

    def assistant_thread(self, channel_id: str, thread_ts: str = "") -> dict[str, Any]:
        """What assistant.threads.* set on a thread (or on the DM itself): a copy, {} if nothing."""
        with self.lock:
            return dict(self.assistant.get((channel_id, thread_ts), {}))

    def set_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Create or replace a user record (users.info shape)."""
        name = str(fields.pop("name", user_id.lower()))
        real_name = str(fields.pop("real_name", name))
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": real_name,
            "tz": "Europe/London",
            "tz_label": "Greenwich Mean Time",
            "tz_offset": 0,
            "is_admin": False,
            "is_owner": False,
            "is_bot": False,
            "is_app_user": False,
            "updated": BASE_EPOCH,
            "profile": {"real_name": real_name, "display_name": name, "team": self.team_id},
        }
        user.update(fields)
        with self.lock:
            self.users[user_id] = user
        return user

    def add_token(self, token: str, user_id: str | None = None, team_id: str | None = None) -> None:
        """Accept another token from now on; its kind comes from its prefix."""
        kind = TOKEN_KINDS.get(token[:5])
        if kind is None:
            raise ValueError(f"token must start with one of {sorted(TOKEN_KINDS)}: {token!r}")
        bot_id = self.bot_id if kind == "bot" else None
        user = user_id or (self.bot_user_id if kind == "bot" else "U0001")
        identity = Identity(kind, team_id or self.team_id, "" if kind == "app" else user, bot_id)
        with self.lock:
            self.tokens[token] = identity

    def set_oauth(
        self, client_id: str, client_secret: str, codes: Mapping[str, Mapping[str, Any]]
    ) -> None:
        """Configure oauth.v2.access: each code maps to overrides of the answer body."""
        with self.lock:
            self.oauth = OAuthApp(client_id, client_secret, {c: dict(v) for c, v in codes.items()})

    def redeem(self, code: str) -> dict[str, Any] | None:
        """Use up an OAuth code, returning its overrides (codes are single-use)."""
        with self.lock:
            return self.oauth.codes.pop(code, None) if self.oauth else None

    def installation_body(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """A realistic oauth.v2.access body with overrides applied; registers its tokens."""
        body: dict[str, Any] = {
            "ok": True,
            "app_id": self.app_id,
            "authed_user": {"id": "U0001"},
            "scope": BOT_SCOPES,
            "token_type": "bot",
            "access_token": f"xoxb-{self.team_id}-{next(self._counter)}-stand-in",
            "bot_user_id": self.bot_user_id,
            "team": {"id": self.team_id, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        body.update(overrides)
        team_id = str(body["team"]["id"])
        self.add_token(str(body["access_token"]), str(body["bot_user_id"]), team_id)
        user_token = body["authed_user"].get("access_token")
        if user_token:
            self.add_token(str(user_token), str(body["authed_user"]["id"]), team_id)
        return body
