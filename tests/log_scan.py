"""Secrets in what the suites logged: the check tests/conftest.py runs over every session.

Two sources are scanned:

- every `*.log` file written under the session's temporary directory: the real
  `toolkit-bot serve` processes the end-to-end tests start write stdout and stderr there
  (tests/slack/conftest.py `running`, and the other suites' bots). This is the production
  output itself, so any token-shaped string not redacted fails, as does any secret value the
  bots were given (the signing secret, client secrets, the payloads' verification token);
- the log records pytest captured from tests running in this process. Production handlers
  always redact token shapes (bot.logs.RedactTokens) and tests here deliberately log tokens
  to check that, so these are redacted as production would first, then scanned for secret
  values that redaction cannot recognise by shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from tests.stand_in.defaults import VERIFICATION_TOKEN
from tests.stand_in.fixtures import SIGNING_SECRET

#: A Slack token that was not redacted (bot.logs writes `xoxb-[redacted]`).
TOKEN_SHAPE = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]+")
#: Secret values the test bots and stand-ins are given (tokens are caught by shape as well).
SECRETS = (
    SIGNING_SECRET,
    VERIFICATION_TOKEN,
    "stand-in-client-secret-0123456789",  # tests/slack/test_oauth_e2e.py CLIENT_SECRET
    "hush-client-secret-0123456789",  # tests/slack/test_oauth.py CLIENT_SECRET
    "xoxb-test-bot",  # tests/slack/conftest.py bot_env
    "xapp-test-app",
)


def masked(secret: str) -> str:
    """Enough of a secret to recognise it in a failure message, not the whole of it."""
    return secret[:6] + "…"


def leaks(text: str, *, shapes: bool = True) -> list[str]:
    """`line N: what` for each line of `text` holding a secret value (or, with `shapes`, a
    token that was not redacted)."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        what = [masked(s) for s in SECRETS if s in line]
        if shapes:
            what += [masked(m.group(0)) for m in TOKEN_SHAPE.finditer(line)]
        if what:
            found.append(f"line {number}: {', '.join(sorted(set(what)))}")
    return found


def scan_files(root: Path, pattern: str = "*.log") -> list[str]:
    """`path line N: what` for every leak in the log files under `root`."""
    return [
        f"{path} {leak}"
        for path in sorted(root.rglob(pattern))
        if path.is_file()
        for leak in leaks(path.read_text(encoding="utf-8", errors="replace"))
    ]


def report(found: Iterable[str], limit: int = 30) -> str:
    """The failure message: where, and a recognisable part of what (never a whole secret)."""
    found = list(found)
    more = f"\n... and {len(found) - limit} more" if len(found) > limit else ""
    return (
        "secrets reached the logs (a token or secret value, unredacted):\n  "
        + "\n  ".join(found[:limit])
        + more
    )
