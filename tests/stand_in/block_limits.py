"""Block Kit limits as Slack enforces them; pure functions usable directly in tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

MESSAGE_TEXT_LIMIT = 40_000
MAX_BLOCKS = {"message": 50, "unfurl": 50, "modal": 100, "home": 100, "view": 100}
BLOCK_TYPES = {
    "actions",
    "context",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "markdown",
    "rich_text",
    "section",
    "video",
    "table",
    "context_actions",
}
TEXT_TYPES = ("plain_text", "mrkdwn")
ID_LIMIT = 255

Problems = list[str]


def _at(path: str) -> str:
    """Format a JSON pointer the way Slack's error strings do."""
    return f"[json-pointer:{path}]"


def _too_long(path: str, limit: int) -> str:
    """Slack's wording for an over-long string."""
    return f"must be less than {limit + 1} characters {_at(path)}"


def _too_many(path: str, limit: int) -> str:
    """Slack's wording for an over-long array."""
    return f"no more than {limit} items allowed {_at(path)}"


def _string(value: Any, path: str, limit: int, *, min_len: int = 0) -> Problems:
    """Check a plain string field."""
    if not isinstance(value, str):
        return [f"must be a string {_at(path)}"]
    if len(value) > limit:
        return [_too_long(path, limit)]
    if len(value) < min_len:
        return [f"must be more than {min_len - 1} characters {_at(path)}"]
    return []


def _text(obj: Any, path: str, limit: int, *, plain_only: bool = False) -> Problems:
    """Check a text composition object."""
    if not isinstance(obj, Mapping):
        return [f"must be an object {_at(path)}"]
    allowed = ("plain_text",) if plain_only else TEXT_TYPES
    if obj.get("type") not in allowed:
        return [f"must be one of {list(allowed)} {_at(path + '/type')}"]
    return _string(obj.get("text"), path + "/text", limit, min_len=1)


def _optional(obj: Mapping[str, Any], key: str, path: str, limit: int) -> Problems:
    """Check an optional string field."""
    if key not in obj or obj[key] is None:
        return []
    return _string(obj[key], f"{path}/{key}", limit)


def _array(value: Any, path: str, limit: int, *, min_len: int = 1) -> Problems:
    """Check an array's type and length."""
    if not isinstance(value, list):
        return [f"must be an array {_at(path)}"]
    if len(value) > limit:
        return [_too_many(path, limit)]
    if len(value) < min_len:
        return [f"must provide at least {min_len} items {_at(path)}"]
    return []


def element_violations(element: Any, path: str) -> Problems:
    """Check one interactive element (buttons in full, others for action_id)."""
    if not isinstance(element, Mapping):
        return [f"must be an object {_at(path)}"]
    problems = _optional(element, "action_id", path, ID_LIMIT)
    if element.get("type") == "button":
        problems += _text(element.get("text"), path + "/text", 75, plain_only=True)
        problems += _optional(element, "value", path, 2000)
        problems += _optional(element, "url", path, 3000)
        if element.get("style") not in (None, "primary", "danger"):
            problems.append(f"must be one of ['primary', 'danger'] {_at(path + '/style')}")
    return problems


def _section(block: Mapping[str, Any], path: str) -> Problems:
    """Section: text ≤ 3000, fields ≤ 10 of ≤ 2000, optional accessory."""
    problems: Problems = []
    if "text" not in block and "fields" not in block:
        problems.append(f"must provide either text or fields {_at(path)}")
    if "text" in block:
        problems += _text(block["text"], path + "/text", 3000)
    if "fields" in block:
        fields = block["fields"]
        problems += _array(fields, path + "/fields", 10)
        if isinstance(fields, list):
            for i, field in enumerate(fields[:10]):
                problems += _text(field, f"{path}/fields/{i}", 2000)
    if "accessory" in block:
        problems += element_violations(block["accessory"], path + "/accessory")
    return problems


def _header(block: Mapping[str, Any], path: str) -> Problems:
    """Header: plain_text ≤ 150."""
    return _text(block.get("text"), path + "/text", 150, plain_only=True)


def _context(block: Mapping[str, Any], path: str) -> Problems:
    """Context: 1..10 elements."""
    return _array(block.get("elements"), path + "/elements", 10)


def _actions(block: Mapping[str, Any], path: str) -> Problems:
    """Actions: 1..25 elements, action_ids unique within the block."""
    elements = block.get("elements")
    problems = _array(elements, path + "/elements", 25)
    if not isinstance(elements, list):
        return problems
    seen: set[str] = set()
    for i, element in enumerate(elements):
        problems += element_violations(element, f"{path}/elements/{i}")
        action_id = element.get("action_id") if isinstance(element, Mapping) else None
        if isinstance(action_id, str) and action_id in seen:
            problems.append(f"action_id must be unique {_at(f'{path}/elements/{i}/action_id')}")
        if isinstance(action_id, str):
            seen.add(action_id)
    return problems


def _image(block: Mapping[str, Any], path: str) -> Problems:
    """Image: url ≤ 3000, alt_text ≤ 2000, title ≤ 2000."""
    problems = _string(block.get("alt_text"), path + "/alt_text", 2000, min_len=1)
    if "slack_file" not in block:
        problems += _string(block.get("image_url"), path + "/image_url", 3000, min_len=1)
    if "title" in block:
        problems += _text(block["title"], path + "/title", 2000, plain_only=True)
    return problems


def _input(block: Mapping[str, Any], path: str) -> Problems:
    """Input: label ≤ 2000, hint ≤ 2000, one element."""
    problems = _text(block.get("label"), path + "/label", 2000, plain_only=True)
    if "hint" in block:
        problems += _text(block["hint"], path + "/hint", 2000, plain_only=True)
    if "element" not in block:
        problems.append(f"must provide an element {_at(path)}")
    else:
        problems += element_violations(block["element"], path + "/element")
    return problems


CHECKS: dict[str, Callable[[Mapping[str, Any], str], Problems]] = {
    "section": _section,
    "header": _header,
    "context": _context,
    "actions": _actions,
    "image": _image,
    "input": _input,
}


def _block(block: Any, path: str, block_ids: set[str]) -> Problems:
    """Check one block, recording its block_id for the uniqueness check."""
    if not isinstance(block, Mapping):
        return [f"must be an object {_at(path)}"]
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        return [f"unsupported block type {kind!r} {_at(path + '/type')}"]
    problems: Problems = []
    block_id = block.get("block_id")
    if block_id is not None:
        problems += _string(block_id, path + "/block_id", ID_LIMIT, min_len=1)
        if block_id in block_ids:
            problems.append(f"block_id must be unique {_at(path + '/block_id')}")
        block_ids.add(str(block_id))
    check = CHECKS.get(str(kind))
    return problems + (check(block, path) if check else [])


def violations(blocks: Any, *, surface: str = "message") -> list[str]:
    """List every Block Kit limit the blocks break; `surface` is message, unfurl, modal or home."""
    if surface not in MAX_BLOCKS:
        raise ValueError(f"unknown surface {surface!r}; use one of {sorted(MAX_BLOCKS)}")
    if not isinstance(blocks, list):
        return [f"must be an array {_at('/blocks')}"]
    problems: Problems = []
    if len(blocks) > MAX_BLOCKS[surface]:
        problems.append(_too_many("/blocks", MAX_BLOCKS[surface]))
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        problems += _block(block, f"/blocks/{i}", block_ids)
    return problems


def view_violations(view: Any) -> list[str]:
    """Check a modal or home-tab view object, including its blocks."""
    if not isinstance(view, Mapping):
        return [f"must be an object {_at('/view')}"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [f"must be one of ['modal', 'home'] {_at('/view/type')}"]
    problems = [
        p.replace("[json-pointer:/", "[json-pointer:/view/")
        for p in violations(view.get("blocks"), surface=str(kind))
    ]
    for key, limit in (
        ("callback_id", ID_LIMIT),
        ("external_id", ID_LIMIT),
        ("private_metadata", 3000),
    ):
        problems += _optional(view, key, "/view", limit)
    if kind == "modal":
        problems += _text(view.get("title"), "/view/title", 24, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                problems += _text(view[key], f"/view/{key}", 24, plain_only=True)
    return problems


def message_problem(params: Mapping[str, Any], *, surface: str = "message") -> tuple[str, Problems]:
    """Return (error, reasons) for a message body Slack would refuse, or ("", [])."""
    blocks = params.get("blocks")
    if blocks is not None:
        if not isinstance(blocks, list):
            return "invalid_blocks_format", [f"must be an array {_at('/blocks')}"]
        problems = violations(blocks, surface=surface)
        if problems:
            return "invalid_blocks", problems
    text = params.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_LIMIT:
        return "msg_too_long", [_too_long("/text", MESSAGE_TEXT_LIMIT)]
    if not text and not blocks and not params.get("attachments"):
        return "no_text", []
    return "", []
