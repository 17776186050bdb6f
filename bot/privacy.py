"""Personal data in a question: find it, redact it before it is stored, remind the asker.

Officers paste names, dates of birth, phone numbers, email addresses, vehicle registrations
and crime reference numbers into their questions. The bot still answers; it adds a private
reminder, and what it keeps (declined questions, feedback) is redacted first.

Pure and fast: regular expressions over one question, no I/O. The policy is to flag only what
has the shape of the data itself (an email address, a UK phone number, a full calendar date, a
registration plate, a force reference) or follows a cue that says what it is ("DOB", "crime
ref", "suspect", "called", "Mr"): ordinary capitalised words, years, statistics, section
numbers, times and ages are left alone, so the reminder stays rare enough to be read.
tests/privacy/examples.yaml holds the realistic examples and the look-alikes that keep it so.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain

PHONE = "phone"
EMAIL = "email"
BIRTH = "date of birth"
VEHICLE = "vehicle registration"
REFERENCE = "crime reference"
NAME = "name"
#: Every kind, in the order a reminder lists them.
KINDS = (NAME, BIRTH, PHONE, EMAIL, VEHICLE, REFERENCE)
_SAID = {
    NAME: "a name",
    BIRTH: "a date of birth",
    PHONE: "a phone number",
    EMAIL: "an email address",
    VEHICLE: "a vehicle registration",
    REFERENCE: "a crime reference number",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind and where it is (text[start:end])."""

    kind: str
    start: int
    end: int


# -- email addresses and phone numbers -------------------------------------------------------

_EMAIL = re.compile(
    r"<mailto:[^>]*>"  # Slack's link for a typed address
    r"|(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)
#: UK numbers with 10 or 11 digits (07..., 01/02/03/08/09..., +44 (0)..., (01234) 567890):
#: spaces or hyphens between groups, never other digits, slashes or decimal points around them.
_END = r"(?![\w/]|[.,]\d|-\d| [1-9])"  # " 0..." may start the next number
_PHONE = re.compile(
    r"<tel:[^>]*>"
    rf"|(?<![\w+/])(?<!\d\.)(?:\+44[ -]?(?:\(0\)[ -]?)?|0)[1-37-9](?:[ -]?\d){{8,9}}{_END}"
    rf"|(?<![\w/])\(0[1-37-9]\d{{1,3}}\)[ ]?\d(?:[ -]?\d){{5,7}}{_END}"
)


def _emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding(EMAIL, match.start(), match.end())


def _phones(text: str) -> Iterator[Finding]:
    for match in _PHONE.finditer(text):
        found = match.group()
        if not found.startswith("(") or 10 <= sum(c.isdigit() for c in found) <= 11:
            yield Finding(PHONE, match.start(), match.end())


# -- dates of birth --------------------------------------------------------------------------

_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
#: A full date: 14/03/1990, 3.4.90, 1990-03-14, 3 March 1990, 3rd of March 1990, March 3, 1990.
_NUMERIC_DATE = (
    r"(?:3[01]|[12]\d|0?[1-9])(?P<sep>[/.-])(?:1[0-2]|0?[1-9])(?P=sep)(?:(?:19|20)\d{2}|\d{2})"
    r"|(?:19|20)\d{2}-(?:1[0-2]|0[1-9])-(?:3[01]|[12]\d|0[1-9])"
)
_WORDS_DATE = rf"{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}|{_MONTH}\s+{_DAY},?\s+{_YEAR}"
_FULL_DATE = re.compile(
    rf"(?<![\w/.-])(?:{_NUMERIC_DATE}|{_WORDS_DATE})(?![\w/-]|\.\d)", re.IGNORECASE
)
#: After a cue any date counts, a shorter one too: "DOB 01/02/03", "born 3rd Jan 85".
_CUED_DATE = re.compile(
    r"\b(?:d\.?o\.?b\.?s?|dates?\s+of\s+birth|birth\s*date|birthday|born)(?![a-z])"
    r"(?:\s+(?:is|was|on))?\s*[:-]?\s*"
    rf"((?<![\w/.-])(?:{_NUMERIC_DATE})|(?:{_DAY}(?:\s+of)?\s+{_MONTH}|{_MONTH}\s+{_DAY})"
    rf"(?:,?\s+(?:{_YEAR}|'?\d{{2}}))?)(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
#: "section 3.4.12", "version 2.1.10": numbers with dots that are not dates.
_NUMBERED = re.compile(
    r"\b(?:s|ss|sec|section|para|paragraph|version|v|chapter|ch|rule|clause|table|fig|figure"
    r"|page|p|pp|schedule|sch|part|step|item|no|number)\.?\s*$",
    re.IGNORECASE,
)
#: "since 01/04/2019", "between 1/1/10 and ...": when something happened, not a birthday.
_WHEN = re.compile(
    r"\b(?:on|since|from|between|until|till|by|dated|before|after|during|to|of)\s*$",
    re.IGNORECASE,
)
#: "01/01/2013 and 31/12/2013": the end of a range is a when too.
_RANGE = re.compile(r"\s*(?:and|to|until|till|-|–)\s*", re.IGNORECASE)
_YEARS = re.compile(r"\d+")
#: A date without a cue in the last few years (or later) is when something happened.
RECENT_YEARS = 4


def _year(found: str, today: date) -> int:
    numbers = [int(n) for n in _YEARS.findall(found)]
    long = [n for n in numbers if n >= 1900]
    if long:
        return long[0]
    short = numbers[-1]
    return 2000 + short if 2000 + short <= today.year else 1900 + short


def _dates(text: str, today: date) -> Iterator[Finding]:
    for match in _CUED_DATE.finditer(text):
        yield Finding(BIRTH, match.start(1), match.end(1))
    event_end = -1  # where the last date that said when something happened ended
    for match in _FULL_DATE.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if match.group("sep") == "." and _NUMBERED.search(before):
            continue
        if (
            _WHEN.search(before)
            or _year(match.group(), today) > today.year - RECENT_YEARS
            or (event_end >= 0 and _RANGE.fullmatch(text, event_end, match.start()))
        ):
            event_end = match.end()
            continue
        yield Finding(BIRTH, match.start(), match.end())


# -- vehicle registrations -------------------------------------------------------------------

#: Current (AB12 CDE, 2001 on), prefix (A123 BCD, 1983-2001) and suffix (ABC 123D, 1963-1983)
#: plates in capitals; lower case only written solid ("ab12cde").
_PLATE = re.compile(
    r"(?<![\w-])(?:[A-Z]{2}\d{2} ?[A-Z]{3}|[A-Z]\d{1,3} ?[A-Z]{3}|[A-Z]{3} ?\d{1,3}[A-Z]"
    r"|[a-z]{2}\d{2}[a-z]{3})(?![\w-])"
)
#: After "reg", "VRM", "index" or "plate" any case, and dateless plates too ("reg 1 ABC").
_CUED_PLATE = re.compile(
    r"\b(?:reg(?:istration)?(?:\s+(?:no\.?|number|plate|mark))?|vrm|vrn|index(?:\s+(?:no\.?|number))?"
    r"|(?:number\s*)?plates?)\b(?:\s+(?:is|was|of))?\s*[:#-]?\s*"
    r"((?:[a-z]{2}\d{2} ?[a-z]{3}|[a-z]\d{1,3} ?[a-z]{3}|[a-z]{3} ?\d{1,3}[a-z]"
    r"|[a-z]{1,3}\d{1,4}|\d{1,4}[a-z]{1,3}|(?-i:[A-Z]{1,3} \d{1,4}|\d{1,4} [A-Z]{1,3})))(?![\w-])",
    re.IGNORECASE,
)
#: Three letters that are far more likely an acronym than the end of a plate ("Y9 CBT").
_ACRONYMS = frozenset(
    "CBT POP NHS ASB PCC PCS RJC DVA CSE CCE MDT SRE ACE MOT DNA GPS RTC CID CPS PNC PND NCA "
    "HMP YOT YJS SNT NPT PCSO PSHE CSP DWP GCSE KSI MAP MOJ CJS DAT MDA SOA CJA POA RTA FPN "
    "ABH GBH SAR PHE ONS".split()
)


def _plates(text: str) -> Iterator[Finding]:
    for match in _PLATE.finditer(text):
        letters = match.group().replace(" ", "")
        if " " in match.group() and (letters[-3:] in _ACRONYMS or letters[:3] in _ACRONYMS):
            continue
        yield Finding(VEHICLE, match.start(), match.end())
    for match in _CUED_PLATE.finditer(text):
        if any(c.isdigit() for c in match.group(1)) and any(c.isalpha() for c in match.group(1)):
            yield Finding(VEHICLE, match.start(1), match.end(1))


# -- crime reference numbers -----------------------------------------------------------------

_NO = r"(?:\s*(?:no\.?|num(?:ber)?|ref(?:erence)?|#))?"
#: Cues that name a police reference: any value with four digits or more counts.
_STRONG_CUE = (
    rf"crn|urn|crime\s*(?:ref(?:erence)?|no\.?|num(?:ber)?){_NO}|occurrence{_NO}|occ{_NO}"
    rf"|incident\s*(?:ref(?:erence)?|no\.?|num(?:ber)?|log){_NO}|cad{_NO}|storm{_NO}"
    rf"|niche{_NO}|athena{_NO}|log\s*(?:no\.?|num(?:ber)?|ref){_NO}"
    rf"|(?:case|job|ref(?:erence)?)\s*(?:no\.?|num(?:ber)?|ref(?:erence)?)"
)
#: Looser words ("ref", "crime", "incident", "log"): the value needs six digits or more.
_WEAK_CUE = r"ref(?:erence)?|crime|incident|log|case|job"
_VALUE = r"(?=[a-z0-9/-]*\d)[a-z0-9]+(?:[/-][a-z0-9]+)*(?:\s+of\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?)?"
_CUED_REFERENCE = re.compile(
    rf"\b(?:({_STRONG_CUE})|{_WEAK_CUE})\b(?:\s+(?:is|was))?\s*[:#.-]?\s*({_VALUE})(?![\w/-])",
    re.IGNORECASE,
)
#: Force / serial / year without a cue: 43/12345/24, CR/123456/24.
_SIX_DIGITS = re.compile(r"\d{6}")
_BARE_REFERENCE = re.compile(r"(?<![\w/])(?:\d{2}|[A-Z]{2,4})/\d{4,8}/\d{2}(?![\w/])")


def _references(text: str) -> Iterator[Finding]:
    for match in _CUED_REFERENCE.finditer(text):
        value = match.group(2)
        strong = sum(c.isdigit() for c in value) >= 4
        if (match.group(1) and strong) or _SIX_DIGITS.search(value):
            yield Finding(REFERENCE, match.start(2), match.end(2))
    for match in _BARE_REFERENCE.finditer(text):
        yield Finding(REFERENCE, match.start(), match.end())


# -- names -------------------------------------------------------------------------------------

#: A title before a capitalised surname: "Mr Ahmed", "Mrs O'Brien", "Dr SMITH".
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+(?=[A-Z])")
#: "his name is", "surname:", "by the name of".
_NAME_IS = re.compile(
    r"(?i:\b(?:sur|first\s+|last\s+|full\s+|real\s+|maiden\s+|nick)?names?"
    r"(?:\s+(?:is|was|are)|['’]s|\s*:)|\bby\s+the\s+name\s+of)[ \t]+(?=[A-Z])"
)
#: A role directly before a name: "suspect Jane Doe", "the victim, John Smith", "my son Jack".
_ROLE = re.compile(
    r"(?i:\b(?:suspects?|victims?|offenders?|witness(?:es)?|complainants?|informants?|nominals?"
    r"|mispers?|defendants?|perpetrators?|son|daughter|brother|sister|mum|dad|mother|father"
    r"|partner|boyfriend|girlfriend|husband|wife|stepdad|stepmum))(?:[ \t]*[,:(][ \t]*|[ \t]+)"
    r"(?=[A-Z])"
)
#: "called" / "named" / "known as": a name only right after a person ("a lad called") or at
#: the start of a clause ("..., named John Smith").
_CALLED = re.compile(
    r"(?i:\b(?:called|named(?:\s+as)?|known\s+as|aka|goes\s+by|calls\s+(?:him|her|them)self))"
    r"[ \t]+['\"‘“]?(?=[A-Z])"
)
_PERSON = frozenset(
    "man woman lad boy girl bloke guy chap kid child son daughter brother sister mum mother dad "
    "father parent uncle aunt auntie cousin nephew niece grandson granddaughter nan gran grandad "
    "grandma friend mate partner boyfriend girlfriend husband wife ex neighbour youth youngster "
    "teenager teen pupil student person someone somebody individual male female suspect victim "
    "offender witness nominal misper resident tenant landlord dealer runner client driver owner "
    "colleague officer old he she they he's she's they're who who's".split()
)
#: Words between the person and "called": "a lad who is called", "my son is now called".
_FILLER = frozenset(
    "is was who being been has had have now also just apparently actually currently".split()
)
_WORD = re.compile(r"[\w'’]+")
_CLAUSE = re.compile(r"[,.;:!?()\n]")
_TOKEN = re.compile(
    r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?(?!\w)|[A-Z]{2,}(?:-[A-Z]{2,})?(?!\w)"
    r"|[A-Z]\.?(?=[ \t]+[A-Z])"
)
_BETWEEN = re.compile(r"[ \t]+")
_AND = re.compile(r"[ \t]*(?:,|and|&)[ \t]+(?=[A-Z])")
#: Capitalised words that follow those cues without being anyone's name.
_NOT_NAMES = frozenset(
    """I The A An In On At And But Or If So He She They We It This That These Those What How Why
    When Where Who Which Is Was Are Has Had Do Does Did Can Could Would Should Will Any Some Our
    My His Her Their Your Yes No Not Also Then There Here All Each Every Of For To With From By
    About As After Before Over Under Against Between Through During Without Within Across Near
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Yesterday
    Support Statement Statements Management Manager Interview Care Services Service Liaison Code
    Charter Impact Personal Scheme Schemes Unit Team Hub Champion Awareness Programme Programmes
    Program Profile Profiling Intelligence Survey Right Rights Satisfaction Journey Contact
    Engagement Protection Safety Assessment Strategy Policy Plan Panel Court Courts Order Orders
    Act Pack Guidance Officer Officers Lead Voice Led Centred First Appeal Appeals Behaviour
    Rehabilitation Domestic Abuse Violence Sexual Crime Crimes Offence Offences Knife Gang Gangs
    County Lines Exploitation Anti Social Mental Safeguarding Referral Referrals Hate Scared
    Straight Drug Drugs Neighbourhood Watch Boot Camp Camps Hot Spots Street Streets Alley
    Mentoring Restorative Justice Focused Deterrence Prevent Operation Project Trust Council
    Police Policing Constabulary Force College Toolkit Office Road Lane Avenue Park School Schools
    Academy Centre Hospital Station Estate House Houses Halfway Youth Offending Crown Magistrates
    Probation Prison Challenge Wilderness Therapeutic Community Communities Public Health England
    Wales Scotland Ireland Britain British English Irish Scottish Welsh European Asian Black
    White Mixed Muslim Christian Jewish Sikh Hindu Polish Romanian Albanian Somali Traveller
    Gypsy Roma Unknown Withheld Redacted Anonymous Unnamed Tagging Curfew Lighting Cameras Camera
    Gating Monitoring Substitution Education Classroom Diversion Therapy Conferencing Standards
    Facts Parenting Family Families Early Electronic Retail Risk Speed Minimum Juvenile
    Imprisonment Brief Cognitive Ex Qualified Whole Second Responder Problem Focusing Peer
    Pricing Alcohol Class Crimestoppers Childline Samaritans Refuge Barnardo's NSPCC Frank
    Social Young People Older Elderly Children Vulnerable Adults Adult Big Said Says Told Asked
    Reported Wants DOB Mob Tel Reg CRN URN VRM VRN AKA NFA PNC""".lower().split()
)


def _name_at(text: str, at: int, *, titled: bool) -> tuple[int, int] | None:
    """The name starting at `at` (one to three name-like words), or None."""
    end, count, pos = at, 0, at
    while count < 3:
        if count:
            gap = _BETWEEN.match(text, pos)
            if gap is None:
                break
            pos = gap.end()
        token = _TOKEN.match(text, pos)
        if token is None or token.group().rstrip(".").lower() in _NOT_NAMES:
            break
        word = token.group()
        if count == 0 and len(word) > 1 and word.isupper() and not titled:
            return None  # an acronym ("suspect CCTV"); a surname in capitals only after a title
        count, end, pos = count + 1, token.end(), token.end()
    if count == 0 or len(text[at:end].rstrip(".")) < 2:
        return None
    return at, end


def _person_before(text: str, at: int) -> bool:
    """Whether the word before `at` (past "is", "who") speaks of a person ("a lad called"), or
    nothing does (the clause starts there)."""
    clause = _CLAUSE.split(text[max(0, at - 60) : at])[-1]
    words = [w.lower() for w in _WORD.findall(clause)]
    while words and words[-1] in _FILLER:
        words.pop()
    return not words or words[-1] in _PERSON or words[-1][:-2] in _PERSON


def _names(text: str) -> Iterator[Finding]:
    cues = [(m, True) for m in _TITLE.finditer(text)]
    cues += [(m, False) for m in _NAME_IS.finditer(text)]
    cues += [(m, False) for m in _ROLE.finditer(text)]
    cues += [(m, False) for m in _CALLED.finditer(text) if _person_before(text, m.start())]
    for match, titled in cues:
        span = _name_at(text, match.end(), titled=titled)
        while span is not None:
            yield Finding(NAME, *span)
            more = _AND.match(text, span[1])
            span = _name_at(text, more.end(), titled=False) if more else None


# -- the three things the bot does ---------------------------------------------------------

#: Slack's mentions (<@U0BOT>, <#C0123|general>, <!here>) and link targets, and plain URLs:
#: ids and paths, never anyone's data (a link's label after "|" is still read).
_MARK = "qqredactedqq"
_MARKED = re.compile(rf"{_MARK}(\d){_MARK}")
_MARKUP = re.compile(r"<[@#!][^>]*>|<https?://[^>|]*|\bhttps?://[^\s<>|]*")


def find(text: str, today: date | None = None) -> list[Finding]:
    """Every piece of personal data in the text, in order, none overlapping.

    Where two overlap the earlier detector wins (an email address holds digits; a reference
    number looks like a phone number once its cue is gone). `today` (default: the date)
    tells a recent date, when something happened, from a date of birth.
    """
    text = _MARKUP.sub(lambda m: " " * len(m.group()), text)  # same length: spans still fit
    found = chain(
        _emails(text),
        _references(text),
        _phones(text),
        _dates(text, today or date.today()),
        _plates(text),
        _names(text),
    )
    starts: list[int] = []  # the kept findings, sorted by start (they never overlap)
    kept: list[Finding] = []
    for one in found:
        at = bisect_left(starts, one.start)
        if (at and kept[at - 1].end > one.start) or (at < len(kept) and kept[at].start < one.end):
            continue
        starts.insert(at, one.start)
        kept.insert(at, one)
    return kept


def redact(
    text: str, tidy: Callable[[str], str] | None = None, *, today: date | None = None
) -> str:
    """The text with each finding replaced by its placeholder ("[phone]", "[name]").

    `tidy` (the store's normaliser, which keeps only lower-case words) sees the whole text with
    a marker word where each finding was; the markers become placeholders after it.
    """
    pieces: list[str] = []
    at = 0
    for found in find(text, today):
        mark = f"[{found.kind}]" if tidy is None else f" {_MARK}{KINDS.index(found.kind)}{_MARK} "
        pieces += [text[at : found.start], mark]
        at = found.end
    pieces.append(text[at:])
    if tidy is None:
        return "".join(pieces)
    return _MARKED.sub(lambda m: f"[{KINDS[int(m.group(1))]}]", tidy("".join(pieces)))


def reminder(text: str, today: date | None = None) -> str | None:
    """A private note (Slack mrkdwn) when the text looks like it holds personal data, or None.

    It lists the kinds found and never repeats the data itself.
    """
    kinds = {f.kind for f in find(text, today)}
    if not kinds:
        return None
    said = [_SAID[kind] for kind in KINDS if kind in kinds]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return (
        f":lock: *Only you can see this.* Your question looked like it held personal data "
        f"({listed}). Please keep names, dates of birth, phone numbers, email addresses, "
        "vehicle registrations and crime reference numbers out of Slack: ask about the "
        "situation in general terms. I've answered anyway. You may want to edit or delete your "
        "message; the bot removes such details from the questions and feedback it keeps."
    )
