"""DATABASE_URL is checked for its form with the other settings, before anything connects."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.errors import ConfigError

GOOD = [
    "sqlite:///toolkit-bot.db",
    "sqlite:////var/lib/toolkit-bot/bot.db",
    "sqlite://",
    "postgresql://bot:secret@db.internal:5432/toolkit",
    "postgres://bot:pa:ss/w@rd@db/toolkit",
    "postgresql+psycopg://bot@[::1]:5432/toolkit",
    "postgresql:///toolkit",
]
BAD = {
    "mysql://bot@db/toolkit": "it does not start with sqlite:// or postgresql://",
    "sqlite:/bot.db": "it does not start with sqlite:// or postgresql://",
    "toolkit-bot.db": "it does not start with sqlite:// or postgresql://",
    "sqlite://bot.db": "a SQLite URL has three slashes before the file name",
    "postgresql://bot:secret@db:fivefourthreetwo/toolkit": "the port 'fivefourthreetwo' is not",
    "postgresql://bot:secret@db:70000/toolkit": "the port '70000' is not a number",
}


@pytest.mark.parametrize("url", GOOD)
def test_well_formed_urls_pass(url: str) -> None:
    assert Settings.from_env({"DATABASE_URL": url}).database_url == url
    make_url(url)  # SQLAlchemy reads it too


@pytest.mark.parametrize("url", BAD)
def test_malformed_urls_are_named_without_the_password(url: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({"DATABASE_URL": url, "PORT": "x"})
    message = str(error.value)
    assert f"DATABASE_URL is malformed ({BAD[url]}" in message
    assert "PORT must be a number" in message, "reported with every other problem"
    assert "secret" not in message
    assert "write sqlite:///FILE (sqlite:////FILE for an absolute path) or postgresql://" in message
