"""The pure Block Kit limit checks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stand_in.block_limits import message_problem, view_violations, violations


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    """A mrkdwn section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(**fields: Any) -> dict[str, Any]:
    """A button element."""
    return {"type": "button", "text": {"type": "plain_text", "text": "Go"}, **fields}


def test_valid_message_has_no_violations() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "H" * 150}},
        section("x" * 3000, block_id="a"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}] * 10},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        {"type": "actions", "elements": [button(action_id=f"b{i}") for i in range(25)]},
        {"type": "divider"},
    ] + [{"type": "divider"}] * 44
    assert violations(blocks) == []


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        ([{"type": "divider"}] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
        (
            [section("x" * 3001)],
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/fields]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
        ),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "H" * 151}}],
            "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [{"type": "actions", "elements": [button()] * 26}],
            "no more than 25 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [{**button(), "text": {"type": "plain_text", "text": "b" * 76}}],
                }
            ],
            "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [button(value="v" * 2001)]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
        ),
        (
            [section(accessory=button(url="https://x.test/" + "u" * 3000))],
            "must be less than 3001 characters [json-pointer:/blocks/0/accessory/url]",
        ),
        (
            [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
            "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
        ),
        (
            [section(block_id="b" * 256)],
            "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
        ),
        (
            [section(block_id="same"), section(block_id="same")],
            "block_id must be unique [json-pointer:/blocks/1/block_id]",
        ),
        ([{"type": "sektion"}], "unsupported block type 'sektion' [json-pointer:/blocks/0/type]"),
        ([section("")], "must be more than 0 characters [json-pointer:/blocks/0/text/text]"),
    ],
)
def test_each_limit(blocks: list[dict[str, Any]], expected: str) -> None:
    assert expected in violations(blocks)


def test_views_allow_100_blocks() -> None:
    assert violations([{"type": "divider"}] * 100, surface="modal") == []
    assert violations([{"type": "divider"}] * 101, surface="home") == [
        "no more than 100 items allowed [json-pointer:/blocks]"
    ]


def test_view_fields() -> None:
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "T" * 25}, "blocks": []}
    assert view_violations(modal) == [
        "must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    home = {"type": "home", "blocks": [section("x" * 3001)]}
    assert view_violations(home) == [
        "must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]"
    ]


def test_message_problem() -> None:
    assert message_problem({"text": "x" * 40_001})[0] == "msg_too_long"
    assert message_problem({}) == ("no_text", [])
    assert message_problem({"blocks": "not json"})[0] == "invalid_blocks_format"
    assert message_problem({"blocks": [section()]}) == ("", [])


def test_unknown_surface_is_an_error() -> None:
    with pytest.raises(ValueError):
        violations([], surface="email")
