"""The preview's pages: a Slack-like frame around Block Kit drawn by bot.preview.render.

Pure functions from data to HTML; every text that is not finished HTML passes through esc().
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from typing import Any
from urllib.parse import quote, urlencode

from bot.preview.conversation import Message, Turn
from bot.preview.mrkdwn import esc, plain, unescape_slack
from bot.preview.render import Href, message_html, render_blocks, text_html

CSS = (files("bot.preview") / "preview.css").read_text(encoding="utf-8")
BUILDER = "https://app.slack.com/block-kit-builder/#"
NAV = (
    ("messages", "/", "Messages"),
    ("home", "/home", "Home"),
    ("gallery", "/gallery", "Gallery (every card)"),
    ("tips", "/tips", "Daily tips"),
)
EXAMPLES = (
    "do scare tactics work?",
    "what works",
    "compare drug courts and therapeutic communities",
    "what is a drug court?",
    "/toolkit tip",
)
OFFLINE = (
    "<b>Local preview</b>: not connected to Slack. Every answer is the Block Kit the Slack app "
    "would post. To serve Slack, set the Slack variables (README: Deploying to Slack) and run "
    "<code>toolkit-bot serve</code>."
)


def builder_url(payload: Mapping[str, Any]) -> str:
    """The same blocks opened in Slack's Block Kit Builder."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return BUILDER + quote(data, safe="")


def builder_link(payload: Mapping[str, Any]) -> str:
    """A link to `builder_url`."""
    return (
        f'<a class="builder" href="{esc(builder_url(payload))}" target="_blank" '
        'rel="noopener noreferrer">Open in Block Kit Builder</a>'
    )


def page(title: str, active: str, body: str, *, tail: str = "") -> str:
    """A whole page: the sidebar, the pane's heading and tabs, the body, then `tail`."""
    nav = "".join(
        f'<a href="{url}"{" class=active" if key == active else ""}>{label}</a>'
        for key, url, label in NAV
    )
    tabs = "".join(
        f'<a href="{url}"{" class=active" if key == active else ""}>{label}</a>'
        for key, url, label in NAV[:2]
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · Toolkit Bot preview</title><style>{CSS}</style></head><body>"
        '<div class="app"><nav class="sidebar"><div class="workspace">Preview workspace</div>'
        f'<div class="group">Apps · Toolkit Bot</div>{nav}'
        f'<div class="offline">{OFFLINE}</div></nav>'
        f'<main class="pane"><header class="pane-head"><h1>{esc(title)}</h1>'
        f'<span class="tabs">{tabs}</span></header>'
        f'<div class="pane-body">{body}</div>{tail}</main></div></body></html>'
    )


def conversation_url(turns: Sequence[Turn]) -> str:
    """The page for a conversation, scrolled to its newest message."""
    if not turns:
        return "/"
    return "/?" + urlencode([("t", turn.encode()) for turn in turns]) + "#latest"


def intro() -> str:
    """What to try, above an empty conversation."""
    links = " ".join(f'<a href="/?{urlencode({"q": q})}#latest">{esc(q)}</a>' for q in EXAMPLES)
    return (
        '<div class="intro">This is your direct message with Toolkit Bot. Ask a question in '
        f"your own words, or try: {links}</div>"
    )


def messages_html(messages: Sequence[Message], href: Href) -> str:
    """The conversation, the newest message marked as #latest."""
    parts = [message_html_of(m, href) for m in messages]
    if parts:
        parts[-1] = parts[-1].replace('class="msg', 'id="latest" class="msg', 1)
    return "".join(parts)


def message_html_of(message: Message, href: Href) -> str:
    """One message: who said it, what Slack would show, and what the preview adds."""
    if message.author == "click":
        return f'<div class="msg msg-click">{plain(message.text)}</div>'
    if message.author == "user":
        body = f'<div class="msg-user-text">{plain(message.text)}</div>'
        return _frame("user", "You", "", body)
    body, tools = "", ""
    if message.view is not None:
        body += view_html(message.view, href, inline=True)
        tools = builder_link(message.view)
    if message.reply is not None:
        drawn = message_html(message.reply.text, message.reply.blocks, href)
        body += f'<div class="msg-blocks">{drawn}</div>'
        tools = _tools(message.reply.text, message.reply.blocks)
    if message.note:
        body += f'<div class="note">{esc(message.note)}</div>'
    label = '<span class="only-you">Only visible to you</span>' if message.ephemeral else ""
    if message.posted:
        label = '<span class="posted">Posted in #your-channel</span>'
    css = "bot" + (" msg-ephemeral" if message.ephemeral else "")
    css += " msg-posted" if message.posted else ""
    return _frame(css, "Toolkit Bot", label, body + tools)


def _frame(css: str, name: str, label: str, body: str) -> str:
    who = "bot" if css.startswith("bot") else "user"
    badge = '<span class="app-badge">APP</span>' if who == "bot" else ""
    initials = "TB" if who == "bot" else "You"
    return (
        f'<div class="msg msg-{css}"><div class="avatar {who}">{initials}</div>'
        f'<div class="msg-body"><div class="msg-meta"><span class="msg-name">{esc(name)}</span>'
        f"{badge}{label}</div>{body}</div></div>"
    )


def _tools(text: str, blocks: list[dict[str, Any]]) -> str:
    fallback = esc(unescape_slack(text))
    return (
        f'<div class="msg-tools">{builder_link({"blocks": blocks})} · <details><summary>'
        f'Notification text</summary><span class="fallback">{fallback}</span></details></div>'
    )


def composer(turns: Sequence[Turn]) -> str:
    """The message box: a plain GET form carrying the conversation so far."""
    hidden = "".join(
        f'<input type="hidden" name="t" value="{esc(turn.encode())}">' for turn in turns
    )
    return (
        '<div class="composer"><form method="get" action="/#latest">'
        f'{hidden}<input type="text" name="q" placeholder="Message Toolkit Bot" '
        'aria-label="Your question" autocomplete="off" maxlength="4000" autofocus>'
        '<button type="submit">Send</button></form><div class="hint">Follow-ups stay in this '
        "conversation. <code>/toolkit …</code> answers privately, with Share. "
        '<a href="/">New conversation</a></div></div>'
    )


def view_html(
    view: Mapping[str, Any], href: Href, *, close: str = "", inline: bool = False, note: str = ""
) -> str:
    """A modal as Slack frames it: title, blocks, its submit and close buttons; then `note`."""
    title = text_html(view.get("title")) or "Toolkit Bot"
    shut = f'<a href="{esc(close)}" aria-label="Close">✕</a>' if close else ""
    buttons = [
        f'<span class="sk-button{" sk-primary" if key == "submit" else ""} sk-disabled">'
        f"{text_html(view[key])}</span>"
        for key in ("close", "submit")
        if view.get(key)
    ]
    foot = f'<div class="modal-foot">{" ".join(buttons)}</div>' if buttons else ""
    box = (
        f'<div class="{"modal-inline" if inline else "modal"}" role="dialog">'
        f'<div class="modal-title"><span>{title}</span>{shut}</div>'
        f'<div class="modal-content">{render_blocks(view.get("blocks") or [], href)}</div>'
        f"{foot}</div>"
    )
    if note:
        box = box.replace("</div></div>", f'</div><div class="note">{esc(note)}</div></div>', 1)
    return box if inline else f'<div class="modal-shade">{box}</div>'


def card(anchor: str, heading: str, payload: Mapping[str, Any], href: Href) -> str:
    """One card of the gallery or the tips page, with its Block Kit Builder link."""
    return (
        f'<section class="card" id="{esc(anchor)}"><div class="card-head"><span>{heading}</span>'
        f"{builder_link(payload)}</div>"
        f'<div class="card-body">{render_blocks(payload.get("blocks") or [], href)}</div></section>'
    )


def problems_html(problems: Iterable[str], shown: str) -> str:
    """The validation problems of a broken knowledge base, as `toolkit-bot validate` lists them."""
    items = "".join(f"<li>{esc(p)}</li>" for p in problems)
    return (
        '<div class="problems" role="alert"><h2>The knowledge base has problems</h2>'
        f"<ol>{items}</ol><p>{esc(shown)}</p></div>"
    )


def broken_banner(problems: int, entries: int) -> str:
    """Above every page but the gallery when the preview started on a broken knowledge base."""
    return (
        f'<div class="problems" role="alert"><h2>The knowledge base has {problems} problem(s)'
        f"</h2><p>The bot answers from the {entries} entries whose files passed their own "
        'checks. The <a href="/gallery">gallery</a> lists every problem, as '
        "<code>toolkit-bot validate</code> prints them.</p></div>"
    )
