"""Many workspaces, in process: settings, the Bolt app in OAuth mode, client_for, the manifest."""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from slack_bolt.request import BoltRequest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine

from bot import compose
from bot.cli import main
from bot.config import DEFAULT_AUTHORIZE_URL, Settings
from bot.engine import Engine as Matcher
from bot.errors import ConfigError, ExitStatus
from bot.slack import BOT_EVENTS, BOT_SCOPES, oauth
from bot.slack.app import build_app
from bot.slack.services import Services
from bot.store.db import make_engine
from bot.store.migrate import upgrade
from tests.conftest import ROOT, SHARED

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "hush-client-secret-0123456789"
SIGNING = "hush-signing-secret-0123456789"
API = "http://127.0.0.1:9/api/"
OAUTH_ENV = {
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "SLACK_SIGNING_SECRET": SIGNING,
    "SLACK_API_URL": API,
}


def settings(**env: str) -> Settings:
    return Settings.from_env(env)


def serve_error(value: Settings, mode: str | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        value.check_for_serve(mode)
    text = str(caught.value)
    assert "hush" not in text  # secrets are never shown
    return text


# -- settings ---------------------------------------------------------------------------------


def test_client_credentials_select_the_install_flow_in_http_mode() -> None:
    s = settings(**OAUTH_ENV)
    assert s.oauth and s.mode == "http"
    s.check_for_serve()
    s.check_for_serve("http")
    assert s.authorize_url == DEFAULT_AUTHORIZE_URL == "https://slack.com/oauth/v2/authorize"
    assert s.redirect_uri is None
    assert "hush" not in repr(s)


def test_an_app_token_does_not_switch_the_install_flow_to_socket_mode() -> None:
    s = settings(**OAUTH_ENV, SLACK_APP_TOKEN="xapp-1-A1-hush")
    assert s.mode == "http"
    s.check_for_serve()


def test_one_error_names_every_missing_oauth_variable_and_where_to_get_it() -> None:
    text = serve_error(settings(SLACK_CLIENT_SECRET=CLIENT_SECRET))
    assert "SLACK_CLIENT_ID is not set" in text
    assert "SLACK_SIGNING_SECRET is not set" in text
    assert "SLACK_CLIENT_SECRET" not in text.replace("SLACK_CLIENT_ID/SLACK_CLIENT_SECRET", "")
    assert "Basic Information -> App Credentials" in text
    assert "SLACK_BOT_TOKEN" not in text  # not needed: tokens come from the installations

    text = serve_error(settings(SLACK_CLIENT_ID=CLIENT_ID))
    assert "SLACK_CLIENT_SECRET is not set" in text and "SLACK_SIGNING_SECRET" in text


def test_socket_mode_is_refused_with_the_install_flow() -> None:
    text = serve_error(settings(**OAUTH_ENV, SLACK_APP_TOKEN="xapp-1-A1-hush"), "socket")
    assert "needs HTTP mode" in text and "--mode http" in text
    assert "SLACK_APP_TOKEN is then not used" in text
    text = serve_error(settings(**OAUTH_ENV), "socket")
    assert "needs HTTP mode" in text and "SLACK_APP_TOKEN" not in text


def test_a_bot_token_and_client_credentials_together_are_refused() -> None:
    text = serve_error(settings(**OAUTH_ENV, SLACK_BOT_TOKEN="xoxb-1-hush"))
    assert "SLACK_BOT_TOKEN is set as well as SLACK_CLIENT_ID" in text


def test_every_problem_at_once() -> None:
    text = serve_error(settings(SLACK_CLIENT_ID=CLIENT_ID, SLACK_BOT_TOKEN="xoxb-1"), "socket")
    assert text.count("\n  - ") == 4  # secret, signing secret, bot token, mode


def test_serve_names_what_is_missing_before_starting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [k for k in os.environ if k.startswith("SLACK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SLACK_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A1-hush")
    assert main(["serve", "--mode", "socket"]) == ExitStatus.SETTINGS
    err = capsys.readouterr().err
    for name in ("SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET", "needs HTTP mode"):
        assert name in err
    assert "hush" not in err


def test_single_workspace_checks_are_unchanged() -> None:
    s = settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    assert not s.oauth and s.mode == "socket"
    s.check_for_serve()
    assert "SLACK_SIGNING_SECRET" in serve_error(settings(SLACK_BOT_TOKEN="xoxb-1"))


def test_staging_authorize_and_redirect_urls() -> None:
    s = settings(
        **OAUTH_ENV,
        SLACK_AUTHORIZE_URL="https://staging.example/oauth/v2/authorize",
        SLACK_REDIRECT_URI="https://bot.example/slack/oauth_redirect",
    )
    assert s.authorize_url == "https://staging.example/oauth/v2/authorize"
    assert s.redirect_uri == "https://bot.example/slack/oauth_redirect"
    with pytest.raises(ConfigError) as caught:
        settings(SLACK_AUTHORIZE_URL="slack.com/oauth", SLACK_REDIRECT_URI="bot.example")
    assert "SLACK_AUTHORIZE_URL" in str(caught.value) and "SLACK_REDIRECT_URI" in str(caught.value)


# -- the stores and the app ------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def install(store: Any, team_id: str, token: str, enterprise_id: str | None = None) -> None:
    store.save(
        Installation(
            app_id="A0001",
            enterprise_id=enterprise_id,
            team_id=team_id,
            team_name=f"Force {team_id}",
            bot_token=token,
            bot_id="BBOT",
            bot_user_id="UBOT",
            bot_scopes=",".join(BOT_SCOPES),
            user_id="U0001",
        )
    )


def test_table_names_are_those_of_migration_0002() -> None:
    path = next((ROOT / "bot/store/migrations/versions").glob("0002_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert (migration.INSTALLATIONS, migration.BOTS, migration.STATES) == (
        oauth.INSTALLATIONS_TABLE,
        oauth.BOTS_TABLE,
        oauth.STATES_TABLE,
    )


def test_build_app_in_oauth_mode(engine: Matcher, db: Engine) -> None:
    s = settings(**OAUTH_ENV)
    app = build_app(s, Services(engine), db=db)
    flow = app.oauth_flow
    assert flow is not None
    assert (flow.install_path, flow.redirect_uri_path) == (
        "/slack/install",
        "/slack/oauth_redirect",
    )
    assert list(flow.settings.scopes) == list(BOT_SCOPES)
    assert flow.settings.authorization_url == "https://slack.com/oauth/v2/authorize"
    assert flow.client.base_url == API  # oauth.v2.access goes to SLACK_API_URL
    assert app.client.base_url == API and app.client.token is None
    assert app.client.retry_handlers  # copied into every per-request client
    assert isinstance(app.installation_store, type(oauth.installation_store(s, db)))
    assert flow.settings.state_store.engine is db
    assert flow.settings.installation_store is app.installation_store


def test_the_install_page_issues_a_state_stored_in_the_database(
    engine: Matcher, db: Engine
) -> None:
    app = build_app(settings(**OAUTH_ENV), Services(engine), db=db)
    response = app.oauth_flow.handle_installation(BoltRequest(body="", query="", headers={}))
    assert response.status == 200
    cookie = response.headers["set-cookie"][0]
    state = cookie.split(";")[0].split("=", 1)[1]
    link = next(u for u in response.body.split('"') if u.startswith("https://slack.com/oauth"))
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["state"] == [state]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert oauth.state_store(db).consume(state) is True
    assert oauth.state_store(db).consume(state) is False  # single use


def test_build_app_in_oauth_mode_needs_the_database(engine: Matcher) -> None:
    with pytest.raises(ValueError, match="database"):
        build_app(settings(**OAUTH_ENV), Services(engine))


# -- client_for -------------------------------------------------------------------------------


def test_client_for_with_one_bot_token() -> None:
    s = settings(SLACK_BOT_TOKEN="xoxb-one", SLACK_API_URL=API)
    client_for = compose.make_client_for(s)
    client = client_for("T0001")
    assert client is not None
    assert (client.token, client.base_url) == ("xoxb-one", API)
    assert client.retry_handlers and len(client.retry_handlers) == 3
    other = client_for("T0002")
    assert other is not None and other.token == "xoxb-one"


def test_client_for_reads_each_teams_token_from_the_installations(db: Engine) -> None:
    s = settings(**OAUTH_ENV)
    store = oauth.installation_store(s, db)
    install(store, "T0001", "xoxb-force-one")
    install(store, "T0002", "xoxb-force-two")
    client_for = compose.make_client_for(s, db)
    one, two = client_for("T0001"), client_for("T0002")
    assert one is not None and two is not None
    assert (one.token, two.token) == ("xoxb-force-one", "xoxb-force-two")
    assert one.base_url == API and one.retry_handlers
    assert client_for("T0003") is None  # never installed

    install(store, "T0001", "xoxb-force-one-reinstalled")  # a reinstall is seen at once
    again = client_for("T0001")
    assert again is not None and again.token == "xoxb-force-one-reinstalled"
    store.delete_all(enterprise_id=None, team_id="T0002")  # what app_uninstalled does
    assert client_for("T0002") is None


def test_client_for_finds_a_workspace_in_an_enterprise_grid_org(db: Engine) -> None:
    s = settings(**OAUTH_ENV)
    install(oauth.installation_store(s, db), "T0005", "xoxb-grid-workspace", enterprise_id="E1")
    client = compose.make_client_for(s, db)("T0005")
    assert client is not None and client.token == "xoxb-grid-workspace"


def test_client_for_only_sees_this_apps_installations(db: Engine) -> None:
    other_app = settings(**{**OAUTH_ENV, "SLACK_CLIENT_ID": "9999999999.9999999999"})
    install(oauth.installation_store(other_app, db), "T7", "xoxb-another-apps-token")
    assert compose.make_client_for(settings(**OAUTH_ENV), db)("T7") is None


def test_make_client_for_opens_and_migrates_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    client_for = compose.make_client_for(settings(**OAUTH_ENV, DATABASE_URL=url))
    assert client_for("T0001") is None


# -- manifest.oauth.yml -----------------------------------------------------------------------


def manifest(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_oauth_manifest_matches_slacks_schema() -> None:
    schema_path = SHARED / "slack" / "manifest.schema.json"
    if not schema_path.exists():
        pytest.skip("shared/slack/manifest.schema.json is not present")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(manifest("manifest.oauth.yml")), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_oauth_manifest_is_the_http_manifest_plus_redirect_and_lifecycle_events() -> None:
    found, http = manifest("manifest.oauth.yml"), manifest("manifest.yml")
    redirects = found["oauth_config"].pop("redirect_urls")
    assert [urlsplit(u).path for u in redirects] == [oauth.REDIRECT_PATH]
    assert all(u.startswith("https://") for u in redirects)
    events = found["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == sorted([*BOT_EVENTS, *oauth.LIFECYCLE_EVENTS])
    found["settings"]["event_subscriptions"]["bot_events"] = [
        e for e in events if e not in oauth.LIFECYCLE_EVENTS
    ]
    assert found == http, "manifest.oauth.yml must stay manifest.yml plus the OAuth parts"
