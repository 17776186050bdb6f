"""Default ids shared by the payload builders, plus generators for unique ts/ids."""

from __future__ import annotations

import itertools
import uuid

TEAM_ID = "T0001"
TEAM_DOMAIN = "toolkit-test"
APP_ID = "A0001"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
USER_ID = "U0001"
USER_NAME = "officer.one"
DM_CHANNEL = "D0001"
CHANNEL = "C0001"
CHANNEL_NAME = "general"
VERIFICATION_TOKEN = "verification-token"

_counter = itertools.count(1)


def next_ts() -> str:
    """A unique, increasing Slack ts (1700001000.000100 style)."""
    micros = next(_counter) * 100
    return f"{1_700_001_000 + micros // 1_000_000}.{micros % 1_000_000:06d}"


def new_event_id() -> str:
    """A unique event id like Ev0A1B2C3D4E."""
    return "Ev" + uuid.uuid4().hex[:10].upper()


def new_trigger_id() -> str:
    """A trigger_id shaped like Slack's."""
    return f"{next(_counter)}.{TEAM_ID[1:]}.{uuid.uuid4().hex}"
