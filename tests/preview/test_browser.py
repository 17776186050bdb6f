"""The preview in a real browser: Debian's chromium driven by Selenium through chromedriver.

`toolkit-bot serve` runs as a new user starts it (no Slack variable, its own SQLite file); the
browser types questions and clicks buttons as a person would, once with JavaScript and once
without (the page has no script of its own: every answer is drawn on the server). Screenshots
of each step are saved in the test's tmp directory.

Nothing downloads a browser: these tests use /usr/bin/chromium and /usr/bin/chromedriver
(`apt-get install chromium chromium-driver`, as .ci/run does) and are skipped where they are
absent. `PREVIEW_SCREENSHOT=docs/preview.png .venv/bin/pytest tests/preview/test_browser.py`
also writes the README's screenshot there (with `fonts-noto-color-emoji` installed, so that
the emoji are drawn).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.preview.conftest import Served, start, stop

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WAIT = 20
SCARE = "Scare tactics and shock images"
SCARED_STRAIGHT = "'Scared Straight' programmes (prison visits for young people)"
README_SHOT = os.environ.get("PREVIEW_SCREENSHOT", "")


def _missing() -> str:
    absent = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).is_file()]
    if not absent:
        return ""
    return (
        f"browser tests skipped: {' and '.join(absent)} not found; install Debian's browser "
        "and its driver with `apt-get install chromium chromium-driver` (.ci/run does)"
    )


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    """The real console script, as the Quick start runs it: `toolkit-bot serve`, no Slack."""
    if _missing():
        pytest.skip(_missing())
    running = start()
    yield running
    if running.process.poll() is None:
        stop(running)


@pytest.fixture(scope="module", params=["javascript", "no-javascript"])
def browser(request: pytest.FixtureRequest, server: Served) -> Iterator[WebDriver]:
    """Headless chromium through the system chromedriver (Selenium Manager is never asked)."""
    pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[dev]')")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=en-GB",
    ):
        options.add_argument(flag)
    if request.param == "no-javascript":
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()


class Page:
    """What a person does on the preview page, and what they see."""

    def __init__(self, driver: WebDriver, served: Served, shots: Path) -> None:
        self.driver, self.served, self.shots = driver, served, shots
        self.taken = 0

    def open(self, path: str = "/") -> None:
        self.driver.get(self.served.url + path)

    def ask(self, question: str) -> WebElement:
        """Type into the message box and press Enter; the newest message once it has loaded."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        box = self.driver.find_element(By.CSS_SELECTOR, ".composer input[name=q]")
        box.clear()
        box.send_keys(question)
        return self._after(lambda: box.send_keys(Keys.ENTER), box)

    def click(self, label: str, within: WebElement | None = None) -> WebElement:
        """Click the button with this label (in `within`); the newest message afterwards."""
        from selenium.webdriver.common.by import By

        buttons = (within or self.driver).find_elements(By.CSS_SELECTOR, "a.sk-button")
        found = [b for b in buttons if b.text.strip() == label]
        assert found, f"no button {label!r} in {[b.text for b in buttons]}"
        return self._after(found[-1].click, found[-1])

    def _after(self, act: Any, old: WebElement) -> WebElement:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        act()
        WebDriverWait(self.driver, WAIT).until(ec.staleness_of(old))  # the next page is there
        return WebDriverWait(self.driver, WAIT).until(
            ec.presence_of_element_located((By.ID, "latest"))
        )

    def header(self, message: WebElement) -> str:
        from selenium.webdriver.common.by import By

        return str(message.find_element(By.CSS_SELECTOR, ".sk-header").text)

    def shot(self, name: str) -> Path:
        self.taken += 1
        path = self.shots / f"{self.taken:02d}-{name}.png"
        assert self.driver.save_screenshot(str(path)), path
        return path


@pytest.fixture
def page(browser: WebDriver, server: Served, tmp_path: Path) -> Page:
    return Page(browser, server, tmp_path)


def test_question_related_entry_and_follow_up(page: Page, browser: WebDriver) -> None:
    from selenium.webdriver.common.by import By

    page.open()
    assert "Toolkit Bot" in browser.title
    answer = page.ask("do scare tactics work?")
    assert page.header(answer) == SCARE
    assert "no or negative outcomes" in answer.text
    sources = answer.find_elements(By.CSS_SELECTOR, "a.sk-link")
    assert any(
        (a.get_attribute("href") or "").startswith("https://www.college.police.uk/")
        for a in sources
    ), [a.get_attribute("href") for a in sources]
    assert "Source: Prevention and early intervention, College of Policing" in answer.text
    page.shot("asked")

    opened = page.click(SCARED_STRAIGHT, answer)
    assert page.header(opened) == SCARED_STRAIGHT
    assert "Only visible to you" in opened.text
    clicks = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".msg-click")]
    assert clicks == [f"Opened “{SCARED_STRAIGHT}”"]
    page.shot("related-entry")

    follow_up = page.ask("how strong is the evidence?")
    assert follow_up.find_element(By.CSS_SELECTOR, ".sk-section strong").text == (
        f"How strong the evidence is: {SCARE}"
    )  # about the thread's entry: opening another entry does not change what it is about
    assert "College guidance" in follow_up.text
    first_button = follow_up.find_element(By.CSS_SELECTOR, "a.sk-button")
    assert first_button.text == f"Full answer: {SCARE}"
    asked = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".msg-user-text")]
    assert asked == ["do scare tactics work?", "how strong is the evidence?"]  # one thread
    assert len(browser.find_elements(By.CSS_SELECTOR, ".msg-bot")) == 3
    page.shot("follow-up")


def test_buttons_more_detail_and_feedback(page: Page) -> None:
    page.open("/?q=what+is+a+drug+court%3F")
    from selenium.webdriver.common.by import By

    answer = page.driver.find_element(By.ID, "latest")
    assert page.header(answer) == "Drug courts"
    detail = page.click("More detail", answer)
    assert page.header(detail) == "More detail: Drug courts"
    voted = page.click("👍 Helpful")
    note = voted.find_element(By.CSS_SELECTOR, ".note").text
    assert note.startswith("would record: helpful vote on entry:drug-courts")
    page.shot("feedback")


def test_share_shows_what_would_be_posted(page: Page) -> None:
    page.open()
    private = page.ask("/toolkit what is a drug court?")
    assert "Only visible to you" in private.text
    posted = page.click("Share in channel", private)
    assert "Posted in #your-channel" in posted.text
    assert page.header(posted) == "Drug courts"
    page.shot("shared")


def test_what_a_user_types_is_shown_never_run(page: Page, browser: WebDriver) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    nasty = '<script>alert("x")</script> <img src=x onerror=alert(1)> <!channel> scare tactics?'
    page.open()
    page.ask(nasty)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 (reading it is the check)
    shown = browser.find_elements(By.CSS_SELECTOR, ".msg-user-text")
    assert [m.text for m in shown] == [nasty]
    assert not browser.find_elements(By.CSS_SELECTOR, ".msg-user-text img, .sk-broadcast")
    page.shot("escaped")


def test_home_gallery_and_tips(page: Page, browser: WebDriver) -> None:
    from selenium.webdriver.common.by import By

    page.open("/home")
    assert browser.find_elements(By.CSS_SELECTOR, ".home-view .sk-header")
    page.open("/gallery")
    cards = browser.find_elements(By.CSS_SELECTOR, "section.card")
    assert len(cards) > 40
    builder = cards[0].find_element(By.CSS_SELECTOR, "a.builder").get_attribute("href") or ""
    assert builder.startswith("https://app.slack.com/block-kit-builder/#")
    page.shot("gallery")
    page.open("/tips")
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.card")) == 7


@pytest.mark.skipif(not README_SHOT, reason="set PREVIEW_SCREENSHOT=PATH to write the README's")
def test_readme_screenshot(page: Page, browser: WebDriver, request: pytest.FixtureRequest) -> None:
    if "no-javascript" in request.node.callspec.id:
        pytest.skip("one screenshot is enough")
    browser.set_window_size(1100, 960)
    page.open("/")
    page.ask("do scare tactics work?")
    browser.execute_script("window.scrollTo(0, 0)")
    Path(README_SHOT).parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(README_SHOT)
