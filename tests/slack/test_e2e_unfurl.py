"""Link unfurling in both modes: covered toolkit pages unfurl, anything else is left alone."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.models import VERDICT_LABELS
from tests.slack.conftest import Bot, quiet, shown
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import CHANNEL

DRUG_COURTS = "https://www.college.police.uk/research/crime-reduction-toolkit/drug-courts"
NOT_COVERED = [
    "https://www.college.police.uk/research/crime-reduction-toolkit/body-worn-cameras",
    "https://www.college.police.uk/research/crime-reduction-toolkit",  # cited by many entries
    "https://example.com/drug-courts",
]


def test_covered_link_unfurls_with_title_and_verdict(
    bot: Bot, fake: FakeSlack, engine: Engine
) -> None:
    event = payloads.link_shared(DRUG_COURTS)
    assert bot.event(event).status == 200
    [call] = fake.wait_for("chat.unfurl", timeout=10)
    assert call.ok, (call.response, call.reasons)
    assert call.params["channel"] == CHANNEL
    assert call.params["ts"] == event["message_ts"]
    assert list(call.params["unfurls"]) == [DRUG_COURTS]
    card = shown(call.params["unfurls"][DRUG_COURTS]["blocks"])
    entry = engine.by_id["drug-courts"]
    assert f"*{entry.title}*" in card
    assert VERDICT_LABELS["works"] in card


def test_only_the_covered_link_of_several_unfurls(bot: Bot, fake: FakeSlack) -> None:
    assert bot.event(payloads.link_shared([*NOT_COVERED, DRUG_COURTS])).status == 200
    [call] = fake.wait_for("chat.unfurl", timeout=10)
    assert call.ok
    assert list(call.params["unfurls"]) == [DRUG_COURTS]


def test_links_the_knowledge_base_does_not_cover_are_not_unfurled(
    bot: Bot, fake: FakeSlack
) -> None:
    for url in NOT_COVERED:
        assert bot.event(payloads.link_shared(url)).status == 200
    quiet()
    assert fake.calls_to("chat.unfurl") == []
