"""Hypothesis strategies for what an attacker, a broken proxy or a buggy Slack could send."""

from __future__ import annotations

import json
import time
from typing import Any

from hypothesis import strategies as st

from tests.slack.raw_http import FORM, JSON, form, interaction
from tests.stand_in import payloads

#: Printable ASCII: what http.client will put in a header without complaint.
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            JSON,
            FORM,
            "text/plain",
            "",
            "application/json; charset=utf-16",
            "application/JSON",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded; charset=latin-1",
        ]
    ),
    HEADER_TEXT,
)
#: Any JSON value (small).
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
#: JSON values the guard's type table does not allow for a field expecting a string or object.
NOT_TEXT = st.one_of(
    st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(st.integers(), max_size=3)
)


def real_payloads(response_url: str) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """What Slack really sends, each with how it is posted (JSON or form)."""
    return st.sampled_from(
        [
            (payloads.event_callback(payloads.dm_message("drug courts")), "event"),
            (payloads.event_callback(payloads.app_mention()), "event"),
            (payloads.slash_command("mentoring", response_url=response_url), "command"),
            (
                payloads.block_actions("more_detail", "drug-courts", response_url=response_url),
                "interaction",
            ),
            (
                payloads.message_action("check_with_toolkit", response_url=response_url),
                "interaction",
            ),
        ]
    )


def encode(payload: dict[str, Any], how: str) -> tuple[bytes, str]:
    """The body and content type Slack would use."""
    if how == "event":
        return json.dumps(payload).encode(), JSON
    if how == "command":
        return form(payload), FORM
    return interaction(payload), FORM


@st.composite
def truncated_json(draw: st.DrawFn) -> bytes:
    """A real event cut short (never a complete object)."""
    body = json.dumps(payloads.event_callback(payloads.dm_message("drug courts"))).encode()
    return body[: draw(st.integers(min_value=1, max_value=len(body) - 1))]


@st.composite
def deep_nesting(draw: st.DrawFn) -> bytes:
    """An object nested deeper than the guard allows (up to far past Python's recursion limit)."""
    levels = draw(st.integers(min_value=33, max_value=20_000))
    opener, closer = draw(st.sampled_from([(b'{"a":', b"}"), (b"[", b"]")]))
    inner = opener * levels + b"1" + closer * levels
    return inner if opener == b'{"a":' else b'{"a":' + inner + b"}"


@st.composite
def wrong_encoding(draw: st.DrawFn) -> bytes:
    """A real event in an encoding that is not UTF-8 (with something only UTF-8 would differ on)."""
    event = payloads.event_callback(
        payloads.dm_message("café ‘quotes’ " + draw(st.text(max_size=10)))
    )
    text = json.dumps(event, ensure_ascii=False)
    return text.encode(draw(st.sampled_from(["utf-16", "utf-32", "cp1252"])), errors="replace")


@st.composite
def wrongly_typed(draw: st.DrawFn) -> bytes:
    """A real event whose envelope or event field has a type Slack never sends."""
    body = payloads.event_callback(payloads.dm_message("drug courts"))
    where = draw(st.sampled_from(["envelope", "event"]))
    if where == "envelope":
        key = draw(
            st.sampled_from(["type", "team_id", "event_id", "team", "authorizations", "event"])
        )
        body[key] = draw(
            NOT_TEXT if key not in ("authorizations", "event") else st.text(max_size=5)
        )
    else:
        key = draw(st.sampled_from(["type", "channel", "user", "text", "ts", "thread_ts"]))
        body["event"][key] = draw(NOT_TEXT)
    return json.dumps(body).encode()


def malformed_bodies() -> st.SearchStrategy[tuple[bytes, str]]:
    """Signed bodies that must each get a 400, with the content type they are sent with."""
    json_bodies = st.one_of(
        truncated_json(),
        deep_nesting(),
        wrong_encoding(),
        wrongly_typed(),
        JSON_VALUES.filter(lambda v: not isinstance(v, dict)).map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=2000).map(lambda b: b"\xff" + b),  # never UTF-8
    )
    forms = st.one_of(
        st.dictionaries(
            st.sampled_from(["a", "text", "team_id", "token"]), st.text(max_size=20), max_size=4
        ).map(form),
        st.text(max_size=50)
        .filter(lambda t: not _json_object(t))
        .map(lambda t: form({"payload": t})),
    )
    return st.one_of(
        st.tuples(json_bodies, st.just(JSON)),
        st.tuples(forms, st.just(FORM)),
        st.tuples(
            st.just(b'{"type": "event_callback"}'), st.sampled_from(["text/plain", "", FORM])
        ),
    )


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def any_bodies() -> st.SearchStrategy[bytes]:
    """Any bytes at all, including real bodies and the malformed ones."""
    return st.one_of(st.binary(max_size=4000), malformed_bodies().map(lambda pair: pair[0]))


def bad_signatures() -> st.SearchStrategy[dict[str, str]]:
    """Signature headers that never verify: missing, random, stale, future or wrongly keyed."""
    now = int(time.time())
    timestamps = st.one_of(
        HEADER_TEXT,
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.integers(min_value=301, max_value=10**6).map(lambda d: str(now - d)),
        st.integers(min_value=301, max_value=10**6).map(lambda d: str(now + d)),
        st.just(str(now)),
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "X-Slack-Request-Timestamp": timestamps,
            "X-Slack-Signature": st.one_of(HEADER_TEXT, st.just("v0=" + "0" * 64)),
        },
    )


def mutated_payloads(response_url: str) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """A real payload with keys removed or changed (never response_url: it is the stand-in's)."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
        payload, how = draw(real_payloads(response_url))
        payload = json.loads(json.dumps(payload))
        target = payload["event"] if how == "event" and draw(st.booleans()) else payload
        for key in draw(st.lists(st.sampled_from(sorted(target)), max_size=3)):
            if key == "response_url":
                continue
            if draw(st.booleans()):
                target.pop(key, None)
            else:
                target[key] = draw(JSON_VALUES) if how != "command" else draw(st.text(max_size=20))
        return payload, how

    return build()


def mutated(response_url: str) -> st.SearchStrategy[tuple[bytes, str]]:
    """Mutated real payloads as HTTP bodies."""
    return mutated_payloads(response_url).map(lambda pair: encode(*pair))


ENVELOPE_OF = {"event": "events_api", "command": "slash_commands", "interaction": "interactive"}


def mutated_envelopes(response_url: str) -> st.SearchStrategy[str]:
    """Mutated real payloads in well-formed envelopes, as WebSocket text."""
    return st.tuples(mutated_payloads(response_url), st.uuids()).map(
        lambda case: json.dumps(
            {"envelope_id": str(case[1]), "type": ENVELOPE_OF[case[0][1]], "payload": case[0][0]}
        )
    )


# -- Socket Mode ------------------------------------------------------------------------------


def real_envelopes(response_url: str) -> st.SearchStrategy[dict[str, Any]]:
    """Envelopes as Slack sends them over the WebSocket."""
    bodies = [
        ("events_api", payloads.event_callback(payloads.dm_message("drug courts"))),
        ("slash_commands", payloads.slash_command("mentoring", response_url=response_url)),
        (
            "interactive",
            payloads.block_actions("more_detail", "drug-courts", response_url=response_url),
        ),
    ]
    return st.sampled_from(bodies).map(
        lambda pair: {
            "envelope_id": "env-fuzz",
            "type": pair[0],
            "payload": json.loads(json.dumps(pair[1])),
            "accepts_response_payload": False,
        }
    )


#: One way to spoil an envelope: (field, strategy for its new value); None removes the field.
SPOILS: list[tuple[str, st.SearchStrategy[Any]]] = [
    ("envelope_id", st.none()),
    (
        "envelope_id",
        NOT_TEXT
        | st.just("")
        | st.just("e" * 201)
        | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    ),
    ("payload", st.none()),
    ("payload", NOT_TEXT | st.text(max_size=20)),
    (
        "type",
        NOT_TEXT
        | st.text(max_size=12).filter(
            lambda t: (
                t not in ("hello", "disconnect", "events_api", "slash_commands", "interactive")
            )
        ),
    ),
    ("accepts_response_payload", st.integers() | st.text(min_size=1, max_size=5)),
    ("retry_attempt", st.text(max_size=5) | st.floats(allow_nan=False) | st.booleans()),
    ("retry_reason", NOT_TEXT),
]


@st.composite
def malformed_envelopes(draw: st.DrawFn, response_url: str) -> str:
    """A real envelope with one thing wrong, as the text sent on the WebSocket."""
    envelope = draw(real_envelopes(response_url))
    choice = draw(st.integers(min_value=0, max_value=len(SPOILS) + 1))
    if choice < len(SPOILS):
        key, values = SPOILS[choice]
        value = draw(values)
        if value is None:
            envelope.pop(key, None)
        else:
            envelope[key] = value
    elif choice == len(SPOILS):  # the payload itself is malformed
        payload = envelope["payload"]
        field = draw(
            st.sampled_from(["type", "team", "user", "channel", "event", "actions", "command"])
        )
        # a list is right for actions: give it anything else
        payload[field] = draw(NOT_TEXT if field != "actions" else st.integers() | st.text())
    else:
        nested = draw(deep_nesting()).decode()
        envelope["payload"] = {"type": "event_callback", "event": {"type": "message", "x": "@"}}
        return json.dumps(envelope).replace('"@"', nested)
    return json.dumps(envelope)


def malformed_messages(response_url: str) -> st.SearchStrategy[str]:
    """Anything the client must drop: garbage text, JSON non-objects, spoiled envelopes."""
    garbage = st.text(max_size=200).filter(lambda t: not _json_object(t))
    not_objects = JSON_VALUES.filter(lambda v: not isinstance(v, dict)).map(json.dumps)
    return st.one_of(garbage, not_objects, malformed_envelopes(response_url))
