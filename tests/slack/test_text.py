"""Text sent back to Slack: user input is escaped wherever it is echoed."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from bot.engine import Engine
from bot.slack import blocks as b
from bot.slack import listing
from bot.slack.replies import compose, credited, entry_reply
from bot.slack.text import clip, escape, quote, shorten
from tests.stand_in.block_limits import violations

HOSTILE = (
    "Tell <!channel> and <!here> that <@U123> said <https://evil.example|click> & "
    "<#C999|general> <!subteam^S1> how do I bake bread?"
)
RAW = ("<!channel>", "<!here>", "<@U123>", "<https://evil.example|click>", "<#C999", "<!subteam")


def texts(node: Any) -> list[str]:
    """Every text object's text (what Slack renders as mrkdwn or plain text)."""
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") in ("mrkdwn", "plain_text") else []
        return own + [t for value in node.values() for t in texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in texts(item)]
    return []


def test_escape_handles_the_three_control_characters() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("&lt;") == "&amp;lt;"  # & first, so nothing is escaped twice
    assert escape("<!channel>") == "&lt;!channel&gt;"
    assert escape("plain *bold* _it_") == "plain *bold* _it_"
    assert escape("") == ""


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("  many   spaces\nand\tlines ", 100, "many spaces and lines"),
        ("abcdefghij", 10, "abcdefghij"),
        ("abcdefghijk", 10, "abcdefghi…"),
        ("words and more words", 10, "words and…"),
        ("four fine", 6, "four…"),
    ],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_clip_keeps_line_breaks() -> None:
    assert clip("one\ntwo", 100) == "one\ntwo"
    assert clip("one\n\ntwo three", 8) == "one\n\ntw…"
    assert len(clip("x\n" * 5000, 3000)) == 3000


def test_quote_shortens_before_escaping() -> None:
    assert quote("a & b") == "a &amp; b"
    long = "&" * 400
    assert quote(long) == "&amp;" * 279 + "…"  # never cuts inside an entity
    assert quote("<!channel>\n  now", 280) == "&lt;!channel&gt; now"


def test_hostile_question_is_echoed_only_escaped(engine: Engine) -> None:
    answer = engine.answer(HOSTILE)
    assert answer.intent == "fallback"
    reply = compose(answer, engine, HOSTILE, shareable=True)
    assert violations(reply.blocks) == []
    rendered = texts(reply.blocks)
    joined = "\n".join([reply.text, *rendered])
    for raw in RAW:
        assert raw not in joined
    assert (
        "&lt;!channel&gt;" in joined
        and "&lt;!here&gt;" in joined
        and "&lt;@U123&gt;" in joined
        and "&lt;https://evil.example|click&gt; &amp;" in joined
    )
    assert "_You asked:_ Tell &lt;!channel&gt;" in rendered[0]


def test_hostile_question_in_button_values_is_data_not_markup(engine: Engine) -> None:
    reply = compose(engine.answer(HOSTILE), engine, HOSTILE)
    [actions] = [blk for blk in reply.blocks if blk.get("block_id") == "answer_actions"]
    assert json.loads(actions["elements"][0]["value"]) == {"t": "fallback", "q": HOSTILE}


def test_every_echo_escapes_even_the_fallback_wording(engine: Engine) -> None:
    answer = engine.answer("how do I bake bread")
    reply = listing.decline_blocks(
        answer, "x", ["<!channel> & said", "Did you mean:", "More <here>"]
    )
    rendered = "\n".join(texts([blk.to_dict() for blk in reply]))
    assert "&lt;!channel&gt; &amp; said" in rendered
    assert "More &lt;here&gt; <https://" in rendered


def test_credited_keeps_a_real_mention_and_drops_share(engine: Engine) -> None:
    reply = entry_reply(engine.by_id["drug-courts"], engine, "q", shareable=True)
    shared = credited(reply, "U123ABC")
    assert shared.text == reply.text
    assert shared.blocks[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Shared by <@U123ABC> from Toolkit Bot"}],
    }
    assert [blk for blk in shared.blocks if blk.get("block_id") == "answer_actions"] == []
    assert shared.blocks[:-1] == [
        blk for blk in reply.blocks if blk.get("block_id") != "answer_actions"
    ]
    assert violations(shared.blocks) == []


def test_credited_escapes_oddities_in_the_user_id(engine: Engine) -> None:
    reply = entry_reply(engine.by_id["mentoring"], engine, "q", shareable=True)
    shared = credited(reply, "U1> <!channel> & <@U2")
    credit = shared.blocks[-1]["elements"][0]["text"]
    assert credit == "Shared by <@U1&gt; &lt;!channel&gt; &amp; &lt;@U2> from Toolkit Bot"
    assert "<!channel>" not in json.dumps(shared.blocks)


def test_titles_and_summaries_are_escaped_too(engine: Engine) -> None:
    odd = replace(engine.by_id["mentoring"], title="A <!here> & B", summary="S <@U9> & T")
    blocks = [blk.to_dict() for blk in b.entry_blocks(odd, engine.by_id)]
    rendered = "\n".join(texts(blocks))
    # Only the header repeats the title as is: plain_text, which Slack never parses for mentions.
    assert blocks[0]["text"] == {"type": "plain_text", "text": "A <!here> & B"}
    assert "<!here>" not in "\n".join(texts(blocks[1:]))
    assert ">S &lt;@U9&gt; &amp; T" in rendered  # the quote marker stays a real '>'
    listed = "\n".join(texts([blk.to_dict() for blk in listing.list_blocks("topics", [odd], "h")]))
    assert "A &lt;!here&gt; &amp; B" in listed


def test_multi_line_sections_keep_their_line_breaks(engine: Engine) -> None:
    reply = entry_reply(engine.by_id["drug-courts"], engine, "q", shareable=False)
    assert "\n*Evidence quality (EMMIE)*\n• Effect: Very strong\n" in "\n".join(texts(reply.blocks))
    assert "\n" in b.md("one\ntwo").text
    assert len(b.md("x\n" * 2000).text) == 3000


def test_button_values_stay_valid_json(engine: Engine) -> None:
    for question in ('"' * 3000, "é" * 3000, "\\\n" * 2000, "😀" * 1600, ""):
        value = b.button_value("entry:drug-courts", question)
        assert len(value) <= 2000
        assert json.loads(value)["t"] == "entry:drug-courts"
        reply = entry_reply(engine.by_id["drug-courts"], engine, question, shareable=True)
        assert violations(reply.blocks) == []
