"""The answer engine: pure, fast, and free of Slack, YAML, environment and clock."""

from bot.engine.answer import Engine, Thresholds, thread_context
from bot.engine.models import Answer, Detail, Entry, Evidence, Intent, Link, Source

__all__ = [
    "Answer",
    "Detail",
    "Engine",
    "Entry",
    "Evidence",
    "Intent",
    "Link",
    "Source",
    "Thresholds",
    "thread_context",
]
