"""How fast each command starts: the installed console script, run as a subprocess.

Each command runs ROUNDS times, interleaved with `python -c pass` started the same way by the
same interpreter (so the ratio cancels out the machine's speed and its load at the time); the
table gives the median and best wall time and the ratio of medians. Run it as
`.venv/bin/python benchmarks/startup.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("toolkit-bot")
ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = '- {q: "do scare tactics work?", expect: scare-tactics}\n'


def commands(scratch: Path) -> list[tuple[str, list[str], str]]:
    """(label, argv, stdin) for each command measured; the last two use the database."""
    questions = scratch / "one.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    bot = str(SCRIPT)
    return [
        ("python -c pass", [sys.executable, "-c", "pass"], ""),
        ("toolkit-bot --help", [bot, "--help"], ""),
        ('toolkit-bot ask "do scare tactics work?"', [bot, "ask", "do scare tactics work?"], ""),
        ("toolkit-bot chat (one question)", [bot, "chat"], "drug courts\nquit\n"),
        ("toolkit-bot match --jsonl (one line)", [bot, "match", "--jsonl"], "drug courts\n"),
        ("toolkit-bot validate", [bot, "validate"], ""),
        ("toolkit-bot eval (one question)", [bot, "eval", str(questions)], ""),
        ("toolkit-bot db current (database layer)", [bot, "db", "current"], ""),
    ]


def snapshot(scratch: Path) -> dict[str, str]:
    """The environment for every run: a copy of the content taken now (so an edit made while
    the benchmark runs changes nothing) and a database URL inside the scratch directory."""
    for name in ("knowledge", "intents"):
        shutil.copytree(ROOT / name, scratch / name)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(KNOWLEDGE_DIR=str(scratch / "knowledge"), INTENTS_DIR=str(scratch / "intents"))
    return env


def once(argv: list[str], stdin: str, cwd: Path, env: dict[str, str]) -> float:
    """Seconds from starting the process to its exit."""
    started = time.perf_counter()
    done = subprocess.run(
        argv,
        input=stdin,
        text=True,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr}")
    return time.perf_counter() - started


def measure(rounds: int) -> list[tuple[str, list[float]]]:
    """Every command `rounds` times, round-robin after one warm-up run each."""
    with tempfile.TemporaryDirectory() as scratch:
        where = Path(scratch)
        env = snapshot(where)
        todo = commands(where)
        times: dict[str, list[float]] = {label: [] for label, _, _ in todo}
        for _label, argv, stdin in todo:
            once(argv, stdin, where, env)  # warm the page cache and the .pyc files
        for _ in range(rounds):
            for label, argv, stdin in todo:
                times[label].append(once(argv, stdin, where, env))
        return list(times.items())


def table(results: list[tuple[str, list[float]]]) -> str:
    """A Markdown table: median and best in milliseconds, and the ratio to `python -c pass`."""
    base = statistics.median(results[0][1])
    rows = ["| command | median ms | best ms | × python -c pass |", "|---|---:|---:|---:|"]
    for label, runs in results:
        median = statistics.median(runs)
        rows.append(
            f"| `{label}` | {median * 1000:.0f} | {min(runs) * 1000:.0f} | {median / base:.1f} |"
        )
    return "\n".join(rows)


def main() -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="runs per command (default 15)")
    args = parser.parse_args()
    if not SCRIPT.exists():
        print(f"{SCRIPT} is missing: pip install -e '.[dev]' first", file=sys.stderr)
        return 1
    try:
        results = measure(args.rounds)
    except RuntimeError as exc:  # e.g. the knowledge base is broken: nothing to measure
        print(exc, file=sys.stderr)
        return 1
    print(table(results))
    print(f"\n{args.rounds} runs each, interleaved; Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
