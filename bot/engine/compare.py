"""Comparisons: "drug courts vs therapeutic communities", "is mentoring better than Scared
Straight?", "compare CCTV, street lighting and alley gating".

This module only splits a question into the sides it compares; the engine matches each side.
An explicit marker (vs, compare, better than, difference between) makes a comparison even when
a side is unknown (the answer says so); a plain "A or B" or a list "A, B and C" is a comparison
only when every side names a different entry (so "do scare tactics or shock images work" stays
one question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIST_SPLIT = re.compile(r"\s*,\s*|\s+(?:and|with|to|vs|versus|v|against|or)\s+")
#: A plain list is split only at commas, "and" and "or" ("assemblies with a bereaved mum" is one).
_PLAIN_SPLIT = re.compile(r"\s*,\s*|\s+(?:and|or)\s+")
#: Each of two sides splits only into more named sides ("A v B v C"), never at "with" or "to".
_PAIR_SPLIT = re.compile(r"\s*,\s*|\s+(?:and|or|vs|versus|v)\s+")
_EXPLICIT = (
    re.compile(
        r"^(?:(?:how|where) (?:do|does|would|did) )?(?P<a>.+?)\s+(?:compare|stack up|measure up)s?"
        r"\s+(?:with|to|against|versus)\s+(?P<b>.+)$"
    ),
    re.compile(
        r"^(?:.*?\b)?(?:compare|comparing|contrast|comparison (?:of|between))\s+(?P<list>.+)$"
    ),
    re.compile(r"^(?:.*?\b)?(?:differences?|diff) between\s+(?P<list>.+)$"),
    re.compile(
        r"^(?:is|are)\s+(?P<a>.+?)\s+(?:the same(?: thing)? as|different (?:from|to))\s+(?P<b>.+)$"
    ),
    re.compile(
        r"^(?P<a>.+?)\s+(?:better|worse|more effective|less effective|cheaper|stronger|weaker|"
        r"safer|more evidence based|more proven)\s+(?:than|compared to|compared with)\s+(?P<b>.+)$"
    ),
    re.compile(r"^(?P<a>.+?)\s+(?:vs|versus|v|compared to|compared with|against)\s+(?P<b>.+)$"),
)
_CHOICE = re.compile(r"^(?P<a>.+?)\s+or\s+(?P<b>.+)$")
#: "go for A rather than B": a choice, so both sides must name entries; only after a verb of
#: choosing ("a caution instead of charging" is one question about diversion).
_PREFER = re.compile(
    r"^.*?\b(?:go for|choose|pick|opt for|fund|invest in|prefer|back)\s+(?P<a>.+?)\s+"
    r"(?:rather than|instead of|over)\s+(?P<b>.+)$"
)
#: A list item is a name, not a sentence ("after a summer of disorder, a councillor wants...").
LIST_ITEM_WORDS = 4
#: A side longer than this is a sentence of context, not something compared ("a bar has applied
#: to extend its hours ... I'd like something better than gut feeling").
SIDE_WORDS = 12
#: A side this long may carry a purpose or place after its name ("cctv for shop theft").
NAMED_WORDS = 2 * LIST_ITEM_WORDS
#: A list ("drug courts, therapeutic communities and halfway houses - which works best?").
_LISTED = re.compile(r"^(?P<list>[^,]+(?:,[^,]+)+)$")
#: Words around a comparison that are not part of either side.
_LEAD = re.compile(
    r"^(?:(?:so|ok|hi|hey|quick one|which is|which works|what works|what is|whats|is|are|does|do|"
    r"should we use|should i use|would|better|best|more effective|for|reoffending|crime|the "
    r"evidence|evidence on|on|for young people|)(?:\s+|$))+"
)
_TAIL = re.compile(
    r"\s+(?:(?:which|what) (?:is|works|has) (?:better|best|stronger|more effective).*|"
    r"for (?:reducing )?(?:crime|reoffending|young people|youth)|then|please|pls|thanks|"
    r"in terms of .*|which one|what do you think|what s better|whats better)$"
)
_MARKERS = re.compile(r"\b(?:vs|versus|compare|compared|comparing|comparison|than|between)\b")
#: Context after the last side ("... for an estate with burglary problems"): not a side.
_CONTEXT = re.compile(r"\s+(?:for|in|on|at|against|when it comes to)\s+(?:an?|the|our|my)\s+.*$")


@dataclass(frozen=True, slots=True)
class Sides:
    """The texts a question compares, and whether it said so explicitly."""

    texts: tuple[str, ...]
    explicit: bool


def split(cleaned: str) -> Sides | None:
    """The sides of a comparison in a cleaned question, or None if it compares nothing."""
    for pattern in _EXPLICIT:
        match = pattern.match(cleaned)
        if match:
            texts = _sides(match)
            if len(texts) >= 2 and all(len(t.split()) <= SIDE_WORDS for t in texts):
                return Sides(texts, explicit=True)
    prefer = _PREFER.match(cleaned)
    choice = prefer or (None if _MARKERS.search(cleaned) else _CHOICE.match(cleaned))
    match = choice or (None if _MARKERS.search(cleaned) else _LISTED.match(cleaned))
    if match:
        texts = _sides(match, _LIST_SPLIT if choice else _PLAIN_SPLIT)
        short = all(len(t.split()) <= LIST_ITEM_WORDS for t in texts)
        # "or", "rather than" and a bare list join names, not sentences
        named = all(len(t.split()) <= NAMED_WORDS for t in texts)
        joined = short or (choice is not None and named)
        if len(texts) >= 2 and joined:
            return Sides(texts, explicit=False)
    return None


_PURPOSE = re.compile(r"\s+(?:for|in|on|at|against|with)\s+.*$")


def without_context(side: str) -> str:
    """A side without what it is for or where ("cctv for shop theft" -> "cctv")."""
    return _PURPOSE.sub("", side).strip() or side


def _sides(match: re.Match[str], splitter: re.Pattern[str] = _LIST_SPLIT) -> tuple[str, ...]:
    """The sides a match names: a list split at its separators; two sides ("A vs B", "A or B")
    split only at commas, "and" and "or" ("a meeting with the victim" is one side)."""
    groups = match.groupdict()
    if groups.get("list"):
        raw = splitter.split(groups["list"])
    else:
        last = _CONTEXT.sub("", groups["b"])
        raw = [*_PAIR_SPLIT.split(groups["a"]), *_PAIR_SPLIT.split(last)]
    texts = [_trim(t) for t in raw]
    return tuple(t for t in texts if t and t.split()[0] not in _ASKING)


#: A side that starts with a question word is the question about the sides ("speed cameras or
#: drink-drive stops, which saves more lives?"), not a side.
_ASKING = frozenset("which who how why where when".split())


_WHICH = re.compile(r"\s+which\b.*$")


def _trim(text: str) -> str:
    text = _WHICH.sub("", _TAIL.sub("", _LEAD.sub("", text.strip())))
    return text.strip()
