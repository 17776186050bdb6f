"""The project's question sets run with minimum accuracies, so a content edit cannot silently
break answers. Thresholds sit a little under the measured figures in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.engine.models import INTENTS
from bot.evaluate import evaluate, load_cases, percent, report_lines

HERE = Path(__file__).parent
MINIMUM = {"tuning.yaml": 88.0, "holdout.yaml": 80.0}


@pytest.mark.parametrize("name", sorted(MINIMUM))
def test_question_set_accuracy(engine: Engine, name: str) -> None:
    result = evaluate(engine, load_cases(HERE / name))
    right, total = result.accuracy()
    assert percent(right, total) >= MINIMUM[name], "\n".join(report_lines(result))


@pytest.mark.parametrize("name", sorted(MINIMUM))
def test_declines_stay_honest(engine: Engine, name: str) -> None:
    """Out-of-scope questions are the costliest mistake: a confident wrong answer."""
    result = evaluate(engine, load_cases(HERE / name))
    right, total = result.accuracy("declines")
    assert percent(right, total) >= 75.0, "\n".join(report_lines(result))


def test_question_sets_name_real_targets(engine: Engine) -> None:
    known = set(engine.by_id) | set(INTENTS) - {"answer"}
    for name in MINIMUM:
        for case in load_cases(HERE / name):
            assert set(case.expect) <= known, case
