"""Declarative checks for YAML nodes: each spec validates a node and reports what it expected."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.content.nodes import BOOL, INT, NULL, STR, TIMESTAMP, describe, line, scalar_date
from bot.errors import Problem


@dataclass
class Report:
    """Collects the problems of one file."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    def add(self, node: yaml.Node | None, name: str | None, message: str) -> None:
        """Record a problem at a node (or at the top of the file)."""
        self.problems.append(Problem(self.path, line(node) if node else 1, name, message))


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def sentences(text: str) -> int:
    """How many sentences a text has (by terminal punctuation)."""
    return len(_SENTENCE_END.findall(text))


class Spec:
    """Validates one node; returns the plain value, or None after reporting a problem."""

    expected = "a value"

    def check(self, node: yaml.Node, report: Report, name: str) -> object | None:
        raise NotImplementedError

    def wrong(self, node: yaml.Node, report: Report, name: str) -> None:
        """Report that the node is not of the expected type."""
        report.add(node, name, f"expected {self.expected}, got {describe(node)}")


@dataclass
class Text(Spec):
    """A non-empty string, optionally bounded and matching a pattern."""

    max_len: int = 2000
    pattern: str | None = None
    pattern_hint: str = ""
    max_sentences: int = 0
    expected: str = "text"

    def check(self, node: yaml.Node, report: Report, name: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
            self.wrong(node, report, name)
            return None
        value = str(node.value).strip()
        if not value:
            report.add(node, name, "is empty; expected text")
        elif len(value) > self.max_len:
            report.add(node, name, f"is {len(value)} characters; at most {self.max_len} allowed")
        elif self.pattern and not re.fullmatch(self.pattern, value):
            report.add(node, name, f"{value!r} is not {self.pattern_hint or self.pattern}")
        elif self.max_sentences and not 1 <= sentences(value) <= self.max_sentences:
            found = sentences(value)
            report.add(node, name, f"has {found} sentences; expected 1 to {self.max_sentences}")
        else:
            return value
        return None


@dataclass
class Choice(Spec):
    """One of a fixed set of words."""

    choices: tuple[str, ...] = ()

    def check(self, node: yaml.Node, report: Report, name: str) -> str | None:
        value = Text().check(node, report, name)
        if value is not None and value not in self.choices:
            report.add(node, name, f"{value!r} is not one of: {', '.join(self.choices)}")
            return None
        return value


class Date(Spec):
    """A date written YYYY-MM-DD."""

    expected = "a date written YYYY-MM-DD"

    def check(self, node: yaml.Node, report: Report, name: str) -> object | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (STR, TIMESTAMP):
            self.wrong(node, report, name)
            return None
        value = scalar_date(node)
        if value is None:
            report.add(node, name, f"{node.value!r} is not a valid date written YYYY-MM-DD")
        return value


class Url(Spec):
    """An absolute http(s) URL, never a staging host or a session-token bookmark."""

    expected = "an http(s) URL"
    banned = ("production.copweb", "/flag/flag/pin/")

    def check(self, node: yaml.Node, report: Report, name: str) -> str | None:
        value = Text(max_len=2000).check(node, report, name)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
            report.add(node, name, f"{value!r} is not a valid http(s) URL")
        elif value.endswith(("...", "\u2026")):
            report.add(node, name, f"{value!r} looks cut short (ends with an ellipsis)")
        elif any(b in value for b in self.banned):
            report.add(node, name, f"{value!r} is a staging or bookmark address; link the www page")
        else:
            return value
        return None


@dataclass
class Score(Spec):
    """A whole number in a range (legacy 0-4 toolkit scores)."""

    low: int = 0
    high: int = 4
    expected: str = "a whole number"

    def check(self, node: yaml.Node, report: Report, name: str) -> int | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != INT:
            self.wrong(node, report, name)
            return None
        value = int(node.value)
        if not self.low <= value <= self.high:
            report.add(node, name, f"{value} is not between {self.low} and {self.high}")
            return None
        return value


class Flag(Spec):
    """true or false."""

    expected = "true or false"

    def check(self, node: yaml.Node, report: Report, name: str) -> bool | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != BOOL:
            self.wrong(node, report, name)
            return None
        return str(node.value).lower() in ("true", "yes", "on")


@dataclass
class Nullable(Spec):
    """The inner spec, or null."""

    inner: Spec = field(default_factory=Text)

    def check(self, node: yaml.Node, report: Report, name: str) -> object | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL:
            return None
        return self.inner.check(node, report, name)


@dataclass
class ListOf(Spec):
    """A list whose items all match one spec."""

    item: Spec = field(default_factory=Text)
    min_items: int = 0
    max_items: int = 1000
    expected: str = "a list"

    def check(self, node: yaml.Node, report: Report, name: str) -> list[object] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.wrong(node, report, name)
            return None
        count = len(node.value)
        if not self.min_items <= count <= self.max_items:
            bounds = f"between {self.min_items} and {self.max_items}"
            report.add(node, name, f"has {count} items; expected {bounds}")
        before = len(report.problems)
        items = [self.item.check(n, report, f"{name}[{i}]") for i, n in enumerate(node.value)]
        return items if len(report.problems) == before else None


@dataclass
class Either(Spec):
    """A plain text, or a record (for list items that may carry a citation)."""

    text: Spec = field(default_factory=Text)
    record: Spec = field(default_factory=lambda: Record({}))

    def check(self, node: yaml.Node, report: Report, name: str) -> object | None:
        spec = self.record if isinstance(node, yaml.MappingNode) else self.text
        return spec.check(node, report, name)


@dataclass
class Record(Spec):
    """A mapping with known fields: required ones must be there, unknown ones are typos."""

    fields: Mapping[str, tuple[Spec, bool]] = field(default_factory=dict)
    expected: str = "a mapping of field: value"

    def check(self, node: yaml.Node, report: Report, name: str) -> dict[str, object] | None:
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, report, name)
            return None
        before = len(report.problems)
        values: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{name}.{key}" if name else key
            self._check_field(key, key_node, value_node, values, report, path)
        for key, (_spec, required) in self.fields.items():
            if required and key not in values and not _reported(report, before, key, name):
                report.add(node, f"{name}.{key}" if name else key, "is required but missing")
        return values if len(report.problems) == before else None

    def _check_field(
        self,
        key: str,
        key_node: yaml.Node,
        value_node: yaml.Node,
        values: dict[str, object],
        report: Report,
        path: str,
    ) -> None:
        if key in values:
            report.add(key_node, path, "appears twice in this mapping")
        elif key not in self.fields:
            near = difflib.get_close_matches(key, self.fields, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            known = ", ".join(self.fields)
            report.add(key_node, path, f"unknown field{hint} (known fields: {known})")
        else:
            values[key] = self.fields[key][0].check(value_node, report, path)


def _reported(report: Report, since: int, key: str, parent: str) -> bool:
    path = f"{parent}.{key}" if parent else key
    return any(p.field == path for p in report.problems[since:])
