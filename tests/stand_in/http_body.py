"""Turn an HTTP request body into Slack params the way Slack's servers read them."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

JSON_PARAMS = (
    "blocks",
    "attachments",
    "unfurls",
    "view",
    "metadata",
    "user_auth_blocks",
    "prompts",
    "loading_messages",
)


def parse_params(content_type: str, body: bytes, query: str = "") -> dict[str, Any]:
    """Merge query-string and body params; JSON-string fields become Python objects."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        params.update(_json_object(body))
    elif kind == "multipart/form-data":
        params.update(_multipart(content_type, body))
    elif body:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return decode_json_fields(params)


def _json_object(body: bytes) -> dict[str, Any]:
    """Decode a JSON body, tolerating emptiness."""
    if not body.strip():
        return {}
    value = json.loads(body.decode("utf-8"))
    return value if isinstance(value, dict) else {"_body": value}


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Read multipart/form-data fields (files are kept as bytes)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        if part.get_filename():
            fields[str(name)] = payload
        else:
            fields[str(name)] = payload.decode("utf-8")
    return fields


def decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    """Decode fields such as blocks/view/unfurls that form-encoded clients send as JSON text."""
    for key in JSON_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            with contextlib.suppress(json.JSONDecodeError):  # bad JSON stays text
                params[key] = json.loads(value)
    return params


def bearer_token(headers: Mapping[str, str], params: Mapping[str, Any]) -> str | None:
    """The token from `Authorization: Bearer …` or the `token` param."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    token = params.get("token")
    return str(token) if token else None


def basic_credentials(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """client_id and client_secret from `Authorization: Basic …`, if present."""
    auth = headers.get("authorization", "")
    if not auth.lower().startswith("basic "):
        return None
    try:
        raw = base64.b64decode(auth[6:].strip()).decode("utf-8")
    except ValueError:
        return None
    client_id, _, secret = raw.partition(":")
    return client_id, secret
