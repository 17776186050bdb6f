"""Safe YAML parsing that keeps line numbers, so every problem can say where it is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from bot.errors import Problem

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
INT = "tag:yaml.org,2002:int"
TYPE_NAMES = {
    STR: "text",
    NULL: "nothing (null)",
    BOOL: "true/false",
    TIMESTAMP: "a date",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
}


def line(node: yaml.Node) -> int:
    """1-based line where a node starts."""
    return int(node.start_mark.line) + 1


def describe(node: yaml.Node) -> str:
    """What a node holds, in words for a maintainer."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return TYPE_NAMES.get(node.tag, f"a value tagged {node.tag}")


def compose(path: Path) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse one file safely; a syntax error becomes a Problem with line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, None, None, f"cannot read the file: {exc}")]
    if not text.strip():
        return None, [Problem(path, 1, None, "the file is empty; expected a YAML mapping")]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(path, exc)]
    except yaml.YAMLError as exc:
        return None, [Problem(path, None, None, f"invalid YAML: {exc}")]
    if node is None:
        return None, [Problem(path, 1, None, "the file has no content; expected a YAML mapping")]
    return node, []


def _compose(text: str) -> yaml.Node | None:
    """libyaml when present (about 10x faster: it is most of a command's start-up); on an
    error, the pure-Python parser again, whose messages say more (e.g. which character)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _at(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "an unknown place"


def _syntax_problem(path: Path, exc: yaml.MarkedYAMLError) -> Problem:
    """Name where the broken construct starts (context) and where parsing failed (problem)."""
    mark = exc.context_mark or exc.problem_mark
    message = f"invalid YAML: {exc.problem} at {_at(exc.problem_mark)}"
    if exc.context:
        message += f" ({exc.context} starting at {_at(exc.context_mark)})"
    return Problem(path, int(mark.line) + 1 if mark else None, None, message)


def scalar_date(node: yaml.ScalarNode) -> date | None:
    """The date in a scalar written as YYYY-MM-DD, or None."""
    try:
        return date.fromisoformat(str(node.value))
    except ValueError:
        return None
