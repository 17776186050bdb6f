"""Many workspaces end to end: the real `toolkit-bot serve` (HTTP mode, the OAuth install flow)
against the Slack stand-in, with its installations and states in a SQLite file, and in a scratch
PostgreSQL database when TEST_DATABASE_URL is set."""

from __future__ import annotations

import html
import os
import random
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, ProxyHandler, Request, build_opener

import pytest
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from bot.slack import BOT_SCOPES
from bot.store.db import make_engine, normalise_url
from tests.slack.conftest import PATIENCE, Bot, free_port, quiet, start, stop, wait_healthy
from tests.stand_in import Call, FakeSlack, payloads
from tests.stand_in.fixtures import SIGNING_SECRET

#: Unique per run, so a shared PostgreSQL database never mixes this run's rows with another's.
CLIENT_ID = f"{random.randrange(10**9, 10**10)}.{random.randrange(10**9, 10**10)}"
CLIENT_SECRET = "stand-in-client-secret-0123456789"
COOKIE = "slack-app-oauth-state"


def team(number: int) -> str:
    return f"T{number:04d}"


def token(number: int) -> str:
    return f"xoxb-{team(number)}-own-bot-token"


#: One single-use code per workspace the tests install (T0003 never installs).
CODES = {
    f"code-{n}": {
        "team": {"id": team(n), "name": f"Force {n}"},
        "access_token": token(n),
        "bot_user_id": f"UBOT{n}",
    }
    for n in (1, 2, 4, 5, 6, 7, 8, 9)
}


# -- databases --------------------------------------------------------------------------------


@contextmanager
def scratch_postgres(base_url: str) -> Iterator[str]:
    """A fresh database on the TEST_DATABASE_URL server, dropped afterwards (or the URL itself
    when databases cannot be created: CLIENT_ID keeps this run's installations apart)."""
    admin = make_engine(base_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"toolkit_oauth_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        admin.dispose()
        yield base_url
        return
    try:
        yield make_url(normalise_url(base_url)).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('oauth-sqlite') / 'toolkit-bot.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    with scratch_postgres(base) as url:
        yield url


# -- the bot ----------------------------------------------------------------------------------


@dataclass
class OAuthBot:
    """A running multi-workspace bot, its stand-in and its database."""

    bot: Bot
    fake: FakeSlack
    db: Engine

    @property
    def url(self) -> str:
        return self.bot.url

    def rows(self, table: str, team_id: str) -> list[dict[str, Any]]:
        query = text(f"SELECT * FROM {table} WHERE client_id = :c AND team_id = :t")
        with self.db.connect() as connection:
            result = connection.execute(query, {"c": CLIENT_ID, "t": team_id})
            return [dict(row) for row in result.mappings()]

    def posts_in(self, channel: str) -> list[Call]:
        return [c for c in self.fake.calls_to("chat.postMessage") if c.params["channel"] == channel]

    def wait_posts(self, channel: str) -> list[Call]:
        """The bot's chat.postMessage calls to `channel`, once there is one (or its log)."""
        deadline = time.monotonic() + PATIENCE
        while not self.posts_in(channel):
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing posted to {channel}; the bot's log:\n{self.bot.log()}")
            time.sleep(0.05)
        return self.posts_in(channel)


@pytest.fixture(scope="module")
def oauth_bot(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthBot]:
    """`toolkit-bot serve` with SLACK_CLIENT_ID/SECRET (no bot token) on a free port."""
    port = free_port()
    log = tmp_path_factory.mktemp("oauth") / "bot.log"
    with FakeSlack() as fake:
        fake.set_oauth(CLIENT_ID, CLIENT_SECRET, CODES)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env.update(
            SLACK_CLIENT_ID=CLIENT_ID,
            SLACK_CLIENT_SECRET=CLIENT_SECRET,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=database_url,
            PORT=str(port),
            LOG_LEVEL="INFO",
        )
        process = start(env, log)
        url = f"http://127.0.0.1:{port}"
        db = make_engine(database_url)
        try:
            wait_healthy(url, process, log)
            yield OAuthBot(Bot(process, fake, "http", url, log), fake, db)
        finally:
            stop(process)
            db.dispose()


# -- a browser --------------------------------------------------------------------------------


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_browser = build_opener(ProxyHandler({}), _NoRedirects())


@dataclass(frozen=True)
class Page:
    status: int
    headers: dict[str, str]
    body: str


def get(url: str, *, cookie: str | None = None) -> Page:
    request = Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with _browser.open(request, timeout=PATIENCE) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Page(response.status, headers, response.read().decode())
    except HTTPError as error:
        return Page(
            error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()
        )


@dataclass(frozen=True)
class Started:
    """What an installer's browser holds after opening /slack/install."""

    link: str
    state: str
    cookie: str


def begin_install(bot: OAuthBot) -> Started:
    page = get(f"{bot.url}/slack/install")
    assert page.status == 200, page
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page.body)]
    link = next(h for h in hrefs if h.startswith("https://slack.com/oauth/v2/authorize"))
    cookie = page.headers["set-cookie"].split(";")[0]
    state = parse_qs(urlsplit(link).query)["state"][0]
    return Started(link, state, cookie)


def finish_install(bot: OAuthBot, code: str, state: str, cookie: str | None) -> Page:
    """Where Slack sends the installer back after they approve."""
    query = urlencode({"code": code, "state": state})
    return get(f"{bot.url}/slack/oauth_redirect?{query}", cookie=cookie)


def install(bot: OAuthBot, number: int) -> None:
    """Install into workspace `number` through the browser flow, once per bot (codes are
    single-use, as Slack's are)."""
    if bot.rows("slack_bots", team(number)):
        return
    started = begin_install(bot)
    page = finish_install(bot, f"code-{number}", started.state, started.cookie)
    assert page.status == 200 and "Thank you!" in page.body, page
    assert bot.rows("slack_bots", team(number)), f"{team(number)} not stored"


def dm_from(
    number: int, text: str = "what is a drug court?", *, channel: str | None = None
) -> dict[str, Any]:
    """A DM event from workspace `number` (in its own DM channel unless told)."""
    event = payloads.dm_message(text, channel=channel or f"D{number:04d}", team=team(number))
    return payloads.event_callback(event, team_id=team(number))


def refused(page: Page, reason: str) -> None:
    assert page.status in (400, 401), page
    assert "Something Went Wrong" in page.body and reason in page.body
    assert "Thank you" not in page.body


# -- the install flow -------------------------------------------------------------------------


def test_the_install_page_links_to_slack_with_client_id_scopes_and_state(
    oauth_bot: OAuthBot,
) -> None:
    started = begin_install(oauth_bot)
    query = parse_qs(urlsplit(started.link).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(BOT_SCOPES)
    assert len(started.state) >= 32
    assert started.cookie == f"{COOKIE}={started.state}"  # binds the state to this browser
    assert not oauth_bot.fake.calls_to("oauth.v2.access")
    assert "many workspaces: installs start at /slack/install" in oauth_bot.bot.log()


def test_the_redirect_exchanges_the_code_and_stores_the_installation(oauth_bot: OAuthBot) -> None:
    mark = oauth_bot.bot.log_mark()
    started = begin_install(oauth_bot)
    page = finish_install(oauth_bot, "code-4", started.state, started.cookie)
    assert page.status == 200 and "Thank you!" in page.body
    assert f"slack://app?team={team(4)}" in html.unescape(page.body)

    calls = oauth_bot.fake.calls_to("oauth.v2.access")
    (exchange,) = [c for c in calls if c.params.get("code") == "code-4"]
    assert exchange.ok
    assert exchange.headers["authorization"].startswith("Basic ")  # client id and secret
    (installation,) = oauth_bot.rows("slack_installations", team(4))
    assert installation["bot_token"] == token(4)
    assert installation["team_name"] == "Force 4"
    assert installation["bot_scopes"]
    (bot_row,) = oauth_bot.rows("slack_bots", team(4))
    assert (bot_row["bot_token"], bot_row["bot_user_id"]) == (token(4), "UBOT4")
    log = oauth_bot.bot.wait_log(f"installed into team {team(4)}", since=mark)
    assert "code-4" not in log and token(4) not in log


def test_a_forged_state_or_another_browsers_state_is_refused(oauth_bot: OAuthBot) -> None:
    mark = oauth_bot.bot.log_mark()
    started = begin_install(oauth_bot)
    forged = finish_install(oauth_bot, "code-5", "forged-state", f"{COOKIE}=forged-state")
    refused(forged, "invalid_state")
    other_browser = finish_install(oauth_bot, "code-5", started.state, f"{COOKIE}=someone-else")
    refused(other_browser, "invalid_browser")
    no_cookie = finish_install(oauth_bot, "code-5", started.state, None)
    refused(no_cookie, "invalid_browser")

    codes = [c.params.get("code") for c in oauth_bot.fake.calls_to("oauth.v2.access")]
    assert "code-5" not in codes  # Slack is never asked: the code stays unused
    assert oauth_bot.rows("slack_installations", team(5)) == []
    assert oauth_bot.rows("slack_bots", team(5)) == []
    oauth_bot.bot.wait_log("an install did not complete: invalid_state", since=mark)


def test_a_used_state_cannot_be_used_again(oauth_bot: OAuthBot) -> None:
    started = begin_install(oauth_bot)
    assert finish_install(oauth_bot, "code-6", started.state, started.cookie).status == 200
    again = finish_install(oauth_bot, "code-7", started.state, started.cookie)
    refused(again, "invalid_state")
    codes = [c.params.get("code") for c in oauth_bot.fake.calls_to("oauth.v2.access")]
    assert "code-7" not in codes
    assert oauth_bot.rows("slack_installations", team(7)) == []


def test_an_expired_state_is_refused(oauth_bot: OAuthBot) -> None:
    expired = SQLAlchemyOAuthStateStore(expiration_seconds=-60, engine=oauth_bot.db).issue()
    page = finish_install(oauth_bot, "code-8", expired, f"{COOKIE}={expired}")
    refused(page, "invalid_state")
    assert oauth_bot.rows("slack_installations", team(8)) == []


def test_the_installer_cancelling_is_an_error_page(oauth_bot: OAuthBot) -> None:
    started = begin_install(oauth_bot)
    query = urlencode({"error": "access_denied", "state": started.state})
    page = get(f"{oauth_bot.url}/slack/oauth_redirect?{query}", cookie=started.cookie)
    assert "Something Went Wrong" in page.body and "access_denied" in page.body


# -- many workspaces --------------------------------------------------------------------------


def test_each_workspace_is_answered_with_its_own_bot_token(oauth_bot: OAuthBot) -> None:
    install(oauth_bot, 1)
    install(oauth_bot, 2)
    for number in (1, 2):
        delivered = oauth_bot.bot.event(dm_from(number))
        assert delivered.status == 200
    for number in (1, 2):
        (post,) = oauth_bot.wait_posts(f"D{number:04d}")
        assert post.ok
        assert post.headers["authorization"] == f"Bearer {token(number)}"
        assert "drug court" in str(post.params).lower()


def test_each_workspaces_counts_and_declined_questions_stay_apart(oauth_bot: OAuthBot) -> None:
    install(oauth_bot, 1)
    install(oauth_bot, 2)
    oauth_bot.bot.event(dm_from(1, "what is a drug court?", channel="D1001"))
    oauth_bot.bot.event(dm_from(2, "where do I order photocopier toner?", channel="D1002"))
    (answer,) = oauth_bot.wait_posts("D1001")
    (decline,) = oauth_bot.wait_posts("D1002")
    assert answer.headers["authorization"] == f"Bearer {token(1)}"
    assert decline.headers["authorization"] == f"Bearer {token(2)}"
    query = "SELECT team_id, {} FROM {} WHERE team_id IN ('T0001', 'T0002')"

    def stored() -> tuple[set[tuple[str, str]], set[str]]:
        with oauth_bot.db.connect() as connection:
            counted = connection.execute(text(query.format("target", "answer_counts"))).all()
            declined = connection.execute(text(query.format("text", "declined_questions"))).all()
        return {(t, w) for t, w in counted}, {t for t, w in declined if "toner" in w}

    deadline = time.monotonic() + 10  # counts are written behind, in a batch every 0.2 s
    counted, declined = stored()
    while (not declined or ("T0001", "entry:drug-courts") not in counted) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
        counted, declined = stored()
    assert ("T0001", "entry:drug-courts") in counted
    assert declined == {"T0002"}


def test_a_workspace_that_never_installed_gets_no_answer_and_a_clear_log_line(
    oauth_bot: OAuthBot,
) -> None:
    mark = oauth_bot.bot.log_mark()
    delivered = oauth_bot.bot.event(dm_from(3))
    assert delivered.status == 200  # acknowledged, so Slack does not retry
    log = oauth_bot.bot.wait_log(f"no installation for team {team(3)}", since=mark)
    assert "/slack/install" in log
    quiet()
    assert oauth_bot.posts_in("D0003") == []


def test_uninstalling_forgets_the_workspace(oauth_bot: OAuthBot) -> None:
    install(oauth_bot, 9)
    uninstalled = payloads.event_callback({"type": "app_uninstalled"}, team_id=team(9))
    assert oauth_bot.bot.event(uninstalled).status == 200
    deadline = time.monotonic() + PATIENCE  # the bots row goes first, then the installations
    while time.monotonic() < deadline and (
        oauth_bot.rows("slack_bots", team(9)) or oauth_bot.rows("slack_installations", team(9))
    ):
        time.sleep(0.05)
    assert oauth_bot.rows("slack_bots", team(9)) == []
    assert oauth_bot.rows("slack_installations", team(9)) == []

    mark = oauth_bot.bot.log_mark()
    oauth_bot.bot.event(dm_from(9))
    oauth_bot.bot.wait_log(f"no installation for team {team(9)}", since=mark)
    quiet()
    assert oauth_bot.posts_in("D0009") == []
