"""Content: YAML knowledge entries and intents, validated into typed records."""

from __future__ import annotations

from pathlib import Path

from bot.content.loader import Content, load_content

__all__ = ["Content", "default_dir", "load_content"]

_PACKAGE = Path(__file__).resolve().parent.parent


def default_dir(name: str) -> Path:
    """Where the shipped `knowledge/` or `intents/` lives: beside the package, or inside a wheel."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name, Path.cwd() / name):
        if candidate.is_dir():
            return candidate
    return Path.cwd() / name
