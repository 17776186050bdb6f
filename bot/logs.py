"""Logging set-up: one format (text, or one JSON object per line), and tokens redacted from
every record.

LOG_FORMAT=json uses the standard library (json + a logging.Formatter, a dozen lines) rather
than python-json-logger: no dependency for it, and the finished line itself is redacted, so a
token can reach the log through no field at all (message, traceback, stack or extra fields).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from datetime import UTC, datetime
from typing import Any

_TOKEN = re.compile(r"\b(xox[abposre]|xapp)-[A-Za-z0-9-]+")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: The `extra=` key whose dict of fields a JSON line carries at its top level (the per-request
#: line: surface, kind, intent, latency_ms, status; see bot/slack/work.py).
FIELDS = "request"


def redact(text: str) -> str:
    """Hide Slack tokens in a string."""
    return _TOKEN.sub(lambda m: f"{m.group(1)}-[redacted]", text)


class RedactTokens(logging.Filter):
    """Rewrites any record whose message would show a Slack token."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler to report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:  # a traceback can quote a token too
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp (UTC, ISO 8601), level, logger, message, the
    record's request fields if any, and the exception as text. Newlines are escaped, so a
    traceback stays on its line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, FIELDS, None)
        if isinstance(fields, dict):
            entry.update({k: v for k, v in fields.items() if k not in entry})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Redacting the finished line cannot break it: a token holds no quote or backslash.
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


def setup_logging(level: str = "INFO", log_format: str = "text") -> None:
    """Log to stderr with timestamps (LOG_FORMAT=json: one JSON object per line); every
    handler redacts tokens."""
    logging.basicConfig(level=level, format=TEXT_FORMAT)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(RedactTokens())
        if log_format == "json":
            handler.setFormatter(JsonFormatter())
    if log_format == "json":  # what would otherwise reach stderr as plain text
        logging.captureWarnings(True)
        threading.excepthook = _log_thread_crash


def _log_thread_crash(args: threading.ExceptHookArgs) -> None:
    """An exception that ends a thread, as one JSON line instead of a bare traceback."""
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("toolkit_bot").error(
        "thread %s stopped by an exception", name, exc_info=args.exc_value
    )
