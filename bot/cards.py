"""What an answer shows, decided once for every surface (Slack, terminal, preview).

Each function turns engine records into plain text pieces; the surfaces only draw them (and
escape them for their medium). So the badge, the labels, every caveat and the source read the
same wherever an officer meets them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.engine import Entry
from bot.engine.followup import ASPECT_TITLES
from bot.engine.grading import DIMENSION_NAMES, DIMENSIONS, NOT_IN_NOTES, Badge
from bot.engine.models import KIND_LABELS, Detail, Evidence, Link

NO_INFORMATION = "No information"
LANDING = Link(
    "Crime Reduction Toolkit (College of Policing)",
    "https://www.college.police.uk/research/crime-reduction-toolkit",
    inferred=True,
)


@dataclass(frozen=True, slots=True)
class Card:
    """The whole answer for one entry, as text pieces in the order they are shown."""

    entry: Entry
    kind: str
    warning: str | None
    badge: Badge | None
    badge_text: str | None
    guidance: str | None
    effect_line: str | None
    quality: tuple[str, ...]
    legacy: str | None
    base: tuple[tuple[str, str], ...]
    figures: tuple[Detail, ...]
    caveats: tuple[Detail, ...]
    instead: tuple[Entry, ...]
    related: tuple[Entry, ...]
    source: str
    source_url: str | None
    source_inferred: bool
    links: tuple[Link, ...]
    footer: str


def effect_line(ev: Evidence) -> str:
    """The toolkit's effect label, quoted; or why there is none and what the text says."""
    if ev.effect:
        return f'Toolkit effect label: "{ev.effect}"'
    reading = ev.badge.text(ev.outcome)
    return f"Toolkit effect label: {NOT_IN_NOTES}; {ev.finding_from} reads as: {reading}"


def _rating_text(label: str | None, inferred: bool) -> str:
    if label is None:
        return NOT_IN_NOTES
    if label == NO_INFORMATION:
        return f"{label} (the reviews gave nothing usable on this)"
    return f"{label} (label inferred from the page's wording)" if inferred else label


def quality_lines(ev: Evidence) -> tuple[str, ...]:
    """The five EMMIE quality labels as the notes give them (never filled in or converted)."""
    if ev.page_order:
        first, rest = ev.page_order[0], ", ".join(ev.page_order[1:])
        return (
            f"Effect: {first}",
            f"Other labels the page shows, in page order: {rest}. The page does not say which of "
            "mechanism, moderator, implementation and economic cost is unrated.",
        )
    if not ev.quality:
        return (f"Quality labels: {NOT_IN_NOTES}",)
    return tuple(
        f"{DIMENSION_NAMES[r.dimension]}: {_rating_text(r.label, r.inferred)}" for r in ev.quality
    )


def legacy_line(ev: Evidence) -> str | None:
    """Legacy 0-4 scores, marked as such (they do not convert into today's labels)."""
    if not ev.legacy_scores:
        return None
    scores = ", ".join(
        f"{DIMENSION_NAMES[name].lower()} {score}" for name, score in ev.legacy_scores
    )
    return f"Legacy toolkit scores (old 0-4 scale, not today's labels): {scores}"


def base_lines(ev: Evidence) -> tuple[tuple[str, str], ...]:
    """Where the evidence comes from: studies, countries, population ("not in our notes")."""
    return tuple(
        (name, value or NOT_IN_NOTES)
        for name, value in (
            ("Studies", ev.studies),
            ("Countries", ev.countries),
            ("Population", ev.population),
        )
    )


def source_text(entry: Entry) -> str:
    """Source title, publisher and date, without the address."""
    src = entry.source
    parts = [src.title, src.publisher]
    if src.published:
        parts.append(src.published.strftime("%-d %B %Y"))
    return ", ".join(parts)


def footer(entry: Entry, version: str) -> str:
    """When the entry was reviewed, and which knowledge base said so."""
    reviewed = entry.reviewed.strftime("%-d %B %Y")
    return f"Reviewed {reviewed} · knowledge base {version}" if version else f"Reviewed {reviewed}"


def card(entry: Entry, lookup: Mapping[str, Entry], version: str = "") -> Card:
    """Everything shown for one entry."""
    ev = entry.evidence
    badge = ev.badge if ev else None
    return Card(
        entry=entry,
        kind=KIND_LABELS.get(entry.kind, entry.kind),
        warning=entry.warning,
        badge=badge,
        badge_text=badge.text(ev.outcome) if badge and ev else None,
        guidance=entry.guidance_verdict,
        effect_line=effect_line(ev) if ev else None,
        quality=quality_lines(ev) if ev else (),
        legacy=legacy_line(ev) if ev else None,
        base=base_lines(ev) if ev else (),
        figures=ev.figures if ev else (),
        caveats=ev.caveats if ev else (),
        instead=tuple(lookup[i] for i in entry.instead if i in lookup),
        related=tuple(lookup[r] for r in entry.related if r in lookup),
        source=source_text(entry),
        source_url=entry.source.url,
        source_inferred=entry.source.inferred,
        links=entry.links,
        footer=footer(entry, version),
    )


# -- lists ------------------------------------------------------------------------------

#: How "what works" and "what doesn't work" are grouped: by source, then by effect.
LIST_GROUPS = {
    "what-works": (
        ("College guidance (drug prevention): linked to positive outcomes", "guidance:works"),
        ("Crime Reduction Toolkit: reduces crime or harm overall", "badge:reduction"),
        (
            "Crime Reduction Toolkit: reduces overall, but some studies found rises",
            "badge:reduction-some-rises",
        ),
    ),
    "what-doesnt-work": (
        (
            "College guidance (drug prevention): no or negative outcomes",
            "guidance:no-or-negative-effect",
        ),
        ("Crime Reduction Toolkit: increases crime or harm", "badge:increase"),
        ("Crime Reduction Toolkit: no clear effect", "badge:no-effect"),
        ("Crime Reduction Toolkit: mixed findings", "badge:mixed"),
        (
            "Crime Reduction Toolkit: some reduction, no clear overall effect",
            "badge:some-reduction",
        ),
    ),
}
NOT_COVERED = (
    "A topic missing from these lists is not covered by our notes; that is not the same as the "
    "toolkit finding no effect."
)


def _in_group(entry: Entry, key: str) -> bool:
    kind, value = key.split(":", 1)
    if kind == "guidance":
        return entry.verdict == value
    return entry.badge is not None and entry.badge.key == value


def groups(intent: str, entries: Sequence[Entry]) -> list[tuple[str, tuple[Entry, ...]]]:
    """A list answer's entries under their headings (an entry may sit under both sources)."""
    spec = LIST_GROUPS.get(intent)
    if spec is None:
        return [("", tuple(entries))]
    found = [(title, tuple(e for e in entries if _in_group(e, key))) for title, key in spec]
    return [(title, members) for title, members in found if members]


def entry_grade_line(entry: Entry) -> str:
    """One line for an entry in a list: its badge and label, or the guidance's verdict."""
    ev = entry.evidence
    if ev is None:
        return entry.guidance_verdict or KIND_LABELS.get(entry.kind, entry.kind)
    label = f'"{ev.effect}"' if ev.effect else f"label {NOT_IN_NOTES}"
    return f"{ev.badge.text(ev.outcome)} ({label})"


# -- comparisons --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One entry's column in a side-by-side comparison."""

    entry: Entry
    cells: tuple[tuple[str, str], ...]


def grade(entry: Entry) -> str:
    """The badge, or the guidance's verdict for entries the toolkit does not grade."""
    ev = entry.evidence
    if ev is not None:
        return ev.badge.text(ev.outcome)
    return entry.guidance_verdict or "Background (no verdict)"


def compare_row(entry: Entry) -> Row:
    """Badge, effect label, effect quality, headline figure, main caveat, population."""
    ev = entry.evidence
    if ev is None:
        cells = [("Graded by", "the College guidance (no toolkit rating)")]
    else:
        quality = ev.page_order[0] if ev.page_order else None
        if ev.quality:
            quality = _rating_text(ev.quality[0].label, ev.quality[0].inferred)
        cells = [
            ("Effect label", f'"{ev.effect}"' if ev.effect else NOT_IN_NOTES),
            ("Effect evidence quality", quality or NOT_IN_NOTES),
            ("Headline figure", ev.figures[0].text if ev.figures else NOT_IN_NOTES),
            ("Main caveat", ev.caveats[0].text if ev.caveats else "none in our notes"),
            ("Population", ev.population or NOT_IN_NOTES),
        ]
    return Row(entry, (("Verdict", grade(entry)), *cells))


# -- follow-ups ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AspectView:
    """The part of an entry a follow-up asked about."""

    entry: Entry
    aspect: str
    title: str
    lines: tuple[Detail, ...]
    entries: tuple[Entry, ...] = field(default=())  # for "what works instead"


def aspect_view(entry: Entry, aspect: str, lookup: Mapping[str, Entry]) -> AspectView:
    """One aspect of an entry, in plain pieces."""
    title = f"{ASPECT_TITLES.get(aspect, aspect)}: {entry.title}"
    make = _ASPECTS.get(aspect, _detail)
    lines, entries = make(entry, lookup)
    return AspectView(entry, aspect, title, tuple(lines), tuple(entries))


Lines = tuple[list[Detail], list[Entry]]


def _quality(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    ev = entry.evidence
    if ev is None:
        return [Detail(_ungraded(entry))], []
    lines = [Detail(effect_line(ev)), *(Detail(q) for q in quality_lines(ev))]
    if legacy := legacy_line(ev):
        lines.append(Detail(legacy))
    lines.append(Detail(f"Studies: {ev.studies or NOT_IN_NOTES}"))
    return lines, []


def _cost(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    ev = entry.evidence
    lines: list[Detail] = []
    if ev is not None:
        rating = ev.label_of("economic_cost")
        if rating is not None:
            lines.append(
                Detail(f"Economic cost evidence: {_rating_text(rating.label, rating.inferred)}")
            )
        elif ev.page_order:
            lines.append(Detail("Economic cost: the page does not say which label is this one"))
        else:
            lines.append(Detail(f"Economic cost evidence: {NOT_IN_NOTES}"))
    found = [d for d in _all_facts(entry) if _mentions(d.text, COST_WORDS)]
    if not found:
        found = [Detail(f"What it costs: {NOT_IN_NOTES}.")]
    return [*lines, *found], []


def _base(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    ev = entry.evidence
    if ev is None:
        return [Detail(_ungraded(entry)), *entry.details[:3]], []
    lines = [Detail(f"{name}: {value}") for name, value in base_lines(ev)]
    lines += [c for c in ev.caveats if _mentions(c.text, PLACE_WORDS)]
    return lines, []


def _source(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    lines = [Detail(f"Source: {source_text(entry)}", entry.source.url)]
    lines += [Detail(link.label, link.url) for link in entry.links]
    return lines, []


def _displacement(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    found = [d for d in _all_facts(entry) if _mentions(d.text.lower(), MOVE_WORDS)]
    if not found:
        found = [Detail(f"Whether it displaces crime (moves it elsewhere): {NOT_IN_NOTES}.")]
    return found, []


def _caveats(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    ev = entry.evidence
    if ev is None or not ev.caveats:
        return [Detail(f"Caveats: none in our notes for {entry.title}.")], []
    return list(ev.caveats), []


def _detail(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    return list(entry.details), []


def _instead(entry: Entry, lookup: Mapping[str, Entry]) -> Lines:
    found = [lookup[i] for i in entry.instead if i in lookup]
    if found:
        return [Detail(f"{e.title}: {grade(e)}") for e in found], found
    text = (
        f"Our notes name no better-supported alternative to {entry.title}. "
        'Ask "what works" for everything graded as working.'
    )
    return [Detail(text)], []


def _ungraded(entry: Entry) -> str:
    if entry.verdict:
        return (
            "This entry comes from the College guidance, which gives its verdict without "
            "toolkit ratings: the guidance rests on the UNODC review of reviews."
        )
    return "This is a background entry: it has no rating of its own."


def _all_facts(entry: Entry) -> Sequence[Detail]:
    ev = entry.evidence
    return [*entry.details, *(ev.figures if ev else ()), *(ev.caveats if ev else ())]


MOVE_WORDS = ("displace", "diffusion", "backfire", "moved", "elsewhere")
COST_WORDS = ("cost", "£", "$", "saving", "economic", "spent", "budget", "price")
PLACE_WORDS = ("UK", "USA", "US ", "England", "Wales", "Scotland", "countr", "Europe", "Australia")


def _mentions(text: str, words: Sequence[str]) -> bool:
    return any(w in text for w in words)


_ASPECTS = {
    "quality": _quality,
    "cost": _cost,
    "base": _base,
    "source": _source,
    "detail": _detail,
    "instead": _instead,
    "displacement": _displacement,
    "caveats": _caveats,
}
__all__ = [
    "DIMENSIONS",
    "LANDING",
    "NOT_IN_NOTES",
    "AspectView",
    "Card",
    "Row",
    "aspect_view",
    "card",
]
