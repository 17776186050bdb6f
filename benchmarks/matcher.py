"""Matcher speed on this machine: index build, latency p50/p99, throughput and memory, on the
real knowledge base and on synthetic bases of 1,000 and 10,000 entries, against a plain BM25
baseline run in the same process.  Run: python benchmarks/matcher.py"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from baseline import PlainBM25  # noqa: E402
from synthetic import synthetic_entries  # noqa: E402

from bot.content import load_content  # noqa: E402
from bot.engine import Engine, Entry, Intent  # noqa: E402
from bot.evaluate import load_cases  # noqa: E402

QUESTION_FILES = [ROOT / "tests/questions/tuning.yaml", ROOT / "tests/questions/holdout.yaml"]


def questions() -> list[str]:
    """Real officers' questions from the project's sets, plus one 40,000-character paste."""
    asked = [c.question for path in QUESTION_FILES for c in load_cases(path)]
    return [*asked, "do scare tactics work? " + "blah " * 8000]


def timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def build(entries: Sequence[Entry], intents: Sequence[Intent]) -> tuple[float, float, Engine]:
    """Seconds to build the engine (the better of two builds, as this VM's speed wanders), and
    the peak memory in MiB a build allocates, traced in a third build because tracing slows a
    build several times over.
    """
    gc.collect()
    seconds, engine = timed(lambda: Engine(entries, intents))
    again, _ = timed(lambda: Engine(entries, intents))
    seconds = min(seconds, again)
    assert isinstance(engine, Engine)
    tracemalloc.start()
    Engine(entries, intents)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, engine


def latencies(ask: Callable[[str], object], asked: list[str], rounds: int) -> list[float]:
    """Per-question wall time in milliseconds, every question `rounds` times."""
    for question in asked:  # warm caches the way a running bot has them
        ask(question)
    out = []
    for _ in range(rounds):
        for question in asked:
            start = time.perf_counter()
            ask(question)
            out.append((time.perf_counter() - start) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 1000) - 1]


def row(
    name: str, n: int, build_s: float, peak: float, ours: list[float], base: list[float]
) -> str:
    ratio = statistics.mean(ours) / statistics.mean(base)
    qps = 1000 / statistics.mean(ours)
    return (
        f"| {name:<11} | {n:>6} | {build_s * 1000:>8.0f} | {peak:>7.1f} | {p(ours, 0.5):>7.3f} "
        f"| {p(ours, 0.99):>7.3f} | {qps:>8.0f} | {p(base, 0.5):>7.3f} | {p(base, 0.99):>7.3f} "
        f"| {ratio:>6.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    content = load_content(ROOT / "knowledge", ROOT / "intents")
    asked = questions()
    print(f"{len(asked)} questions x {args.rounds} rounds; times in ms unless stated\n")
    print(
        "| base        |  entries | build ms | peak MiB | p50 ms | p99 ms | questions/s "
        "| BM25 p50 | BM25 p99 | ours / BM25 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    bases = [("real", list(content.entries))]
    bases += [("synthetic", synthetic_entries(content.entries, n)) for n in args.sizes]
    means = []
    for name, entries in bases:
        build_s, peak, engine = build(entries, content.intents)
        baseline = PlainBM25(entries)
        ours = latencies(engine.answer, asked, args.rounds)
        base = latencies(baseline.best, asked, args.rounds)
        means.append((len(entries), statistics.mean(ours)))
        print(row(name, len(entries), build_s, peak, ours, base))
    if len(means) >= 3:
        (n1, t1), (n2, t2) = means[1], means[2]
        print(f"\ngrowth: {n2 / n1:.0f}x the entries cost {t2 / t1:.1f}x the time per question")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
