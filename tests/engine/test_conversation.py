"""Comparisons, follow-ups in a thread and honest scope, on the real knowledge base."""

from __future__ import annotations

import pytest

from bot.engine import Engine, thread_context
from bot.engine.compare import split


@pytest.mark.parametrize(
    ("question", "entries"),
    [
        ("drug courts vs therapeutic communities", ["drug-courts", "therapeutic-communities"]),
        ("is mentoring better than Scared Straight?", ["mentoring", "scared-straight"]),
        (
            "compare cctv, street lighting and alley gating",
            ["cctv", "street-lighting", "alley-gating"],
        ),
        ("scared straight or mentoring?", ["scared-straight", "mentoring"]),
        (
            "difference between boot camps and wilderness challenge",
            ["boot-camps", "wilderness-challenge"],
        ),
        ("cctv v street lighting", ["cctv", "street-lighting"]),
        (
            "drug courts, therapeutic communities and halfway houses - which works best?",
            ["drug-courts", "therapeutic-communities", "halfway-houses"],
        ),
        ("focussed deterence vs hot spot policing", ["focused-deterrence", "hot-spots-policing"]),
        ("EAS tags vs CCTV for shop theft", ["retail-tagging", "cctv"]),
        (
            "raising booze prices or cutting pub opening times, which does more for violence",
            ["alcohol-pricing", "alcohol-sales-hours"],
        ),
        (
            "a caution for a first-time kid vs a meeting with the victim - which cuts reoffending",
            ["pre-charge-diversion", "restorative-justice-conferencing"],
        ),
        (
            "boot camps v scared straight v wilderness challenge",
            ["boot-camps", "scared-straight", "wilderness-challenge"],
        ),
        ("cameras or gates for burglaries from the back alleys?", ["cctv", "alley-gating"]),
        (
            "speed cameras or drink drive stops, which saves more lives?",
            ["speed-cameras", "drink-drive-stops"],
        ),
        (
            "whats the diff between electronic monitoring and tagging sex offenders",
            ["electronic-monitoring", "electronic-tagging-sex-offences"],
        ),
        (
            "is EMMIE the same thing as the crime reduction toolkit",
            ["emmie", "crime-reduction-toolkit"],
        ),
        (
            "should we go for focused deterrence rather than hot spots for gang violence",
            ["focused-deterrence", "hot-spots-policing"],
        ),
        (
            "brighter street lights or a neighbourhood watch for an estate with burglary problems",
            ["street-lighting", "neighbourhood-watch"],
        ),
        (
            "scared straight, boot camps and prison - do any of the tough approaches work",
            ["scared-straight", "boot-camps", "imprisonment"],
        ),
        (
            "boot camps, scared straight and wilderness programmes - which ones work?",
            ["boot-camps", "scared-straight", "wilderness-challenge"],
        ),
    ],
)
def test_comparisons_name_every_entry_in_order(
    engine: Engine, question: str, entries: list[str]
) -> None:
    answer = engine.answer(question)
    assert answer.intent == "compare", answer
    assert [e.id for e in answer.entries] == entries
    assert answer.entry is not None and answer.entry.id == entries[0]
    assert answer.as_dict()["entries"] == entries


def test_a_side_the_knowledge_base_lacks_is_named(engine: Engine) -> None:
    answer = engine.answer("compare drug courts with knife arches")
    assert answer.intent == "compare"
    assert [e.id for e in answer.entries] == ["drug-courts"]
    assert answer.missing == ("knife arches",)


def test_or_inside_one_topic_is_not_a_comparison(engine: Engine) -> None:
    answer = engine.answer("do scare tactics or shock images work")
    assert answer.intent == "answer" and answer.entry is not None
    assert answer.entry.id == "scare-tactics"


def test_instead_of_inside_one_question_is_not_a_comparison(engine: Engine) -> None:
    answer = engine.answer(
        "giving first-time kids a caution instead of charging - does it cut reoffending?"
    )
    assert answer.intent == "answer" and answer.entry is not None
    assert answer.entry.id == "pre-charge-diversion"


def test_sentences_with_commas_are_not_a_list(engine: Engine) -> None:
    answer = engine.answer(
        "After a summer of disorder in the town centre, a councillor wants a night-time curfew "
        "on under-16s. What does the toolkit say?"
    )
    assert answer.intent == "answer" and answer.entry is not None
    assert answer.entry.id == "juvenile-curfews"


def test_an_unheld_topic_named_word_for_word_is_declined(engine: Engine) -> None:
    """Drink-drive stops share "drink driving" with the question, not its subject."""
    answer = engine.answer("designated driver schemes - any evidence they cut drink driving?")
    assert answer.intent == "fallback", answer
    assert "drink-drive-stops" in [e.id for e in answer.alternatives]
    held = engine.answer("do drink drive stops cut drink driving?")
    assert held.entry is not None and held.entry.id == "drink-drive-stops"


def test_the_splitter_reads_the_usual_forms() -> None:
    assert split("a vs b") is not None
    assert split("which is better mentoring or boot camps") is not None
    assert split("mentoring") is None
    found = split("is cctv better than street lighting")
    assert found is not None and found.explicit and found.texts == ("cctv", "street lighting")


@pytest.mark.parametrize(
    ("follow_up", "aspect"),
    [
        ("how strong is the evidence?", "quality"),
        ("what does it cost?", "cost"),
        ("does it work for young people?", "base"),
        ("where's the source?", "source"),
        ("tell me more", "detail"),
        ("what works instead?", "instead"),
        ("is that based on UK studies?", "base"),
        ("does it work?", "summary"),
        ("what are the risks", "caveats"),
        ("how big was the effect", "quality"),
        ("what about for female offenders?", "base"),
        ("why?", "detail"),
        ("where's that from", "source"),
        ("what are the catches", "caveats"),
        ("does it work long term", "detail"),
        ("in a nutshell?", "summary"),
        ("what about rural areas", "base"),
        ("why would reporting go up?", "detail"),
        ("is the evidence any good", "quality"),
        ("does the effect last", "detail"),
        ("any side effects", "caveats"),
        ("really?", "detail"),
        ("is there newer research", "source"),
        ("give me some examples", "detail"),
        ("does it work in the community or only in prison", "base"),
        ("and violence specifically?", "base"),
        ("what does the second M mean", "detail"),
    ],
)
def test_follow_ups_are_about_the_thread(engine: Engine, follow_up: str, aspect: str) -> None:
    first = engine.answer("drug courts")
    assert first.entry is not None and first.entry.id == "drug-courts"
    answer = engine.answer(follow_up, context=thread_context(first))
    assert answer.entry is not None and answer.entry.id == "drug-courts", answer
    assert answer.aspect == aspect


def test_a_new_topic_in_the_thread_is_answered_normally(engine: Engine) -> None:
    answer = engine.answer("what about street lighting?", context=("drug-courts",))
    assert answer.entry is not None and answer.entry.id == "street-lighting"
    assert answer.aspect is None


def test_a_task_in_the_thread_is_not_a_follow_up(engine: Engine) -> None:
    answer = engine.answer(
        "right, so what curfew do I put on his bail?", context=("juvenile-curfews",)
    )
    assert answer.intent == "fallback"


def test_what_about_another_entry_instead(engine: Engine) -> None:
    answer = engine.answer("what about drug courts instead", context=("hot-spots-policing",))
    assert answer.entry is not None and answer.entry.id == "drug-courts"


def test_and_another_entry_is_that_entry(engine: Engine) -> None:
    answer = engine.answer("and lighting?", context=("cctv",))
    assert answer.entry is not None and answer.entry.id == "street-lighting"


def test_what_about_another_entry_is_that_entry(engine: Engine) -> None:
    answer = engine.answer(
        "what about halfway houses for people leaving prison?", context=("drug-courts",)
    )
    assert answer.entry is not None and answer.entry.id == "halfway-houses"
    assert answer.aspect is None


def test_an_admin_question_in_the_thread_is_still_declined(engine: Engine) -> None:
    answer = engine.answer("how do I book annual leave", context=("drug-courts",))
    assert answer.intent == "fallback"


def test_a_follow_up_without_a_thread_does_not_guess(engine: Engine) -> None:
    answer = engine.answer("how strong is the evidence?")
    assert answer.entry is None or answer.entry.id in ("emmie", "crime-reduction-toolkit")


def test_a_follow_up_after_a_comparison_covers_both(engine: Engine) -> None:
    first = engine.answer("drug courts vs therapeutic communities")
    answer = engine.answer("how strong is the evidence?", context=thread_context(first))
    assert answer.intent == "compare" and answer.aspect == "quality"
    assert [e.id for e in answer.entries] == ["drug-courts", "therapeutic-communities"]


def test_context_is_kept_through_small_talk(engine: Engine) -> None:
    before = ("mentoring",)
    assert thread_context(engine.answer("thanks"), before) == before
    assert thread_context(engine.answer("cctv"), before) == ("cctv",)


@pytest.mark.parametrize(
    ("question", "not_entry"),
    [
        ("does focused deterrence work", "scare-tactics"),
        ("does prison work as a deterrent", "scare-tactics"),
        ("opioid substitution", "therapeutic-communities"),
        ("approved premises", "halfway-houses"),
        ("probation hostel", "halfway-houses"),
        ("alternative to prosecution", "drug-courts"),
        ("does hot spots policing work", "risk-and-resilience"),
        ("does restorative justice reduce reoffending", "police-in-classrooms"),
    ],
)
def test_keywords_never_equate_what_the_sources_do_not(
    engine: Engine, question: str, not_entry: str
) -> None:
    answer = engine.answer(question)
    assert answer.entry is None or answer.entry.id != not_entry, answer.reason


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("does focused deterrence work", "focused-deterrence"),
        ("does prison work as a deterrent", "imprisonment"),
        ("opioid substitution", "drug-substitution-programmes"),
        ("does hot spots policing work", "hot-spots-policing"),
        ("does restorative justice reduce reoffending", "restorative-justice-conferencing"),
    ],
)
def test_the_right_toolkit_entry_answers(engine: Engine, question: str, entry: str) -> None:
    answer = engine.answer(question)
    assert answer.entry is not None and answer.entry.id == entry, answer


@pytest.mark.parametrize(
    "question",
    [
        "data protection rules for a doorbell camera",
        "bail conditions with a curfew",
        "how do I get CCTV footage from a council",
        "what's the curfew on my bail conditions",
        "do body worn cameras reduce complaints",
    ],
)
def test_near_topic_questions_are_declined(engine: Engine, question: str) -> None:
    assert engine.answer(question).intent == "fallback", engine.answer(question).reason


def test_what_works_never_lists_an_entry_that_increases_harm(engine: Engine) -> None:
    listed = engine.for_intent("what-works").entries
    assert listed
    assert all(not (e.badge and e.badge.key == "increase") for e in listed)
    harmful = {e.id for e in engine.for_intent("what-doesnt-work").entries}
    assert {"scared-straight", "imprisonment", "scare-tactics"} <= harmful
