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
    Spec,
    Text,
    Url,
)
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
QUALITY = Record(
    {
        name: (Nullable(Text(max_len=40)), True)
        for name in ("effect", "mechanism", "moderator", "implementation", "economic_cost")
    }
)
EVIDENCE = Record(
    {
        "effect": (Text(max_len=80), True),
        "quality": (QUALITY, True),
        "figures": (ListOf(Text(max_len=400)), False),
        "caveats": (ListOf(Text(max_len=400)), False),
        "url": (Url(), False),
        "inferred": (Flag(), False),
    }
)
DETAIL = Either(
    Text(max_len=400), Record({"text": (Text(max_len=400), True), "url": (Url(), False)})
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
