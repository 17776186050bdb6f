"""Rules for the toolkit's grading that span several fields or entries.

A label is quoted only if our notes have seen it; a badge is derived from the label, never
chosen beside it; a warning leads every entry that can increase harm; "instead" names only
better-supported entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from bot.engine.grading import BADGES, EFFECT_LABELS
from bot.errors import Problem

#: What an item of the loader looks like to these checks: its path, data and node.
Item = Any


def locate_path(node: yaml.Node, path: Iterable[str | int]) -> yaml.Node:
    """The node at a dotted path (keys and list indexes), or the deepest one found."""
    found = node
    for step in path:
        child = _child(found, step)
        if child is None:
            break
        found = child
    return found


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(step, int) and isinstance(node, yaml.SequenceNode):
        return node.value[step] if step < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return value  # type: ignore[no-any-return]
    return None


def _at(item: Item, path: tuple[str | int, ...], message: str) -> Problem:
    node = locate_path(item.node, path)
    name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return Problem(item.path, node.start_mark.line + 1, name, message)


def badge_key(data: dict[str, Any]) -> str | None:
    """The badge an entry's data implies (None without evidence or with a broken label)."""
    evidence = data.get("evidence")
    if not evidence:
        return None
    effect = evidence.get("effect")
    return EFFECT_LABELS.get(effect) if effect else evidence.get("finding")


def check_grading(items: list[Item]) -> list[Problem]:
    """Every grading rule, for every entry."""
    by_id = {item.data["id"]: item for item in items}
    problems: list[Problem] = []
    for item in items:
        problems += _evidence_rules(item)
        problems += _warning_rule(item)
        problems += _instead_rules(item, by_id)
    return problems


def _evidence_rules(item: Item) -> list[Problem]:
    data, evidence = item.data, item.data.get("evidence")
    if evidence is None:
        if data.get("kind") == "intervention":
            return [_at(item, ("kind",), "an intervention needs the toolkit's grading (evidence)")]
        return []
    out = _label_rules(item, evidence)
    has_quality = "quality" in evidence
    if has_quality == ("quality_in_page_order" in evidence):
        out.append(
            _at(
                item,
                ("evidence",),
                "give exactly one of quality (the five labels, or null when our notes have none) "
                "and quality_in_page_order (a page that shows fewer labels than dimensions)",
            )
        )
    return out


def _label_rules(item: Item, evidence: dict[str, Any]) -> list[Problem]:
    effect = evidence.get("effect")
    if effect is not None and effect not in EFFECT_LABELS:
        known = "; ".join(f'"{label}"' for label in EFFECT_LABELS)
        return [
            _at(
                item,
                ("evidence", "effect"),
                f"{effect!r} is not an effect label our notes have seen ({known}); quote the "
                "label exactly, or write effect: null with finding and finding_from",
            )
        ]
    if effect is not None and ("finding" in evidence or "finding_from" in evidence):
        return [
            _at(
                item,
                ("evidence", "finding"),
                "is only for entries whose effect label is not in our notes: the badge comes "
                "from the label",
            )
        ]
    if effect is None:
        return [
            _at(item, ("evidence", name), f"is required when effect is null ({why})")
            for name, why in (
                ("finding", "what the toolkit's text says, as one of: " + ", ".join(BADGES)),
                ("finding_from", "where our notes read it, e.g. the legacy toolkit page"),
            )
            if name not in evidence
        ]
    return []


def _warning_rule(item: Item) -> list[Problem]:
    if badge_key(item.data) == "increase" and not item.data.get("warning"):
        return [
            _at(
                item,
                ("evidence",),
                "an intervention that increases harm must lead with a warning (the warning field)",
            )
        ]
    return []


def _supported(data: dict[str, Any]) -> bool:
    key = badge_key(data)
    return (key is not None and BADGES[key].positive) or (
        key is None and data.get("verdict") == "works"
    )


def _instead_rules(item: Item, by_id: dict[str, Item]) -> list[Problem]:
    out = []
    for i, other in enumerate(item.data.get("instead") or ()):
        target = by_id.get(other)
        if other == item.data["id"]:
            out.append(_at(item, ("instead", i), "an entry cannot be its own alternative"))
        elif target is None:
            out.append(_at(item, ("instead", i), f"no entry has the id {other!r}"))
        elif not _supported(target.data):
            out.append(
                _at(
                    item,
                    ("instead", i),
                    f"{other!r} is not better supported: an alternative must reduce crime on the "
                    "toolkit's grading (or be on the guidance's list of what works)",
                )
            )
    return out
