"""Unfurling: a shared toolkit link maps to the one entry that cites it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import Engine, Link
from bot.slack.blocks import unfurl_blocks
from bot.slack.text import escape
from bot.slack.unfurl import Unfurler, entry_urls, url_key
from tests.slack.test_blocks import shown
from tests.stand_in.block_limits import violations

TOOLKIT = "https://www.college.police.uk/research/crime-reduction-toolkit"
PAGES = {
    "drug-courts": f"{TOOLKIT}/drug-courts",
    "halfway-houses": f"{TOOLKIT}/halfway-house-programmes",
    "mentoring": f"{TOOLKIT}/mentoring",
    "therapeutic-communities": f"{TOOLKIT}/therapeutic-communities",
}
LEGACY = "https://whatworks.college.police.uk/toolkit/Pages/Intervention.aspx?InterventionID="


@pytest.fixture(scope="module")
def unfurler(engine: Engine) -> Unfurler:
    return Unfurler(engine.entries)


KEY = "college.police.uk/research/crime-reduction-toolkit/drug-courts"


@pytest.mark.parametrize(
    "url",
    [
        f"{TOOLKIT}/drug-courts",
        "https://college.police.uk/research/crime-reduction-toolkit/drug-courts",
        "http://www.college.police.uk/research/crime-reduction-toolkit/drug-courts",
        "http://college.police.uk/research/crime-reduction-toolkit/drug-courts/",
        "https://WWW.College.Police.UK/Research/Crime-Reduction-Toolkit/Drug-Courts",
        f"{TOOLKIT}/drug-courts?utm_source=twitter&utm_medium=social",
        f"{TOOLKIT}/drug-courts/#evidence",
        f"<{TOOLKIT}/drug-courts>",
        f"  {TOOLKIT}/drug-courts \n",
        "https://www.college.police.uk:443/research/crime-reduction-toolkit/drug-courts",
    ],
)
def test_url_key_ignores_what_does_not_change_the_page(url: str) -> None:
    assert url_key(url) == KEY


@pytest.mark.parametrize(
    "url",
    [
        f"{LEGACY}34",
        "http://whatworks.college.police.uk/toolkit/Pages/Intervention.aspx?InterventionID=34",
        "https://whatworks.college.police.uk/toolkit/pages/intervention.aspx?interventionid=34",
        f"{LEGACY}34&utm_source=x",
        "https://whatworks.college.police.uk/toolkit/Pages/Intervention.aspx?a=1&InterventionID=34",
        f"{LEGACY}34&amp;utm_source=x",
    ],
)
def test_url_key_keeps_the_intervention_id(url: str) -> None:
    assert url_key(url) == (
        "whatworks.college.police.uk/toolkit/pages/intervention.aspx?interventionid=34"
    )


def test_url_key_tells_interventions_apart() -> None:
    assert url_key(f"{LEGACY}34") != url_key(f"{LEGACY}44")
    assert url_key(f"{LEGACY}34") != url_key(LEGACY.split("?")[0])


@pytest.mark.parametrize(
    "url",
    [
        "https://www.unodc.org/unodc/en/prevention/prevention-standards-first.html",
        "https://college.police.uk.evil.example/research/crime-reduction-toolkit/drug-courts",
        "https://evilcollege.police.uk/research/crime-reduction-toolkit/drug-courts",
        "https://example.com/?next=https://www.college.police.uk/research/crime-reduction-toolkit",
        "college.police.uk/research/crime-reduction-toolkit/drug-courts",
        "not a url",
        "",
        "http://[::1",
    ],
)
def test_url_key_ignores_other_domains(url: str) -> None:
    assert url_key(url) is None


def test_user_info_does_not_fool_the_host_check() -> None:
    assert url_key("https://www.college.police.uk@evil.example/drug-courts") is None
    assert url_key("https://evil.example@www.college.police.uk/x") == "college.police.uk/x"


@pytest.mark.parametrize(("entry_id", "url"), sorted(PAGES.items()))
def test_each_toolkit_intervention_page_maps_to_its_entry(
    unfurler: Unfurler, engine: Engine, entry_id: str, url: str
) -> None:
    assert engine.by_id[entry_id].source.url == url
    for variant in (url, url.replace("https://www.", "http://"), url + "/", url.upper()):
        found = unfurler.entry_for(variant)
        assert found is not None and found.id == entry_id, variant


def test_legacy_intervention_pages_map_to_their_entries(unfurler: Unfurler) -> None:
    for number, entry_id in (
        ("34", "drug-courts"),
        ("44", "mentoring"),
        ("2", "scared-straight"),
        ("1", "cctv"),
    ):
        found = unfurler.entry_for(f"{LEGACY}{number}&utm_campaign=x")
        assert found is not None and found.id == entry_id


def test_the_landing_page_cited_by_many_entries_is_not_unfurled(
    unfurler: Unfurler, engine: Engine
) -> None:
    citing = [
        e for e in engine.entries if any(url_key(u) == url_key(TOOLKIT) for u in entry_urls(e))
    ]
    assert len(citing) > 1
    for url in (
        TOOLKIT,
        TOOLKIT + "/",
        "http://college.police.uk/research/crime-reduction-toolkit",
    ):
        assert unfurler.entry_for(url) is None


def test_links_nobody_cites_or_other_domains_are_not_unfurled(unfurler: Unfurler) -> None:
    assert unfurler.entry_for(f"{TOOLKIT}/body-worn-cameras") is None
    assert unfurler.entry_for("https://www.unodc.org/unodc/en/prevention/") is None
    assert unfurler.entry_for("") is None


def test_domains_are_college_hosts(unfurler: Unfurler) -> None:
    assert unfurler.domains == {"college.police.uk", "whatworks.college.police.uk"}


def test_a_link_two_entries_share_is_skipped(engine: Engine) -> None:
    one, two = engine.by_id["drug-courts"], engine.by_id["mentoring"]
    shared = f"{TOOLKIT}/shared-page"
    one = replace(one, links=(*one.links, Link("Shared", shared)))
    two = replace(two, links=(*two.links, Link("Shared", shared.upper() + "/")))
    unfurler = Unfurler([one, two])
    assert unfurler.entry_for(shared) is None
    found = unfurler.entry_for(PAGES["drug-courts"])
    assert found is not None and found.id == "drug-courts"


def test_unfurl_cards_fit(engine: Engine) -> None:
    for entry in engine.entries:
        card = [blk.to_dict() for blk in unfurl_blocks(entry, engine.by_id, engine.version)]
        assert violations(card, surface="unfurl") == []
        body = [blk for blk in card if blk.get("block_id") != "warning"]
        assert escape(entry.title) in body[0]["text"]["text"]
        if entry.warning:
            assert card[0]["block_id"] == "warning"
        text = shown(card)
        for caveat in entry.evidence.caveats if entry.evidence else ():
            assert escape(caveat.text) in text
