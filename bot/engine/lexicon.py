"""Language data for the matcher: stop-words, spellings, synonyms and emoji.

Kept as code, not YAML, because it describes English as officers type it, not toolkit content.
"""

from __future__ import annotations

# Words that carry no topic. Negations, greetings and "help"/"tip"/"work" are deliberately absent:
# they decide between "what works" and "what doesn't work", or pick an intent.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    etc even ever every few for from further get gets getting go goes going got had has have
    having he her here hers herself him himself his how i if in into is it its itself just let
    lets like ll m ma me might mine more most much must my myself need needs now of off often
    on once one or other ought our ours ourselves out over own per perhaps please pls plz
    quite rather re really s said say says shall she should so some such t than that thats the
    their theirs them themselves then there theres these they thing things this those through
    to too u under until up upon us ve very via was we were what whats when where which while
    who whom whose why will with would yes yet you your yours yourself yourselves ur im ive id
    youre hes shes were weve theyre theyve anyone anybody someone somebody something anything
    ok okay know tell show give want wanted wonder wondering ask asking asked question
    questions quick quickly mate guys folks team lol basically actually currently generally
    apparently maybe probably someone thought think looking look find found anyone kind sort
    bit lot lots many way ways used using good bad idea ideas reckon reckons stuff type types
    sure everyone everybody mean means meant today tomorrow yesterday week weeks next last
    reply keep keeps kept wants said told tells telling got gonna wanna gotta hear heard seen
    see saw thinking go went put right wrong true false anyway anyways though although however
    whether around back new old big little small main best better able already always come
    comes coming make makes making made take takes taking took well hmm erm um uh oh ah just
    else wat wot wht whta hw abt bout r y cos coz cuz dunno innit summat owt nowt sum ppl
    peeps shown proper properly ones start starts started starting achieve achieves achieved
    achieving wheres hows whos heres whys instead
    """.split()
)

# Generic words of a question about evidence ("which methods", "any strategies", "the research"):
# a target need not explain them unless it uses them itself, so an unusual one ("methods") does
# not count against an answer, and a common one does not carry it.
NEUTRAL_WORDS = frozenset(
    """
    method methods approach approaches tactic tactics strategy strategies option options
    measure measures initiative initiatives scheme schemes project projects programme
    programmes intervention interventions technique techniques response responses tool tools
    practice practices thing things evidence research studies study findings data proof
    proven effective effectiveness works work working worked result results outcome outcomes
    impact help helps reduce reduces reducing reduction cut cuts prevent prevents preventing
    crime crimes
    """.split()
)

# Everyday policing words the knowledge base does not use, one edit from words it does ("ward"
# is not "war", "beat" is not "bet"): read as themselves, never as typos.
NOT_TYPOS = frozenset(
    """
    ward wards beat beats patch sarge skipper guv nick nicked inspector inspectors
    superintendent supt chief briefing briefings nominal nominals shift shifts plan plans
    rota council councils councillor councillors partner partners partnership
    """.split()
)

# Who is asking, said before the question ("licensing officer: ...", "sgt here - ..."): a
# lead-in of these words alone is not part of the question.
ROLE_WORDS = frozenset(
    """
    i m im a an the our my from in here this is it s probation partner partners agency officer
    officers pc pcs pcso pcsos sgt sergeant skipper inspector insp ch supt superintendent chief
    dc ds di detective analyst analysts licensing school liaison slo response neighbourhood
    team teams mappa meeting iom yot youth offending writing paper briefing note question for
    quick q hi hello hey morning afternoon evening all force custody control room manager lead
    coordinator worker workers council councillor cllr teacher head
    """.split()
)

# Abbreviations typed in capitals that the matcher would otherwise lose ("WHO" is a stop-word
# in lower case): read as what they stand for, only when in capitals.
CAPITALS: dict[str, str] = {"who": "world health organization", "un": "united nations"}
# Abbreviations that are also verbs: not the abbreviation when a particle follows ("pop into the
# school" is not problem-oriented policing, "does POP work" and "does pop work" still are).
PHRASAL_VERBS: dict[str, frozenset[str]] = {
    "pop": frozenset("in into round over by out up down along back across".split()),
}

NEGATIONS = frozenset(
    """
    not no never dont doesnt didnt isnt arent wasnt werent wont cant cannot couldnt shouldnt
    wouldnt aint nope neither nor
    """.split()
)

# British spellings are canonical (the toolkit is British); American forms map onto them.
SPELLINGS: dict[str, str] = {
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "behavioral": "behavioural",
    "program": "programme",
    "programs": "programmes",
    "counseling": "counselling",
    "counselor": "counsellor",
    "center": "centre",
    "centers": "centres",
    "neighbor": "neighbour",
    "neighborhood": "neighbourhood",
    "defense": "defence",
    "offense": "offence",
    "offenses": "offences",
    "judgment": "judgement",
    "organization": "organisation",
    "organizations": "organisations",
    "prioritize": "prioritise",
    "recognize": "recognise",
    "criminalize": "criminalise",
    "stigmatize": "stigmatise",
    "utilize": "utilise",
    "color": "colour",
    "favor": "favour",
    "labor": "labour",
    "pediatric": "paediatric",
    "practise": "practice",
    "enroll": "enrol",
    "licence": "license",
    "mom": "mum",
    "moms": "mums",
    "digs": "housing",
    "glassing": "violence",
    "glassings": "violence",
    "jail": "prison",
    "jails": "prison",
    "gaol": "prison",
    # Phone-typed and sound-alike spellings a typo model cannot reach (more than one edit, or
    # a real word typed for another: "dose" for "does", "strait" for "straight").
    "focussed": "focused",
    "focussing": "focusing",
    "deterence": "deterrence",  # stems onto "deter", so no typo is seen
    "deterant": "deterrent",
    "deterants": "deterrents",
    "dose": "does",
    "wrk": "work",
    "wrks": "works",
    "wrking": "working",
    "werk": "work",
    "werks": "works",
    "lite": "light",
    "lites": "lights",
    "liting": "lighting",
    "nite": "night",
    "nites": "nights",
    "brite": "bright",
    "brighter": "bright",
    "strait": "straight",
    "thru": "through",
    "tho": "though",
    "wud": "would",
    "cud": "could",
    "shud": "should",
    "gud": "good",
    "becos": "because",
    "bcos": "because",
    "bcoz": "because",
    "skool": "school",
    "skools": "schools",
    "prog": "programme",
    "progs": "programmes",
    "progr": "programme",
    "yrs": "years",
    "rly": "really",
    "b4": "before",
    "alot": "lot",
    "sumthing": "something",
    "wen": "when",
    "wiv": "with",
    "nd": "and",
    "4": "for",
}

# Conflation groups: every word on the right is read as the word on the left, in questions and
# entries alike, so "kids", "teens" and "youngsters" all meet entries written about young people.
SYNONYM_GROUPS: dict[str, tuple[str, ...]] = {
    "youth": (
        "under16s",
        "under18s",
        "tearaway",
        "tearaways",
        "kid",
        "kids",
        "child",
        "children",
        "childrens",
        "youngster",
        "youngsters",
        "youths",
        "teen",
        "teens",
        "teenager",
        "teenagers",
        "adolescent",
        "adolescents",
        "juvenile",
        "juveniles",
        "yp",
    ),
    "police": (
        "cop",
        "cops",
        "copper",
        "coppers",
        "officer",
        "officers",
        "policing",
        "plod",
        "bobby",
        "bobbies",
        "constable",
        "constables",
        "pc",
        "pcs",
        "pcso",
        "pcsos",
    ),
    "drug": (
        "drugs",
        "narcotic",
        "narcotics",
        "substance",
        "substances",
        "weed",
        "cannabis",
        "skunk",
        "coke",
        "cocaine",
        "heroin",
        "ket",
        "ketamine",
        "spice",
        "mdma",
        "ecstasy",
        "pills",
        "gear",
        "crack",
        "nitrous",
    ),
    "addiction": (
        "addict",
        "addicts",
        "addicted",
        "addictions",
        "junkie",
        "junkies",
        "smackhead",
        "smackheads",
        "dependence",
        "dependency",
        "dependent",
    ),
    "alcohol": (
        "booze",
        "boozing",
        "boozed",
        "bevvy",
        "bevvies",
        "lager",
        "cider",
        "beer",
        "beers",
        "pint",
        "pints",
        "wine",
        "vodka",
    ),
    "prison": (
        "lags",
        "prisons",
        "custody",
        "custodial",
        "incarceration",
        "incarcerated",
        "lifers",
        "inmates",
        "inmate",
        "prisoners",
        "prisoner",
    ),
    "scare": (
        "scared",
        "scary",
        "scaring",
        "fear",
        "fears",
        "frighten",
        "frightened",
        "frightening",
        "shock",
        "shocking",
        "shocked",
        "terrify",
        "terrifying",
        "horror",
        "gory",
    ),
    "family": (
        "families",
        "parent",
        "parents",
        "parenting",
        "parental",
        "mum",
        "mums",
        "dad",
        "dads",
        "carer",
        "carers",
        "household",
        "households",
    ),
    "work": (
        "works",
        "worked",
        "working",
        "effective",
        "effectiveness",
        "efficacy",
        "successful",
        "success",
    ),
    "reoffending": (
        "recidivism",
        "reoffend",
        "reoffends",
        "reconviction",
        "reconvictions",
        "relapse",
    ),
    "risk": ("risks", "risky", "likely", "likelihood", "prone", "susceptible", "chances"),
    "mentor": ("mentors", "mentoring", "mentee", "mentees", "mentored"),
    "preschool": (
        "preschools",
        "nursery",
        "nurseries",
        "kindergarten",
        "kindergartens",
        "prek",
        "toddler",
        "toddlers",
    ),
    "school": ("schools", "schooling", "academy", "academies"),
    "image": (
        "images",
        "photo",
        "photos",
        "photograph",
        "photographs",
        "picture",
        "pictures",
        "pics",
        "video",
        "videos",
        "footage",
        "film",
        "films",
        "poster",
        "posters",
    ),
    "information": ("info", "facts", "fact", "factual"),
    "educator": ("educators", "teacher", "teachers", "tutor", "tutors", "presenter"),
    "hello": (
        "hi",
        "hiya",
        "hey",
        "heya",
        "howdy",
        "morning",
        "afternoon",
        "evening",
        "yo",
        "greetings",
        "alright",
    ),
    "thanks": ("thank", "thankyou", "thx", "ta", "cheers", "tnx", "ty"),
    "bye": ("goodbye", "cya", "laters", "goodnight"),
}

# Multi-word expressions read as one word before anything else.
PHRASES: dict[str, str] = {
    "young people": "youth",
    "young person": "youth",
    "young persons": "youth",
    "young offenders": "youth offenders",
    "under 16s": "youth",
    "under 18s": "youth",
    "under 16": "youth",
    "under 18": "youth",
    "half way": "halfway",
    "ineffective": "not effective",
    "unsuccessful": "not successful",
    "counterproductive": "not effective",
    "pre school": "preschool",
    "pre k": "preschool",
    "early years": "preschool",
    "substance use": "drug misuse",
    "substance misuse": "drug misuse",
    "substance abuse": "drug misuse",
    "drug abuse": "drug misuse",
    "drug use": "drug misuse",
    "drug taking": "drug misuse",
    "taking drugs": "drug misuse",
    "using drugs": "drug misuse",
    "use drugs": "drug misuse",
    "uses drugs": "drug misuse",
    "take drugs": "drug misuse",
    "takes drugs": "drug misuse",
    "at risk": "atrisk",
    # Leaving prison is about release and resettlement, not about imprisonment itself.
    "coming out of prison": "release",
    "come out of prison": "release",
    "comes out of prison": "release",
    "out of prison": "release",
    "leaving prison": "release",
    "leave prison": "release",
    "leaves prison": "release",
    "left prison": "release",
    "released from prison": "release",
    "release from prison": "release",
    "prison leavers": "release",
    "prison leaver": "release",
    "coming out of jail": "release",
    "out of jail": "release",
    "fresh out of jail": "release",
    "released from jail": "release",
    "leaving jail": "release",
    "getting out of prison": "release",
    "behind bars": "prison",
    "multi storey": "car park",
    "open till": "opening hours",
    "open until": "opening hours",
    "open later": "opening hours",
    "stay open": "opening hours",
    "multistorey": "car park",
    "multi storey car park": "car park",
    "blow into a tube": "breathalyser",
    "blow into": "breathalyser",
    "blowing into": "breathalyser",
    "get out of prison": "release",
    "gets out of prison": "release",
}

# A few emoji say something the matcher can use; all other emoji are dropped.
EMOJI_WORDS: dict[str, str] = {
    "\U0001f44b": " hello ",  # waving hand
    "\u2753": " ",
    "\U0001f4a1": " tip ",  # light bulb
}


def canonical_words() -> dict[str, str]:
    """Map every spelling variant and synonym to its canonical word."""
    table = dict(SPELLINGS)
    for canon, words in SYNONYM_GROUPS.items():
        for word in words:
            table[word] = canon
    for word in NEGATIONS:
        table[word] = "not"
    return table
