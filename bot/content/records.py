"""Turning validated plain data into the engine's typed records."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.engine.grading import DIMENSIONS, EFFECT_LABELS
from bot.engine.models import Detail, Entry, Evidence, Intent, Link, Rating, Source


def _texts(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(data.get(key) or ())


def _detail(item: str | dict[str, Any]) -> Detail:
    if isinstance(item, str):
        return Detail(item)
    return Detail(item["text"], item.get("url"))


def _rating(dimension: str, value: str | dict[str, Any] | None) -> Rating:
    if isinstance(value, dict):
        return Rating(dimension, value["label"], inferred=bool(value.get("inferred")))
    return Rating(dimension, value)


def _evidence(data: dict[str, Any] | None) -> Evidence | None:
    if not data:
        return None
    quality = data.get("quality") or {}
    effect = data.get("effect")
    return Evidence(
        effect=effect,
        badge_key=EFFECT_LABELS[effect] if effect else data["finding"],
        finding_from=data.get("finding_from"),
        outcome=data.get("outcome") or "crime",
        quality=tuple(_rating(k, quality[k]) for k in DIMENSIONS) if quality else (),
        page_order=_texts(data, "quality_in_page_order"),
        legacy_scores=tuple((data.get("legacy_scores") or {}).items()),
        studies=data.get("studies"),
        countries=data.get("countries"),
        population=data.get("population"),
        figures=tuple(_detail(d) for d in data.get("figures") or ()),
        caveats=tuple(_detail(d) for d in data.get("caveats") or ()),
        url=data.get("url"),
        inferred=bool(data.get("inferred")),
    )


def _source(data: dict[str, Any]) -> Source:
    published = data.get("published")
    return Source(
        title=data["title"],
        publisher=data["publisher"],
        published=published if isinstance(published, date) else None,
        url=data.get("url"),
        inferred=bool(data.get("inferred")),
    )


def entry(data: dict[str, Any]) -> Entry:
    """An Entry from a validated mapping."""
    return Entry(
        id=data["id"],
        title=data["title"],
        kind=data["kind"],
        summary=data["summary"],
        source=_source(data["source"]),
        reviewed=data["reviewed"],
        verdict=data.get("verdict"),
        details=tuple(_detail(d) for d in data["details"]),
        tip=data.get("tip"),
        links=tuple(
            Link(x["label"], x["url"], bool(x.get("inferred"))) for x in data.get("links") or ()
        ),
        evidence=_evidence(data.get("evidence")),
        questions=_texts(data, "questions"),
        keywords=_texts(data, "keywords"),
        abbreviations=_texts(data, "abbreviations"),
        slang=_texts(data, "slang"),
        related=_texts(data, "related"),
        warning=data.get("warning"),
        instead=_texts(data, "instead"),
    )


def intent(data: dict[str, Any]) -> Intent:
    """An Intent from a validated mapping."""
    return Intent(
        id=data["id"],
        examples=_texts(data, "examples"),
        description=data.get("description") or "",
        responses=_texts(data, "responses"),
    )
