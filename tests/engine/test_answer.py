"""The engine on the real knowledge base, without mocks."""

from __future__ import annotations

import dataclasses

import pytest

from bot.engine import Answer, Engine
from bot.engine.models import INTENTS


def entry_of(answer: Answer) -> str | None:
    return answer.entry.id if answer.entry else None


def test_scare_tactics(engine: Engine) -> None:
    answer = engine.answer("do scare tactics work?")
    assert answer.intent == "answer"
    assert entry_of(answer) == "scare-tactics"
    assert 0 <= answer.score <= 100 and answer.score >= engine.thresholds.answer
    assert "scare tactics" in answer.reason.lower()


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what is a drug court?", "drug-courts"),
        ("theraputic comunities", "therapeutic-communities"),
        ("mentorin for young ofenders", "mentoring"),
        ("<@U0BOT> do <b>halfway houses</b> work", "halfway-houses"),
        (
            "<@U0BOT|toolkit> is peer mentoring evidence based? <!channel>",
            "non-evidence-based-peer-mentoring",
        ),
        ("SCARE TACTICS!!! 😱😱", "scare-tactics"),
        (
            "see <https://www.college.police.uk/research/crime-reduction-toolkit/drug-courts>",
            "drug-courts",
        ),
        ("half way houses", "halfway-houses"),
        ("dose better street lites cut crime", "street-lighting"),
        (
            "licensing officer: if the pubs stopped serving at 11 instead of 2am, would violence "
            "go down?",
            "alcohol-sales-hours",
        ),
        ("what does the WHO guidance on drug prevention say", "unodc-international-standards"),
        ("does pop work", "problem-oriented-policing"),
        (
            "should our PCSO just pop into the school and do a drugs talk on her own",
            "ex-users-and-police-as-educators",
        ),
        ("beter strett lights reduce crme?", "street-lighting"),
        ("scard strait programs do they wrk", "scared-straight"),
        ("do youth curfews just shift crime to other times of day?", "juvenile-curfews"),
    ],
)
def test_questions_as_officers_type_them(engine: Engine, question: str, entry: str) -> None:
    assert entry_of(engine.answer(question)) == entry


def test_typos_are_explained(engine: Engine) -> None:
    answer = engine.answer("theraputic comunities")
    assert "theraputic->therapeutic" in answer.reason


@pytest.mark.parametrize(
    "question",
    [
        "what's for lunch",
        "tell me a joke",
        "qwerty",
        "",
        "   \n\t ",
        "¿Qué tiempo hace hoy?",
        "Wie spät ist es?",
        "how do I fill in a stop and search form",
        "🚓🚓🚓",
        "what's the phone number for control room",
        "offender says their tag is too tight, who do i tell",
        "whats the alcohol duty rate on cider",
        "how long does a speed camera ticket take to arrive",
        "do security guards in supermarkets reduce shoplifting",
        "do sobriety tags work",
        "can someone on methadone legally drive?",
        "youth conditional caution - what conditions can I attach?",
        "how long can a council keep CCTV footage?",
        "the wifi hotspot in the custody suite isn't working",
        "resilience training for officers on permanent nights",
        "does naloxone carried by response officers reduce overdose deaths",
        "who's responsible for fixing a broken alley gate lock",
        "can we legally stop drivers at random to breathalyse them in the UK?",
        "who pays for alley gates - the council or the residents?",
        "my neighbour's cctv points straight into my garden, is that legal?",
    ],
)
def test_out_of_scope_is_declined(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert answer.intent == "fallback"
    assert answer.entry is None
    assert len(answer.alternatives) <= 3


def test_decline_offers_close_entries(engine: Engine) -> None:
    answer = engine.answer("are there any mentoring schemes for prison leavers in Kent?")
    if answer.intent == "fallback":
        assert answer.alternatives, "a near miss should come with did-you-mean suggestions"
        assert all(e.id in engine.by_id for e in answer.alternatives)


def test_forty_thousand_characters(engine: Engine) -> None:
    question = "do scare tactics work? " + "blah " * 8000
    assert len(question) > 40_000
    answer = engine.answer(question)
    assert len(answer.question) <= 1200
    assert answer.intent in INTENTS


def test_what_does_the_evidence_say_at_the_end_is_not_a_list_request(engine: Engine) -> None:
    answer = engine.answer(
        "We want to give people on our caseload a couple of quick one-to-one sessions to get "
        "them thinking about their drinking. What does the evidence say?"
    )
    assert answer.intent != "what-works"


def test_a_closing_sentence_does_not_override_an_entry(engine: Engine) -> None:
    """The last sentence asks for a list only when no entry answers the whole question."""
    answer = engine.answer(
        "A councillor wants a night-time curfew on under-16s in the town centre. "
        "What does the evidence say?"
    )
    assert entry_of(answer) == "juvenile-curfews"


def test_everyday_policing_words_are_not_typos(engine: Engine) -> None:
    answer = engine.answer("ideas for our ward plan")
    assert "ward->" not in answer.reason


def test_long_input_with_the_question_at_the_end_is_cut_safely(engine: Engine) -> None:
    answer = engine.answer("x" * 50_000 + " scare tactics")
    assert answer.intent == "fallback"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what works", "what-works"),
        ("show me what works", "what-works"),
        ("what doesn't work", "what-doesnt-work"),
        ("Quiet shift, nothing on the radio. Go on then, hit me with a random tip.", "tip"),
        (
            "Our superintendent wants a list of things NOT to fund next year. What doesn't work?",
            "what-doesnt-work",
        ),
        ("what has negative outcomes", "what-doesnt-work"),
        ("topics", "topics"),
        ("help me", "help"),
        ("hello", "greeting"),
        ("thank you", "greeting"),
        ("tip", "tip"),
        ("what can you do?", "help"),
    ],
)
def test_intents(engine: Engine, question: str, intent: str) -> None:
    answer = engine.answer(question)
    assert answer.intent == intent
    assert answer.entry is None


def test_thanks_inside_a_question_is_not_a_greeting(engine: Engine) -> None:
    assert entry_of(engine.answer("hi, do drug courts reduce reoffending? thanks")) == "drug-courts"


def test_lists_are_computed_from_both_sources(engine: Engine) -> None:
    works = {e.id for e in engine.answer("what works").entries}
    guidance = {e.id for e in engine.entries if e.verdict == "works"}
    toolkit = {e.id for e in engine.entries if e.badge is not None and e.badge.positive}
    assert works == guidance | toolkit
    assert "scared-straight" not in works and "imprisonment" not in works
    bad = {e.id for e in engine.answer("what doesn't work").entries}
    assert {
        "scare-tactics",
        "knowledge-only-approaches",
        "ex-users-and-police-as-educators",
        "non-evidence-based-peer-mentoring",
        "scared-straight",
        "imprisonment",
        "boot-camps",
    } <= bad
    assert not bad & works
    assert len(engine.answer("topics").entries) == len(engine.entries)


def test_changing_a_verdict_changes_the_list(engine: Engine) -> None:
    entries = [
        dataclasses.replace(e, verdict="works") if e.id == "scare-tactics" else e
        for e in engine.entries
    ]
    other = Engine(entries, list(engine.intents.values()))
    assert "scare-tactics" in {e.id for e in other.answer("what works").entries}


def test_alternatives_exclude_the_answer(engine: Engine) -> None:
    answer = engine.answer("peer mentoring")
    assert answer.entry is not None
    assert answer.entry.id not in {e.id for e in answer.alternatives}
    assert len(answer.alternatives) <= 3


def test_answer_is_deterministic(engine: Engine) -> None:
    question = "do shock images in assemblies put kids off drugs"
    assert engine.answer(question) == engine.answer(question)


def test_as_dict_has_the_contract_keys(engine: Engine) -> None:
    data = engine.answer("drug courts").as_dict()
    assert data["intent"] == "answer" and data["entry"] == "drug-courts"
    assert isinstance(data["score"], int) and isinstance(data["alternatives"], list)
