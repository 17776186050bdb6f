"""The loader reports every problem with file, line, field and what was expected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import load_content
from bot.errors import ContentError

FIXTURES = Path(__file__).parent / "fixtures"
INTENTS = Path(__file__).resolve().parents[2] / "intents"


def knowledge_with(tmp_path: Path, *broken: str) -> Path:
    """A copy of the good fixture knowledge base with broken files dropped in."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "good", target)
    for name in broken:
        shutil.copy(FIXTURES / "broken" / name, target / name)
    return target


def problems(tmp_path: Path, *broken: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(knowledge_with(tmp_path, *broken), INTENTS)
    return [str(p).replace(f"{tmp_path}/knowledge/", "") for p in caught.value.problems]


def test_good_fixture_loads(tmp_path: Path) -> None:
    content = load_content(knowledge_with(tmp_path), INTENTS)
    assert [e.id for e in content.entries] == ["alpha-programme", "beta-approach"]
    alpha = content.entries[0]
    assert alpha.evidence is not None
    assert (alpha.evidence.quality[-1].dimension, alpha.evidence.quality[-1].label) == (
        "economic_cost",
        None,
    )
    assert alpha.evidence.badge.key == "reduction" and alpha.evidence.legacy_scores == (
        ("effect", 3),
    )
    assert alpha.links[0].inferred and alpha.details[1].url == "https://www.example.org/alpha"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "invalid-yaml.yaml",
            [
                "invalid-yaml.yaml:2: invalid YAML: found unexpected end of stream "
                "at line 4, column 1 (while scanning a quoted scalar starting at "
                "line 2, column 8)"
            ],
        ),
        ("empty.yaml", ["empty.yaml:1: the file is empty; expected a YAML mapping"]),
        (
            "wrong-types.yaml",
            [
                "wrong-types.yaml:2: title: expected text, got a list",
                "wrong-types.yaml:4: summary: expected text, got a number",
                "wrong-types.yaml:5: details: expected a list, got text",
            ],
        ),
        (
            "missing-fields.yaml",
            [
                "missing-fields.yaml:1: summary: is required but missing",
                "missing-fields.yaml:1: source: is required but missing",
                "missing-fields.yaml:1: reviewed: is required but missing",
            ],
        ),
        (
            "stem-mismatch.yaml",
            [
                "stem-mismatch.yaml:1: id: 'another-name' must equal the file "
                "name stem 'stem-mismatch'"
            ],
        ),
        (
            "bad-related.yaml",
            ["bad-related.yaml:8: related[1]: no entry has the id 'no-such-entry'"],
        ),
        (
            "bad-url.yaml",
            [
                "bad-url.yaml:7: details[0].url: 'not a url' is not a valid http(s) URL",
                "bad-url.yaml:11: source.url: 'https://production.copweb.aws.college."
                "police.uk/research/crime-reduction-toolkit/x' is a staging or bookmark "
                "address; link the www page",
            ],
        ),
        (
            "bad-date.yaml",
            [
                "bad-date.yaml:6: source.published: '2022-13-45' is not a valid date "
                "written YYYY-MM-DD",
                "bad-date.yaml:8: reviewed: 'yesterday' is not a valid date written YYYY-MM-DD",
            ],
        ),
        (
            "duplicate-question.yaml",
            [
                "alpha-programme.yaml:38: questions[0]: is also in entries: duplicate-question",
                "duplicate-question.yaml:7: questions[0]: is also in entries: alpha-programme",
            ],
        ),
        (
            "duplicate-id.yml",
            [
                "duplicate-id.yml:1: id: duplicate id 'alpha-programme': also used "
                "by {tmp}/knowledge/alpha-programme.yaml",
                "duplicate-id.yml:1: id: 'alpha-programme' must equal the file "
                "name stem 'duplicate-id'",
            ],
        ),
    ],
)
def test_each_class_of_error(tmp_path: Path, fixture: str, expected: list[str]) -> None:
    wanted = [e.replace("{tmp}", str(tmp_path)) for e in expected]
    assert problems(tmp_path, fixture) == [w.replace(f"{tmp_path}/knowledge/", "") for w in wanted]


def test_unknown_field_suggests_the_known_one(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, "unknown-field.yaml")
    assert problem.startswith(
        "unknown-field.yaml:5: detials: unknown field; did you mean 'details'?"
    )


def test_bad_values(tmp_path: Path) -> None:
    found = problems(tmp_path, "bad-values.yaml")
    assert "bad-values.yaml:1: id: 'Bad_Values' is not a kebab-case id such as drug-courts" in found
    assert (
        "bad-values.yaml:3: kind: 'gizmo' is not one of: intervention, approach, principle, "
        "example, context"
    ) in found
    assert "bad-values.yaml:5: summary: has 4 sentences; expected 1 to 3" in found
    assert "bad-values.yaml:1: id: 'Bad_Values' must equal the file name stem 'bad-values'" in found


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    every = sorted(p.name for p in (FIXTURES / "broken").iterdir())
    found = problems(tmp_path, *every)
    files = {line.split(":")[0] for line in found}
    assert files >= set(every)


def test_summary_over_the_limit(tmp_path: Path) -> None:
    target = knowledge_with(tmp_path)
    path = target / "beta-approach.yaml"
    path.write_text(
        path.read_text().replace(
            "summary: A made-up approach with only the required fields.",
            "summary: " + "x" * 401 + ".",
        )
    )
    with pytest.raises(ContentError) as caught:
        load_content(target, INTENTS)
    assert "is 402 characters; at most 400 allowed" in str(caught.value)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    target = knowledge_with(tmp_path)
    (target / "evil.yaml").write_text("id: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ContentError) as caught:
        load_content(target, INTENTS)
    assert "evil.yaml:1:" in str(caught.value)


def test_missing_directory_and_missing_intent(tmp_path: Path) -> None:
    intents = tmp_path / "intents"
    shutil.copytree(INTENTS, intents)
    (intents / "tip.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path / "nowhere", intents)
    text = str(caught.value)
    assert "nowhere: is not a directory of knowledge entry files" in text
    assert "the required intent 'tip' is missing" in text


def test_duplicate_intent_examples(tmp_path: Path) -> None:
    intents = tmp_path / "intents"
    shutil.copytree(INTENTS, intents)
    tip = intents / "tip.yaml"
    tip.write_text(tip.read_text().replace("  - tip\n", "  - tip\n  - hello\n", 1))
    with pytest.raises(ContentError) as caught:
        load_content(knowledge_with(tmp_path), intents)
    assert "examples[" in str(caught.value) and "is also in intents: greeting" in str(caught.value)


def test_grading_rules(tmp_path: Path) -> None:
    found = problems(tmp_path, "bad-grading.yaml")
    assert any(
        p.startswith("bad-grading.yaml:15: evidence.quality.effect: 'Excellent' is not one of")
        for p in found
    ), found
    assert "bad-grading.yaml:21: evidence.legacy_scores.effect: 7 is not between 0 and 4" in found


def test_grading_rules_across_fields(tmp_path: Path) -> None:
    target = knowledge_with(tmp_path, "bad-grading.yaml")
    path = target / "bad-grading.yaml"
    path.write_text(
        path.read_text()
        .replace("effect: Excellent", "effect: Strong")
        .replace("{effect: 7}", "{effect: 3}")
    )
    with pytest.raises(ContentError) as caught:
        load_content(target, INTENTS)
    found = [str(p).replace(f"{target}/", "") for p in caught.value.problems]
    assert any(
        p.startswith(
            "bad-grading.yaml:12: evidence.effect: 'Works brilliantly' is not an effect "
            "label our notes have seen"
        )
        for p in found
    ), found
    assert any("give exactly one of quality" in p for p in found), found
    assert (
        "bad-grading.yaml:10: instead[0]: 'beta-approach' is not better supported: an alternative "
        "must reduce crime on the toolkit's grading (or be on the guidance's list of what works)"
    ) in found
    assert "bad-grading.yaml:10: instead[1]: an entry cannot be its own alternative" in found


def test_a_missing_label_needs_a_finding_and_harm_needs_a_warning(tmp_path: Path) -> None:
    found = problems(tmp_path, "harm-without-warning.yaml", "ungraded-intervention.yaml")
    assert any(
        p.startswith(
            "harm-without-warning.yaml:11: evidence.finding: is required when effect is null"
        )
        for p in found
    ), found
    assert any("evidence.finding_from: is required when effect is null" in p for p in found)
    assert (
        "ungraded-intervention.yaml:3: kind: an intervention needs the toolkit's grading (evidence)"
    ) in found
    target = knowledge_with(tmp_path / "again", "harm-without-warning.yaml")
    path = target / "harm-without-warning.yaml"
    path.write_text(
        path.read_text().replace(
            "  effect: null\n", "  effect: null\n  finding: increase\n  finding_from: a test\n"
        )
    )
    with pytest.raises(ContentError) as caught:
        load_content(target, INTENTS)
    assert "must lead with a warning" in str(caught.value)
