"""mrkdwn as Slack shows it, and every character of text escaped."""

from __future__ import annotations

import pytest

from bot.preview.emoji import EMOJI
from bot.preview.mrkdwn import mrkdwn, plain
from tests.preview.dom import parse


def shown(text: str) -> str:
    return parse(mrkdwn(text)).text()


def test_bold_italic_strike_and_code() -> None:
    dom = parse(mrkdwn("*bold* _italic_ ~gone~ `co*de*` plain"))
    assert dom.one("strong").text() == "bold"
    assert dom.one("em").text() == "italic"
    assert dom.one("del").text() == "gone"
    assert dom.one("code").text() == "co*de*"  # no formatting inside code
    assert dom.text() == "bold italic gone co*de* plain"


def test_emphasis_needs_word_boundaries_as_in_slack() -> None:
    for text in ("snake_case_name", "2*3*4", "__init__", "a * b * c", "file_name_"):
        dom = parse(mrkdwn(text))
        assert not dom.all("strong") and not dom.all("em"), text
        assert dom.text() == text


def test_nested_and_punctuated_emphasis() -> None:
    dom = parse(mrkdwn("(*_both_*) and *Warning:* here"))
    assert dom.all("strong")[0].one("em").text() == "both"
    assert dom.all("strong")[1].text() == "Warning:"


def test_links_with_and_without_labels() -> None:
    dom = parse(
        mrkdwn(
            "See <https://example.org/a_b?x=1&amp;y=2|the *guide* &amp; notes> or <https://x.org>"
        )
    )
    first, second = dom.all("a")
    assert first.attrs["href"] == "https://example.org/a_b?x=1&y=2"
    assert first.text() == "the *guide* & notes"  # a label is shown as written
    assert first.attrs["rel"] == "noopener noreferrer" and first.attrs["target"] == "_blank"
    assert second.attrs["href"] == "https://x.org" and second.text() == "https://x.org"


def test_a_link_to_an_unsafe_scheme_is_text() -> None:
    dom = parse(mrkdwn("<javascript:alert(1)|click> <data:text/html,x|y>"))
    assert not dom.all("a")
    assert dom.text() == "<javascript:alert(1)|click> <data:text/html,x|y>"


def test_bold_link() -> None:
    dom = parse(mrkdwn("*<https://a.example|A>*"))
    assert dom.one("strong").one("a").text() == "A"


def test_quotes_from_either_marker() -> None:
    dom = parse(mrkdwn(">first\n&gt; second\nafter"))
    quote = dom.one("blockquote")
    assert quote.text() == "first\nsecond"
    assert dom.text().endswith("after")


def test_bulleted_lines_are_a_list() -> None:
    dom = parse(mrkdwn("*Caveats*\n• one _x_\n• two\n  ◦ nested\nafter"))
    items = dom.all("li")
    assert [i.text() for i in items] == ["•one x", "•two", "◦nested"]
    assert "sk-depth-1" in items[2].classes
    assert dom.one("strong").text() == "Caveats"


def test_code_block_keeps_its_lines_and_escapes() -> None:
    dom = parse(mrkdwn("```line one\n&lt;b&gt; *not bold*```"))
    assert dom.one("pre").text() == "line one\n<b> *not bold*"
    assert not dom.all("strong") and not dom.all("b")


def test_line_breaks() -> None:
    assert shown("a\nb\n\nc") == "a\nb\n\nc"


@pytest.mark.parametrize(
    ("raw", "seen"),
    [
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("&lt;!channel&gt; &lt;@U123&gt;", "<!channel> <@U123>"),
        ("AT&amp;T &amp;lt;", "AT&T &lt;"),
        ("\"quotes\" 'single'", "\"quotes\" 'single'"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ],
)
def test_escaped_text_shows_the_characters_and_runs_nothing(raw: str, seen: str) -> None:
    dom = parse(mrkdwn(raw))
    assert dom.text() == seen
    assert [node.tag for node in dom.walk()] == ["div"]  # one line of text, no element in it


def test_slack_markup_the_bot_itself_wrote_is_drawn_as_slack_draws_it() -> None:
    dom = parse(
        mrkdwn("Shared by <@U0PREVIEW> <#C1|general> <!here> <!date^1392734382^{date}|Feb 18>")
    )
    mentions = [m.text() for m in dom.all("span", "sk-mention")]
    assert mentions == ["@U0PREVIEW", "#general", "@here"]
    assert "sk-broadcast" in dom.all("span", "sk-mention")[2].classes
    assert dom.text().endswith("Feb 18")


def test_emoji_shortcodes() -> None:
    dom = parse(
        mrkdwn(":warning: *Warning:* :large_green_circle: :+1: :-1: :unknown_code: 10:30:45")
    )
    assert [e.text() for e in dom.all("span", "sk-emoji")] == ["⚠️", "🟢", "👍", "👎"]
    assert ":unknown_code:" in dom.text() and "10:30:45" in dom.text()


def test_every_named_emoji_is_drawn() -> None:
    for code, char in EMOJI.items():
        assert parse(mrkdwn(f":{code}:")).one("span", "sk-emoji").text() == char


def test_plain_text_is_literal() -> None:
    dom = parse(plain("Drugs & <law> &amp; *not bold* :bulb:"))
    assert dom.text() == "Drugs & <law> &amp; *not bold* 💡"
    assert not parse(plain(":bulb:", emoji=False)).all("span")


def test_control_characters_cannot_forge_held_pieces() -> None:
    assert shown("\x000\x00 *b*") == "0 b"
