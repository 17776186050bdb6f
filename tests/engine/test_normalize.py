"""Normalisation: markup, emoji, accents, case, cut length, stems and synonyms."""

from __future__ import annotations

from bot.engine.normalize import MAX_CHARS, Analyzer, clean, strip_slack_markup


def test_slack_markup_is_removed_but_link_labels_kept() -> None:
    text = "<@U123ABC> see <https://example.org/x|the page> in <#C1|general> <!here> <!channel>"
    assert strip_slack_markup(text).split() == ["see", "the", "page", "in"]


def test_bare_link_keeps_its_path_words_only() -> None:
    text = "<https://www.college.police.uk/research/crime-reduction-toolkit/drug-courts>"
    assert clean(text) == "research crime reduction toolkit drug courts"


def test_leading_handle_is_dropped() -> None:
    assert clean("@toolkit halfway houses") == "halfway houses"


def test_case_punctuation_apostrophes_and_accents() -> None:
    assert clean("What DOESN’T work?!  Thérapeutic…") == "what doesnt work therapeutic"


def test_emoji_are_dropped_or_read() -> None:
    assert clean("🚓🚨 scare tactics 🤔") == "scare tactics"
    assert clean("👋") == "hello"


def test_long_input_is_cut_at_a_word_boundary() -> None:
    text = "mentoring " * 4000  # 40,000 characters
    cut = clean(text)
    assert len(cut) <= MAX_CHARS
    assert cut.split() == ["mentoring"] * len(cut.split())


def test_empty_and_whitespace() -> None:
    assert clean("") == ""
    assert clean(" \n\t ") == ""


def test_analyzer_drops_stop_words_and_conflates() -> None:
    analyzer = Analyzer()
    assert analyzer.analyse("What do the kids think of cops?") == ["youth", "polic"]
    assert analyzer.analyse("behavior programs") == analyzer.analyse("behaviour programmes")


def test_negations_become_one_word() -> None:
    analyzer = Analyzer()
    assert analyzer.analyse("doesn't work") == analyzer.analyse("does not work") == ["not", "work"]


def test_who_is_asking_is_not_part_of_the_question() -> None:
    from bot.engine.normalize import strip_lead_in

    assert strip_lead_in("licensing officer: if the pubs shut") == "if the pubs shut"
    assert strip_lead_in("sgt here - does it work") == "does it work"
    assert strip_lead_in("CCTV: does it work?") == "CCTV: does it work?"  # a topic, kept
    assert strip_lead_in("hot spots - any good?") == "hot spots - any good?"
