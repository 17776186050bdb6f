"""Text that goes back to Slack: escaping user input, plain-text fallbacks."""

from __future__ import annotations

import re

#: Slack's mrkdwn control characters; escaping them stops <!channel>, <@U…> and <url|label>
#: in a user's text from pinging anyone or showing a spoofed link when the bot repeats it.
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


#: The longest message text Slack accepts: anything past it is not a person's question (a
#: signed body can still carry a megabyte), and reading it all cost seconds (the privacy
#: checks look at every character), so questions are cut here as they come in.
MAX_TEXT = 40_000


def bounded(text: str) -> str:
    """A question's text as the bot reads it: at most MAX_TEXT characters."""
    return text[:MAX_TEXT]


def escape(text: str) -> str:
    """User text made safe to repeat inside a Slack message."""
    for raw, safe in _ESCAPES:
        text = text.replace(raw, safe)
    return text


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip(text: str, limit: int) -> str:
    """Cut text to `limit` characters, keeping its line breaks (for mrkdwn with several lines)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote(text: str, limit: int = 280) -> str:
    """A user's question, shortened and escaped, ready to echo."""
    return escape(shorten(text, limit))


def without_mention(text: str, bot_user_id: str | None) -> str:
    """A mention's question without the <@BOT> that addressed it (a leading mention if unknown)."""
    if bot_user_id:
        pattern = rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>"
    else:
        pattern = r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>"
    return " ".join(re.sub(pattern, " ", text).split())
