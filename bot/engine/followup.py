"""Follow-up questions in a thread: which part of the thread's entry a reply asks about.

"how strong is the evidence?", "what does it cost?", "does it work for young people?", "where's
the source?", "tell me more", "what works instead?" name an aspect and no topic of their own.
Recognising them is language data (cue words), so it lives here beside the lexicon; deciding
whether the question also names a new topic is the engine's job (it ranks what is left).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Aspects, in the order they are tried; each names the part of an entry the reply shows.
ASPECTS = (
    "instead",
    "displacement",
    "source",
    "cost",
    "caveats",
    "base",
    "quality",
    "detail",
    "summary",
)
ASPECT_TITLES = {
    "instead": "What works instead",
    "source": "Where this comes from",
    "cost": "What it costs",
    "base": "Where the evidence comes from",
    "quality": "How strong the evidence is",
    "detail": "More detail",
    "displacement": "Does it just move crime elsewhere",
    "caveats": "The caveats",
    "summary": "The answer again",
}

#: Multi-word cues first (they win over their single words), then single words.
_PHRASES: dict[str, str] = {
    "what works instead": "instead",
    "what else works": "instead",
    "what else": "instead",
    "what should we do": "instead",
    "what should i do": "instead",
    "what can we do": "instead",
    "better option": "instead",
    "better options": "instead",
    "where is this from": "source",
    "where is that from": "source",
    "where s that from": "source",
    "wheres that from": "source",
    "where s this from": "source",
    "wheres this from": "source",
    "where does that come from": "source",
    "where did that come from": "source",
    "toolkit s view": "source",
    "toolkits view": "source",
    "college guidance": "source",
    "college s guidance": "source",
    "the guidance or": "source",
    "in the community": "base",
    "in prison": "base",
    "in custody": "base",
    "for instance": "detail",
    "long term": "detail",
    "longer term": "detail",
    "effects last": "detail",
    "does it last": "detail",
    "wear off": "detail",
    "in a nutshell": "summary",
    "short version": "summary",
    "key points": "summary",
    "bottom line": "summary",
    "tl dr": "summary",
    "where does this come from": "source",
    "where did you get": "source",
    "where can i read": "source",
    "who did the research": "source",
    "who did the study": "source",
    "who wrote": "source",
    "whats the catch": "caveats",
    "any catch": "caveats",
    "the small print": "caveats",
    "value for money": "cost",
    "how big": "quality",
    "how large": "quality",
    "effect size": "quality",
    "by how much": "quality",
    "how much difference": "quality",
    "how much did": "quality",
    "how much does it reduce": "quality",
    "what about for": "base",
    "how much": "cost",
    "how many studies": "base",
    "how many reviews": "base",
    "which countries": "base",
    "what countries": "base",
    "who does it work for": "base",
    "who was it": "base",
    "tell me more": "detail",
    "more detail": "detail",
    "more details": "detail",
    "more info": "detail",
    "go on": "detail",
    "how good is the evidence": "quality",
    "is the evidence": "quality",
    "evidence any good": "quality",
    "side effects": "caveats",
    "make things worse": "caveats",
    "effect last": "detail",
    "last long": "detail",
    "in prisons": "base",
    "how sure": "quality",
}
_WORDS: dict[str, str] = {
    **dict.fromkeys(("instead", "alternative", "alternatives", "otherwise"), "instead"),
    **dict.fromkeys(
        (
            "caveat",
            "caveats",
            "catch",
            "downside",
            "downsides",
            "drawback",
            "drawbacks",
            "limitation",
            "limitations",
            "limits",
            "weakness",
            "weaknesses",
            "flaws",
            "risks",
            "risky",
            "harmful",
            "worse",
            "catches",
            "dangers",
            "harms",
        ),
        "caveats",
    ),
    **dict.fromkeys(
        (
            "displace",
            "displaces",
            "displaced",
            "displacement",
            "move",
            "moves",
            "moved",
            "elsewhere",
            "somewhere",
            "diffusion",
            "spill",
            "spills",
            "shift",
            "shifts",
        ),
        "displacement",
    ),
    **dict.fromkeys(
        (
            "source",
            "sources",
            "link",
            "links",
            "reference",
            "references",
            "citation",
            "cite",
            "url",
            "website",
            "webpage",
            "page",
        ),
        "source",
    ),
    **dict.fromkeys(
        (
            "cost",
            "costs",
            "costly",
            "expensive",
            "cheap",
            "cheaper",
            "price",
            "priced",
            "money",
            "afford",
            "affordable",
            "economic",
            "economics",
            "budget",
            "funding",
            "spend",
        ),
        "cost",
    ),
    **dict.fromkeys(
        (
            "countries",
            "country",
            "uk",
            "britain",
            "british",
            "england",
            "english",
            "wales",
            "welsh",
            "scotland",
            "usa",
            "america",
            "american",
            "europe",
            "european",
            "studies",
            "study",
            "reviews",
            "trials",
            "sample",
            "population",
            "women",
            "men",
            "girls",
            "boys",
            "adults",
            "adult",
            "youth",
            "young",
            "kids",
            "children",
            "teenagers",
            "teens",
            "juveniles",
            "age",
            "ages",
            "older",
            "groups",
            "locally",
            "here",
            "female",
            "male",
            "violent",
            "prolific",
            "persistent",
            "specifically",
        ),
        "base",
    ),
    **dict.fromkeys(
        (
            "strong",
            "strength",
            "stronger",
            "robust",
            "reliable",
            "quality",
            "rated",
            "rating",
            "ratings",
            "grade",
            "graded",
            "grading",
            "confident",
            "confidence",
            "solid",
            "emmie",
            "label",
            "labels",
            "score",
            "scores",
            "weak",
            "proven",
            "proof",
            "trustworthy",
        ),
        "quality",
    ),
    **dict.fromkeys(
        (
            "more",
            "detail",
            "details",
            "elaborate",
            "expand",
            "explain",
            "further",
            "deeper",
            "matter",
            "matters",
            "example",
            "examples",
        ),
        "detail",
    ),
    **dict.fromkeys(("newer", "recent", "latest", "updated", "reviewed", "date"), "source"),
    **dict.fromkeys(
        ("summarise", "summarize", "summary", "nutshell", "tldr", "recap", "bother", "worthwhile"),
        "summary",
    ),
}
#: Words that point back at what the thread is about ("does it work?").
PRONOUNS = frozenset("it its this they them these those".split())
#: "that" points back only at the start ("that's not UK evidence?") or as "is that" ("is that
#: based on UK studies?"); elsewhere it is usually relative ("things that reduce crime").
_THAT = re.compile(r"^(?:thats?|and thats?|so thats?)\b|\b(?:is|was|does|did|has) that\b")
#: Words a follow-up shares with any question about evidence: they name no topic, so they are
#: ignored when deciding whether a follow-up also brings a new topic of its own.
FRAME = frozenset(
    """
    work works worked working effective effectiveness evidence evidenced toolkit research
    researched help helps helpful reduce reduces reduced reduction cut cuts crime crimes
    reoffending offending find found findings finding show shows shown say says said tell
    told good any use used worth actually really know result results outcome outcomes
    impact effect effects based people person persons anything
    """.split()
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What a question looks like as a follow-up: its aspect (if any), and the words left."""

    aspect: str | None
    points_back: bool  # uses a pronoun ("it", "that"), so it needs the thread's entry
    rest: str  # the words that are neither cues, pronouns nor frame: a possible new topic
    pronoun: bool = False  # a plain pronoun ("does it work?"), not only "is that"
    carried: bool = False  # only an opening such as "what about" makes it a follow-up

    @property
    def is_follow_up(self) -> bool:
        """Whether the question reads as a follow-up at all."""
        return self.aspect is not None or self.points_back


#: A whole reply asking "why" is asking for the detail behind the answer.
_WHY = frozenset(
    {
        "why",
        "why is that",
        "why so",
        "how come",
        "but why",
        "why not",
        "why is it",
        "and",
        "really",
        "so",
        "and then",
        "seriously",
        "is that right",
        "is that it",
    }
)
#: Openings that carry the thread over to a new setting or group ("what about rural areas?",
#: "and for adults?"): the evidence base, unless a cue word or a new topic says otherwise.
_CARRY = re.compile(
    r"^(?:and |so |ok |but )?(?:what about|how about|and for|and in|what if|why|how come)\b"
    r"|^and (?:\w+ ?){1,3}$"
)
_MEANS = re.compile(r"^(?:so |and |ok )?what (?:does|do|did) (?:the |that |this |it )?.*\bmean\b")


def read(cleaned: str) -> FollowUp:
    """Read a cleaned question (lower-case words) as a possible follow-up."""
    if cleaned.strip() in _WHY:
        return FollowUp("detail", True, "", False)
    text = f" {cleaned} "
    aspect = None
    for phrase, name in _PHRASES.items():
        if f" {phrase} " in text:
            aspect = aspect or name
            text = text.replace(f" {phrase} ", " ")
    words = _WORD.findall(text)
    found = [_WORDS[w] for w in words if w in _WORDS]
    if aspect is None and found:
        aspect = min(found, key=ASPECTS.index)
    carried = aspect is None and bool(_CARRY.match(cleaned) or _MEANS.match(cleaned))
    if carried:
        aspect = (
            "detail" if cleaned.startswith(("why", "how come")) or _MEANS.match(cleaned) else "base"
        )
    pronoun = any(w in PRONOUNS for w in words)
    points_back = pronoun or bool(_THAT.search(cleaned))
    rest = [
        w for w in words if w not in _WORDS and w not in PRONOUNS and w not in FRAME and w != "that"
    ]
    return FollowUp(aspect, points_back, " ".join(rest), pronoun, carried)
