"""Turning validated plain data into the engine's typed records."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.engine.models import Detail, Entry, Evidence, Intent, Link, Source

QUALITY_ORDER = ("effect", "mechanism", "moderator", "implementation", "economic_cost")


def _texts(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(data.get(key) or ())


def _detail(item: str | dict[str, Any]) -> Detail:
    if isinstance(item, str):
        return Detail(item)
    return Detail(item["text"], item.get("url"))


def _evidence(data: dict[str, Any] | None) -> Evidence | None:
    if not data:
        return None
    quality = tuple((k, data["quality"][k]) for k in QUALITY_ORDER)
    return Evidence(
        effect=data["effect"],
        quality=quality,
        figures=_texts(data, "figures"),
        caveats=_texts(data, "caveats"),
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
    )


def intent(data: dict[str, Any]) -> Intent:
    """An Intent from a validated mapping."""
    return Intent(
        id=data["id"],
        examples=_texts(data, "examples"),
        description=data.get("description") or "",
        responses=_texts(data, "responses"),
    )
