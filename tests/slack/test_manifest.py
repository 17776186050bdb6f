"""manifest.yml and manifest.socket-mode.yml: valid against Slack's published schema, and exactly
what the code registers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from bot.engine import Engine
from bot.slack import BOT_EVENTS, BOT_SCOPES, COMMANDS, MESSAGE_SHORTCUTS, assistant, register
from bot.slack.services import Services
from bot.slack.unfurl import Unfurler
from tests.conftest import ROOT, SHARED

MANIFESTS = {"http": ROOT / "manifest.yml", "socket": ROOT / "manifest.socket-mode.yml"}
SCHEMA = SHARED / "slack" / "manifest.schema.json"


def load(mode: str) -> dict[str, Any]:
    return yaml.safe_load(MANIFESTS[mode].read_text(encoding="utf-8"))  # type: ignore[no-any-return]


class Recorder:
    """Stands in for a Bolt App to see what register() wires (nothing else is faked)."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.commands: list[str] = []
        self.shortcuts: list[str] = []
        self.actions: list[object] = []
        self.views: list[object] = []
        self.assistants: list[object] = []
        self.middleware: list[object] = []

    def _keep(self, into: list[Any], name: object) -> Callable[[Callable[..., Any]], None]:
        into.append(name)
        return lambda handler: None

    def event(self, name: str, matchers: object = None) -> Callable[[Callable[..., Any]], None]:
        return self._keep(self.events, name)

    def assistant(self, middleware: object) -> None:
        self.assistants.append(middleware)

    def use(self, middleware: object) -> None:
        self.middleware.append(middleware)

    def command(self, name: str) -> Callable[[Callable[..., Any]], None]:
        return self._keep(self.commands, name)

    def shortcut(self, name: str) -> Callable[[Callable[..., Any]], None]:
        return self._keep(self.shortcuts, name)

    def action(self, name: object) -> Callable[[Callable[..., Any]], None]:
        return self._keep(self.actions, name)

    def view(self, callback_id: object) -> Callable[[Callable[..., Any]], None]:
        return self._keep(self.views, callback_id)

    def error(self, handler: Callable[..., Any]) -> None:
        self.error_handler = handler


@pytest.mark.parametrize("mode", sorted(MANIFESTS))
def test_manifest_matches_slacks_schema(mode: str) -> None:
    if not SCHEMA.exists():
        pytest.skip("shared/slack/manifest.schema.json is not present")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(load(mode)), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("mode", sorted(MANIFESTS))
def test_manifest_declares_what_the_code_uses(mode: str, engine: Engine) -> None:
    manifest = load(mode)
    features, settings = manifest["features"], manifest["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == sorted(BOT_EVENTS)
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert [c["command"] for c in features["slash_commands"]] == list(COMMANDS)
    message_shortcuts = [s["callback_id"] for s in features["shortcuts"] if s["type"] == "message"]
    assert message_shortcuts == list(MESSAGE_SHORTCUTS)
    assert settings["interactivity"]["is_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    # Slack's current agent messaging experience (new apps can no longer use assistant_view)
    assert "assistant_view" not in features
    assert features["agent_view"]["suggested_prompts"] == assistant.suggested_prompts()
    assert len(features["agent_view"]["agent_description"]) <= 300
    for host in Unfurler(engine.entries).domains:
        assert any(host == d or host.endswith("." + d) for d in features["unfurl_domains"]), host


def test_http_and_socket_mode_settings() -> None:
    http, socket = load("http"), load("socket")
    assert http["settings"]["socket_mode_enabled"] is False
    assert socket["settings"]["socket_mode_enabled"] is True
    urls = [
        http["settings"]["event_subscriptions"]["request_url"],
        http["settings"]["interactivity"]["request_url"],
        *(c["url"] for c in http["features"]["slash_commands"]),
    ]
    assert all(url.endswith("/slack/events") for url in urls)
    assert "request_url" not in socket["settings"]["event_subscriptions"]
    assert all("url" not in c for c in socket["features"]["slash_commands"])


def test_register_wires_exactly_the_manifests_surfaces(engine: Engine) -> None:
    app = Recorder()
    register(app, Services(engine))  # type: ignore[arg-type]
    # Bolt's Assistant middleware takes assistant_thread_started / _context_changed (and the
    # messages in DM threads); app_home_opened has two listeners (the DM's Messages tab first).
    [middleware] = app.assistants
    assert app.events.count("app_home_opened") == 2
    wired = {e if e != "message" else "message.im" for e in app.events}
    wired |= {"assistant_thread_started", "assistant_thread_context_changed"}
    assert isinstance(middleware, assistant.Assistant)
    assert sorted(wired) == sorted(BOT_EVENTS)
    assert app.commands == list(COMMANDS)
    assert app.shortcuts == list(MESSAGE_SHORTCUTS)
    assert len(app.actions) == 5 and app.error_handler is not None
    assert app.views == ["feedback_comment"]  # the 👎 modal (interactivity, no manifest entry)
