"""The import rules of the architecture: the engine is pure; only bot.slack talks to Slack."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
ENGINE_MAY_IMPORT = {"rapidfuzz", "numpy", "Stemmer", "bot"}
FORBIDDEN_IN_ENGINE = {"os", "yaml", "slack_bolt", "slack_sdk", "sqlalchemy", "time", "random"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((BOT / package).rglob("*.py")) if package else sorted(BOT.rglob("*.py"))


@pytest.mark.parametrize("path", modules("engine"), ids=lambda p: p.name)
def test_engine_is_pure(path: Path) -> None:
    for name in imports(path):
        top = name.split(".")[0]
        assert top not in FORBIDDEN_IN_ENGINE, f"{path.name} imports {name}"
        assert top in ENGINE_MAY_IMPORT or top in sys.stdlib_module_names, f"{path.name}: {name}"
        if top == "bot":
            assert name.startswith("bot.engine"), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", modules(""), ids=lambda p: str(p.relative_to(BOT)))
def test_only_the_slack_layer_imports_slack(path: Path) -> None:
    if path.relative_to(BOT).parts[0] in ("slack", "web.py", "serve.py"):
        return
    if path.relative_to(BOT).parts[:2] == ("store", "migrations"):
        return  # the OAuth tables are slack_sdk's own schema
    for name in imports(path):
        assert name.split(".")[0] not in ("slack_bolt", "slack_sdk"), f"{path} imports {name}"


@pytest.mark.parametrize("path", modules(""), ids=lambda p: str(p.relative_to(BOT)))
def test_only_settings_read_the_environment(path: Path) -> None:
    if path.name in ("config.py", "cli.py"):
        return
    assert "os.environ" not in path.read_text(encoding="utf-8"), path
