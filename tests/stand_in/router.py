"""Authenticate, apply programmed faults and dispatch one Web API call."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from tests.stand_in import (
    methods_assistant,
    methods_chat,
    methods_history,
    methods_info,
    methods_views,
)
from tests.stand_in.faults import Faults
from tests.stand_in.methods_chat import Ctx, Handler
from tests.stand_in.records import Outcome, err
from tests.stand_in.workspace import Identity, Workspace

log = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {
    **methods_chat.HANDLERS,
    **methods_info.HANDLERS,
    **methods_views.HANDLERS,
    **methods_assistant.HANDLERS,
    **methods_history.HANDLERS,
}
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
NO_TOKEN_METHODS = frozenset({"oauth.v2.access"})


def authenticate(ws: Workspace, method: str, token: str | None) -> Identity | Outcome:
    """Resolve the caller as Slack does: not_authed, invalid_auth, not_allowed_token_type."""
    if not token:
        return err("not_authed")
    identity = ws.tokens.get(token)
    if identity is None:
        return err("invalid_auth")
    wants_app = method in APP_TOKEN_METHODS
    if (identity.kind == "app") != wants_app:
        return err("not_allowed_token_type")
    return identity


class Router:
    """Turns (method, params, headers) into an Outcome."""

    def __init__(
        self,
        ws: Workspace,
        faults: Faults,
        open_socket: Callable[[], str],
        stopping: threading.Event,
    ) -> None:
        """Wire the router to shared state."""
        self._ws = ws
        self._faults = faults
        self._open_socket = open_socket
        self._stopping = stopping

    def handle(
        self, method: str, params: dict[str, Any], headers: Mapping[str, str], token: str | None
    ) -> Outcome:
        """Answer one call; unknown methods get unknown_method with HTTP 200."""
        handler = HANDLERS.get(method)
        if handler is None:
            return err("unknown_method")
        self._stopping.wait(self._faults.delay_for(method))
        fault = self._faults.take(method)
        if fault is not None and not fault.after_commit:
            return fault.outcome()
        identity: Identity | None = None
        if method not in NO_TOKEN_METHODS:
            found = authenticate(self._ws, method, token)
            if isinstance(found, Outcome):
                return found
            identity = found
        outcome = self._run(handler, Ctx(self._ws, identity, self._open_socket, headers), params)
        # "after commit": Slack did the work, then answered with an error (a 5xx, a reset)
        return fault.outcome() if fault is not None else outcome

    @staticmethod
    def _run(handler: Handler, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        """Call a handler, turning a crash into internal_error (HTTP 500)."""
        try:
            return handler(ctx, params)
        except Exception:
            log.exception("stand-in handler crashed")
            return err("internal_error", status=500)
