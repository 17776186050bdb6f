"""The shape of a knowledge entry and of an intent, as validation specs."""

from __future__ import annotations

from bot.content.schema import (
    Choice,
    Date,
    Either,
    Flag,
    ListOf,
    Nullable,
    Record,
    Score,
    Spec,
    Text,
    Url,
)
from bot.engine.grading import BADGES, DIMENSIONS, QUALITY_LABELS
from bot.engine.models import INTENTS, KINDS, VERDICTS

KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SUMMARY_MAX = 400
PHRASE = Text(max_len=300)


def _id() -> Text:
    return Text(max_len=80, pattern=KEBAB, pattern_hint="a kebab-case id such as drug-courts")


LINK = Record(
    {"label": (Text(max_len=60), True), "url": (Url(), True), "inferred": (Flag(), False)}
)
SOURCE = Record(
    {
        "title": (Text(max_len=200), True),
        "publisher": (Text(max_len=200), True),
        "published": (Date(), False),
        "url": (Url(), False),
        "inferred": (Flag(), False),
    }
)
CITED = Either(
    Text(max_len=400), Record({"text": (Text(max_len=400), True), "url": (Url(), False)})
)
DETAIL = CITED
QUALITY_LABEL = Choice(choices=QUALITY_LABELS)
#: A quality label, null when our notes do not have it, or {label, inferred: true} when the label
#: word is missing from the page and was read from the sentence beneath it.
RATING = Either(
    Nullable(QUALITY_LABEL),
    Record({"label": (QUALITY_LABEL, True), "inferred": (Flag(), True)}),
)
QUALITY = Record({name: (RATING, True) for name in DIMENSIONS})
LEGACY_SCORES = Record({name: (Score(0, 4), False) for name in DIMENSIONS})
EVIDENCE = Record(
    {
        "effect": (Nullable(Text(max_len=80)), True),
        "finding": (Choice(choices=tuple(BADGES)), False),
        "finding_from": (Text(max_len=200), False),
        "outcome": (Text(max_len=40), False),
        "quality": (Nullable(QUALITY), False),
        "quality_in_page_order": (ListOf(QUALITY_LABEL, min_items=2, max_items=4), False),
        "legacy_scores": (LEGACY_SCORES, False),
        "studies": (Nullable(Text(max_len=400)), True),
        "countries": (Nullable(Text(max_len=300)), True),
        "population": (Nullable(Text(max_len=300)), True),
        "figures": (ListOf(CITED), False),
        "caveats": (ListOf(CITED), False),
        "url": (Url(), False),
        "inferred": (Flag(), False),
    }
)

ENTRY_FIELDS: dict[str, tuple[Spec, bool]] = {
    "id": (_id(), True),
    "title": (Text(max_len=120), True),
    "kind": (Choice(choices=KINDS), True),
    "verdict": (Choice(choices=VERDICTS), False),
    "summary": (Text(max_len=SUMMARY_MAX, max_sentences=3), True),
    "details": (ListOf(DETAIL, min_items=1), True),
    "tip": (Text(max_len=280), False),
    "source": (SOURCE, True),
    "links": (ListOf(LINK, max_items=8), False),
    "evidence": (EVIDENCE, False),
    "questions": (ListOf(PHRASE, min_items=1), True),
    "keywords": (ListOf(PHRASE), False),
    "abbreviations": (ListOf(PHRASE), False),
    "slang": (ListOf(PHRASE), False),
    "related": (ListOf(_id()), False),
    "warning": (Text(max_len=400), False),
    "instead": (ListOf(_id(), max_items=4), False),
    "reviewed": (Date(), True),
}
ENTRY = Record(ENTRY_FIELDS)

INTENT = Record(
    {
        "id": (_id(), True),
        "description": (Text(max_len=400), False),
        "examples": (ListOf(PHRASE), False),
        "responses": (ListOf(Text(max_len=2000)), False),
    }
)
#: Every intent the engine can return except "answer" needs a file in intents/.
REQUIRED_INTENTS = tuple(i for i in INTENTS if i != "answer")
