"""Block Kit drawn as HTML: the one renderer every preview page uses.

It draws what Slack draws for each block (header, section with text, two-column fields and an
accessory, context, divider, actions, image, input, rich text) and knows nothing about the bot:
a button becomes a link only where the page's `href` says where that click goes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.preview.mrkdwn import esc, link_html, mrkdwn, plain

Block = Mapping[str, Any]
#: Where a click on a button goes (a URL), or None when the preview cannot act on it.
Href = Callable[[Mapping[str, Any]], str | None]


def _nowhere(element: Mapping[str, Any]) -> str | None:
    return None


def render_blocks(blocks: Iterable[Block], href: Href = _nowhere) -> str:
    """Every block in order, as Slack stacks them in a message or a view."""
    return "".join(render_block(block, href) for block in blocks)


def render_block(block: Block, href: Href = _nowhere) -> str:
    """One block; a type the preview does not draw says so instead of vanishing."""
    kind = str(block.get("type", ""))
    draw = _BLOCKS.get(kind)
    if draw is None:
        return f'<div class="sk-block sk-unsupported">A {esc(kind)} block (not drawn here)</div>'
    return f'<div class="sk-block sk-{kind}"{_id(block)}>{draw(block, href)}</div>'


def message_html(text: str, blocks: Iterable[Block], href: Href = _nowhere) -> str:
    """A message: its blocks, or its text as mrkdwn when it has none (as Slack shows it)."""
    listed = list(blocks)
    return render_blocks(listed, href) if listed else mrkdwn(text)


def text_html(obj: Mapping[str, Any] | None) -> str:
    """A text object: mrkdwn or plain_text."""
    if not obj:
        return ""
    text = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return mrkdwn(text)
    return plain(text, emoji=bool(obj.get("emoji", True)))


def _id(block: Block) -> str:
    block_id = block.get("block_id")
    return f' data-block-id="{esc(str(block_id))}"' if block_id else ""


def _header(block: Block, href: Href) -> str:
    return text_html(block.get("text"))


def _section(block: Block, href: Href) -> str:
    main = f'<div class="sk-text">{text_html(block.get("text"))}</div>' if block.get("text") else ""
    fields = block.get("fields") or []
    if fields:
        cells = "".join(f'<div class="sk-field">{text_html(f)}</div>' for f in fields)
        main += f'<div class="sk-fields">{cells}</div>'
    accessory = block.get("accessory")
    side = f'<div class="sk-accessory">{element_html(accessory, href)}</div>' if accessory else ""
    return f'<div class="sk-section-main">{main}</div>{side}'


def _context(block: Block, href: Href) -> str:
    parts = []
    for element in block.get("elements") or []:
        if element.get("type") == "image":
            parts.append(_image_element(element, "sk-context-image"))
        else:
            parts.append(f'<span class="sk-context-item">{text_html(element)}</span>')
    return "".join(parts)


def _divider(block: Block, href: Href) -> str:
    return "<hr>"


def _actions(block: Block, href: Href) -> str:
    return "".join(element_html(e, href) for e in block.get("elements") or [])


def _image(block: Block, href: Href) -> str:
    title = block.get("title")
    caption = f'<div class="sk-image-title">{text_html(title)}</div>' if title else ""
    return caption + _image_element(block, "sk-image")


def _input(block: Block, href: Href) -> str:
    label = f'<label class="sk-label">{text_html(block.get("label"))}</label>'
    hint = block.get("hint")
    element = block.get("element") or {}
    rows = 3 if element.get("multiline") else 1
    box = f'<textarea class="sk-input" rows="{rows}" disabled></textarea>'
    note = f'<div class="sk-hint">{text_html(hint)}</div>' if hint else ""
    optional = ' <span class="sk-optional">(optional)</span>' if block.get("optional") else ""
    return label + optional + box + note


def _rich_text(block: Block, href: Href) -> str:
    return "".join(_rich(e) for e in block.get("elements") or [])


def _rich(element: Mapping[str, Any]) -> str:
    """rich_text containers and their text runs, drawn with the same escaping as mrkdwn."""
    kind = element.get("type")
    inner = "".join(_rich(e) for e in element.get("elements") or [])
    if kind == "rich_text_list":
        items = "".join(f"<li>{_rich(e)}</li>" for e in element.get("elements") or [])
        tag = "ol" if element.get("style") == "ordered" else "ul"
        return f'<{tag} class="sk-rich-list">{items}</{tag}>'
    wrappers = {
        "rich_text_quote": '<blockquote class="sk-quote">{}</blockquote>',
        "rich_text_preformatted": '<pre class="sk-pre">{}</pre>',
        "rich_text_section": '<div class="sk-line">{}</div>',
    }
    if kind in wrappers:
        return wrappers[str(kind)].format(inner)
    return _rich_run(element)


def _rich_run(element: Mapping[str, Any]) -> str:
    kind = element.get("type")
    if kind == "link":
        url, text = str(element.get("url", "")), str(element.get("text") or element.get("url"))
        return link_html(url, text)
    if kind == "emoji":
        return plain(f":{element.get('name', '')}:")
    if kind in ("user", "channel", "usergroup", "broadcast"):
        name = element.get("user_id") or element.get("channel_id") or element.get("range") or ""
        return f'<span class="sk-mention">@{esc(str(name))}</span>'
    html = esc(str(element.get("text", ""))).replace("\n", "<br>")
    style = element.get("style") or {}
    for flag, tag in (("code", "code"), ("bold", "strong"), ("italic", "em"), ("strike", "del")):
        if style.get(flag):
            html = f"<{tag}>{html}</{tag}>"
    return html


def element_html(element: Mapping[str, Any], href: Href = _nowhere) -> str:
    """A block element: a button (a link where the page can act on it), an image, or a stand-in."""
    kind = element.get("type")
    if kind == "button":
        return button_html(element, href)
    if kind == "image":
        return _image_element(element, "sk-accessory-image")
    shown = element.get("placeholder") or {"type": "plain_text", "text": str(kind)}
    return f'<span class="sk-button sk-disabled" title="{esc(str(kind))}">{text_html(shown)}</span>'


def button_html(element: Mapping[str, Any], href: Href = _nowhere) -> str:
    """A button: its own URL, or where the page sends the click, or greyed out."""
    label = text_html(element.get("text"))
    style = element.get("style")
    classes = "sk-button" + (f" sk-{style}" if style in ("primary", "danger") else "")
    action = esc(str(element.get("action_id", "")))
    url = str(element.get("url") or "")
    if url.lower().startswith(("http://", "https://")):
        return (
            f'<a class="{classes}" data-action="{action}" href="{esc(url)}" target="_blank" '
            f'rel="noopener noreferrer">{label}</a>'
        )
    target = href(element)
    if target is None:
        return f'<span class="{classes} sk-disabled" data-action="{action}">{label}</span>'
    return f'<a class="{classes}" data-action="{action}" href="{esc(target)}">{label}</a>'


def _image_element(element: Mapping[str, Any], css: str) -> str:
    url = str(element.get("image_url", ""))
    alt = esc(str(element.get("alt_text", "")))
    if not url.lower().startswith(("https://", "http://")):
        return f'<span class="{css} sk-missing">{alt}</span>'
    return f'<img class="{css}" src="{esc(url)}" alt="{alt}" loading="lazy">'


_BLOCKS: dict[str, Callable[[Block, Href], str]] = {
    "header": _header,
    "section": _section,
    "context": _context,
    "divider": _divider,
    "actions": _actions,
    "image": _image,
    "input": _input,
    "rich_text": _rich_text,
}
