"""The typo model: slips are corrected, different words are left alone."""

from __future__ import annotations

import pytest

from bot.engine.spell import SpellCorrector, max_edits, plausible

KNOWN = {
    "mentoring": 5,
    "therapeutic": 3,
    "communities": 3,
    "scare": 2,
    "drug": 9,
    "courts": 4,
    "stop": 2,
    "early": 3,
    "resilience": 1,
}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mentorin", "mentoring"),
        ("theraputic", "therapeutic"),
        ("comunities", "communities"),
        ("skare", "scare"),
        ("durg", "drug"),
        ("cuorts", "courts"),
        ("erly", "early"),
        ("resilence", "resilience"),
    ],
)
def test_slips_are_corrected(typed: str, expected: str) -> None:
    assert SpellCorrector(KNOWN).correct(typed) == expected


@pytest.mark.parametrize("typed", ["shop", "joke", "lunch", "qwerty", "tagging", "the", "xyz"])
def test_other_words_are_not(typed: str) -> None:
    assert SpellCorrector({**KNOWN, "wagging": 1, "coke": 1}).correct(typed) is None


def test_edit_budget_grows_with_length() -> None:
    assert [max_edits(n) for n in (3, 4, 7, 8, 12)] == [0, 1, 1, 2, 2]


def test_a_double_on_the_wrong_letter_is_a_slip() -> None:
    assert SpellCorrector({"street": 3}).correct("strett") == "street"
    assert not plausible("stret", "stray")


def test_plausible_slips() -> None:
    assert plausible("mentpring", "mentoring")  # o and p are neighbours
    assert not plausible("score", "scare")  # a vowel swap in a short word is another word
