"""Load and validate knowledge entries and intents; report every problem, then refuse."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content import records
from bot.content.grading_checks import check_grading
from bot.content.nodes import compose
from bot.content.schema import Record, Report
from bot.content.specs import ENTRY, INTENT, REQUIRED_INTENTS
from bot.engine.models import Entry, Intent
from bot.engine.normalize import Analyzer, clean
from bot.errors import ContentError, Problem


@dataclass(frozen=True, slots=True)
class Parsed:
    """One file that passed its own checks: its data, and its node for locating lines."""

    path: Path
    data: dict[str, Any]
    node: yaml.Node


@dataclass(frozen=True, slots=True)
class Content:
    """The validated knowledge base and intents."""

    entries: tuple[Entry, ...]
    intents: tuple[Intent, ...]
    version: str = ""  # a short hash of every content file: which knowledge base answered


def yaml_files(directory: Path) -> list[Path]:
    """The YAML files of a content directory, in a stable order."""
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def parse_dir(directory: Path, spec: Record, what: str) -> tuple[list[Parsed], list[Problem]]:
    """Check every file of a directory against a spec, collecting every problem."""
    if not directory.is_dir():
        return [], [Problem(directory, None, None, f"is not a directory of {what} files")]
    files = yaml_files(directory)
    if not files:
        return [], [Problem(directory, None, None, f"holds no {what} files (*.yaml)")]
    parsed, problems = [], []
    owners: dict[str, Path] = {}
    for path in files:
        node, found = compose(path)
        report = Report(path, found)
        _check_unique_id(node, owners, path, report)
        data = spec.check(node, report, "") if node is not None else None
        _check_stem(path, node, report)
        problems += report.problems
        if data is not None and node is not None and not report.problems:
            parsed.append(Parsed(path, data, node))
    return parsed, problems


def raw_id(node: yaml.Node | None) -> tuple[yaml.Node, str] | None:
    """The id written in a file, even when other fields are broken."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value == "id" and isinstance(value, yaml.ScalarNode) and value.value:
            return key, str(value.value)
    return None


def _check_unique_id(
    node: yaml.Node | None, owners: dict[str, Path], path: Path, report: Report
) -> None:
    found = raw_id(node)
    if found is not None:
        first = owners.setdefault(found[1], path)
        if first != path:
            report.add(found[0], "id", f"duplicate id {found[1]!r}: also used by {first}")


def _check_stem(path: Path, node: yaml.Node | None, report: Report) -> None:
    found = raw_id(node)
    if found is not None and found[1] != path.stem:
        report.add(found[0], "id", f"{found[1]!r} must equal the file name stem {path.stem!r}")


def locate(node: yaml.Node, key: str, index: int | None = None) -> yaml.Node:
    """The node of a top-level field (or one of its list items), for its line number."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                if index is not None and isinstance(value, yaml.SequenceNode):
                    return value.value[index]  # type: ignore[no-any-return]
                return key_node  # type: ignore[no-any-return]
    return node


def _problem(item: Parsed, key: str, message: str, index: int | None = None) -> Problem:
    field = f"{key}[{index}]" if index is not None else key
    return Problem(item.path, locate(item.node, key, index).start_mark.line + 1, field, message)


def check_entries(items: list[Parsed]) -> list[Problem]:
    """Checks that need more than one file: related ids, duplicate questions, summaries."""
    ids = {item.data["id"] for item in items}
    problems = []
    for item in items:
        problems += _check_related(item, ids)
    problems += _duplicates(items, "questions", "entries")
    return problems + check_grading(items)


def _check_related(item: Parsed, ids: set[str]) -> list[Problem]:
    out = []
    for i, other in enumerate(item.data.get("related") or ()):
        if other == item.data["id"]:
            out.append(_problem(item, "related", "an entry cannot be related to itself", i))
        elif other not in ids:
            out.append(_problem(item, "related", f"no entry has the id {other!r}", i))
    return out


def _duplicates(items: list[Parsed], key: str, what: str) -> list[Problem]:
    seen: dict[str, list[tuple[Parsed, int]]] = defaultdict(list)
    for item in items:
        for i, text in enumerate(item.data.get(key) or ()):
            seen[clean(text)].append((item, i))
    problems = []
    for places in seen.values():
        owners = {p.data["id"] for p, _ in places}
        if len(owners) > 1:
            for item, i in places:
                others = ", ".join(sorted(owners - {item.data["id"]}))
                problems.append(_problem(item, key, f"is also in {what}: {others}", i))
    return problems


def check_intents(items: list[Parsed], directory: Path) -> list[Problem]:
    """Every required intent is defined, and no example belongs to two intents."""
    have = {item.data["id"] for item in items}
    problems = [
        Problem(directory / f"{name}.yaml", None, None, f"the required intent {name!r} is missing")
        for name in REQUIRED_INTENTS
        if name not in have and not _exists(directory, name)
    ]
    return problems + _duplicates(items, "examples", "intents") + _same_terms(items)


def _same_terms(items: list[Parsed]) -> list[Problem]:
    """Examples of different intents that read as the same words ("how do you work" and "what
    works" both become "work"): the engine could not tell them apart."""
    analyzer = Analyzer()
    owners: dict[frozenset[str], tuple[Parsed, int]] = {}
    problems = []
    for item in items:
        for i, text in enumerate(item.data.get("examples") or ()):
            terms = frozenset(analyzer.analyse(text))
            first = owners.setdefault(terms, (item, i)) if terms else (item, i)
            if first[0].data["id"] != item.data["id"]:
                other = first[0].data["examples"][first[1]]
                problems.append(
                    _problem(
                        item,
                        "examples",
                        f"reads as the same words as {other!r} in intent {first[0].data['id']!r}",
                        i,
                    )
                )
    return problems


def _exists(directory: Path, name: str) -> bool:
    """A file for this intent exists (its own problems are reported instead)."""
    return any((directory / f"{name}{ext}").exists() for ext in (".yaml", ".yml"))


def _load(
    directory: Path, spec: Record, what: str, cross: Callable[[list[Parsed]], list[Problem]]
) -> tuple[list[Parsed], list[Problem]]:
    items, problems = parse_dir(directory, spec, what)
    return items, problems + cross(items)


def load_content(knowledge: Path, intents: Path) -> Content:
    """Load both directories; raise ContentError listing every problem if anything is wrong."""
    entry_items, problems = _load(knowledge, ENTRY, "knowledge entry", check_entries)
    intent_items, intent_problems = _load(
        intents, INTENT, "intent", lambda items: check_intents(items, intents)
    )
    problems += intent_problems
    if problems:
        raise ContentError(problems)
    return Content(
        _build(entry_items, records.entry),
        _build(intent_items, records.intent),
        version=content_version([*entry_items, *intent_items]),
    )


def content_version(items: Iterable[Parsed]) -> str:
    """A short, stable hash of the content files' names and bytes."""
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda i: (i.path.parent.name, i.path.name)):
        digest.update(f"{item.path.parent.name}/{item.path.name}\0".encode())
        digest.update(item.path.read_bytes())
    return digest.hexdigest()[:8]


def _build(items: Iterable[Parsed], make: Callable[[dict[str, Any]], Any]) -> tuple[Any, ...]:
    return tuple(make(item.data) for item in items)
