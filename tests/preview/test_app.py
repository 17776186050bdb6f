"""The preview app through WSGI: conversations replayed from the URL, buttons, pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from bot.engine import Engine
from bot.engine.tips import pick_tip
from bot.preview.app import PreviewApp
from bot.slack.home import home_view
from bot.slack.replies import compose, entry_reply
from tests.conftest import INTENTS, KNOWLEDGE
from tests.preview.conftest import MONDAY, Page, call
from tests.preview.dom import Node

BUILDER = "https://app.slack.com/block-kit-builder/#"


def ask(app: PreviewApp, *questions: str) -> Page:
    page = call(app, "/?" + urlencode({"q": questions[0]}))
    for question in questions[1:]:
        page = submit(app, page, question)
    return page


def submit(app: PreviewApp, page: Page, question: str) -> Page:
    """What the browser sends when the composer's form is submitted."""
    form = page.dom.one("form")
    fields = [(i.attrs["name"], i.attrs["value"]) for i in form.all("input", type="hidden")]
    return call(
        app, form.attrs["action"].split("#")[0] + "?" + urlencode([*fields, ("q", question)])
    )


def click(app: PreviewApp, page: Page, text: str, node: Node | None = None) -> Page:
    """Follow the last button whose label is `text`."""
    found = [a for a in (node or page.dom).all("a", "sk-button") if a.text() == text]
    assert found, f"no button {text!r}"
    return call(app, found[-1].attrs["href"])


def bot_messages(page: Page) -> list[Node]:
    return page.dom.all("div", "msg-bot")


def latest(page: Page) -> Node:
    return page.dom.one(id="latest")


def test_first_question_from_the_url_is_answered_on_the_server(
    app: PreviewApp, engine: Engine
) -> None:
    page = ask(app, "do scare tactics work?")
    assert page.status == "200 OK"
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'none'
    assert page.dom.one("div", "msg-user").text().endswith("do scare tactics work?")
    card = latest(page)
    assert card.one(cls="sk-header").text() == "Scare tactics and shock images"
    assert not page.dom.all("script")


def test_the_answer_is_the_slack_reply(app: PreviewApp, engine: Engine) -> None:
    question = "do scare tactics work?"
    page = ask(app, question)
    expected = compose(engine.answer(question), engine, question)
    link = latest(page).one("a", "builder").attrs["href"]
    assert link.startswith(BUILDER)
    assert json.loads(unquote(link.removeprefix(BUILDER))) == {"blocks": expected.blocks}
    assert latest(page).one(cls="fallback").text() == expected.text


def test_follow_up_keeps_the_thread(app: PreviewApp) -> None:
    page = ask(app, "what is a drug court?", "how strong is the evidence?")
    assert "How strong the evidence is: Drug courts" in latest(page).text()
    assert len(page.dom.all("div", "msg-user")) == 2
    fresh = ask(app, "how strong is the evidence?")  # no thread: not about drug courts
    assert "Drug courts" not in latest(fresh).text()


def test_related_button_opens_that_entry_in_the_same_conversation(app: PreviewApp) -> None:
    page = ask(app, "do scare tactics work?")
    title = "'Scared Straight' programmes (prison visits for young people)"
    opened = click(app, page, title)
    assert opened.dom.one(cls="msg-click").text() == f"Opened “{title}”"
    card = latest(opened)
    assert card.one(cls="sk-header").text() == title
    assert card.one(cls="only-you").text() == "Only visible to you"
    assert len(bot_messages(opened)) == 2  # the first answer is still there
    # As in Slack, opening an entry does not change what the thread is about: a new question does.
    after = submit(app, submit(app, opened, "what is a drug court?"), "how strong is the evidence?")
    assert "How strong the evidence is: Drug courts" in latest(after).text()


def test_did_you_mean_and_more_detail(app: PreviewApp, engine: Engine) -> None:
    detail = click(app, ask(app, "what is a drug court?"), "More detail")
    assert latest(detail).one(cls="sk-header").text() == "More detail: Drug courts"
    vague = ("what about school", "police", "what about schools?", "school stuff")
    question = next(
        (
            q
            for q in vague
            if engine.answer(q).intent == "fallback" and engine.answer(q).alternatives
        ),
        None,
    )
    assert question is not None, "none of these vague questions declines with suggestions now"
    first = engine.answer(question).alternatives[0]
    picked = click(app, ask(app, question), first.title[:75])
    assert latest(picked).one(cls="sk-header").text() == first.title


def test_feedback_says_what_would_be_recorded(app: PreviewApp) -> None:
    page = ask(app, "what is a drug court?")
    up = click(app, page, "👍 Helpful")
    assert latest(up).one(cls="note").text() == (
        'would record: helpful vote on entry:drug-courts for the question "what is a drug court?"'
    )
    assert "Thanks for the feedback" in latest(up).text()
    down = click(app, page, "👎 Not helpful")
    notes = [n.text() for n in down.dom.all(cls="note")]
    assert notes[-1].startswith("would record: not helpful vote on entry:drug-courts")
    modal = down.dom.one(cls="modal-inline")
    assert "What were you looking for?" in modal.text() and modal.one("textarea")


def test_share_shows_the_message_posted_in_the_channel(app: PreviewApp) -> None:
    page = ask(app, "/toolkit what is a drug court?")
    private = latest(page)
    assert private.one(cls="only-you") and page.dom.one("div", "msg-user").text().endswith(
        "/toolkit what is a drug court?"
    )
    shared = click(app, page, "Share in channel")
    posted = latest(shared)
    assert posted.one(cls="posted").text() == "Posted in #your-channel"
    assert posted.one(cls="sk-header").text() == "Drug courts"
    assert "Shared by @U0PREVIEW from Toolkit Bot" in posted.text()
    assert not [b for b in posted.all("a", "sk-button") if b.text() == "Share in channel"]


def test_slash_command_words(app: PreviewApp) -> None:
    page = ask(app, "/toolkit what works")
    assert latest(page).one(cls="sk-header").text() == "What works"


def test_compare_buttons_open_each_side(app: PreviewApp) -> None:
    page = ask(app, "compare drug courts and therapeutic communities")
    opened = click(app, page, "Therapeutic communities (TCs)")
    assert latest(opened).one(cls="sk-header").text() == "Therapeutic communities (TCs)"


def test_questions_are_text_never_markup(app: PreviewApp) -> None:
    nasty = '<script>alert("x")</script> <!channel> <@U123> &amp; "q" do scare tactics work?'
    page = ask(app, nasty)
    assert not page.dom.all("script")
    assert page.dom.one("div", "msg-user").one(cls="msg-user-text").text() == nasty
    assert not page.dom.all(cls="sk-broadcast")
    assert '<script>alert("x")</script>' not in page.body
    hidden = page.dom.one("form").all("input", type="hidden")
    assert hidden[-1].attrs["value"] == "ask:" + nasty  # round-trips through the form intact


def test_unknown_and_oversized_turns(app: PreviewApp) -> None:
    page = call(
        app, "/?" + urlencode([("t", "rm:-rf"), ("t", "open:no-such-entry"), ("t", "up:[1]")])
    )
    assert page.status == "200 OK"
    assert "(not in the knowledge base)" in page.dom.text()
    assert "cannot read" in page.dom.text()
    huge = call(app, "/?" + urlencode({"q": "x" * 300_000}))
    assert huge.status.startswith("414")


def test_home_tab_and_its_modals(app: PreviewApp, engine: Engine) -> None:
    page = call(app, "/home")
    view = home_view(engine)
    link = page.dom.one("a", "builder").attrs["href"]
    assert json.loads(unquote(link.removeprefix(BUILDER))) == view
    opened = click(app, page, "Drug courts")
    modal = opened.dom.one(cls="modal")
    assert modal.one(cls="sk-header").text() == "Drug courts"
    assert modal.one(cls="modal-title").one("a").attrs["href"] == "/home"
    voted = click(app, opened, "👍 Helpful", modal)
    assert "Thanks for the feedback" in voted.dom.one(cls="modal").text()
    assert (
        voted.dom.one(cls="note")
        .text()
        .startswith("would record: helpful vote on entry:drug-courts")
    )


def test_gallery_shows_every_card_with_its_builder_link(app: PreviewApp, engine: Engine) -> None:
    page = call(app, "/gallery")
    cards = page.dom.all("section", "card")
    assert len(cards) == len(engine.entries)
    assert not page.dom.all(cls="problems")
    first = sorted(engine.entries, key=lambda e: e.id)[0]
    expected = entry_reply(first, engine, first.title, shareable=False)
    link = cards[0].one("a", "builder").attrs["href"]
    assert json.loads(unquote(link.removeprefix(BUILDER))) == {"blocks": expected.blocks}
    opened = cards[0].all("a", "sk-button")[0].attrs["href"]
    assert urlsplit(opened).path == "/"


def test_gallery_lists_validation_problems_of_a_broken_knowledge_base(
    engine: Engine, tmp_path: Path
) -> None:
    broken = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, broken)
    path = broken / "drug-courts.yaml"
    path.write_text(path.read_text().replace("kind: intervention", "kind: intervension", 1))
    (broken / "empty.yaml").write_text("")
    page = call(PreviewApp(engine, broken, INTENTS), "/gallery")
    problems = [li.text() for li in page.dom.one(cls="problems").all("li")]
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if t.startswith("kind:"))
    assert any(p.startswith(f"{path}:{line}: kind: ") for p in problems), problems
    assert any(p.startswith(f"{broken / 'empty.yaml'}") for p in problems), problems
    cards = page.dom.all("section", "card")
    assert len(cards) == len(engine.entries) - 1  # every file that passed its own checks
    assert "entry-drug-courts" not in [c.attrs["id"] for c in cards]
    assert f"The {len(cards)} cards below" in page.dom.one(cls="problems").text()


def test_a_preview_started_on_a_broken_knowledge_base_says_so(
    engine: Engine, tmp_path: Path
) -> None:
    from bot.preview.content import load_lenient

    broken = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, broken)
    (broken / "drug-courts.yaml").write_text("id: drug-courts\ntitle: [broken\n")
    loaded = load_lenient(broken, INTENTS)
    assert any("drug-courts.yaml:2: invalid YAML" in p for p in loaded.problems), loaded.problems
    assert "drug-courts" not in loaded.engine.by_id
    assert len(loaded.engine.entries) == len(engine.entries) - 1
    app = PreviewApp(loaded.engine, broken, INTENTS, problems=loaded.problems)
    page = ask(app, "do scare tactics work?")
    banner = page.dom.one(cls="problems")
    assert f"has {len(loaded.problems)} problem(s)" in banner.text()
    assert banner.one("a").attrs["href"] == "/gallery"
    assert latest(page).one(cls="sk-header").text() == "Scare tactics and shock images"
    assert load_lenient(KNOWLEDGE, INTENTS).problems == ()


def test_gallery_reloads_edits(engine: Engine, tmp_path: Path) -> None:
    edited = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, edited)
    path = edited / "drug-courts.yaml"
    path.write_text(
        path.read_text().replace("title: Drug courts", "title: Drug courts (edited)", 1)
    )
    page = call(PreviewApp(engine, edited, INTENTS), "/gallery")
    assert "Drug courts (edited)" in [h.text() for h in page.dom.all(cls="sk-header")]


def test_tips_for_the_next_seven_days(app: PreviewApp, engine: Engine) -> None:
    page = call(app, "/tips")
    cards = page.dom.all("section", "card")
    assert len(cards) == 7
    assert cards[0].attrs["id"] == f"tip-{MONDAY.isoformat()}"
    tip = pick_tip(engine.entries, MONDAY.toordinal())
    assert tip is not None
    assert cards[0].one(cls="card-head").text().startswith(f"Monday 2 March 2026 · {tip.title}")
    opened = click(app, page, "Tell me more", cards[0])
    assert latest(opened).one(cls="sk-header").text() == tip.title


def test_health_not_found_and_methods(app: PreviewApp) -> None:
    health = call(app, "/healthz")
    assert (health.status, health.body) == ("200 OK", "ok\n")
    assert call(app, "/nowhere").status == "404 Not Found"
    assert call(app, "/", method="POST").status == "405 Method Not Allowed"
    head = call(app, "/", method="HEAD")
    assert head.status == "200 OK" and head.body == ""
    query = parse_qs(
        urlsplit(ask(app, "what works").dom.all("a", "sk-button")[0].attrs["href"]).query
    )
    assert query["t"][0] == "ask:what works" and query["t"][1].startswith("open:")
