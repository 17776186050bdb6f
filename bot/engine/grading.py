"""The toolkit's grading vocabulary: effect labels, the badges derived from them, quality labels.

The toolkit grades an intervention's effect on a scale (its legacy Effect-scale page defines
eight categories). Only some current text labels appear in our reference notes, and only those
are accepted: a label outside EFFECT_LABELS is a validation error, so a maintainer cannot invent
one. Each label maps to one plain badge an officer reads at a glance; the label itself is always
quoted beside it. Legacy 0-4 scores are never converted into labels (the notes show the two do
not map consistently).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Badge:
    """A plain reading of an effect, with its place on the scale (higher = better supported)."""

    key: str
    template: str  # "{outcome}" is replaced by the entry's outcome ("crime", "reoffending")
    rank: int
    emoji: str
    symbol: str  # for terminals without emoji

    def text(self, outcome: str = "crime") -> str:
        """The badge in words, for this entry's outcome."""
        return self.template.format(outcome=outcome)

    @property
    def positive(self) -> bool:
        """Reduces overall (possibly with some rises): the toolkit found it works."""
        return self.rank >= REDUCES_RANK

    @property
    def negative(self) -> bool:
        """Increases harm, or no effect at all: the opposite of working."""
        return self.rank <= NO_EFFECT_RANK


REDUCES_RANK, NO_EFFECT_RANK = 4, 1

BADGES: dict[str, Badge] = {
    b.key: b
    for b in (
        Badge("reduction", "Reduces {outcome}", 5, ":large_green_circle:", "[+]"),
        Badge(
            "reduction-some-rises",
            "Reduces {outcome}, some studies found rises",
            4,
            ":large_green_circle:",
            "[+]",
        ),
        Badge(
            "some-reduction", "Some reduction, no clear overall effect", 3, ":white_circle:", "[~]"
        ),
        Badge("mixed", "Mixed evidence", 2, ":white_circle:", "[~]"),
        Badge("no-effect", "No clear effect", 1, ":black_circle:", "[0]"),
        Badge("increase", "Increases {outcome}", 0, ":red_circle:", "[!]"),
    )
}

#: The current effect labels our notes have seen, each with its badge. Nothing else is accepted.
EFFECT_LABELS: dict[str, str] = {
    "Overall reduction": "reduction",
    "Overall reduction, some rises": "reduction-some-rises",
    "Some reduction": "some-reduction",
    "Mixed findings": "mixed",
    "Overall rise": "increase",
}

#: The quality labels the toolkit uses for each EMMIE dimension ("No information" is a label:
#: the reviews gave nothing usable on that dimension; it is not the same as "not in our notes").
QUALITY_LABELS = ("Very strong", "Strong", "Moderate", "Low", "No information")
DIMENSIONS = ("effect", "mechanism", "moderator", "implementation", "economic_cost")
DIMENSION_NAMES = {
    "effect": "Effect",
    "mechanism": "Mechanism",
    "moderator": "Moderator",
    "implementation": "Implementation",
    "economic_cost": "Economic cost",
}

#: The College guidance's own verdicts (its two lists and its practice example), kept apart from
#: the toolkit's scale and always labelled as the guidance's.
GUIDANCE_VERDICTS = {
    "works": "College guidance: linked to positive outcomes",
    "no-or-negative-effect": "College guidance: no or negative outcomes",
    "example": "College guidance: example of relevant practice",
}
GUIDANCE_EMOJI = {
    "works": ":white_check_mark:",
    "no-or-negative-effect": ":x:",
    "example": ":school:",
}

NOT_IN_NOTES = "not in our notes"


def badge_for_label(label: str) -> Badge | None:
    """The badge a known effect label maps to (None for a label we do not know)."""
    key = EFFECT_LABELS.get(label)
    return BADGES[key] if key else None
