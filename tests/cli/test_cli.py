"""The command line, through the installed console script (a real subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine.models import INTENTS as INTENT_NAMES
from tests.conftest import INTENTS, KNOWLEDGE, ROOT, SHARED

SCRIPT = Path(sys.executable).with_name("toolkit-bot")


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def test_console_script_is_installed() -> None:
    assert SCRIPT.exists(), "install the project: pip install -e '.[dev]'"


def test_ask_prints_the_entry_with_its_source() -> None:
    result = run("ask", "do scare tactics work?")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "SCARE TACTICS" in out
    assert "College guidance: no or negative outcomes" in out
    assert "Source: Prevention and early intervention, College of Policing, 19 October 2022" in out
    assert "Related:" in out


def test_ask_toolkit_intervention_shows_ratings_and_link() -> None:
    out = run("ask", "what is a drug court?").stdout
    assert 'Toolkit effect label: "Overall reduction"' in out
    assert "Evidence quality (EMMIE):" in out and "Economic cost: No information" in out
    assert "Caveats:" in out and "All 60 studies come from the USA." in out
    assert "https://www.college.police.uk/research/crime-reduction-toolkit/drug-courts" in out


def test_ask_json() -> None:
    result = run("ask", "--json", "theraputic comunities")
    data = json.loads(result.stdout)
    assert data["intent"] == "answer" and data["entry"] == "therapeutic-communities"
    assert 0 <= data["score"] <= 100 and "reason" in data


def test_ask_declines_with_suggestions() -> None:
    out = run("ask", "what's for lunch").stdout
    assert "I don't have anything on that" in out
    assert "https://www.college.police.uk/research/crime-reduction-toolkit" in out


def test_ask_lists() -> None:
    out = run("ask", "what doesn't work").stdout
    assert "[scare-tactics]" in out and "[drug-courts]" not in out


def test_match_jsonl_contract() -> None:
    questions = ["do scare tactics work?", "", "what works", "qwerty", "drug courts"]
    result = run("match", "--jsonl", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    rows = [json.loads(line) for line in lines]
    for row in rows:
        assert set(row) == {"intent", "entry", "score", "alternatives"}
        assert row["intent"] in INTENT_NAMES
        assert (row["entry"] is None) == (row["intent"] != "answer")
        assert isinstance(row["score"], int) and 0 <= row["score"] <= 100
        assert isinstance(row["alternatives"], list)
    assert [r["entry"] for r in rows] == ["scare-tactics", None, None, None, "drug-courts"]
    assert [r["intent"] for r in rows][1:4] == ["fallback", "what-works", "fallback"]


def test_match_jsonl_answers_each_line_before_the_next_arrives() -> None:
    proc = subprocess.Popen(
        [str(SCRIPT), "match", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin and proc.stdout
    try:
        for question, entry in [("mentoring", "mentoring"), ("halfway houses", "halfway-houses")]:
            proc.stdin.write(question + "\n")
            proc.stdin.flush()
            assert json.loads(proc.stdout.readline())["entry"] == entry
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    assert proc.returncode == 0


def test_validate_passes_on_the_real_content() -> None:
    result = run("validate")
    assert result.returncode == 0
    assert result.stdout.startswith("OK: 47 entries and 8 intents are valid")


def test_validate_fails_on_a_broken_copy(tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, broken)
    path = broken / "drug-courts.yaml"
    text = path.read_text().replace("kind: intervention", "kind: intervension", 1)
    path.write_text(text.replace("reviewed:", "reveiwed:", 1))
    (broken / "mentoring.yaml").write_text("id: mentoring\ntitle: [broken\n")
    result = run("validate", "--knowledge", str(broken), "--intents", str(INTENTS))
    assert result.returncode == 1
    err = result.stderr
    assert f"{path}:" in err and "kind: 'intervension' is not one of" in err
    assert "reveiwed: unknown field; did you mean 'reviewed'?" in err
    assert "mentoring.yaml:2: invalid YAML" in err
    assert "no entry has the id 'mentoring'" in err
    assert result.stdout == ""


def test_nothing_starts_on_a_broken_knowledge_base(tmp_path: Path) -> None:
    result = run("ask", "mentoring", env={"KNOWLEDGE_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "holds no knowledge entry files" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_reports_and_enforces_the_threshold(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        '- {q: "drug courts", expect: drug-courts}\n'
        '- {q: "scare tactics", expect: mentoring}\n'
        '- {q: "hello", expect: [greeting, help]}\n'
        '- {q: "qwerty", expect: fallback}\n'
    )
    result = run("eval", str(questions))
    assert result.returncode == 0
    assert "overall accuracy 3/4 = 75.0%" in result.stdout
    assert "MISS  want mentoring" in result.stdout
    assert run("eval", str(questions), "--min-accuracy", "80").returncode == 1


@pytest.mark.skipif(not (SHARED / "eval" / "dev-questions.yaml").exists(), reason="no shared/")
def test_eval_dev_sample_meets_the_target() -> None:
    result = run("eval", str(SHARED / "eval" / "dev-questions.yaml"), "--min-accuracy", "98")
    assert result.returncode == 0, result.stdout


def test_chat_answers_until_quit() -> None:
    result = run("chat", stdin="drug courts\nhello\nquit\nnever reached\n")
    assert result.returncode == 0
    assert "DRUG COURTS" in result.stdout and "Hello." in result.stdout


def test_python_dash_m_bot() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "mentoring"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert json.loads(result.stdout)["entry"] == "mentoring"


def test_usage_error_exits_2() -> None:
    assert run("nonsense").returncode == 2


def test_a_reader_that_leaves_early_gets_no_traceback() -> None:
    """`toolkit-bot ask ... | head -0`: the pipe closes before the answer is written."""
    script = subprocess.Popen(
        [str(SCRIPT), "ask", "does scared straight work?"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert script.stdout is not None and script.stderr is not None
    script.stdout.close()  # the reader leaves while the engine is still loading
    errors = script.stderr.read().decode()
    assert script.wait(timeout=60) == 0
    assert "Traceback" not in errors and "BrokenPipe" not in errors
