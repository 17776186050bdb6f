"""Answers from the College of Policing Crime Reduction Toolkit, in the terminal or in Slack.

Each command imports what it needs when it runs (the engine, the database, Slack), so the
help and the terminal commands start at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import cli_store
from bot.errors import ExitStatus, ToolkitBotError, serve_status

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.engine import Answer, Engine, Entry


DESCRIPTION = (
    "Toolkit Bot answers questions from the College of Policing Crime Reduction Toolkit and "
    "its drug-prevention guidance: in the terminal, or in Slack with `serve`."
)
EPILOG = (
    "Settings come from environment variables (SLACK_BOT_TOKEN, DATABASE_URL, ...; see the "
    "README). Exit status: 0 done, 1 a problem reported, 2 a usage mistake; `serve` has its own "
    "for each start-up failure (README: Start-up and exit statuses)."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="toolkit-bot", description=DESCRIPTION, epilog=EPILOG)
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        title="commands",
        help="`toolkit-bot COMMAND --help` shows a command's options",
    )
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(
        "--knowledge", type=Path, help="knowledge directory (default: KNOWLEDGE_DIR or ./knowledge)"
    )
    content.add_argument(
        "--intents", type=Path, help="intents directory (default: INTENTS_DIR or ./intents)"
    )
    ask = sub.add_parser(
        "ask", parents=[content], help="answer one question (no question: what the bot can do)"
    )
    ask.add_argument("question", nargs="*", help="the question, in your own words")
    ask.add_argument("--json", action="store_true", help="print the structured answer")
    ask.add_argument(
        "--detail", action="store_true", help="also print the entry's details (More detail)"
    )
    sub.add_parser(
        "chat",
        parents=[content],
        help="a conversation: follow-ups, pick a suggestion by its number",
    )
    match = sub.add_parser(
        "match", parents=[content], help="questions on stdin, one JSON line out each (for tools)"
    )
    match.add_argument(
        "--jsonl", action="store_true", required=True, help="one JSON object per line"
    )
    ev = sub.add_parser("eval", parents=[content], help="accuracy on a question file, every miss")
    ev.add_argument("questions", type=Path, help="a question file (q, expect; see README)")
    ev.add_argument(
        "--min-accuracy",
        type=float,
        default=0.0,
        metavar="PCT",
        help="exit 1 when overall accuracy is below PCT",
    )
    ev.add_argument(
        "--totals", action="store_true", help="print the figures only, not the misses (blind sets)"
    )
    sub.add_parser(
        "validate", parents=[content], help="check the knowledge base and intents: every problem"
    )
    serve = sub.add_parser(
        "serve", parents=[content], help="run the Slack app (no Slack settings: a local preview)"
    )
    serve.add_argument(
        "--mode",
        choices=("auto", "http", "socket", "preview"),
        default="auto",
        help="auto (default): the local preview when no Slack variable is set, Socket Mode when "
        "SLACK_APP_TOKEN is set (one workspace), else HTTP; preview: the local preview",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the preview's address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
    )
    cli_store.add_parsers(sub)
    tips = sub.add_parser("tips", help="daily tips for team channels (run-due, for cron)")
    tips_sub = tips.add_subparsers(
        dest="tips_command", required=True, metavar="ACTION", help="what to do with the tips"
    )
    due = tips_sub.add_parser(
        "run-due", parents=[content], help="post every due tip once, then exit (for cron)"
    )
    due.add_argument(
        "--now",
        type=_instant,
        metavar="ISO-8601",
        help="act as if it were this instant (e.g. 2026-03-30T08:00:00Z; no offset means UTC)",
    )
    return parser


def _instant(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not an ISO-8601 instant, e.g. 2026-03-30T08:00:00Z"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def load_engine(args: argparse.Namespace, settings: Settings) -> Engine:
    """Validated content from the chosen directories, indexed."""
    from bot.content import load_content
    from bot.engine import Engine

    content = load_content(
        args.knowledge or settings.knowledge_dir, args.intents or settings.intents_dir
    )
    return Engine(content.entries, content.intents, version=content.version)


def cmd_ask(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    import json

    from bot.terminal import render

    question = " ".join(args.question)
    answer = engine.answer(question) if question.strip() else engine.for_intent("help")
    if args.json:
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2), file=out)
    else:
        print(render(answer, engine, tip=_tip(engine, answer), detail=args.detail), file=out)
    return 0


def cmd_chat(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    from bot.chat import Chat

    return Chat(engine, out, echo=not sys.stdin.isatty()).run(sys.stdin)


def cmd_match(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    import json

    for line in sys.stdin:
        data = engine.answer(line.rstrip("\r\n")).as_dict()
        keys = ["intent", "entry", "score", "alternatives"]
        if data["intent"] == "compare":
            keys.append("entries")
        out.write(json.dumps({k: data[k] for k in keys}, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def cmd_eval(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    from bot.evaluate import evaluate, load_cases, percent, report_lines

    result = evaluate(engine, load_cases(args.questions))
    print("\n".join(report_lines(result, misses=not args.totals)), file=out)
    right, total = result.accuracy()
    if percent(right, total) < args.min_accuracy:
        print(
            f"accuracy {percent(right, total):.1f}% is below --min-accuracy {args.min_accuracy}%",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_validate(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    graded = [e for e in engine.entries if e.badge is not None]
    guidance = [e for e in engine.entries if e.verdict]
    print(
        f"OK: {len(engine.entries)} entries and {len(engine.intents)} intents are valid "
        f"({len(graded)} graded by the toolkit, {len(guidance)} with a guidance verdict; "
        f"knowledge base {engine.version})",
        file=out,
    )
    return 0


def cmd_tips(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    from bot.compose import run_tips_due

    return run_tips_due(args.settings, engine, args.now, out)


def cmd_serve(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    from dataclasses import replace

    from bot.compose import run_serve

    settings = replace(  # where a reload (SIGHUP, /toolkit reload) reads: what was loaded
        args.settings,
        knowledge_dir=args.knowledge or args.settings.knowledge_dir,
        intents_dir=args.intents or args.settings.intents_dir,
    )
    if args.mode == "http" and settings.web_workers > 1:
        shared_metrics()
    return run_serve(settings, engine, args.mode)


def shared_metrics() -> None:
    """Several gunicorn workers: /metrics adds up every worker's numbers (bot/metrics.py), kept
    in a directory of this run's own, removed when the master exits."""
    import atexit
    import shutil
    import tempfile

    from bot.metrics import use_multiprocess

    directory, master = tempfile.mkdtemp(prefix="toolkit-bot-metrics-"), os.getpid()

    def remove() -> None:
        if os.getpid() == master:  # a worker leaving runs atexit too: only the master removes
            shutil.rmtree(directory, ignore_errors=True)

    atexit.register(remove)
    use_multiprocess(directory, os.environ)


def serve_preview(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The local preview: it starts on a broken knowledge base too, and shows its problems."""
    from bot.preview.content import load_lenient
    from bot.preview.server import run_preview

    knowledge = args.knowledge or settings.knowledge_dir
    intents = args.intents or settings.intents_dir
    loaded = load_lenient(knowledge, intents)
    if loaded.problems:
        print(
            f"toolkit-bot: the knowledge base has {len(loaded.problems)} problem(s) "
            "(`toolkit-bot validate` lists them); the preview answers from the "
            f"{len(loaded.engine.entries)} entries that loaded and shows every problem in its "
            "gallery.",
            file=sys.stderr,
        )
    return run_preview(
        settings,
        loaded.engine,
        knowledge=knowledge,
        intents=intents,
        host=args.host,
        problems=loaded.problems,
        out=out,
    )


COMMANDS = {
    "serve": cmd_serve,
    "ask": cmd_ask,
    "chat": cmd_chat,
    "match": cmd_match,
    "eval": cmd_eval,
    "validate": cmd_validate,
    "tips": cmd_tips,
}


def _tip(engine: Engine, answer: Answer) -> Entry | None:
    from datetime import date

    from bot.engine.tips import pick_tip

    return pick_tip(engine.entries, date.today().toordinal()) if answer.intent == "tip" else None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    settings: Settings | None = None
    try:
        from bot.config import Settings

        settings = Settings.from_env(os.environ)
        args.settings = settings
        if args.command == "serve":
            args.mode = settings.serve_mode(args.mode)
            settings.check_for_serve(args.mode)  # before loading anything: name what is missing
        if args.command in cli_store.COMMANDS:  # the database only: no content needed
            return cli_store.run(args, settings, sys.stdout)
        if args.command == "serve" and args.mode == "preview":
            return serve_preview(args, settings, sys.stdout)
        engine = load_engine(args, settings)
        return COMMANDS[args.command](engine, args, sys.stdout)
    except ToolkitBotError as exc:
        return _failed(exc, args.command, settings)
    except BrokenPipeError:  # `toolkit-bot ask ... | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit-time flush has somewhere to go
        return 0


def _failed(exc: ToolkitBotError, command: str, settings: Settings | None) -> int:
    """Say what went wrong in a few lines; the traceback only with LOG_LEVEL=DEBUG."""
    if settings is not None and settings.log_level == "DEBUG":
        traceback.print_exception(exc, file=sys.stderr)
    print(f"toolkit-bot: {exc}", file=sys.stderr)
    return serve_status(exc) if command == "serve" else ExitStatus.ERROR
