"""Synthetic knowledge bases of any size, shaped like the real one (for benchmarks only)."""

from __future__ import annotations

import dataclasses
import random
import string
from collections.abc import Sequence

from bot.engine import Entry


def vocabulary(entries: Sequence[Entry], size: int, rng: random.Random) -> list[str]:
    """Real words from the knowledge base followed by made-up ones, most common first."""
    real = sorted(
        {w.lower() for e in entries for w in (e.title + " " + e.summary).split() if w.isalpha()}
    )
    made = {"".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 10))) for _ in range(size)}
    return real + sorted(made)


def _phrase(words: list[str], weights: list[float], rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(words, weights=weights, k=n))


def synthetic_entries(real: Sequence[Entry], count: int, *, seed: int = 7) -> list[Entry]:
    """`count` entries: the real ones plus copies with Zipf-distributed made-up wording."""
    rng = random.Random(seed)
    words = vocabulary(real, max(2000, count * 3), rng)
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    out = list(real)
    while len(out) < count:
        base = real[len(out) % len(real)]
        out.append(
            dataclasses.replace(
                base,
                id=f"synthetic-{len(out)}",
                title=_phrase(words, weights, rng, 3).capitalize(),
                summary=_phrase(words, weights, rng, 40) + ".",
                questions=tuple(_phrase(words, weights, rng, 6) for _ in range(12)),
                keywords=tuple(_phrase(words, weights, rng, 2) for _ in range(10)),
                abbreviations=(),
                slang=(),
                related=(),
            )
        )
    return out[:count]
