"""Slack's mrkdwn drawn as HTML, the way Slack's clients show it.

Every character of the text is HTML-escaped: Slack's own escapes (&amp; &lt; &gt;) are decoded
first, so a question the bot repeats shows "<script>" or "<!channel>" as those characters. Only
the markup Slack itself interprets becomes HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```,
">" quotes, bulleted lines, <url|label> links, mentions and :emoji: shortcodes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from bot.preview.emoji import SHORTCODE, emoji_for

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_DECODED = {"amp": "&", "lt": "<", "gt": ">"}
_FENCE = re.compile(r"```(.*?)```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
#: A literal "<" in text Slack accepts is always escaped, so every raw <...> is markup.
_ANGLE = re.compile(r"<([^<>\n]*)>")
_HELD = re.compile(r"\x00(\d+)\x00")
_QUOTE = re.compile(r"^(?:>|&gt;) ?")
_ITEM = re.compile(r"^(?P<indent>\s*)(?P<mark>[•◦▪‣-]|\d{1,3}[.)])\s+(?P<rest>.*)$")
SAFE_SCHEMES = ("http://", "https://", "mailto:")
BROADCASTS = ("here", "channel", "everyone")


def _emphasis(marker: str, tag: str) -> tuple[re.Pattern[str], str]:
    """Slack's rule: the marker opens after a non-letter and closes before one, hugging text."""
    m = re.escape(marker)
    pattern = rf"(?<![^\W_]|{m}){m}(?![\s{m}])(.+?)(?<![\s{m}]){m}(?![^\W_]|{m})"
    return re.compile(pattern), tag


_EMPHASES = (_emphasis("*", "strong"), _emphasis("_", "em"), _emphasis("~", "del"))


def unescape_slack(text: str) -> str:
    """Slack's three escapes back to the characters they stand for (one pass: &amp;lt; stays)."""
    return _ENTITY.sub(lambda m: _DECODED[m[1]], text)


def esc(text: str) -> str:
    """HTML-escaped text, quotes included (safe in attributes too)."""
    return html.escape(text, quote=True)


class Held:
    """Pieces of finished HTML kept out of the text while the text around them is escaped."""

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def hold(self, piece: str) -> str:
        """A marker that `restore` turns back into `piece`."""
        self.pieces.append(piece)
        return f"\x00{len(self.pieces) - 1}\x00"

    def restore(self, text: str) -> str:
        """Every marker replaced by its piece."""
        return _HELD.sub(lambda m: self.pieces[int(m[1])], text)


def plain(text: str, *, emoji: bool = True) -> str:
    """A plain_text object: shown exactly as written (nothing decoded), shortcodes as emoji."""
    held = Held()
    text = _CONTROL.sub("", text)
    if emoji:
        text = _emoji(text, held)
    return held.restore(esc(text).replace("\n", "<br>"))


def mrkdwn(text: str) -> str:
    """A mrkdwn text object as HTML."""
    held = Held()
    text = _CONTROL.sub("", text)
    text = _FENCE.sub(lambda m: held.hold(_pre(m[1])), text)
    return held.restore(_lines(text.split("\n"), held, quotes=True))


def _pre(code: str) -> str:
    return f'<pre class="sk-pre">{esc(unescape_slack(code.strip(chr(10))))}</pre>'


def _kind(line: str, quotes: bool) -> str:
    if quotes and _QUOTE.match(line):
        return "quote"
    return "list" if _ITEM.match(line) else "text"


def _lines(lines: Sequence[str], held: Held, *, quotes: bool) -> str:
    """Runs of quoted lines, list items and plain lines, each drawn as Slack draws it."""
    parts: list[str] = []
    start = 0
    while start < len(lines):
        kind = _kind(lines[start], quotes)
        end = start + 1
        while end < len(lines) and _kind(lines[end], quotes) == kind:
            end += 1
        parts.append(_GROUPS[kind](lines[start:end], held))
        start = end
    return "".join(parts)


def _text(lines: Sequence[str], held: Held) -> str:
    body = "<br>".join(inline(line, held) for line in lines)
    return f'<div class="sk-line">{body or "&nbsp;"}</div>'


def _quote(lines: Sequence[str], held: Held) -> str:
    inner = _lines([_QUOTE.sub("", line, count=1) for line in lines], held, quotes=False)
    return f'<blockquote class="sk-quote">{inner}</blockquote>'


def _list(lines: Sequence[str], held: Held) -> str:
    items = []
    for line in lines:
        item = _ITEM.match(line)
        assert item is not None  # grouped by _kind
        depth = min(len(item["indent"].expandtabs(4)) // 2, 4)
        items.append(
            f'<li class="sk-item sk-depth-{depth}"><span class="sk-mark">{esc(item["mark"])}</span>'
            f'<span class="sk-item-text">{inline(item["rest"], held)}</span></li>'
        )
    return f'<ul class="sk-list">{"".join(items)}</ul>'


_GROUPS: dict[str, Callable[[Sequence[str], Held], str]] = {
    "text": _text,
    "quote": _quote,
    "list": _list,
}


def inline(text: str, held: Held) -> str:
    """One line: code spans and <...> markup first, then the escaped text's emphasis."""
    text = _CODE.sub(lambda m: held.hold(_code(m[1])), text)
    text = _ANGLE.sub(lambda m: held.hold(angle(m[1])), text)
    text = _emoji(unescape_slack(text), held)
    out = esc(text)
    for pattern, tag in _EMPHASES:
        out = pattern.sub(rf"<{tag}>\1</{tag}>", out)
    return out


def _code(code: str) -> str:
    return f'<code class="sk-code">{esc(unescape_slack(code))}</code>'


def _emoji(text: str, held: Held) -> str:
    def swap(m: re.Match[str]) -> str:
        char = emoji_for(m[1])
        if char is None:
            return m[0]
        return held.hold(f'<span class="sk-emoji" title="{esc(m[0])}">{char}</span>')

    return SHORTCODE.sub(swap, text)


def angle(body: str) -> str:
    """Slack's <...> markup: a link, a mention, a broadcast, a date; anything else as text."""
    target, _, label = body.partition("|")
    shown = unescape_slack(label)
    if target[:1] in ("@", "#"):
        return _mention(target[0] + (shown or target[1:]))
    if target.startswith("!"):
        name = target[1:].split("^", 1)[0]
        if name in BROADCASTS:
            return _mention(f"@{name}", broadcast=True)
        if name == "date":  # a date Slack formats for the reader; the fallback is close enough
            return esc(shown)
        return _mention(shown) if shown else esc(f"<{unescape_slack(body)}>")
    url = unescape_slack(target)
    if url.lower().startswith(SAFE_SCHEMES):
        return link_html(url, shown or url)
    return esc(f"<{unescape_slack(body)}>")


def link_html(url: str, label: str) -> str:
    """A link that opens in a new tab; only http(s) and mailto addresses become links."""
    if not url.lower().startswith(SAFE_SCHEMES):
        return esc(label)
    return (
        f'<a class="sk-link" href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(label)}</a>"
    )


def _mention(text: str, *, broadcast: bool = False) -> str:
    kind = "sk-mention sk-broadcast" if broadcast else "sk-mention"
    return f'<span class="{kind}">{esc(text)}</span>'
