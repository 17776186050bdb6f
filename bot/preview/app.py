"""The preview's WSGI application: the conversation, the Home tab, the gallery, the tips.

Nothing is kept between requests: a conversation is replayed from the turns in its URL, the
gallery reloads the knowledge base from disk on every visit (so a maintainer sees an edit, or
its validation problems, on refresh), and nothing is ever recorded.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from bot.engine import Engine
from bot.engine.tips import pick_tip
from bot.preview import pages
from bot.preview.content import load_lenient
from bot.preview.conversation import Conversation, Turn, decode_all, turn_for, would_record
from bot.preview.mrkdwn import esc
from bot.preview.render import render_blocks
from bot.slack import asking
from bot.slack.actions import THANKS, answer_modal_from
from bot.slack.home import answer_modal, home_view
from bot.slack.replies import Reply, entry_reply
from bot.slack.tip_post import tip_reply

log = logging.getLogger("toolkit_bot.preview")
StartResponse = Callable[..., Any]
Response = tuple[str, str, str]  # status, content type, body
MAX_QUERY = 200_000
TIP_DAYS = 7
HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    # No script may run at all: what a user typed can never execute, even if escaping failed.
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
]


@dataclass
class PreviewApp:
    """The preview for one engine; `knowledge`/`intents` are where the gallery reloads from."""

    engine: Engine
    knowledge: Path
    intents: Path
    today: Callable[[], date] = field(default=date.today)
    #: The knowledge base's problems when the preview started (it answers from what loaded).
    problems: tuple[str, ...] = ()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """WSGI entry point."""
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            status, kind, body = self.respond(environ)
        except Exception:  # the one boundary: a page that fails says so, the log has the why
            log.exception("the preview could not draw %s", environ.get("PATH_INFO"))
            status, kind, body = "500 Internal Server Error", "text/plain", "Something went wrong."
        if method not in ("GET", "HEAD"):
            status, kind, body = "405 Method Not Allowed", "text/plain", "GET only.\n"
        data = body.encode("utf-8")
        headers = [("Content-Type", f"{kind}; charset=utf-8"), ("Content-Length", str(len(data)))]
        start_response(status, headers + HEADERS)
        return [b""] if method == "HEAD" else [data]

    def respond(self, environ: Mapping[str, Any]) -> Response:
        """The page for one request."""
        path = str(environ.get("PATH_INFO") or "/")
        raw = str(environ.get("QUERY_STRING") or "")
        if path == "/healthz":
            return "200 OK", "text/plain", "ok\n"
        if len(raw) > MAX_QUERY:
            return "414 URI Too Long", "text/plain", "This conversation is too long: start anew.\n"
        query = parse_qs(raw, max_num_fields=200)
        route = ROUTES.get(path.rstrip("/") or "/")
        if route is None:
            body = pages.page("Not found", "", '<p class="intro">No such page.</p>')
            return "404 Not Found", "text/html", body
        return "200 OK", "text/html", route(self, query)

    def conversation(self, query: Mapping[str, list[str]]) -> str:
        """The DM: every turn replayed, the new question (q) answered last."""
        turns = decode_all(query.get("t", []))
        question = (query.get("q") or [""])[0]
        if question.strip():
            turns = decode_all([*(t.encode() for t in turns), f"ask:{question}"])
        messages = Conversation(self.engine).replay(turns)

        def href(button: Mapping[str, Any]) -> str | None:
            turn = turn_for(button)
            return pages.conversation_url([*turns, turn]) if turn else None

        body = pages.messages_html(messages, href) if messages else pages.intro()
        return self._page("Toolkit Bot", "messages", body, tail=pages.composer(turns))

    def home(self, query: Mapping[str, list[str]]) -> str:
        """The App Home tab; a button opens its answer in a modal, as Slack does."""
        view = home_view(self.engine)
        turn = Turn.decode((query.get("a") or [""])[0])
        modal, note = self._modal(turn) if turn else (None, "")
        body = f'<div class="home-view">{pages.builder_link(view)}'
        body += render_blocks(view["blocks"], _home_href) + "</div>"
        if modal is not None:
            body += pages.view_html(modal, _home_href, close="/home", note=note)
        return self._page("Toolkit Bot · Home", "home", body)

    def _modal(self, turn: Turn) -> tuple[dict[str, Any] | None, str]:
        """The modal a click on the Home tab (or in a modal) opens, and what it would record."""
        services = Conversation(self.engine).services
        reply: Reply | None = None
        if turn.kind == "open":
            reply = asking.open_entry(services, turn.value, shareable=False)
        elif turn.kind == "more":
            reply = asking.more_detail(services, turn.value)
        elif turn.kind in ("up", "down"):
            try:
                shown = asking.rebuild(services, turn.value, shareable=False)
                vote = json.loads(turn.value)
            except (ValueError, AttributeError):
                return None, ""
            modal = answer_modal_from(answer_modal(shown), THANKS)
            helpful = turn.kind == "up"
            return modal, would_record(str(vote.get("t")), str(vote.get("q")), helpful=helpful)
        return (answer_modal(reply), "") if reply is not None else (None, "")

    def gallery(self, query: Mapping[str, list[str]]) -> str:
        """Every entry's card, from the knowledge base as it is on disk now.

        A broken knowledge base shows every problem, as `toolkit-bot validate` lists them, above
        the cards of the files that passed their own checks.
        """
        loaded = load_lenient(self.knowledge, self.intents)
        engine = loaded.engine
        entries = sorted(engine.entries, key=lambda e: e.id)
        if loaded.problems:
            shown = (
                f"The {len(entries)} cards below are the entries whose files passed their own "
                "checks; fix the problems above and reload this page to see the rest."
            )
            body = pages.problems_html(loaded.problems, shown)
        else:
            body = (
                f'<p class="ok">{len(entries)} entries, all valid ({esc(str(self.knowledge))}).</p>'
            )
        toc = "".join(f'<li><a href="#entry-{e.id}">{esc(e.title)}</a></li>' for e in entries)
        body += f'<ul class="toc">{toc}</ul>'
        for entry in entries:
            reply = entry_reply(entry, engine, entry.title, shareable=False)
            heading = f"{esc(entry.title)} · <code>{esc(entry.id)}.yaml</code>"
            body += pages.card(f"entry-{entry.id}", heading, {"blocks": reply.blocks}, _new_href)
        return self._page("Gallery: every entry's card", "gallery", body)

    def tips(self, query: Mapping[str, list[str]]) -> str:
        """The tip card of each of the next seven days (`/toolkit tip`, the tip intent)."""
        body = (
            '<p class="intro">The tip the bot gives on each of the next seven days, as '
            "<code>/toolkit tip</code> and “tip of the day” show it.</p>"
        )
        for offset in range(TIP_DAYS):
            day = self.today() + timedelta(days=offset)
            entry = pick_tip(self.engine.entries, day.toordinal())
            if entry is None:
                continue
            reply = tip_reply(entry, self.engine)
            heading = f"{day:%A} {day.day} {day:%B %Y} · {esc(entry.title)}"
            body += pages.card(
                f"tip-{day.isoformat()}", heading, {"blocks": reply.blocks}, _new_href
            )
        return self._page("Daily tips: the next seven days", "tips", body)

    def _page(self, title: str, active: str, body: str, *, tail: str = "") -> str:
        """pages.page, with a warning above the body when the knowledge base was broken."""
        if self.problems and active != "gallery":
            body = pages.broken_banner(len(self.problems), len(self.engine.entries)) + body
        return pages.page(title, active, body, tail=tail)


def _home_href(button: Mapping[str, Any]) -> str | None:
    turn = turn_for(button)
    return "/home?" + urlencode({"a": turn.encode()}) if turn else None


def _new_href(button: Mapping[str, Any]) -> str | None:
    """A button on a card starts a conversation with that click."""
    turn = turn_for(button)
    return pages.conversation_url([turn]) if turn else None


Route = Callable[[PreviewApp, Mapping[str, list[str]]], str]
ROUTES: dict[str, Route] = {
    "/": PreviewApp.conversation,
    "/home": PreviewApp.home,
    "/gallery": PreviewApp.gallery,
    "/tips": PreviewApp.tips,
}
