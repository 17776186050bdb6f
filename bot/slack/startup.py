"""Before `serve` starts: is Slack there, and does it accept the tokens? One call each.

auth.test checks SLACK_BOT_TOKEN (and that SLACK_API_URL answers); in Socket Mode
apps.connections.open checks SLACK_APP_TOKEN. A failure is a StartupError of one or two lines
that names the address or the variable, instead of a traceback from inside the server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import DEFAULT_API_URL, WHERE_APP_TOKEN, WHERE_BOT_TOKEN, Settings
from bot.errors import ExitStatus, StartupError

#: Seconds to wait for Slack's answer at start (the app's own client waits 15 s per call).
TIMEOUT = 10
#: Slack's error codes that mean "this token is not accepted", and what to do about each.
REINSTALL = "the app was uninstalled or the token revoked: reinstall the app, then "
REFUSED: Mapping[str, str] = {
    "invalid_auth": "",
    "not_authed": "",
    "account_inactive": REINSTALL,
    "token_revoked": REINSTALL,
    "token_expired": "the token expired (token rotation is on?): ",
    "not_allowed_token_type": "it is the wrong kind of token: ",
    "missing_scope": "it lacks the connections:write scope: ",
}
# The SDK logs each failed request itself; here the StartupError says it once, better.
_quiet = logging.getLogger("toolkit_bot.startup.sdk")
_quiet.propagate = False
_quiet.addHandler(logging.NullHandler())


def check_slack(settings: Settings, mode: str) -> None:
    """Raise StartupError unless Slack answers and accepts the tokens `serve` will use.

    Many workspaces (the install flow) have no token at start, so nothing is checked there.
    """
    if settings.oauth:
        return
    _call(settings, "auth.test", settings.bot_token, "SLACK_BOT_TOKEN", WHERE_BOT_TOKEN)
    if mode == "socket":
        _call(
            settings,
            "apps.connections.open",
            settings.app_token,
            "SLACK_APP_TOKEN",
            WHERE_APP_TOKEN,
        )


def _call(settings: Settings, method: str, token: str | None, variable: str, where: str) -> None:
    client = WebClient(
        token=token, base_url=settings.api_url, timeout=TIMEOUT, retry_handlers=[], logger=_quiet
    )
    try:
        client.api_call(method)
    except SlackApiError as exc:
        raise _refused(settings, method, exc, variable, where) from exc
    except (OSError, ValueError) as exc:  # URLError, refused, reset, timeout, DNS, bad address
        raise _unreachable(settings, f"{method}: {_why(exc)}") from exc


def _refused(
    settings: Settings, method: str, exc: SlackApiError, variable: str, where: str
) -> StartupError:
    body = exc.response.data if isinstance(exc.response.data, dict) else {}
    code = str(body.get("error") or "")
    if code in REFUSED:
        return StartupError(
            ExitStatus.TOKEN_REFUSED,
            f"Slack refused {variable}: {method} answered {code}.\n"
            f"Check {variable}: {REFUSED[code]}{where}",
        )
    status = exc.response.status_code
    said = f"error {code}" if code and status == 200 else f"HTTP {status}"
    return _unreachable(settings, f"{method} answered {said}", answered=True)


def _unreachable(settings: Settings, what: str, *, answered: bool = False) -> StartupError:
    if settings.api_url == DEFAULT_API_URL:
        hint = "Check this machine's network access to slack.com (a proxy or firewall?)."
    else:
        hint = (
            f"Check SLACK_API_URL (unset it to use {DEFAULT_API_URL}) and that a server is "
            "running there."
        )
    problem = "no usable answer from" if answered else "cannot reach"
    return StartupError(
        ExitStatus.SLACK_UNREACHABLE, f"{problem} Slack at {settings.api_url} ({what}).\n{hint}"
    )


def _why(exc: BaseException) -> str:
    """The innermost reason of a network error, in a few words."""
    reason = getattr(exc, "reason", None)
    inner = reason if isinstance(reason, BaseException) else exc
    if isinstance(inner, TimeoutError):
        return f"no answer within {TIMEOUT} s"
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror.lower()  # "connection refused", "name or service not known"
    return str(inner) or type(inner).__name__
