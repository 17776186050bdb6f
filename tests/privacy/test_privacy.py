"""Personal data in questions: every example in examples.yaml is found with the right kind,
no look-alike is, redaction keeps the rest of the question, the reminder never echoes data."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.normalize import clean
from bot.privacy import KINDS, find, redact, reminder

EXAMPLES = yaml.safe_load((Path(__file__).with_name("examples.yaml")).read_text("utf-8"))
PERSONAL: list[dict[str, Any]] = EXAMPLES["personal"]
LOOK_ALIKES: list[str] = EXAMPLES["look-alikes"]
TODAY = date(2025, 6, 1)  # the examples' dates are judged as of this day


def expected(example: dict[str, Any]) -> set[tuple[str, str]]:
    return {(kind, text) for kind, texts in example["found"].items() for text in texts}


def found(text: str) -> set[tuple[str, str]]:
    return {(f.kind, text[f.start : f.end]) for f in find(text, TODAY)}


def short(text: str) -> str:
    return text[:50]


def test_the_set_has_forty_examples_of_each_kind_and_forty_look_alikes() -> None:
    kinds = Counter(kind for example in PERSONAL for kind in example["found"])
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 40, kinds
    assert len(LOOK_ALIKES) >= 40


@pytest.mark.parametrize("example", PERSONAL, ids=lambda e: short(e["q"]))
def test_personal_data_is_found_with_its_kind(example: dict[str, Any]) -> None:
    assert found(example["q"]) == expected(example)


@pytest.mark.parametrize("text", LOOK_ALIKES, ids=short)
def test_look_alikes_are_not_personal_data(text: str) -> None:
    assert found(text) == set()
    assert redact(text, today=TODAY) == text
    assert reminder(text, TODAY) is None


@pytest.mark.parametrize("example", PERSONAL, ids=lambda e: short(e["q"]))
def test_redaction_replaces_the_data_and_keeps_the_rest(example: dict[str, Any]) -> None:
    text, want = example["q"], example["q"]
    for kind, data in sorted(expected(example), key=lambda kd: -len(kd[1])):
        want = want.replace(data, f"[{kind}]")
    redacted = redact(text, today=TODAY)
    assert redacted == want
    assert not any(data in redacted for _, data in expected(example))


@pytest.mark.parametrize("example", PERSONAL, ids=lambda e: short(e["q"]))
def test_the_stored_form_keeps_placeholders_and_loses_the_data(example: dict[str, Any]) -> None:
    stored = redact(example["q"], lambda t: clean(t, limit=500), today=TODAY)
    for kind, data in expected(example):
        assert f"[{kind}]" in stored
        assert clean(data) not in clean(stored.replace(f"[{kind}]", " "))


@pytest.mark.parametrize("example", PERSONAL, ids=lambda e: short(e["q"]))
def test_the_reminder_lists_the_kinds_and_never_echoes_the_data(example: dict[str, Any]) -> None:
    said = reminder(example["q"], TODAY)
    assert said is not None
    assert not set("<>&") & set(said), "nothing that Slack would read as markup or need escaped"
    assert "Only you can see this" in said and "answered anyway" in said
    listed = said.split("(", 1)[1].split(")", 1)[0]
    for kind in KINDS:
        word = {"phone": "phone number", "crime reference": "crime reference number"}
        assert (word.get(kind, kind) in listed) == (kind in example["found"]), listed
    for _, data in expected(example):
        assert data not in said
        assert not any(part in said for part in data.split() if len(part) > 3 and part[0].isupper())


def test_several_kinds_are_listed_in_one_sentence() -> None:
    said = reminder("suspect Jane Doe on 07700 900123, reg AB12 CDE")
    assert said is not None
    assert "(a name, a phone number and a vehicle registration)" in said


def test_slack_markup_is_not_personal_data() -> None:
    assert find("<@U0BOT> <#C0AB12CDE|general> <!here> what about parking fines") == []
    text = "<https://www.college.police.uk/research/crime-reduction-toolkit/AB12CDE|the page>"
    assert find(text) == []
    assert found("<https://example.org/x|suspect Jane Doe>") == {("name", "Jane Doe")}


def test_a_recent_date_is_when_something_happened_unless_a_cue_says_birth() -> None:
    assert found("the burglary 12/03/2025 was the third") == set()
    assert found("the lad 12/03/2009 was the third") == {("date of birth", "12/03/2009")}
    assert found("baby born 12/03/2025, is the home safe") == {("date of birth", "12/03/2025")}
    assert found("between 01/01/2013 and 31/12/2013 there were 40 burglaries") == set()


#: Text built from the pieces the detector reacts to, so odd combinations of them are tried.
PIECES = st.sampled_from(
    ["suspect ", "called ", "Mr ", "DOB ", "born ", "reg ", "CRN ", "ref ", "0", "07700 ", "9",
     "/", ".", "-", "@", "AB12 ", "CDE", "Jane ", "SMITH ", "(", ")", "<", ">", "|", ",", " ",
     "+44", "3 March ", "1990", "tel:", "mailto:", "x@example.com", "\n", "é", "’s "]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES | st.text(max_size=8), max_size=30).map("".join))
def test_any_text_gives_sorted_separate_findings_and_a_safe_reminder(text: str) -> None:
    findings = find(text, TODAY)
    assert all(0 <= f.start < f.end <= len(text) for f in findings)
    assert all(a.end <= b.start for a, b in pairwise(findings))
    redact(text, lambda t: clean(t, limit=500), today=TODAY)
    said = reminder(text, TODAY)
    assert (said is None) == (not findings)
    assert said is None or not set("<>&") & set(said)


def test_detection_is_fast_on_a_long_paste() -> None:
    line = "suspect Jane Doe 07700 900123 reg AB12 CDE crime ref 43/12345/24 drug courts CCTV "
    text = line * (40_000 // len(line))
    started = time.perf_counter()
    found_all = find(text)
    assert time.perf_counter() - started < 2.0
    assert len(found_all) == 4 * (40_000 // len(line))
