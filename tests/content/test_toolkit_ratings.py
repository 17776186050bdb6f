"""Every toolkit entry's grading, pinned to the reference notes (toolkit-facts.md §3-4 and
toolkit-facts-wide.md §1.4 and §3, the wider file standing where they differ).

The table below was written from the notes, independently of the entries: a label changed in an
entry, or a rating invented, fails here.
"""

from __future__ import annotations

import re

import pytest

from bot.content import Content
from bot.engine import Entry
from bot.engine.grading import EFFECT_LABELS
from tests.conftest import KNOWLEDGE

VS, S, M, L, NI = "Very strong", "Strong", "Moderate", "Low", "No information"
PAGE = "page order"

#: id -> (effect label or None, badge key, quality, legacy scores or None)
#: quality: five labels (None = not in our notes), or (PAGE, labels...) for four-label pages,
#: or None when the notes have no quality labels at all.
RATINGS: dict[str, tuple[str | None, str, tuple[object, ...] | None, dict[str, int] | None]] = {
    "mentoring": (
        "Overall reduction, some rises",
        "reduction-some-rises",
        (VS, S, S, S, None),
        {"effect": 4, "mechanism": 3, "moderator": 3, "implementation": 3, "economic_cost": 0},
    ),
    "drug-courts": ("Overall reduction", "reduction", (VS, VS, VS, VS, NI), None),
    "therapeutic-communities": (
        "Overall reduction, some rises",
        "reduction-some-rises",
        (S, S, M, S, NI),
        None,
    ),
    "halfway-houses": ("Overall reduction", "reduction", (VS, L, S, L, NI), None),
    "scared-straight": (
        None,
        "increase",
        None,
        {"effect": 4, "mechanism": 1, "moderator": 0, "implementation": 1, "economic_cost": 0},
    ),
    "street-lighting": (
        "Overall reduction",
        "reduction",
        (PAGE, VS, S, M, NI),
        {"effect": 4, "mechanism": 3, "moderator": 2, "implementation": 0, "economic_cost": 0},
    ),
    "neighbourhood-watch": (
        "Overall reduction",
        "reduction",
        (PAGE, S, L, M, L),
        {"effect": 3, "mechanism": 1, "moderator": 2, "implementation": 1, "economic_cost": 0},
    ),
    "juvenile-curfews": (None, "mixed", None, {"effect": 2}),
    "cognitive-behavioural-therapy": (
        "Overall reduction",
        "reduction",
        (S, S, M, S, NI),
        {"effect": 3},
    ),
    "hot-spots-policing": (
        None,
        "reduction",
        None,
        {"effect": 4, "mechanism": 1, "moderator": 2, "implementation": 2, "economic_cost": 0},
    ),
    "electronic-monitoring": ("Mixed findings", "mixed", (VS, M, VS, S, M), None),
    "electronic-tagging-sex-offences": (None, "reduction", None, None),
    "restorative-justice-conferencing": ("Overall reduction", "reduction", (S, M, M, S, L), None),
    "pre-charge-diversion": (
        "Overall reduction",
        "reduction",
        (VS, (L, True), (M, True), NI, NI),
        None,
    ),
    "cctv": ("Overall reduction", "reduction", (VS, S, S, S, NI), "any"),
    "alcohol-pricing": ("Overall reduction", "reduction", (S, L, M, NI, NI), None),
    "alcohol-sales-hours": (
        None,
        "mixed",
        None,
        {"effect": 2, "mechanism": 1, "moderator": 1, "implementation": 1, "economic_cost": 1},
    ),
    "minimum-drinking-age-laws": ("Mixed findings", "mixed", (L, NI, M, L, NI), None),
    "alcohol-brief-interventions": (None, "no-effect", None, None),
    "drink-drive-stops": (
        "Overall reduction",
        "reduction",
        (PAGE, VS, M, VS, S),
        {"effect": 4, "mechanism": 2, "moderator": 4, "implementation": 3, "economic_cost": 0},
    ),
    "car-breathalyser-lock": ("Overall reduction", "reduction", (S, L, M, S, NI), None),
    "speed-cameras": ("Overall reduction", "reduction", (VS, L, M, L, NI), None),
    "drug-substitution-programmes": (
        "Mixed findings",
        "mixed",
        (PAGE, S, M, M, M),
        {"effect": 3, "mechanism": 1, "moderator": 2, "implementation": 2, "economic_cost": 0},
    ),
    "focused-deterrence": ("Overall reduction", "reduction", (VS, L, VS, S, NI), None),
    "problem-oriented-policing": (None, "reduction", None, None),
    "boot-camps": ("Mixed findings", "mixed", (VS, M, M, S, L), None),
    "wilderness-challenge": (
        "Overall reduction",
        "reduction",
        (PAGE, S, S, M, M),
        {"effect": 3, "mechanism": 3, "moderator": 2, "implementation": 2, "economic_cost": 0},
    ),
    "imprisonment": ("Overall rise", "increase", (S, L, VS, NI, NI), None),
    "second-responder-programmes": ("Some reduction", "some-reduction", (S, L, L, L, NI), None),
    "alley-gating": (
        "Overall reduction",
        "reduction",
        (VS, (S, True), (S, True), (S, True), (M, True)),
        None,
    ),
    "retail-tagging": ("Mixed findings", "mixed", (PAGE, S, S, S, S), None),
}
#: Entries whose www toolkit address the notes say is NOT FOUND: no slug may be built for them.
NO_WWW_SLUG = {
    "scared-straight", "speed-cameras", "focused-deterrence", "boot-camps",
    "wilderness-challenge", "cognitive-behavioural-therapy", "neighbourhood-watch",
    "hot-spots-policing", "juvenile-curfews", "alcohol-sales-hours",
}  # fmt: skip
#: www toolkit addresses the notes mark SEEN (no "inferred" flag needed).
SEEN_WWW = {
    "therapeutic-communities", "alcohol-pricing", "alley-gating", "retail-tagging",
    "car-breathalyser-lock", "drink-drive-stops", "electronic-monitoring-offenders",
    "diversion-models", "minimum-legal-drinking-age-laws", "alcohol-use-disorders",
    "street-lighting", "cctv?InterventionID=1",
}  # fmt: skip
#: Effect labels the notes have not seen (categories 2, 5, 6 and 7 of the scale): never used.
UNSEEN_LABELS = re.compile(r"No (?:significant|statistically significant) (?:effect|impact)")


def _entry(content: Content, entry_id: str) -> Entry:
    return next(e for e in content.entries if e.id == entry_id)


def test_every_toolkit_id_is_present(content: Content) -> None:
    assert set(RATINGS) <= {e.id for e in content.entries}
    graded = {e.id for e in content.entries if e.evidence is not None}
    assert graded == set(RATINGS), "an entry is graded that the notes do not grade, or not"


@pytest.mark.parametrize("entry_id", sorted(RATINGS))
def test_effect_label_and_badge(content: Content, entry_id: str) -> None:
    effect, badge, _, _ = RATINGS[entry_id]
    ev = _entry(content, entry_id).evidence
    assert ev is not None
    assert ev.effect == effect
    assert ev.badge_key == badge
    if effect is None:
        assert ev.finding_from, "a finding must say where it was read"
    else:
        assert EFFECT_LABELS[effect] == badge


@pytest.mark.parametrize("entry_id", sorted(RATINGS))
def test_quality_labels(content: Content, entry_id: str) -> None:
    _, _, quality, _ = RATINGS[entry_id]
    ev = _entry(content, entry_id).evidence
    assert ev is not None
    if quality is None:
        assert ev.quality == () and ev.page_order == ()
    elif quality[0] == PAGE:
        assert ev.quality == () and ev.page_order == quality[1:]
    else:
        wanted = [q if isinstance(q, tuple) else (q, False) for q in quality]
        assert [(r.label, r.inferred) for r in ev.quality] == wanted


@pytest.mark.parametrize("entry_id", sorted(RATINGS))
def test_legacy_scores_are_only_legacy(content: Content, entry_id: str) -> None:
    _, _, _, legacy = RATINGS[entry_id]
    ev = _entry(content, entry_id).evidence
    assert ev is not None
    if legacy != "any":
        assert dict(ev.legacy_scores) == (legacy or {})


def test_harmful_entries_lead_with_a_warning_and_better_options(content: Content) -> None:
    by_id = {e.id: e for e in content.entries}
    for entry in content.entries:
        if entry.badge is not None and entry.badge.key == "increase":
            assert entry.warning, entry.id
            assert entry.instead, entry.id
            for other in entry.instead:
                assert by_id[other].badge is None or by_id[other].badge.positive  # type: ignore[union-attr]


def test_no_slug_is_built_where_the_notes_have_none() -> None:
    for entry_id in NO_WWW_SLUG:
        text = (KNOWLEDGE / f"{entry_id}.yaml").read_text(encoding="utf-8")
        assert not re.search(r"college\.police\.uk/research/crime-reduction-toolkit/\S", text), (
            entry_id
        )


def test_inferred_www_addresses_are_flagged_in_data_and_in_a_comment() -> None:
    pattern = re.compile(
        r"url: https://www\.college\.police\.uk/research/crime-reduction-toolkit/(\S+)"
    )
    for path in sorted(KNOWLEDGE.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            match = pattern.search(line)
            if match and match.group(1) not in SEEN_WWW:
                window = "\n".join(lines[max(0, number - 2) : number + 3])
                assert "# INFERRED" in window and "inferred: true" in window, (
                    f"{path.name}:{number + 1}"
                )


def test_no_unseen_effect_label_is_quoted(content: Content) -> None:
    for entry in content.entries:
        if entry.evidence and entry.evidence.effect:
            assert entry.evidence.effect in EFFECT_LABELS
        assert not UNSEEN_LABELS.search(entry.summary), entry.id
