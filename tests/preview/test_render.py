"""The renderer on the bot's real replies: what Slack would show is what the HTML shows."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from bot.engine import Engine
from bot.preview.emoji import EMOJI, SHORTCODE
from bot.preview.render import message_html, render_blocks
from bot.slack.home import home_view
from bot.slack.replies import compose, detail_reply, entry_reply
from bot.slack.text import shorten
from bot.slack.tip_post import tip_reply
from tests.conftest import ROOT
from tests.preview.dom import Node, parse

LEFTOVER = re.compile(r":[a-z0-9_+\-]+:")


def clicks(button: Mapping[str, Any]) -> str:
    return f"/clicked/{button.get('action_id')}/{button.get('value', '')[:40]}"


def drawn(blocks: list[dict[str, Any]]) -> Node:
    dom = parse(render_blocks(blocks, clicks))
    assert not dom.all(cls="sk-unsupported"), "a block the bot posts is not drawn"
    assert not LEFTOVER.search(dom.text()), LEFTOVER.findall(dom.text())
    return dom


def words(text: str) -> str:
    return " ".join(text.split())


def buttons_of(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        yield from (e for e in block.get("elements", []) if e.get("type") == "button")
        if block.get("accessory", {}).get("type") == "button":
            yield block["accessory"]


def test_every_entry_card(engine: Engine) -> None:
    for entry in engine.entries:
        reply = entry_reply(entry, engine, entry.title, shareable=True)
        dom = drawn(reply.blocks)
        header = dom.one(cls="sk-header")
        assert header.text() == shorten(entry.title, 150)
        summary = dom.all("blockquote")[0]
        assert words(summary.text()) == words(entry.summary), entry.id
        hrefs = {a.attrs["href"] for a in dom.all("a", "sk-link")}
        if entry.source.url:
            assert entry.source.url in hrefs, entry.id
        assert {link.url for link in entry.links[:9]} <= hrefs, entry.id
        shown = dom.all("a", "sk-button")
        assert [b.text() for b in shown] == [
            b["text"]["text"].replace(":+1:", "👍").replace(":-1:", "👎")
            for b in buttons_of(reply.blocks)
        ]
        related = [b.text() for b in shown if b.attrs["data-action"].startswith("open_entry")]
        for other in entry.related:
            if other in engine.by_id:
                assert shorten(engine.by_id[other].title, 75) in related, (entry.id, other)
        if entry.warning:
            first = dom.all(cls="sk-block")[0]
            assert first.text().startswith("⚠️ Warning:"), entry.id


def test_a_card_in_full(engine: Engine) -> None:
    reply = entry_reply(
        engine.by_id["drug-courts"], engine, "what is a drug court?", shareable=True
    )
    dom = drawn(reply.blocks)
    text = dom.text()
    assert "🟢" in text and "Crime Reduction Toolkit" in text
    assert dom.all("strong")[0].text().startswith("Reduces")
    assert any(li.text().startswith("•Effect") for li in dom.all("li"))
    actions = [b.attrs["data-action"] for b in dom.all("a", "sk-button")]
    assert actions[-3:] == ["feedback_up", "feedback_down", "share_answer"]
    share = dom.all("a", "sk-button")[-1]
    assert "sk-primary" in share.classes and share.text() == "Share in channel"
    assert dom.all("a", "sk-button")[0].attrs["href"].startswith("/clicked/")


def test_lists(engine: Engine) -> None:
    for question, entries in (
        ("what works", engine.working()),
        ("what doesn't work", engine.not_working()),
    ):
        answer = engine.answer(question)
        dom = drawn(compose(answer, engine, question).blocks)
        text = dom.text()
        for entry in entries:
            assert shorten(entry.title, 150) in text, entry.id
        opens = dom.all(cls="sk-accessory")
        assert opens and all(o.one("a").text() == "Open" for o in opens)


def test_decline_repeats_the_question_and_offers_what_is_close(engine: Engine) -> None:
    question = "can I claim <b>overtime</b> for a rest day & a bank holiday? <!channel>"
    answer = engine.answer(question)
    assert answer.intent == "fallback"
    dom = drawn(compose(answer, engine, question).blocks)
    assert "You asked: " + question in dom.text()
    assert not dom.all("b") and not dom.all(cls="sk-broadcast")
    suggested = [
        b.text()
        for b in dom.all("a", "sk-button")
        if b.attrs["data-action"].startswith("open_entry")
    ]
    assert suggested == [shorten(e.title, 75) for e in answer.alternatives]


def test_comparison_side_by_side_in_two_columns(engine: Engine) -> None:
    question = "compare drug courts and therapeutic communities"
    answer = engine.answer(question)
    assert answer.intent == "compare"
    dom = drawn(compose(answer, engine, question).blocks)
    fields = dom.all(cls="sk-field")
    assert len(fields) >= 4 and len(fields) % 2 == 0
    assert [f.text() for f in fields[:2]] == [e.title for e in answer.entries]
    assert dom.all(cls="sk-fields")


def test_follow_up_about_the_thread_entry(engine: Engine) -> None:
    answer = engine.answer("how strong is the evidence?", context=("drug-courts",))
    dom = drawn(compose(answer, engine, "how strong is the evidence?").blocks)
    assert dom.one("strong").text() == "How strong the evidence is: Drug courts"
    assert "Full answer: Drug courts" in [b.text() for b in dom.all("a", "sk-button")]


def test_detail(engine: Engine) -> None:
    for entry in engine.entries:
        if entry.details:
            dom = drawn(detail_reply(entry).blocks)
            assert dom.one(cls="sk-header").text() == shorten(f"More detail: {entry.title}", 150)
            assert len(dom.all("li")) == len(entry.details)


def test_home_view(engine: Engine) -> None:
    dom = drawn(home_view(engine)["blocks"])
    assert dom.all(cls="sk-header")[0].text() == "Toolkit Bot"
    assert dom.one("code").text() == "/toolkit your question"
    text = dom.text()
    for entry in engine.entries:
        assert shorten(entry.title, 75) in text, entry.id


def test_tip_cards(engine: Engine) -> None:
    for entry in engine.entries:
        dom = drawn(tip_reply(entry, engine).blocks)
        assert f"Tip: {entry.title}" in [s.text() for s in dom.all("strong")]
        assert "💡" in dom.text()
        assert dom.all("a", "sk-button")[-1].text() == "Tell me more"


def test_every_shortcode_the_bot_uses_is_known(engine: Engine) -> None:
    sources = [str(p.read_text(encoding="utf-8")) for p in (ROOT / "bot").rglob("*.py")]
    sources += [p.read_text(encoding="utf-8") for p in (ROOT / "knowledge").glob("*.yaml")]
    used = {m for text in sources for m in SHORTCODE.findall(text)}
    slackish = {
        code
        for code in used
        if "_" in code or code in ("x", "+1", "-1", "bulb", "books", "school", "warning")
    }
    assert slackish - set(EMOJI) == set()


def test_a_message_without_blocks_shows_its_text() -> None:
    dom = parse(message_html("Thanks for the *feedback*", []))
    assert dom.one("strong").text() == "feedback"


def test_what_the_preview_cannot_act_on_is_still_drawn() -> None:
    blocks = [
        {"type": "divider"},
        {"type": "video", "title": {"type": "plain_text", "text": "x"}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Docs"},
                    "url": "https://example.org/d",
                },
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Nope"},
                    "action_id": "other",
                },
                {
                    "type": "static_select",
                    "placeholder": {"type": "plain_text", "text": "Pick one"},
                },
            ],
        },
        {"type": "image", "image_url": "javascript:alert(1)", "alt_text": "bad"},
    ]
    dom = parse(render_blocks(blocks))
    assert dom.all("hr")
    assert dom.one(cls="sk-unsupported").text() == "A video block (not drawn here)"
    link = dom.one("a")
    assert link.attrs["href"] == "https://example.org/d" and link.text() == "Docs"
    disabled = [s.text() for s in dom.all("span", "sk-disabled")]
    assert disabled == ["Nope", "Pick one"]
    assert not dom.all("img") and "bad" in dom.text()


@pytest.mark.parametrize("style", ["primary", "danger"])
def test_button_styles(style: str) -> None:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Go"},
        "style": style,
        "action_id": "a",
    }
    dom = parse(render_blocks([{"type": "actions", "elements": [button]}], lambda b: "/go"))
    assert f"sk-{style}" in dom.one("a").classes
