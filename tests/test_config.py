"""Settings: read once from the environment; every problem named at once; secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_API_URL, Settings
from bot.content import default_dir
from bot.errors import ConfigError, ToolkitBotError

BOT = "xoxb-1111-2222-hushbot"
APP = "xapp-1-A111-3333-hushapp"
SECRET = "0123456789abcdefhushsign"
USER = "xoxp-4444-5555-hushuser"


def settings(**env: str) -> Settings:
    return Settings.from_env(env)


def serve_error(value: Settings, mode: str | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        value.check_for_serve(mode)
    return str(caught.value)


def assert_no_secrets(text: str) -> None:
    for secret in (BOT, APP, SECRET, USER):
        assert secret not in text
    assert "hush" not in text


def test_defaults() -> None:
    s = settings()
    assert s.port == 3000
    assert s.api_url == DEFAULT_API_URL == "https://slack.com/api/"
    assert s.log_level == "INFO"
    assert (s.bot_token, s.signing_secret, s.app_token) == (None, None, None)
    assert s.knowledge_dir == default_dir("knowledge")
    assert s.intents_dir == default_dir("intents")
    assert s.mode == "http"


def test_values_are_read() -> None:
    s = settings(
        PORT="8080",
        LOG_LEVEL="debug",
        KNOWLEDGE_DIR="/data/k",
        INTENTS_DIR="/data/i",
        SLACK_BOT_TOKEN=BOT,
        SLACK_SIGNING_SECRET=SECRET,
    )
    assert (s.port, s.log_level) == (8080, "DEBUG")
    assert (s.knowledge_dir, s.intents_dir) == (Path("/data/k"), Path("/data/i"))
    assert (s.bot_token, s.signing_secret) == (BOT, SECRET)


def test_empty_variables_count_as_unset() -> None:
    s = settings(PORT="", SLACK_API_URL="", SLACK_BOT_TOKEN="", SLACK_APP_TOKEN="", LOG_LEVEL="")
    assert (s.port, s.api_url, s.log_level) == (3000, DEFAULT_API_URL, "INFO")
    assert (s.bot_token, s.app_token, s.mode) == (None, None, "http")


@pytest.mark.parametrize("port", ["abc", "0", "-1", "65536", "80.5", "3000x"])
def test_invalid_port(port: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(PORT=port)
    assert "PORT must be a number between 1 and 65535" in str(caught.value)
    assert repr(port) in str(caught.value)


@pytest.mark.parametrize("port", ["1", "65535", " 8000 "])
def test_valid_ports(port: str) -> None:
    assert settings(PORT=port).port == int(port)


@pytest.mark.parametrize("url", ["slack.com/api", "ftp://slack.com/api/", "localhost:8080"])
def test_invalid_api_url(url: str) -> None:
    with pytest.raises(ConfigError, match="SLACK_API_URL must be an http"):
        settings(SLACK_API_URL=url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080/api", "http://127.0.0.1:8080/api/"),
        ("https://slack.example/api/", "https://slack.example/api/"),
    ],
)
def test_api_url_gets_a_trailing_slash(url: str, expected: str) -> None:
    assert settings(SLACK_API_URL=url).api_url == expected


@pytest.mark.parametrize(("raw", "expected"), [("", "text"), ("text", "text"), (" JSON ", "json")])
def test_log_format(raw: str, expected: str) -> None:
    assert settings(LOG_FORMAT=raw).log_format == expected


@pytest.mark.parametrize("raw", ["xml", "logfmt", "jsonl"])
def test_a_bad_log_format_names_the_variable(raw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(LOG_FORMAT=raw, PORT="nope")
    assert f"LOG_FORMAT must be text or json, got {raw!r}" in str(caught.value)
    assert "PORT" in str(caught.value)  # reported with the others


def test_every_invalid_variable_in_one_error() -> None:
    with pytest.raises(ConfigError) as caught:
        settings(PORT="nope", SLACK_API_URL="nope")
    assert "PORT" in str(caught.value) and "SLACK_API_URL" in str(caught.value)
    assert isinstance(caught.value, ToolkitBotError)


def test_http_mode_names_every_missing_variable_and_where_to_get_it() -> None:
    message = serve_error(settings())
    assert "SLACK_BOT_TOKEN is not set" in message
    assert "OAuth & Permissions" in message
    assert "SLACK_SIGNING_SECRET is not set" in message
    assert "Basic Information -> App Credentials" in message
    assert "https://api.slack.com/apps" in message
    assert "SLACK_APP_TOKEN" in message  # the way to Socket Mode instead


def test_http_mode_with_only_one_missing() -> None:
    message = serve_error(settings(SLACK_SIGNING_SECRET=SECRET))
    assert "SLACK_BOT_TOKEN is not set" in message
    assert "SLACK_SIGNING_SECRET is not set" not in message
    message = serve_error(settings(SLACK_BOT_TOKEN=BOT))
    assert "SLACK_SIGNING_SECRET is not set" in message
    assert "SLACK_BOT_TOKEN" not in message
    assert_no_secrets(message)


def test_socket_mode_needs_the_bot_token_too() -> None:
    s = settings(SLACK_APP_TOKEN=APP)
    assert s.mode == "socket"
    message = serve_error(s)
    assert "SLACK_BOT_TOKEN is not set" in message
    assert "SLACK_SIGNING_SECRET" not in message
    assert "SLACK_APP_TOKEN" not in message
    assert_no_secrets(message)


def test_socket_mode_asked_for_without_an_app_token() -> None:
    message = serve_error(settings(SLACK_BOT_TOKEN=BOT, SLACK_SIGNING_SECRET=SECRET), "socket")
    assert "SLACK_APP_TOKEN is not set" in message
    assert "connections:write" in message and "App-Level Tokens" in message


def test_wrong_prefixes_are_reported_without_the_values() -> None:
    message = serve_error(settings(SLACK_BOT_TOKEN=USER, SLACK_APP_TOKEN=BOT))
    assert "SLACK_BOT_TOKEN does not look right (it should start with xoxb-)" in message
    assert "SLACK_APP_TOKEN does not look right (it should start with xapp-)" in message
    assert_no_secrets(message)
    message = serve_error(settings(SLACK_BOT_TOKEN=APP, SLACK_SIGNING_SECRET=SECRET))
    assert "SLACK_BOT_TOKEN does not look right" in message
    assert_no_secrets(message)


def test_explicit_mode_overrides_the_tokens() -> None:
    both = settings(SLACK_BOT_TOKEN=BOT, SLACK_APP_TOKEN=APP)
    both.check_for_serve()
    both.check_for_serve("socket")
    assert "SLACK_SIGNING_SECRET is not set" in serve_error(both, "http")


def test_complete_settings_pass() -> None:
    settings(SLACK_BOT_TOKEN=BOT, SLACK_SIGNING_SECRET=SECRET).check_for_serve()
    settings(SLACK_BOT_TOKEN=BOT, SLACK_APP_TOKEN=APP).check_for_serve()


def test_repr_never_shows_token_values() -> None:
    s = settings(SLACK_BOT_TOKEN=BOT, SLACK_APP_TOKEN=APP, SLACK_SIGNING_SECRET=SECRET)
    for shown in (repr(s), str(s), f"{s}", f"{s!r}"):
        assert_no_secrets(shown)
        assert "bot_token=<set>" in shown and "signing_secret=<set>" in shown
        assert "app_token=<set>" in shown and "port=" in shown
    assert "app_token=None" in repr(settings())


def test_settings_are_frozen() -> None:
    s = settings()
    with pytest.raises(AttributeError):
        s.port = 1  # type: ignore[misc]


def test_repr_hides_every_other_secret_too() -> None:
    s = settings(
        SLACK_BOT_TOKEN=BOT,
        TOOLKIT_BOT_HASH_SECRET="hush-hash",
        SLACK_CLIENT_SECRET="hush-client",
        DATABASE_URL="postgresql://bot:hush-password@db.example/toolkit",
    )
    assert_no_secrets(repr(s))
