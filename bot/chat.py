"""`toolkit-bot chat`: one conversation in the terminal, kept as a thread.

Follow-ups ("how strong is the evidence?") are about the last entry answered, exactly as in a
Slack thread; a did-you-mean suggestion can be picked by its number; when the input is not a
terminal each question is echoed, so a piped session reads as a transcript.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TextIO

from bot.engine import Answer, Engine, thread_context
from bot.engine.tips import pick_tip
from bot.terminal import render

PROMPT = "> "
LEAVE = ("quit", "exit", "bye")


class Chat:
    """The state of one terminal conversation: its thread context and the last suggestions."""

    def __init__(self, engine: Engine, out: TextIO, *, echo: bool = False) -> None:
        self.engine, self.out, self.echo = engine, out, echo
        self.context: tuple[str, ...] = ()
        self.suggestions: tuple[str, ...] = ()

    def run(self, lines: Iterable[str]) -> int:
        """Answer every line until the input ends or the user leaves."""
        self._say("Ask a question; follow-ups stay on the same topic (Ctrl-D or 'quit' to leave).")
        if not self.echo:
            print(PROMPT, end="", file=self.out, flush=True)
        for raw in lines:
            question = raw.rstrip("\r\n")
            if self.echo:
                self._say(f"{PROMPT}{question}")
            if question.strip().lower() in LEAVE:
                return 0
            self._say(self.reply(question) + "\n")
            if not self.echo:
                print(PROMPT, end="", file=self.out, flush=True)
        self._say("")
        return 0

    def reply(self, question: str) -> str:
        """The rendered answer to one line, updating the thread."""
        answer = self._answer(question.strip())
        self.context = thread_context(answer, self.context)
        self.suggestions = tuple(e.id for e in answer.alternatives)
        tip = pick_tip(self.engine.entries, date.today().toordinal())
        return render(answer, self.engine, tip=tip if answer.intent == "tip" else None)

    def _answer(self, question: str) -> Answer:
        if question.isdigit() and 0 < int(question) <= len(self.suggestions):
            chosen = self.engine.for_entry(self.suggestions[int(question) - 1], question)
            if chosen is not None:
                return chosen
        if not question:
            return self.engine.for_intent("help")
        return self.engine.answer(question, context=self.context)

    def _say(self, text: str) -> None:
        print(text, file=self.out, flush=True)
