"""Pytest fixtures for the Slack stand-in; import them into a conftest to use them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stand_in.web_api import FakeSlack

SIGNING_SECRET = "stand-in-signing-secret-0123456789abcdef"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack (Web API, response_urls, Socket Mode), stopped after the test."""
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def signing_secret() -> str:
    """The signing secret the bot under test and SignedDriver share."""
    return SIGNING_SECRET
