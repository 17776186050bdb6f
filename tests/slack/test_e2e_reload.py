"""End to end: the real `toolkit-bot serve` (gunicorn in HTTP mode, and Socket Mode) reloads its
knowledge base on SIGHUP and on `/toolkit reload` from an admin, and a broken edit leaves the
good knowledge base serving (bot/reload.py).

Each mode gets its own bot over its own copy of knowledge/ and intents/, edited by the test,
and its own stand-in (Socket Mode sends to the newest connection, so no other bot may share it).
"""

from __future__ import annotations

import re
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import INTENTS, KNOWLEDGE
from tests.slack.conftest import Bot, command_reply, running, wait_responses, wait_until
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import USER_ID

ADMIN = "U0ADMIN1"
QUESTION = "does cctv reduce crime"
TITLE = "Closed-circuit television (CCTV)"
TITLE_LINE = f"title: {TITLE}\n"


@dataclass
class Served:
    """A running bot and the knowledge directory it reloads from."""

    bot: Bot
    fake: FakeSlack
    knowledge: Path

    @property
    def entry(self) -> Path:
        return self.knowledge / "cctv.yaml"

    def write_title(self, line: str) -> None:
        text = self.entry.read_text(encoding="utf-8")
        self.entry.write_text(re.sub(r"(?m)^title:.*\n", line, text, count=1), encoding="utf-8")

    def answer(self, text: str = QUESTION, user: str = USER_ID) -> str:
        """The text of the private answer to `/toolkit TEXT` (carried in the ack)."""
        delivered = self.bot.command(payloads.slash_command(text, user_id=user))
        assert delivered.status == 200
        return str(command_reply(delivered).body.get("text") or "")

    def reload_command(self, user: str) -> str:
        """`/toolkit reload`: acked at once, answered privately through the response_url."""
        url = self.fake.response_url()
        delivered = self.bot.command(
            payloads.slash_command("reload", user_id=user, response_url=url)
        )
        assert delivered.status == 200
        [reply] = wait_responses(self.fake, url)
        assert not reply.rejected, reply.reasons
        assert reply.response_type == "ephemeral"
        return str(reply.body["text"])

    def hang_up(self, outcome: str) -> str:
        """SIGHUP the `serve` process; wait for every serving process to log `outcome`."""
        mark = self.bot.log_mark()
        self.bot.process.send_signal(signal.SIGHUP)
        where = " (worker" if self.bot.mode == "http" else ":"
        return self.every_worker(f"knowledge base {outcome}{where}", since=mark)

    def every_worker(self, *text: str, since: int) -> str:
        """Wait until each serving process (gunicorn runs several) logged a line with every
        piece of `text` after `since`."""
        workers = max(1, self.bot.log().count("Booting worker")) if self.bot.mode == "http" else 1

        def lines() -> int:
            found = self.bot.log()[since:].splitlines()
            return sum(all(t in line for t in text) for line in found)

        wait_until(lambda: lines() >= workers, timeout=30.0)  # slow under a full suite
        return self.bot.log()[since:]


@pytest.fixture(scope="module", params=["http", "socket"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    mode = request.param
    home = tmp_path_factory.mktemp(f"reload-{mode}")
    knowledge, intents = home / "knowledge", home / "intents"
    shutil.copytree(KNOWLEDGE, knowledge)
    shutil.copytree(INTENTS, intents)
    env = {
        "KNOWLEDGE_DIR": str(knowledge),
        "INTENTS_DIR": str(intents),
        "TOOLKIT_BOT_ADMINS": ADMIN,
    }
    with FakeSlack() as fake, running(mode, fake, home, **env) as bot:
        yield Served(bot, fake, knowledge)


def test_sighup_with_a_broken_edit_keeps_the_good_knowledge_base(served: Served) -> None:
    assert served.answer().startswith(TITLE)
    booted = served.bot.log().count("Booting worker")

    served.write_title("title:\n")  # an entry without a title: the knowledge base is invalid
    log = served.hang_up("NOT reloaded")

    assert f"{served.entry}:2: title: expected text" in log  # every problem is logged
    assert served.answer().startswith(TITLE)  # the good one is still serving
    assert served.bot.process.poll() is None
    assert served.bot.log().count("Booting worker") == booted  # no worker was restarted

    served.write_title("title: CCTV cameras, renamed\n")
    served.hang_up("reloaded")

    assert served.answer().startswith("CCTV cameras, renamed")
    assert served.bot.log().count("Booting worker") == booted


def test_toolkit_reload_by_an_admin_lists_every_problem(served: Served) -> None:
    served.write_title("title:\n")
    before = served.answer()

    said = served.reload_command(ADMIN)

    assert said.startswith("*Not reloaded:*")
    assert "`toolkit-bot validate` says:\n```\ntoolkit-bot: " in said
    assert f"{served.entry}:2: title: expected text" in said
    assert served.answer() == before  # still serving what it served

    served.write_title("title: CCTV, fixed\n")
    mark = served.bot.log_mark()
    said = served.reload_command(ADMIN)

    assert said.startswith("Reloaded the knowledge base: now serving version `")
    if served.bot.mode == "http":  # the receiving worker asks the master to reload every worker
        served.bot.wait_log("Hang up: reloading the knowledge base in every worker", since=mark)
        served.bot.wait_log("(unchanged)", since=mark)  # the receiving worker had it already
        served.every_worker("knowledge base reloaded (worker", "(was ", since=mark)
    assert served.answer().startswith("CCTV, fixed")


def test_toolkit_reload_by_anyone_else_is_refused(served: Served) -> None:
    served.write_title("title: Renamed by someone else\n")
    before = served.answer()

    said = served.reload_command(USER_ID)

    assert "only Toolkit Bot's admins can reload" in said and f"<@{ADMIN}>" in said
    assert served.answer() == before  # nothing was reloaded
