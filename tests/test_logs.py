"""Logging: Slack tokens never reach the log, however they are passed."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import RedactTokens, redact, setup_logging

BOT = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp"
USER = "xoxp-1234-5678-9012-abcdef"
APP = "xapp-1-A0123-456789-abcdef0123"
TOKENS = (BOT, USER, APP)


def record(msg: object, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError(f"auth failed for {BOT}")
        except RuntimeError as error:
            exc_info = (type(error), error, error.__traceback__)
    return logging.LogRecord("toolkit_bot.test", logging.INFO, __file__, 1, msg, args, exc_info)


def filtered(rec: logging.LogRecord) -> logging.LogRecord:
    assert RedactTokens().filter(rec) is True  # never drops a record
    return rec


@pytest.mark.parametrize("token", TOKENS)
def test_redact_hides_each_kind_of_token(token: str) -> None:
    prefix = token.split("-")[0]
    assert redact(f"token={token} done") == f"token={prefix}-[redacted] done"


def test_redact_leaves_other_text_alone() -> None:
    for text in ("no tokens here", "xoxb without a dash", "boxoxb-", "https://slack.com/api/"):
        assert redact(text) == text
    assert redact(f"{BOT} and {APP}") == "xoxb-[redacted] and xapp-[redacted]"
    assert redact(f'{{"token": "{USER}"}}') == '{"token": "xoxp-[redacted]"}'


def test_filter_hides_a_token_in_the_message() -> None:
    rec = filtered(record(f"posting with {BOT}"))
    assert rec.getMessage() == "posting with xoxb-[redacted]"


@pytest.mark.parametrize("token", TOKENS)
def test_filter_hides_a_token_passed_as_a_percent_argument(token: str) -> None:
    rec = filtered(record("client %s for %s", token, "U123"))
    message = rec.getMessage()
    assert token not in message
    assert message.endswith("-[redacted] for U123")


def test_filter_hides_tokens_inside_argument_objects() -> None:
    rec = filtered(record("settings: %r", {"token": APP, "other": 1}))
    assert APP not in rec.getMessage()
    assert "'other': 1" in rec.getMessage()


def test_filter_leaves_clean_records_untouched() -> None:
    rec = filtered(record("answered %s in %d ms", "drug-courts", 12))
    assert (rec.msg, rec.args) == ("answered %s in %d ms", ("drug-courts", 12))


def test_filter_survives_a_broken_format_string() -> None:
    rec = filtered(record("two %s %s", "only-one"))
    with pytest.raises(TypeError):
        rec.getMessage()


def test_filter_hides_a_token_in_a_traceback() -> None:
    rec = filtered(record("failed", exc=True))
    assert rec.exc_text is not None
    assert BOT not in rec.exc_text
    assert "auth failed for xoxb-[redacted]" in rec.exc_text


@pytest.fixture
def bare_root() -> Iterator[logging.Logger]:
    """The root logger, its handlers and level restored afterwards (clear them in the test:
    pytest adds its capture handler after fixtures are set up)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield root
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = handlers
        root.setLevel(level)


def test_setup_logging_installs_the_filter(bare_root: logging.Logger) -> None:
    stream = io.StringIO()
    bare_root.handlers = []
    bare_root.addHandler(logging.StreamHandler(stream))
    setup_logging("DEBUG")
    assert all(
        any(isinstance(f, RedactTokens) for f in handler.filters) for handler in bare_root.handlers
    )
    logging.getLogger("toolkit_bot.anything").warning("token %s in %s", BOT, f"text {USER}")
    try:
        raise ValueError(APP)
    except ValueError:
        logging.getLogger("toolkit_bot.other").exception("failed")
    output = stream.getvalue()
    for token in TOKENS:
        assert token not in output
    assert "token xoxb-[redacted] in text xoxp-[redacted]" in output
    assert "ValueError: xapp-[redacted]" in output


def test_setup_logging_on_a_fresh_root_logs_to_stderr(
    bare_root: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    bare_root.handlers = []
    setup_logging("INFO")
    assert bare_root.level == logging.INFO
    assert len(bare_root.handlers) == 1
    logging.getLogger("toolkit_bot").info("bot token is %s", BOT)
    logging.getLogger("toolkit_bot").debug("not shown")
    err = capsys.readouterr().err
    assert BOT not in err
    assert "INFO toolkit_bot: bot token is xoxb-[redacted]" in err
    assert "not shown" not in err


# -- LOG_FORMAT=json ---------------------------------------------------------------------------


@pytest.fixture
def json_root(bare_root: logging.Logger) -> Iterator[io.StringIO]:
    """The real set-up with LOG_FORMAT=json, logging into a string."""
    stream = io.StringIO()
    bare_root.handlers = [logging.StreamHandler(stream)]
    bare_root.setLevel(logging.INFO)  # basicConfig leaves the level of a configured root alone
    hook = threading.excepthook
    try:
        setup_logging("INFO", "json")
        yield stream
    finally:
        threading.excepthook = hook
        logging.captureWarnings(False)


def json_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_logs_are_one_object_per_line(json_root: io.StringIO) -> None:
    log = logging.getLogger("toolkit_bot.work")
    log.info(
        "question from %s: answered",
        "dm",
        extra={"request": {"surface": "dm", "status": "answered", "latency_ms": 12.5}},
    )
    try:
        raise ValueError("two\nlines")
    except ValueError:
        log.exception("failed\nbadly")
    first, second = json_lines(json_root)
    assert first["level"] == "INFO" and first["logger"] == "toolkit_bot.work"
    assert first["message"] == "question from dm: answered"
    assert (first["surface"], first["status"], first["latency_ms"]) == ("dm", "answered", 12.5)
    assert str(first["timestamp"]).endswith("+00:00")
    assert second["level"] == "ERROR" and second["message"] == "failed\nbadly"
    assert "ValueError: two\nlines" in str(second["exception"])


def test_json_logs_redact_tokens_in_every_field(json_root: io.StringIO) -> None:
    log = logging.getLogger("toolkit_bot.other")
    log.warning("token %s", BOT, extra={"request": {"surface": APP}})
    try:
        raise RuntimeError(f"auth failed for {USER}")
    except RuntimeError:
        log.exception("failed with %s", APP, stack_info=True)
    output = json_root.getvalue()
    for token in TOKENS:
        assert token not in output
    first, second = json_lines(json_root)
    assert first["message"] == "token xoxb-[redacted]" and first["surface"] == "xapp-[redacted]"
    assert "auth failed for xoxp-[redacted]" in str(second["exception"])


def test_json_logs_take_warnings_and_thread_crashes_too(json_root: io.StringIO) -> None:
    import warnings

    warnings.warn(f"old token {BOT}", DeprecationWarning, stacklevel=1)

    def crash() -> None:
        raise RuntimeError(f"bad {APP}")

    thread = threading.Thread(target=crash, name="crasher")
    thread.start()
    thread.join()
    warned, crashed = json_lines(json_root)
    assert warned["logger"] == "py.warnings" and "old token xoxb-[redacted]" in str(
        warned["message"]
    )
    assert crashed["message"] == "thread crasher stopped by an exception"
    assert "RuntimeError: bad xapp-[redacted]" in str(crashed["exception"])


# -- the session's scan for secrets (tests/log_scan.py, run from tests/conftest.py) ------------


def test_the_session_scan_finds_an_unredacted_token_or_secret(tmp_path: Path) -> None:
    from tests.log_scan import SECRETS, leaks, scan_files

    planted = tmp_path / "bot" / "planted.txt"  # not *.log: the session's own scan skips it
    planted.parent.mkdir()
    planted.write_text(
        f"starting\nposting with {BOT}\nsigned with {SECRETS[0]}\nxoxb-[redacted] is fine\n",
        encoding="utf-8",
    )
    found = scan_files(tmp_path, "*.txt")
    assert [f.split(" ", 1)[1].split(":")[0] for f in found] == ["line 2", "line 3"]
    assert BOT not in " ".join(found) and SECRETS[0] not in " ".join(found)
    assert leaks(redact(planted.read_text()), shapes=False) == [found[1].split(" ", 1)[1]]


def test_what_the_real_setup_writes_passes_the_session_scan(
    bare_root: logging.Logger, tmp_path: Path
) -> None:
    from tests.log_scan import scan_files

    hook = threading.excepthook  # LOG_FORMAT=json replaces it
    for log_format in ("text", "json"):
        path = tmp_path / f"{log_format}.txt"
        bare_root.handlers = [logging.FileHandler(path, encoding="utf-8")]
        setup_logging("INFO", log_format)
        log = logging.getLogger("toolkit_bot.scan")
        log.warning("client for %s", BOT, extra={"request": {"token": APP}})
        try:
            raise RuntimeError(f"invalid_auth for {USER}")
        except RuntimeError:
            log.exception("failed")
        bare_root.handlers[0].close()
        assert "[redacted]" in path.read_text()
    logging.captureWarnings(False)
    threading.excepthook = hook
    assert scan_files(tmp_path, "*.txt") == []
