"""Reloading the knowledge base (bot/reload.py): a good edit is swapped in, a broken one keeps
the engine serving and names every problem exactly as `toolkit-bot validate` does."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.config import Settings
from bot.content import load_content
from bot.engine import Engine
from bot.errors import ConfigError
from bot.jobs.tips import TipRunner
from bot.reload import Reloader, ReloadResult, reload_content
from bot.slack.reloading import NO_ADMINS, ReloadCommand, clipped, reload_reply
from bot.slack.services import Services
from tests.conftest import INTENTS, KNOWLEDGE

TITLE = "title: Closed-circuit television (CCTV)\n"


@dataclass
class Holder:
    engine: Engine


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the real knowledge base and intents that a test may edit."""
    knowledge, intents = tmp_path / "knowledge", tmp_path / "intents"
    shutil.copytree(KNOWLEDGE, knowledge)
    shutil.copytree(INTENTS, intents)
    return knowledge, intents


def engine_from(knowledge: Path, intents: Path) -> Engine:
    content = load_content(knowledge, intents)
    return Engine(content.entries, content.intents, version=content.version)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_good_edit_is_swapped_in(dirs: tuple[Path, Path]) -> None:
    holder = Holder(engine_from(*dirs))
    old = holder.engine
    edit(dirs[0] / "cctv.yaml", TITLE, "title: Cameras (CCTV), renamed\n")

    result = reload_content(holder, *dirs)

    assert result.ok and result.changed and not result.problems
    assert holder.engine is not old
    assert holder.engine.by_id["cctv"].title == "Cameras (CCTV), renamed"
    assert result.previous == old.version != result.version == holder.engine.version
    assert result.entries == len(holder.engine.entries) == len(old.entries)
    assert result.report() == ""


def test_nothing_changed_keeps_the_same_engine(dirs: tuple[Path, Path]) -> None:
    holder = Holder(engine_from(*dirs))
    old = holder.engine

    result = reload_content(holder, *dirs)

    assert result.ok and not result.changed and holder.engine is old


def test_broken_yaml_keeps_the_old_engine_and_names_file_line_and_field(
    dirs: tuple[Path, Path],
) -> None:
    holder = Holder(engine_from(*dirs))
    old = holder.engine
    edit(dirs[0] / "cctv.yaml", TITLE, "title:\n")  # no title at all
    edit(dirs[0] / "alley-gating.yaml", "\ntitle: ", "\ntitle: [broken\n  x: ")  # not YAML

    result = reload_content(holder, *dirs)

    assert not result.ok and not result.changed
    assert holder.engine is old  # still serving
    assert (result.version, result.entries) == (old.version, len(old.entries))
    by_file = {(p.path.name, p.field): p for p in result.problems}
    title = by_file["cctv.yaml", "title"]
    assert title.path == dirs[0] / "cctv.yaml" and title.line == 2
    assert "expected text" in title.message
    yaml_problem = by_file["alley-gating.yaml", None]
    assert yaml_problem.line and "invalid YAML" in yaml_problem.message
    assert f"{dirs[0] / 'cctv.yaml'}:2: title: " in result.report()


def test_the_report_is_what_validate_prints(
    dirs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    holder = Holder(engine_from(*dirs))
    edit(dirs[0] / "cctv.yaml", TITLE, "title: 42\n")
    result = reload_content(holder, *dirs)

    status = main(["validate", "--knowledge", str(dirs[0]), "--intents", str(dirs[1])])

    assert status == 1
    assert capsys.readouterr().err == result.report() + "\n"
    assert result.report().startswith(f"toolkit-bot: {len(result.problems)} problem(s)")


def test_an_unexpected_error_is_a_problem_too(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = Holder(engine_from(*dirs))
    old = holder.engine

    def unreadable(knowledge: Path, intents: Path) -> None:
        raise PermissionError(13, "Permission denied", str(knowledge / "cctv.yaml"))

    monkeypatch.setattr("bot.reload.load_content", unreadable)
    result = reload_content(holder, *dirs)

    assert not result.ok and holder.engine is old
    [problem] = result.problems
    assert problem.path == dirs[0] and "Permission denied" in problem.message


def test_one_log_line_per_reload_and_one_per_problem(
    dirs: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    reloader = Reloader(Holder(engine_from(*dirs)), *dirs, where="worker 7")
    caplog.set_level(logging.INFO, logger="toolkit_bot.reload")

    good = reloader.reload()
    edit(dirs[0] / "cctv.yaml", TITLE, "title:\n")
    broken = reloader.reload()

    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == (
        f"knowledge base reloaded (worker 7): version {good.version}, {good.entries} entries "
        "(unchanged)"
    )
    assert lines[1] == (
        f"knowledge base NOT reloaded (worker 7): {len(broken.problems)} problem(s); still "
        f"serving version {good.version} ({good.entries} entries)"
    )
    assert lines[2:] == [f"  {p}" for p in broken.problems]


def test_everywhere_tells_the_others_only_when_the_reload_worked(dirs: tuple[Path, Path]) -> None:
    told: list[int] = []
    reloader = Reloader(Holder(engine_from(*dirs)), *dirs, others=lambda: told.append(1))

    reloader.reload()
    assert told == []  # a reload for this process alone (SIGHUP)
    reloader.reload(everywhere=True)
    assert told == [1]
    edit(dirs[0] / "cctv.yaml", TITLE, "title:\n")
    reloader.reload(everywhere=True)
    assert told == [1]  # a broken edit: every other process would refuse it too


@pytest.fixture
def restore_sighup() -> Iterator[None]:
    before = signal.getsignal(signal.SIGHUP)
    yield
    signal.signal(signal.SIGHUP, before)


@pytest.mark.usefixtures("restore_sighup")
def test_sighup_reloads_in_a_thread(dirs: tuple[Path, Path]) -> None:
    holder = Holder(engine_from(*dirs))
    old = holder.engine
    Reloader(holder, *dirs).listen("test")
    edit(dirs[0] / "cctv.yaml", TITLE, "title: Cameras\n")

    os.kill(os.getpid(), signal.SIGHUP)

    deadline = time.monotonic() + 10
    while holder.engine is old and time.monotonic() < deadline:
        time.sleep(0.02)
    assert holder.engine.by_id["cctv"].title == "Cameras"


# -- what else holds an engine follows the swap ---------------------------------------------


def test_services_unfurler_follows_the_swapped_engine(dirs: tuple[Path, Path]) -> None:
    services = Services(engine_from(*dirs))
    first = services.unfurler()
    assert services.unfurler() is first  # built once per engine
    edit(dirs[0] / "cctv.yaml", TITLE, "title: Cameras\n")
    reload_content(services, *dirs)
    assert services.unfurler() is not first


def test_the_tip_runner_reads_the_engine_it_is_given_each_time(dirs: tuple[Path, Path]) -> None:
    services = Services(engine_from(*dirs))
    runner = TipRunner(
        None,  # type: ignore[arg-type]
        lambda: services.engine,
        lambda team: None,
        cutoff=timedelta(hours=1),
    )
    assert runner.engine is services.engine
    edit(dirs[0] / "cctv.yaml", TITLE, "title: Cameras\n")
    reload_content(services, *dirs)
    assert runner.engine is services.engine
    assert runner.engine.by_id["cctv"].title == "Cameras"


# -- /toolkit reload ------------------------------------------------------------------------


def command(user: str = "U0ADMIN", text: str = "reload") -> dict[str, Any]:
    return {"text": text, "user_id": user, "team_id": "T1", "channel_id": "C1"}


def test_only_admins_may_reload(dirs: tuple[Path, Path]) -> None:
    services = Services(engine_from(*dirs))
    old = services.engine
    edit(dirs[0] / "cctv.yaml", TITLE, "title: Cameras\n")
    handler = ReloadCommand(Reloader(services, *dirs), ("U0ADMIN", "W0OTHER"))

    refused = handler(command("U0SOMEONE"), services)

    assert refused["response_type"] == "ephemeral"
    assert "only Toolkit Bot's admins" in refused["text"]
    assert "<@U0ADMIN> or <@W0OTHER>" in refused["text"]
    assert services.engine is old

    done = handler(command("U0ADMIN"), services)
    assert done["response_type"] == "ephemeral"
    assert f"now serving version `{services.engine.version}`" in done["text"]
    assert f"{len(services.engine.entries)} entries (was `{old.version}`)" in done["text"]
    assert services.engine.by_id["cctv"].title == "Cameras"


def test_with_no_admins_the_reply_says_how_to_set_them(dirs: tuple[Path, Path]) -> None:
    services = Services(engine_from(*dirs))
    reply = ReloadCommand(Reloader(services, *dirs), ())(command("U0SOMEONE"), services)
    assert reply["text"] == NO_ADMINS.format(user="U0SOMEONE")
    assert "TOOLKIT_BOT_ADMINS" in reply["text"]


def test_more_words_after_reload_are_a_question(dirs: tuple[Path, Path]) -> None:
    services = Services(engine_from(*dirs))
    reply = ReloadCommand(Reloader(services, *dirs), ())(
        command(text="reload cctv cameras?"), services
    )
    assert "TOOLKIT_BOT_ADMINS" not in reply["text"] and reply.get("blocks")


def test_a_broken_edit_lists_every_problem_for_the_admin(dirs: tuple[Path, Path]) -> None:
    services = Services(engine_from(*dirs))
    old = services.engine
    edit(dirs[0] / "cctv.yaml", TITLE, "title:\n")
    handler = ReloadCommand(Reloader(services, *dirs), ("U0ADMIN",))

    text = handler(command(), services)["text"]

    assert services.engine is old
    result = reload_content(services, *dirs)
    assert f"still serving version `{old.version}` ({len(old.entries)} entries)" in text
    assert f"```\n{result.report()}\n```" in text  # no & < > to escape in these problems
    assert all(str(p) in text for p in result.problems)


def test_a_huge_report_is_cut_with_a_count() -> None:
    from bot.errors import Problem

    problems = tuple(
        Problem(Path(f"knowledge/e{i}.yaml"), i, "title", "expected text <here> & there")
        for i in range(1, 400)
    )
    result = ReloadResult(False, "abc", 47, "abc", problems)

    text = reload_reply(result)

    assert len(text) < 3600
    shown = clipped(result)
    left = len(problems) - (len(shown.splitlines()) - 2)
    assert shown.endswith(
        f"... and {left} more problem(s): run `toolkit-bot validate` to see them all"
    )
    assert "&lt;here&gt; &amp; there" in text and "<here>" not in text


# -- TOOLKIT_BOT_ADMINS -----------------------------------------------------------------------


def settings(**env: str) -> Settings:
    return Settings.from_env(env)


def test_admins_are_read_as_user_ids() -> None:
    assert settings().admins == ()
    assert settings(TOOLKIT_BOT_ADMINS=" U0001, W12AB3 ,,").admins == ("U0001", "W12AB3")


def test_a_wrong_admin_id_is_named() -> None:
    with pytest.raises(ConfigError) as caught:
        settings(TOOLKIT_BOT_ADMINS="U0001,@alice,u0002")
    message = str(caught.value)
    assert "TOOLKIT_BOT_ADMINS" in message and "'@alice', 'u0002'" in message
    assert "'U0001'" not in message
