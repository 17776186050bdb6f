"""A direct-message conversation with the bot, replayed from the turns the page carries.

The page keeps the conversation in its URL (each question or click is one `t` value), so it
works without JavaScript or a server-side session. Every reply comes from the same functions
the Slack listeners call (bot.slack.asking: Engine.answer then replies.compose, with the
thread's context kept by Services exactly as in a Slack thread): the preview builds nothing of
its own, it only says what Slack would do where nothing would be posted (votes, shares).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine import Engine
from bot.slack import asking
from bot.slack.actions import THANKS, feedback_of
from bot.slack.comments import comment_modal
from bot.slack.replies import Reply, credited
from bot.slack.services import Services
from bot.slack.threads import thread_key

USER, TEAM, CHANNEL = "U0PREVIEW", "T0PREVIEW", "D0PREVIEW"
#: A DM's top level is one conversation, as in Slack (bot.slack.threads.thread_key).
THREAD = thread_key(TEAM, CHANNEL, None)
MAX_TURNS = 40
MAX_CHARS = 4000
UNREADABLE = "(a button value the bot cannot read: nothing would happen in Slack)"
SLASH = "/toolkit"
#: Button action ids (prefixes) and the turn a click on each becomes.
ACTIONS = (
    ("open_entry", "open"),
    ("more_detail", "more"),
    ("feedback_up", "up"),
    ("feedback_down", "down"),
    ("share_answer", "share"),
)
KINDS = ("ask", *(kind for _, kind in ACTIONS))


@dataclass(frozen=True, slots=True)
class Turn:
    """One thing the person did: asked (`ask`) or clicked a button (its kind and value)."""

    kind: str
    value: str

    def encode(self) -> str:
        """As carried in the page's URL."""
        return f"{self.kind}:{self.value}"

    @classmethod
    def decode(cls, raw: str) -> Turn | None:
        """A turn from the URL, or None for anything that is not one."""
        kind, sep, value = raw.partition(":")
        return cls(kind, value[:MAX_CHARS]) if sep and kind in KINDS else None


def turn_for(button: Mapping[str, Any]) -> Turn | None:
    """The turn a click on this button is, or None for a button the bot does not handle."""
    action = str(button.get("action_id", ""))
    for prefix, kind in ACTIONS:
        if action.startswith(prefix):
            return Turn(kind, str(button.get("value", "")))
    return None


def decode_all(raws: Iterable[str]) -> list[Turn]:
    """The conversation's turns, at most MAX_TURNS (what is past that is dropped)."""
    turns = [turn for turn in map(Turn.decode, raws) if turn is not None]
    return turns[:MAX_TURNS]


@dataclass(frozen=True, slots=True)
class Message:
    """One line of the conversation as the page shows it.

    `author` is "user" (a question), "click" (a button pressed) or "bot"; `ephemeral` marks what
    only the asker sees; `posted` a message shared into the channel; `note` says what Slack
    would do that the preview does not (record a vote); `view` is a modal Slack would open.
    """

    author: str
    text: str = ""
    reply: Reply | None = None
    ephemeral: bool = False
    posted: bool = False
    note: str = ""
    view: dict[str, Any] | None = None


class Conversation:
    """Plays turns against the bot's own Slack functions; one per page (its thread memory)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.services = Services(engine)  # in-memory thread context: this conversation only

    def replay(self, turns: Sequence[Turn]) -> list[Message]:
        """Every message the turns produce, in order."""
        return [message for turn in turns for message in self.play(turn)]

    def play(self, turn: Turn) -> list[Message]:
        """The messages one turn adds."""
        return _PLAYERS[turn.kind](self, turn.value)

    def _ask(self, question: str) -> list[Message]:
        if not question.strip():
            return []
        words = question.strip()
        if words.lower() == SLASH or words.lower().startswith(SLASH + " "):
            text = words[len(SLASH) :].strip()
            reply = asking.ask_command(self.services, text)
            return [Message("user", f"{SLASH} {text}"), Message("bot", reply=reply, ephemeral=True)]
        reply = asking.ask(self.services, question, thread=THREAD)
        return [Message("user", question), Message("bot", reply=reply)]

    def _open(self, entry_id: str) -> list[Message]:
        clicked = Message("click", f"Opened {self._title(entry_id)}")
        reply = asking.open_entry(self.services, entry_id, shareable=True)
        return [clicked] + ([Message("bot", reply=reply, ephemeral=True)] if reply else [])

    def _more(self, entry_id: str) -> list[Message]:
        clicked = Message("click", f"More detail on {self._title(entry_id)}")
        reply = asking.more_detail(self.services, entry_id)
        return [clicked] + ([Message("bot", reply=reply, ephemeral=True)] if reply else [])

    def _vote(self, value: str, *, helpful: bool) -> list[Message]:
        clicked = Message("click", ":+1: Helpful" if helpful else ":-1: Not helpful")
        try:
            vote = feedback_of(_body(), {"value": value}, helpful=helpful)
        except (ValueError, AttributeError):  # not the JSON object the bot's buttons carry
            return [clicked, Message("bot", note=UNREADABLE)]
        note = would_record(vote.target, vote.question, helpful=helpful)
        thanks = Message("bot", reply=Reply(THANKS, []), ephemeral=True, note=note)
        if helpful:
            return [clicked, thanks]
        return [clicked, Message("bot", view=comment_modal(vote.target, vote.question)), thanks]

    def _share(self, value: str) -> list[Message]:
        clicked = Message("click", "Share in channel")
        try:
            shared = asking.rebuild(self.services, value, shareable=False)
        except (ValueError, AttributeError):  # not the JSON object the bot's buttons carry
            return [clicked, Message("bot", note=UNREADABLE)]
        note = "would be posted in the channel, for everyone in it to see"
        return [clicked, Message("bot", reply=credited(shared, USER), posted=True, note=note)]

    def _title(self, entry_id: str) -> str:
        entry = self.engine.by_id.get(entry_id)
        return f"“{entry.title}”" if entry else f"{entry_id!r} (not in the knowledge base)"


def would_record(target: str, question: str, *, helpful: bool) -> str:
    """What the bot's feedback store would keep for a vote."""
    vote = "helpful" if helpful else "not helpful"
    asked = json.dumps(question, ensure_ascii=False)
    return f"would record: {vote} vote on {target} for the question {asked}"


def _body() -> dict[str, Any]:
    """The parts of Slack's interaction payload the feedback record reads."""
    return {"user": {"id": USER}, "team": {"id": TEAM}}


_PLAYERS: dict[str, Callable[[Conversation, str], list[Message]]] = {
    "ask": Conversation._ask,
    "open": Conversation._open,
    "more": Conversation._more,
    "up": lambda self, value: self._vote(value, helpful=True),
    "down": lambda self, value: self._vote(value, helpful=False),
    "share": Conversation._share,
}
