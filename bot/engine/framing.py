"""How a question is framed: asking what the evidence says, or asking how to do a task.

Officers ask the bot procedure, law and admin questions that share a word with an entry ("how do
I report a broken street light", "what's the legal drink-drive limit", "who do I ring about a tag
breach"). Those are not questions about what works, so an entry must explain nearly all of such a
question before it answers. Language data, like the lexicon: cue words, not content.
"""

from __future__ import annotations

import re

#: Openings that ask how to do something, where something is, or who to contact.
_TASK_OPENING = re.compile(
    r"^(?:(?:hi|hey|hello|quick one|quick q|morning|evening|sorry|please|pls)\s+)*"
    r"(?:how (?:do|can|would|should|does) (?:i|we|you|one|my|our)\b|how to\b|"
    r"where (?:do|can|is|are|s|would|should|does)\b|wheres\b|"
    r"who (?:do|should|can|would|holds|has|is responsible|deals|handles)\b|"
    r"when (?:is|are|do|does|will|can)\b|can (?:i|you|we) (?:get|book|order|apply|claim|find)\b|"
    r"(?:what is|what s|whats|what are) (?:the|my|our) (?:procedure|process|law|legal|limit|"
    r"rules|guidelines|powers|penalty|sentence|charging|statutory|number|phone|time|times|dates|"
    r"policy|form|threshold|maximum|minimum legal|deadline|rota|code|street price|price of)\b|"
    r"what powers\b|is it (?:legal|lawful|an offence)\b|"
    r"how long (?:do|does|should|must|can|will) (?:we|i|you|they|it)\b|"
    r"is (?:the|it) (?:\w+ )?open\b)"
)
#: Words that name a task, a rule or an admin thing rather than an intervention.
TASK_WORDS = frozenset(
    """
    form forms paperwork procedure procedures apply application applications booking claim
    claims overtime rota log logging calibration calibrated sitting visiting
    legislation statutory legal lawful law laws powers sentencing guidelines penalty
    penalties charging referral referrals recall exhibit exhibits seize seized seizure detainee
    warrant warrants phone number email contact password login laptop printer canteen parking
    payslip leave annual courses exam exams promotion uniform kit radio airwave niche pnc storm
    athena pronto wellbeing ptsd bleep fitness recruitment probationers submit submission
    statement statements mg11 disclosure cps breach breaches
    licensing hearing coordinator coordinators dbs vetting volunteer volunteering signing keys
    injunction bail
    conditions remand remanded times dates section act cpia pace grams retention retain
    advice instructions sentence possession footage
    """.split()
)
#: Words that show the question is about what works after all ("how do I know if CCTV works").
EVIDENCE_WORDS = frozenset(
    """
    work works worked working effective effectiveness evidence evidenced research researched
    studies study review reviews toolkit reduce reduces reduced reducing reduction cut cuts
    prevent prevents preventing impact outcome outcomes success successful worth better best
    proven prove rating rated emmie reoffending recidivism deter deters deterrent backfire
    increase increases effect effects findings found matter matters
    """.split()
)
_WORD = re.compile(r"[a-z0-9]+")
#: Openings that can only be procedure, law or admin (who does a job, what time, how long, can I,
#: do I need, what is the offence): on their own they count twice, so without evidence words
#: such a question is declined with suggestions even when it names an entry's subject.
_PROCEDURE = re.compile(
    r"^(?:(?:hi|hey|hello|quick one|quick q|morning|evening|sorry|please|pls|so|ok)\s+)*"
    r"(?:how (?:do|can|would) (?:i|we) (?:get|find out|request|set up|apply|appeal|report|book|"
    r"arrange|contact|order|fix|submit|record|log|check if|check whether|tell)\b|"
    r"who (?:do|should|can|monitors|runs|fixes|calibrates|signs|fits|is my|is on|is the duty|"
    r"deals|handles|holds|pays|decides|authorises|issues|checks|looks after|answers)\b|"
    r"what time\b|what hours\b|what class\b|how much is (?:the|a)\b|"
    r"(?:what is|whats|what s) the (?:longest|shortest|maximum|minimum|most|least)\b|"
    r"how long (?:do|does|will|can|should|must) (?:i|we|you|they|shops|police|it take)\b|"
    r"how long (?:does|will|do) (?:a|an|the|my) (?:\w+ ){0,3}take\b|"
    r"how long is (?:a|an|the) (?:\w+ ){0,3}(?:sentence|ban|disqualification|order|licence)\b|"
    r"how many (?:minutes|hours|days|points|penalty points|years) (?:do|does|is|are|can|will)\b|"
    r"(?:what is|whats|what s) the (?:offence|fine|penalty|rate|duty|difference between a)\b|"
    r"(?:what is|whats|what s|what are) the (?:(?!evidence|research|impact|effect)\w+ ){0,3}"
    r"(?:rate|rates|fine|fines|penalty|penalties|threshold|disqualification|callsign|"
    r"prices|price|set at)\b|"
    r"do (?:i|we) (?:need|have to) (?:a|an|to|permission|consent|authority)\b|"
    r"can (?:police|officers|the police|a member of the public|the council|shops|under)\b|"
    r"can (?:i|we) (?:appeal|take|do|arrest|search|seize|stop|request|ask for|object|refuse|"
    r"close|shut|ban|revoke|issue|give)\b|"
    r"is (?:the council|the force|a council|it illegal|it an offence)\b|"
    r"are (?:we|police|officers|councils) allowed\b)"
)


#: Asking whom to tell, where to go or how to apply, anywhere in a question ("offender says their
#: tag is too tight, who do I tell"): procedure, however the question opens.
_PROCEDURE_ANYWHERE = re.compile(
    r"\b(?:who (?:do|should|can|would) (?:i|we) (?:tell|ring|call|phone|contact|speak to|"
    r"report|email|notify|ask|chase)|(?:whos|who s|who is|who are) responsible|"
    r"where (?:do|can|should|would) (?:i|we|they|he|she|you) (?:report|send|get|find|go|book|"
    r"apply|take|do|buy)|how (?:do|can|would) (?:i|we) (?:report|apply|request|book|refer|"
    r"get hold of|contact)|how (?:does|do|can) (?:a|an|the) (?:\w+ ){0,2}(?:report|apply|"
    r"request|book|refer)|(?:have|need|got) to consent|"
    r"is (?:it|that|this) (?:legal|lawful|allowed|an offence)|"
    r"can (?:we|i|police|officers) legally|"
    r"(?:what s|whats|what is) the (?:procedure|process|law)\b|"
    r"what do (?:i|we) do\b|can (?:he|she|they) (?:do|get|have|appeal|go|take)\b|"
    r"can (?:the|a) (?:\w+ ){0,3}(?:give|prescribe|administer|issue|seize|arrest|detain|drink|"
    r"buy|carry|be served|be sent|be given|be held|be charged|be arrested|keep|make)|"
    r"can (?:someone|somebody|a person|people|anyone) (?:\w+ ){0,5}(?:legally|join|apply|be)|"
    r"(?:do|should|can|must) (?:i|we) (?:give|put|attach|impose|set|add|charge)|"
    r"what conditions|points to prove|sentencing options?|procedure (?:when|for|if)|"
    r"how long can (?:a|an|the) \w+|"
    r"how (?:does|do|can) (?:a|an|the) (?:\w+ ){0,2}(?:make|issue|set up))\b"
)


#: Legal and procedural references that make a question a task on their own ("custody clock
#: under PACE", "is cannabis class B", "possession with intent to supply").
_STRONG = re.compile(
    r"\b(?:pace|cpia|ripa|misuse of drugs act|section \d+|s \d+|class [abc]|intent to supply|"
    r"possession with intent|pwits|sentencing guidelines?|charging standards?|bail conditions?|"
    r"statutory guidance|legal limit|drink drive limit|drug drive limit)\b"
)


#: A sentence that only asks what the evidence says ("What does the evidence say?", "Is there any
#: research?"): it is about the question's other sentences, never a request for a list.
_EVIDENCE_ONLY = re.compile(
    r"^(?:so |and |but )?(?:what (?:does|do|did) (?:the )?(?:evidence|research|studies|toolkit|"
    r"college) (?:say|show|find|suggest)|is there (?:any )?(?:evidence|research)(?: on this| for "
    r"this| on that| for that)?|any (?:evidence|research))$"
)


def asks_for_evidence_only(cleaned: str) -> bool:
    """Whether a cleaned sentence only asks what the evidence says."""
    return bool(_EVIDENCE_ONLY.match(cleaned))


def task_strength(cleaned: str) -> int:
    """How strongly a cleaned question is framed as a task: 0 (not at all), 1, 2 or more.

    A task opening counts 1, each task word 1, a legal reference 2; words about evidence
    ("does it work", "research", "reduce") take 1 each away, so "where can I find the evidence
    on hot spots" is not a task but "how long do we keep CCTV evidence under CPIA" is.
    """
    words = _WORD.findall(cleaned)
    procedure = _PROCEDURE.match(cleaned) or _PROCEDURE_ANYWHERE.search(cleaned)
    opening = 2 if procedure else int(bool(_TASK_OPENING.match(cleaned)))
    task = opening + sum(w in TASK_WORDS for w in words)
    task += 2 * len(_STRONG.findall(cleaned))
    return max(0, task - sum(w in EVIDENCE_WORDS for w in words))


def is_task(cleaned: str) -> bool:
    """Whether a cleaned question asks how to do a task (and not what the evidence says)."""
    return task_strength(cleaned) >= 1 and (
        bool(
            _TASK_OPENING.match(cleaned)
            or _PROCEDURE.match(cleaned)
            or _PROCEDURE_ANYWHERE.search(cleaned)
        )
        or task_strength(cleaned) >= 2
    )
