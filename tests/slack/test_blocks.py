"""Every reply the bot can send renders within Slack's Block Kit limits and says what it should."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pytest

from bot import cards
from bot.engine import Answer, Engine
from bot.engine.models import KIND_LABELS, VERDICT_LABELS
from bot.engine.tips import pick_tip
from bot.slack import blocks as b
from bot.slack import listing
from bot.slack.replies import Reply, compose, detail_reply, entry_reply, responses
from bot.slack.text import escape, shorten
from tests.stand_in.block_limits import message_problem, violations

LISTS = ("what-works", "what-doesnt-work", "topics")


def element_ok(element: Mapping[str, Any]) -> bool:
    """Action id ≤ 255; a button's plain text 1..75 and value ≤ 2,000."""
    if len(element.get("action_id", "")) > 255:
        return False
    text = element.get("text", {"type": "plain_text", "text": "x"})
    button = text["type"] == "plain_text" and 0 < len(text["text"]) <= 75
    return element.get("type") != "button" or (button and len(element.get("value", "")) <= 2000)


def limit_problems(blocks: Sequence[Mapping[str, Any]], max_blocks: int = 50) -> list[str]:
    """Our own reading of Slack's limits, independent of the stand-in's checker."""
    problems = [f"{len(blocks)} blocks"] if len(blocks) > max_blocks else []
    ids = [blk["block_id"] for blk in blocks if "block_id" in blk]
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate block_ids {ids}")
    for i, blk in enumerate(blocks):
        kind, text = blk["type"], blk.get("text", {})
        checks = [0 < len(blk.get("block_id", "x")) <= 255]
        if kind == "section":
            checks.append(0 < len(text["text"]) <= 3000)
        if kind == "header":
            checks.append(text["type"] == "plain_text" and 0 < len(text["text"]) <= 150)
        if kind == "context":
            checks.append(0 < len(blk["elements"]) <= 10)
        elements = [blk["accessory"]] if "accessory" in blk else blk.get("elements", [])
        if kind == "actions":
            action_ids = [e.get("action_id") for e in elements]
            checks += [0 < len(elements) <= 25, len(action_ids) == len(set(action_ids))]
        checks += [element_ok(e) for e in elements if kind != "context"]
        if not all(checks):
            problems.append(f"block {i}: {blk}")
    return problems


def assert_within_limits(reply: Reply, surface: str = "message") -> None:
    """The stand-in's checker and our own direct checks agree there is nothing wrong."""
    assert reply.text.strip(), "no plain-text fallback"
    assert violations(reply.blocks, surface=surface) == []
    assert message_problem(reply.message(), surface=surface) == ("", [])
    assert limit_problems(reply.blocks, 50) == []


def texts(node: Any) -> list[str]:
    """Every text object's text, depth first."""
    if isinstance(node, Mapping):
        own = [node["text"]] if node.get("type") in ("mrkdwn", "plain_text") else []
        return own + [t for value in node.values() for t in texts(value)]
    return [t for item in node for t in texts(item)] if isinstance(node, list) else []


def shown(blocks: Sequence[Mapping[str, Any]]) -> str:
    """Every text a person sees, one per line."""
    return "\n".join(texts(list(blocks)))


def block(reply: Reply, block_id: str) -> dict[str, Any]:
    [found] = [blk for blk in reply.blocks if blk.get("block_id") == block_id]
    return found


def values(blk: Mapping[str, Any]) -> list[str]:
    return [e["value"] for e in blk["elements"]]


def opens(blocks: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Every button that opens an entry: section accessories and rows of buttons."""
    found = []
    for blk in blocks:
        items = [blk["accessory"]] if "accessory" in blk else blk.get("elements", [])
        if blk["type"] in ("section", "actions"):
            found += [e for e in items if str(e.get("action_id", "")).startswith(b.OPEN)]
    return found


def synthetic_engine(engine: Engine, n: int = 200) -> Engine:
    """n copies of real entries with new ids, 300-character titles and 50 related ids each."""
    ids = [f"synthetic-{i:03d}" for i in range(n)]
    entries = [
        replace(
            engine.entries[i % len(engine.entries)],
            id=new_id,
            title=(f"Entry {i} & <b> " + "a very long title " * 20)[:300],
            related=tuple(ids[(i + j) % n] for j in range(1, 51)),
        )
        for i, new_id in enumerate(ids)
    ]
    return Engine(entries, list(engine.intents.values()))


@pytest.fixture(scope="module")
def big(engine: Engine) -> Engine:
    return synthetic_engine(engine)


@pytest.mark.parametrize("shareable", [True, False])
def test_every_entry_renders_in_full(engine: Engine, shareable: bool) -> None:
    for entry in engine.entries:
        reply = entry_reply(entry, engine, "a question", shareable=shareable)
        assert_within_limits(reply)
        text = shown(reply.blocks)
        assert reply.text.startswith(entry.title)
        headers = [blk for blk in reply.blocks if blk["type"] == "header"]
        assert headers[0]["text"]["text"] == shorten(entry.title, 150)
        if entry.warning:  # the warning comes before anything else
            assert reply.blocks[0]["block_id"] == "warning"
            assert escape(entry.warning) in reply.blocks[0]["text"]["text"]
        else:
            assert reply.blocks[0]["type"] == "header"
        label = VERDICT_LABELS[entry.verdict] if entry.verdict else KIND_LABELS[entry.kind]
        assert label in text, entry.id
        assert escape(entry.summary) in text, entry.id
        src = entry.source
        assert f"Source: {'<' + src.url + '|' if src.url else ''}{escape(src.title)}" in text
        assert escape(src.publisher) in text
        if src.published:
            assert f"{src.published.day} {src.published:%B %Y}" in text
        for link in entry.links:
            assert f"<{link.url}|{escape(link.label)}>" in text, (entry.id, link.url)
        related = [r for r in entry.related if r in engine.by_id]
        assert values(block(reply, "related")) == related[:25]
        feedback = block(reply, "answer_actions")
        expected = [b.HELPFUL, b.UNHELPFUL] + ([b.SHARE] if shareable else [])
        assert [e["action_id"] for e in feedback["elements"]] == expected
        for value in values(feedback):
            assert json.loads(value) == {"t": f"entry:{entry.id}", "q": "a question"}


def test_toolkit_interventions_show_every_part_of_the_grading(engine: Engine) -> None:
    rated = [e for e in engine.entries if e.evidence is not None]
    assert len(rated) >= 30
    for entry in rated:
        ev = entry.evidence
        assert ev is not None
        text = shown(entry_reply(entry, engine, "q", shareable=False).blocks)
        assert escape(ev.badge.text(ev.outcome)) in text, entry.id
        if ev.effect:
            assert f'Toolkit effect label: "{escape(ev.effect)}"' in text
        else:
            assert "Toolkit effect label: not in our notes" in text
        for line in cards.quality_lines(ev):
            assert escape(line) in text, (entry.id, line)
        if legacy := cards.legacy_line(ev):
            assert escape(legacy) in text
        for name, value in cards.base_lines(ev):
            assert f"{name}: {escape(value)}" in text
        for item in (*ev.figures, *ev.caveats):  # every caveat, not the first two
            assert escape(item.text) in text, (entry.id, item.text)
        assert KIND_LABELS["intervention"] in text
        assert f"knowledge base {engine.version}" in text
        assert f"Reviewed {entry.reviewed.day} {entry.reviewed:%B %Y}" in text


def test_more_detail_shows_every_detail(engine: Engine) -> None:
    for entry in engine.entries:
        reply = entry_reply(entry, engine, "q", shareable=True)
        assert values(block(reply, "entry_actions")) == [entry.id]
        detail = detail_reply(entry)
        assert_within_limits(detail)
        for item in entry.details:
            assert escape(item.text) in shown(detail.blocks), entry.id


def test_inferred_addresses_say_so(engine: Engine) -> None:
    for entry in engine.entries:
        elements = [
            el["text"]
            for blk in entry_reply(entry, engine, "q", shareable=False).blocks
            if blk["type"] == "context"
            for el in blk["elements"]
        ]
        for link in entry.links:
            plain = f"<{link.url}|{escape(link.label)}>"
            assert (plain + " (address inferred)" if link.inferred else plain) in elements
        if entry.source.url:
            title = f"Source: <{entry.source.url}|{escape(entry.source.title)}>"
            marked = title + (" (address inferred)" if entry.source.inferred else ",")
            assert elements[0].startswith(marked), entry.id
    assert "(address inferred)" in shown(
        entry_reply(engine.by_id["drug-courts"], engine, "q", shareable=False).blocks
    )


@pytest.mark.parametrize("intent", LISTS)
def test_every_list_renders(engine: Engine, intent: str) -> None:
    answer = engine.for_intent(intent, intent)
    assert answer.entries
    reply = compose(answer, engine, intent, shareable=True)
    assert_within_limits(reply)
    assert reply.blocks[0]["text"]["text"] == listing.LIST_TITLES[intent]
    opened = [e["value"] for e in opens(reply.blocks)]
    if intent == "topics":
        assert opened == [e.id for e in answer.entries]
    else:  # grouped by source and effect: an entry may sit under both sources
        assert set(opened) == {e.id for e in answer.entries}
        assert cards.NOT_COVERED in shown(reply.blocks)
    assert all(e.title in reply.text for e in answer.entries)
    assert block(reply, "answer_actions")


def test_decline_without_alternatives(engine: Engine) -> None:
    answer = engine.answer("how do I bake bread")
    assert (answer.intent, answer.alternatives) == ("fallback", ())
    reply = compose(answer, engine, "how do I bake bread", shareable=True)
    assert_within_limits(reply)
    assert reply.text == responses(engine, "fallback")[0]
    assert not [blk for blk in reply.blocks if blk.get("block_id") == "did_you_mean"]
    assert (
        f"<{b.TOOLKIT_URL}|Crime Reduction Toolkit (College of Policing)> (address inferred)"
        in (shown(reply.blocks))
    )
    assert b.SHARE not in json.dumps(reply.blocks)


def test_decline_with_alternatives(engine: Engine) -> None:
    found = engine.answer("cooking drug prevention for pets")
    made = Answer("q", "fallback", 10, "test", alternatives=engine.entries[:3])
    for answer in (found, made):
        assert answer.intent == "fallback" and answer.alternatives
        reply = compose(answer, engine, answer.question)
        assert_within_limits(reply)
        assert values(block(reply, "did_you_mean")) == [e.id for e in answer.alternatives]
        assert responses(engine, "fallback")[1] in shown(reply.blocks)


def test_help_and_greetings(engine: Engine) -> None:
    help_reply = compose(engine.for_intent("help"), engine, "help")
    assert_within_limits(help_reply)
    assert len(help_reply.blocks) == len(responses(engine, "help"))
    hello, thanks = (compose(engine.answer(q), engine, q) for q in ("hello", "thanks"))
    for q in ("hello", "thanks"):
        assert engine.answer(q).intent == "greeting"
    assert_within_limits(hello)
    assert_within_limits(thanks)
    assert hello.text == responses(engine, "greeting")[0]
    assert thanks.text == responses(engine, "greeting")[1]


def test_tips(engine: Engine) -> None:
    tips = [pick_tip(engine.entries, day) for day in range(738000, 738000 + len(engine.entries))]
    assert {t.id for t in tips if t} == set(engine.by_id)
    for tip in tips:
        assert tip is not None
        reply = compose(engine.for_intent("tip"), engine, "tip", tip=tip)
        assert_within_limits(reply)
        assert reply.text.startswith(f"Tip: {tip.title}")
        assert values(block(reply, "tip_actions")) == [tip.id]
    without = compose(engine.for_intent("tip"), engine, "tip", tip=None)
    assert_within_limits(without)


def test_synthetic_base_of_200_entries(big: Engine) -> None:
    assert len(big.entries) == 200
    for intent in LISTS:
        reply = compose(big.for_intent(intent), big, intent, shareable=True)
        assert_within_limits(reply)
        for entry in big.for_intent(intent).entries:
            assert escape(shorten(entry.title, 150)) in shown(reply.blocks)
    for entry in big.entries[::7]:
        reply = entry_reply(entry, big, "q", shareable=True)
        assert_within_limits(reply)
        assert len(block(reply, "related")["elements"]) == 25


def test_list_size_boundaries(big: Engine) -> None:
    for n in (1, listing.MAX_ENTRY_SECTIONS, listing.MAX_ENTRY_SECTIONS + 1, 200):
        answer = Answer("q", "topics", 100, "test", entries=big.entries[:n])
        assert_within_limits(compose(answer, big, "topics", shareable=True))


def test_own_checker_catches_each_limit() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    button = {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "value": "v"}
    ok = {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a"}
    many = [{**ok, "action_id": f"a{i}"} for i in range(26)]
    for bad in (
        [header],
        [{"type": "actions", "elements": [button]}],
        [{"type": "actions", "elements": many}],
        [{"type": "actions", "elements": [ok, ok]}],
        [{"type": "divider", "block_id": "x"}, {"type": "divider", "block_id": "x"}],
        [{"type": "divider"}] * 51,
        [{"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}],
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
    ):
        assert limit_problems(bad) != [] and violations(bad) != []
