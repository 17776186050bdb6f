"""Fault programming and canned workspace data: the knobs tests turn on FakeSlack."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tests.stand_in.faults import Chaos, Fault, Faults
from tests.stand_in.workspace import Channel, Workspace


class Controls:
    """Mixin for FakeSlack; needs `workspace` and `faults` attributes."""

    workspace: Workspace
    faults: Faults

    # -- faults ----------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        error: str = "channel_not_found",
        status: int = 200,
        times: int | None = 1,
    ) -> None:
        """Answer the next `times` calls with {"ok": false, "error": error} (None = forever)."""
        self.faults.add(method, Fault(status, {"ok": False, "error": error}, times=times))

    def rate_limit(self, method: str, retry_after: int = 1, times: int | None = 1) -> None:
        """Answer with HTTP 429, Retry-After and error ratelimited."""
        body = {"ok": False, "error": "ratelimited"}
        self.faults.add(method, Fault(429, body, {"Retry-After": str(retry_after)}, times))

    def server_error(
        self, method: str, status: int = 503, times: int | None = 1, error: str = "internal_error"
    ) -> None:
        """Answer with an HTTP 5xx and {"ok": false, "error": "internal_error"}."""
        self.faults.add(method, Fault(status, {"ok": False, "error": error}, times=times))

    def server_error_after_commit(
        self, method: str, status: int = 500, times: int | None = 1
    ) -> None:
        """Do the method's work (post the message), then answer with an HTTP 5xx anyway."""
        body = {"ok": False, "error": "internal_error"}
        self.faults.add(method, Fault(status, body, times=times, after_commit=True))

    def reset_connection(
        self, method: str, *, after_commit: bool = False, times: int | None = 1
    ) -> None:
        """Answer nothing: reset the TCP connection (after doing the work, if after_commit)."""
        self.faults.add(method, Fault(0, {}, times=times, after_commit=after_commit, reset=True))

    def chaos(self, method: str, chaos: Chaos | None) -> None:
        """Fail a method at random rates (429s, 5xx, 5xx after the work) until None."""
        self.faults.set_chaos(method, chaos)

    def delay(self, method: str, seconds: float) -> None:
        """Make a method (or "*") answer only after `seconds` (0 clears)."""
        self.faults.set_delay(method, seconds)

    # -- canned workspace data -------------------------------------------------------------

    def set_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_member: bool = True,
        is_archived: bool = False,
        is_private: bool = False,
        members: Iterable[str] | None = None,
    ) -> Channel:
        """Create or replace a channel used by conversations.* and chat.*."""
        ws = self.workspace
        default = [ws.bot_user_id, "U0001"] if is_member else ["U0001"]
        channel = Channel(
            channel_id,
            name or channel_id.lower(),
            is_member,
            is_archived,
            is_private,
            list(members) if members is not None else default,
        )
        with ws.lock:
            ws.channels[channel_id] = channel
        return channel

    def set_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Create or replace a user for users.info (fields override the defaults)."""
        return self.workspace.set_user(user_id, **fields)

    def add_token(self, token: str, *, user_id: str | None = None) -> None:
        """Accept another xoxb-/xoxp-/xapp- token."""
        self.workspace.add_token(token, user_id)

    def set_oauth(
        self, client_id: str, client_secret: str, installations: Mapping[str, Mapping[str, Any]]
    ) -> None:
        """Configure oauth.v2.access: code -> overrides of its answer (team, access_token…)."""
        self.workspace.set_oauth(client_id, client_secret, installations)

    def add_message(self, channel: str, text: str = "", *, user: str = "U0001") -> str:
        """Put an existing message into a channel (for chat.update/delete tests); returns its ts."""
        ts = self.workspace.next_ts()
        message = {"type": "message", "user": user, "text": text, "ts": ts}
        with self.workspace.lock:
            self.workspace.messages[(channel, ts)] = message
        return ts

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        """Messages currently in a channel (posted, updated, not deleted), oldest first."""
        with self.workspace.lock:
            found = [m for (c, _), m in self.workspace.messages.items() if c == channel]
        return sorted(found, key=lambda m: m["ts"])
