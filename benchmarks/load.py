"""Load: signed @mentions and /toolkit commands at stepped rates against the real `toolkit-bot
serve`, in HTTP mode (gunicorn) and in Socket Mode, with the project's Slack stand-in.

Three kinds of process, as in production: the bot (`toolkit-bot serve`, and its gunicorn
workers); Slack's Web API (the stand-in, in this process: it records every answer the bot posts,
and when); and a load generator in a process of its own, which sends the requests at a fixed
rate (open loop: the next request goes at its time whether or not the last was acked) over a
pool of keep-alive connections, or, in Socket Mode, pushes envelopes down the WebSocket from a
Socket Mode server it runs itself (as Slack does). Per step it prints:

- ack p50/p99/max: HTTP response time, or in Socket Mode the time to the envelope's ack;
- answer p50/p99: request sent -> the stand-in holds the bot's chat.postMessage in that thread
  (a command's answer is in its ack: its ack time);
- lost (no answer by the end of the drain), dup (more than one answer in a thread), busy (the
  bot's "busy, try again" reply instead of an answer), over3 (acks slower than 3 s or failed);
- bot CPU % (of one core, summed over the gunicorn master and workers) and peak RSS; the stand-in's
  and the generator's CPU, since all three share the machine's cores;
- the generator's achieved rate and how late it sent (it must not be the bottleneck);
- p99 ratios against the first (lowest-rate) step, run in the same process.

A last row per HTTP run, `healthz`, is the floor: the same generator GETting /healthz at the
highest rate (gunicorn and the network, no Slack work).

Run: `.venv/bin/python benchmarks/load.py [--mode http|socket|both] [--rates 25,50,100]
[--seconds 10] [--quick] [--database-url postgresql://...] [--env NAME=VALUE ...]`.
The bot's database is a fresh SQLite file by default; with --database-url a fresh schema in it.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.stand_in import FakeSlack, payloads, sign  # noqa: E402
from tests.stand_in.defaults import BOT_USER_ID  # noqa: E402
from tests.stand_in.fixtures import SIGNING_SECRET  # noqa: E402
from tests.stand_in.interactions import slash_command  # noqa: E402
from tests.stand_in.records import Outcome  # noqa: E402
from tests.stand_in.socket_mode import SocketModeStandIn  # noqa: E402

SCRIPT = Path(sys.executable).with_name("toolkit-bot")
QUESTIONS = (
    "drug courts",
    "does cctv work",
    "hot spots policing",
    "mentoring",
    "boot camps",
    "do scare tactics work?",
    "street lighting",
    "restorative justice",
    "what works for burglary",
    "neighbourhood watch",
)
#: Mentions are spread over this many channels: Slack (and the bot's sender) pace each channel
#: to about a message a second, so a realistic load comes from many conversations at once.
CHANNELS = 600
BUSY_MARK = "busy"
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- what one request was, and how it went -------------------------------------------------


@dataclass
class Sent:
    """One request: when it was due, sent and acked (wall clock, shared by the processes)."""

    i: int
    kind: str  # mention | command | healthz
    channel: str
    ts: str
    due: float
    sent: float = 0.0
    ack: float | None = None  # seconds to the ack
    status: int = 0
    answer: str = ""  # a command's answer text (from its ack)
    error: str = ""


def plan(step: int, rate: float, seconds: float, commands: float, kind: str) -> list[Sent]:
    """The requests of one step: every `1/commands`-th a /toolkit command, the rest @mentions."""
    count = max(1, round(rate * seconds))
    every = round(1 / commands) if commands > 0 else 0
    found = []
    for i in range(count):
        is_command = kind == "slack" and every and i % every == every - 1
        what = kind if kind != "slack" else ("command" if is_command else "mention")
        channel = f"CLOAD{i % CHANNELS:04d}"
        ts = f"{1_750_000_000 + step * 10_000 + i // 1_000_000}.{i % 1_000_000:06d}"
        found.append(Sent(i, what, channel, ts, 0.0))
    return found


def question(sent: Sent) -> str:
    return QUESTIONS[sent.i % len(QUESTIONS)]


def event_body(sent: Sent) -> dict[str, Any]:
    event = payloads.app_mention(f"<@{BOT_USER_ID}> {question(sent)}", channel=sent.channel)
    event.update(ts=sent.ts, event_ts=sent.ts)
    return payloads.event_callback(event)


def command_form(sent: Sent, response_url: str) -> dict[str, str]:
    return slash_command(question(sent), channel_id=sent.channel, response_url=response_url)


def answer_of(body: Any) -> str:
    """The text of a command's answer in its ack (HTTP body or Socket Mode ack payload)."""
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body or b"{}")
        except ValueError:
            return ""
    if isinstance(body, dict) and "envelope_id" in body:
        body = body.get("payload") or {}
    return str(body.get("text") or "") if isinstance(body, dict) else ""


# -- the load generator (a process of its own) ----------------------------------------------


def generator(conn: Connection, mode: str, connections: int) -> None:
    """Serve steps sent over `conn` until told to stop (runs in the generator process)."""
    server: _Envelopes | None = None
    if mode == "socket":
        server = _Envelopes()
        server.start()
        conn.send(server.issue_url())
    while True:
        order = conn.recv()
        if order is None:
            break
        requests: list[Sent] = order["requests"]
        started = time.process_time()
        if server is not None:
            _socket_step(server, requests, order["rate"], order["response_url"])
        else:
            _http_step(order["url"], requests, order["rate"], connections, order["response_url"])
        conn.send({"requests": requests, "cpu": time.process_time() - started})
    if server is not None:
        server.stop()


def _bodies(sent: Sent, response_url: str) -> tuple[bytes, str, str]:
    """(body, content type, path) of one request."""
    if sent.kind == "mention":
        return json.dumps(event_body(sent)).encode(), "application/json", "/slack/events"
    if sent.kind == "command":
        body = urlencode(command_form(sent, response_url)).encode()
        return body, "application/x-www-form-urlencoded", "/slack/events"
    return b"", "", "/healthz"


def _http_step(
    url: str, requests: list[Sent], rate: float, connections: int, response_url: str
) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    bodies = [_bodies(s, response_url) for s in requests]
    todo: queue.SimpleQueue[int | None] = queue.SimpleQueue()

    def work() -> None:
        connection: http.client.HTTPConnection | None = None
        while (i := todo.get()) is not None:
            sent, (body, kind, path) = requests[i], bodies[i]
            stamp = str(int(time.time()))
            headers = {"Content-Type": kind} if kind else {}
            if body:
                headers.update(
                    {
                        "X-Slack-Request-Timestamp": stamp,
                        "X-Slack-Signature": sign(SIGNING_SECRET, stamp, body),
                    }
                )
            sent.sent = time.time()
            began = time.perf_counter()
            for attempt in (1, 2):  # a kept-alive link the server closed: once more, afresh
                fresh = connection is None
                if connection is None:
                    connection = http.client.HTTPConnection(host, port, timeout=10)
                try:
                    connection.request("POST" if body else "GET", path, body=body, headers=headers)
                    response = connection.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    connection.close()
                    connection = None
                    stale = isinstance(exc, (ConnectionError, http.client.RemoteDisconnected))
                    if attempt == 1 and not fresh and stale:
                        continue
                    sent.error = type(exc).__name__
                    break
                sent.ack, sent.status = time.perf_counter() - began, response.status
                if sent.kind == "command":
                    sent.answer = answer_of(data)
                if response.will_close:
                    connection.close()
                    connection = None
                break

    workers = [threading.Thread(target=work, daemon=True) for _ in range(connections)]
    for worker in workers:
        worker.start()
    _pace(requests, rate, lambda s: todo.put(s.i))
    for _ in workers:
        todo.put(None)
    for worker in workers:
        worker.join(30)


def _pace(requests: list[Sent], rate: float, go: Any) -> None:
    """Hand each request over at its due time (open loop)."""
    start = time.time() + 0.05
    for sent in requests:
        sent.due = start + sent.i / rate
        wait = sent.due - time.time()
        if wait > 0:
            time.sleep(wait)
        go(sent)


class _Envelopes(SocketModeStandIn):
    """The Socket Mode server, noting when each envelope's ack arrives and what it carried."""

    def __init__(self) -> None:
        super().__init__()
        self.acked: dict[str, tuple[float, dict[str, Any]]] = {}

    def _on_message(self, text: str) -> None:
        now = time.time()
        with contextlib.suppress(ValueError):
            data = json.loads(text)
            if isinstance(data, dict) and "envelope_id" in data:
                self.acked[str(data["envelope_id"])] = (now, data)


def _socket_step(server: _Envelopes, requests: list[Sent], rate: float, response_url: str) -> None:
    server.wait_connected(30)
    ids: dict[int, str] = {}
    texts = {}
    for sent in requests:
        envelope_id = str(uuid.uuid4())
        if sent.kind == "mention":
            envelope = {"type": "events_api", "payload": event_body(sent), "retry_attempt": 0,
                        "retry_reason": ""}  # fmt: skip
        else:
            envelope = {"type": "slash_commands", "payload": command_form(sent, response_url)}
        envelope.update(envelope_id=envelope_id, accepts_response_payload=sent.kind == "command")
        ids[sent.i], texts[sent.i] = envelope_id, json.dumps(envelope)

    def go(sent: Sent) -> None:
        sent.sent = time.time()
        try:
            server.send_raw(texts[sent.i])
        except Exception as exc:  # the link dropped: counted, never raised
            sent.error = type(exc).__name__

    _pace(requests, rate, go)
    deadline = time.time() + 15
    while time.time() < deadline and any(ids[s.i] not in server.acked for s in requests):
        time.sleep(0.05)
    for sent in requests:
        found = server.acked.get(ids[sent.i])
        if found is not None and not sent.error:
            sent.ack, sent.status = found[0] - sent.sent, 200
            if sent.kind == "command":
                sent.answer = answer_of(found[1])


# -- the stand-in, recording each answer ---------------------------------------------------


class Recording(FakeSlack):
    """The stand-in, keeping (time, text) of every chat.postMessage that landed, per thread."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.posted: dict[tuple[str, str], list[tuple[float, str]]] = {}
        self._lock = threading.Lock()

    def _api_call(self, method: str, query: str, headers: dict[str, str], body: bytes) -> Outcome:
        outcome = super()._api_call(method, query, headers, body)
        if method == "chat.postMessage" and outcome.body.get("ok"):
            message = outcome.body.get("message") or {}
            key = (str(outcome.body.get("channel")), str(message.get("thread_ts") or ""))
            with self._lock:
                self.posted.setdefault(key, []).append((time.time(), str(message.get("text"))))
        return outcome

    def answers(self, channel: str, ts: str) -> list[tuple[float, str]]:
        with self._lock:
            return list(self.posted.get((channel, ts), ()))

    def forget(self) -> None:
        """Between steps: every record, so memory stays flat."""
        self.reset()
        with self._lock:
            self.posted.clear()


# -- the bot's processes -------------------------------------------------------------------


def tree(root: int) -> list[int]:
    """`root` and every descendant (gunicorn's master and workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def usage(pids: list[int]) -> tuple[float, int]:
    """(CPU seconds so far, resident bytes) summed over `pids`."""
    cpu, rss = 0.0, 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{pid}/statm", "rb") as handle:
                rss += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        cpu += (int(fields[11]) + int(fields[12])) / TICK
    return cpu, rss


class Sampler:
    """Peak RSS of the bot's process tree while a step runs (sampled every 0.2 s)."""

    def __init__(self, root: int) -> None:
        self.root, self.peak = root, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, usage(tree(self.root))[1])


@dataclass
class Bot:
    process: Any
    url: str
    log: Path
    home: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def database(url: str | None, home: Path) -> Iterator[str]:
    """A fresh database: a SQLite file under `home`, or a schema of its own in `url`."""
    if not url:
        yield f"sqlite:///{home / 'load.db'}"
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bot.store.db import make_engine

    schema = f"load_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    parsed = make_url(url)
    try:
        yield parsed.set(
            query={**parsed.query, "options": f"-csearch_path={schema}"}
        ).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextlib.contextmanager
def serving(
    mode: str, fake: FakeSlack, home: Path, db: str, extra: dict[str, str]
) -> Iterator[Bot]:
    """`toolkit-bot serve` in `mode`, on a copy of the content taken now."""
    import subprocess

    for name in ("knowledge", "intents"):
        if not (home / name).exists():
            shutil.copytree(ROOT / name, home / name)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test-bot",
        SLACK_API_URL=fake.api_url,
        PORT=str(port),
        DATABASE_URL=db,
        KNOWLEDGE_DIR=str(home / "knowledge"),
        INTENTS_DIR=str(home / "intents"),
        LOG_LEVEL="INFO",
    )
    if mode == "http":
        env["SLACK_SIGNING_SECRET"] = SIGNING_SECRET
    else:
        env["SLACK_APP_TOKEN"] = "xapp-test-app"
    env.update(extra)
    log = home / f"bot-{mode}.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [str(SCRIPT), "serve", "--mode", mode],
            env=env,
            cwd=home,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    bot = Bot(process, f"http://127.0.0.1:{port}", log, home)
    try:
        _wait_healthy(bot)
        yield bot
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _wait_healthy(bot: Bot, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            raise RuntimeError(f"the bot exited:\n{bot.log_text()[-3000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{bot.url}/healthz", timeout=1) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"the bot did not become healthy:\n{bot.log_text()[-3000:]}")


# -- one step ------------------------------------------------------------------------------


@dataclass
class Step:
    """What one step measured."""

    mode: str
    label: str
    rate: float
    sent: int
    achieved: float
    late_p99: float
    acks: list[float]
    answers: list[float]
    lost: int
    dup: int
    busy: int
    over3: int
    cpu: float
    rss: int
    fake_cpu: float
    gen_cpu: float
    db_down: int
    notes: list[str] = field(default_factory=list)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run_step(
    gen: Connection,
    fake: Recording,
    bot: Bot,
    mode: str,
    index: int,
    rate: float,
    seconds: float,
    commands: float,
    drain: float,
    kind: str = "slack",
    latency: float = 0.0,
) -> Step:
    fake.forget()
    fake.delay("chat.postMessage", latency)  # Slack's own time to take a post
    requests = plan(index, rate, seconds, commands, kind)
    pids = tree(bot.process.pid)
    cpu0, fake0, mark = usage(pids)[0], time.process_time(), len(bot.log_text())
    began = time.time()
    with Sampler(bot.process.pid) as sampler:
        order = {"requests": requests, "rate": rate, "url": bot.url}
        gen.send({**order, "response_url": fake.response_url()})
        reply = gen.recv()
        requests, gen_cpu = reply["requests"], reply["cpu"]
        ended = max(s.sent for s in requests)
        mentions = [s for s in requests if s.kind == "mention"]
        deadline = time.time() + drain
        while time.time() < deadline and not all(fake.answers(s.channel, s.ts) for s in mentions):
            time.sleep(0.1)
        finished = time.time()
        quiet_until = min(deadline, finished + (1.5 if mentions else 0))
        time.sleep(max(0.0, quiet_until - time.time()))  # anything doubled lands by now
        cpu1 = usage(tree(bot.process.pid))[0]
    window = max(finished, ended) - began
    acks = [s.ack for s in requests if s.ack is not None]
    over3 = sum(1 for s in requests if s.ack is None or s.ack >= 3 or s.status != 200)
    answers, lost, dup, busy = [], 0, 0, 0
    for s in requests:
        if s.kind == "healthz":
            continue
        if s.kind == "command":
            got = [(s.sent + (s.ack or 0), s.answer)] if s.answer else []
        else:
            got = fake.answers(s.channel, s.ts)
        if not got:
            lost += 1
            continue
        dup += len(got) > 1
        busy += BUSY_MARK in got[0][1].lower()[:80]
        answers.append(got[0][0] - s.sent)
    late = [s.sent - s.due for s in requests if s.sent]
    span = ended - min(s.sent for s in requests if s.sent) if len(requests) > 1 else 1.0
    log = bot.log_text()[mark:]
    return Step(
        mode=mode,
        label=kind if kind != "slack" else f"{rate:g}/s",
        rate=rate,
        sent=len(requests),
        achieved=(len(requests) - 1) / span if span > 0 else float("nan"),
        late_p99=pct(late, 0.99),
        acks=acks,
        answers=answers,
        lost=lost,
        dup=dup,
        busy=busy,
        over3=over3,
        cpu=(cpu1 - cpu0) / window * 100,
        rss=sampler.peak,
        fake_cpu=(time.process_time() - fake0) / window * 100,
        gen_cpu=gen_cpu / window * 100,
        db_down=log.count("database unavailable"),
        notes=sorted({s.error for s in requests if s.error}),
    )


# -- tables --------------------------------------------------------------------------------

HEADER = (
    "| mode | step | sent | achieved/s | ack p50 ms | ack p99 ms | ack max ms | answer p50 ms "
    "| answer p99 ms | lost | dup | busy | ack ≥3 s | bot CPU % | bot RSS MiB | stand-in CPU % "
    "| generator CPU % | p99 ack × first | p99 answer × first |"
)


def table(steps: list[Step]) -> str:
    rows = [HEADER, "|" + "---|" * 2 + "---:|" * 17]
    firsts: dict[str, Step] = {}
    for s in steps:
        if s.label.endswith("/s"):
            firsts.setdefault(s.mode, s)
    for s in steps:
        first = firsts.get(s.mode)
        ack99, ans99 = pct(s.acks, 0.99), pct(s.answers, 0.99)
        base_ack = pct(first.acks, 0.99) if first else float("nan")
        base_ans = pct(first.answers, 0.99) if first else float("nan")
        cells = [
            s.mode,
            s.label,
            str(s.sent),
            f"{s.achieved:.0f}",
            f"{pct(s.acks, 0.5) * 1000:.0f}",
            f"{ack99 * 1000:.0f}",
            f"{max(s.acks, default=float('nan')) * 1000:.0f}",
            f"{pct(s.answers, 0.5) * 1000:.0f}" if s.answers else "-",
            f"{ans99 * 1000:.0f}" if s.answers else "-",
            str(s.lost),
            str(s.dup),
            str(s.busy),
            str(s.over3),
            f"{s.cpu:.0f}",
            f"{s.rss / 2**20:.0f}",
            f"{s.fake_cpu:.0f}",
            f"{s.gen_cpu:.0f}",
            f"{ack99 / base_ack:.2f}" if base_ack == base_ack and base_ack else "-",
            f"{ans99 / base_ans:.2f}" if s.answers and base_ans == base_ans and base_ans else "-",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def notes(steps: list[Step]) -> list[str]:
    found = []
    for s in steps:
        if s.late_p99 > 0.05:
            found.append(f"{s.mode} {s.label}: the generator sent late (p99 {s.late_p99:.2f} s)")
        if s.db_down:
            found.append(f"{s.mode} {s.label}: 'database unavailable' logged {s.db_down} times")
        if s.notes:
            found.append(f"{s.mode} {s.label}: request errors {', '.join(s.notes)}")
    return found


# -- the run -------------------------------------------------------------------------------


def run_mode(mode: str, args: argparse.Namespace, extra: dict[str, str]) -> list[Step]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    gen = context.Process(target=generator, args=(theirs, mode, args.connections), daemon=True)
    gen.start()
    socket_url = ours.recv() if mode == "socket" else None
    options = {"socket_url": (lambda: socket_url)} if socket_url else {}
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="load-") as scratch, Recording(**options) as fake:
        for i in range(CHANNELS):
            fake.set_channel(f"CLOAD{i:04d}")
        home = Path(scratch)
        with database(args.database_url, home) as db, serving(mode, fake, home, db, extra) as bot:
            warm = run_step(
                ours, fake, bot, mode, 0, 20, 1, args.commands, args.drain, latency=args.latency
            )
            if warm.lost:
                print(f"warning: {warm.lost} of {warm.sent} warm-up requests unanswered")
            for n, rate in enumerate(args.rates, start=1):
                step = run_step(
                    ours,
                    fake,
                    bot,
                    mode,
                    n,
                    rate,
                    args.seconds,
                    args.commands,
                    args.drain,
                    latency=args.latency,
                )
                steps.append(step)
                print(_line(step), flush=True)
            if mode == "http":
                top = max(args.rates)
                seconds = min(args.seconds, 5)
                floor = run_step(ours, fake, bot, mode, 99, top, seconds, 0, 0, kind="healthz")
                steps.append(floor)
            if args.keep_log:
                shutil.copy(bot.log, args.keep_log / f"bot-{mode}.log")
    ours.send(None)
    gen.join(10)
    return steps


def _line(s: Step) -> str:
    return (
        f"  {s.mode} {s.label}: ack p99 {pct(s.acks, 0.99) * 1000:.0f} ms, answer p99 "
        f"{pct(s.answers, 0.99) * 1000:.0f} ms, lost {s.lost}, dup {s.dup}, busy {s.busy}, "
        f"bot CPU {s.cpu:.0f}%, achieved {s.achieved:.0f}/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("http", "socket", "both"), default="both")
    parser.add_argument("--rates", default="25,50,100,150,200", help="events/s per step")
    parser.add_argument("--seconds", type=float, default=10, help="length of each step")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 25 and 100/s, 3 s")
    parser.add_argument("--commands", type=float, default=0.25, help="share of /toolkit commands")
    parser.add_argument("--drain", type=float, default=60, help="seconds to wait for answers")
    parser.add_argument("--connections", type=int, default=200, help="generator's HTTP pool")
    parser.add_argument(
        "--latency", type=float, default=0.1, help="seconds the stand-in takes per post"
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL (default: SQLite file)")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the bot")
    parser.add_argument("--keep-log", type=Path, default=None, help="copy the bots' logs here")
    args = parser.parse_args()
    if args.quick:
        args.rates, args.seconds = "25,100", 3.0
    args.rates = [float(r) for r in str(args.rates).split(",") if r]
    extra = dict(item.split("=", 1) for item in args.env)
    if not SCRIPT.exists():
        print(f"{SCRIPT} is missing: pip install -e '.[dev]' first", file=sys.stderr)
        return 1
    load = os.getloadavg()[0]
    modes = ("http", "socket") if args.mode == "both" else (args.mode,)
    steps: list[Step] = []
    for mode in modes:
        print(f"== {mode}", flush=True)
        steps += run_mode(mode, args, extra)
    print()
    print(table(steps))
    for line in notes(steps):
        print(f"- {line}")
    db = "PostgreSQL" if args.database_url else "SQLite file"
    shape = ", ".join(f"{k}={v}" for k, v in extra.items()) or "defaults"
    print(
        f"\n{os.cpu_count()} cores, load average {load:.2f} at the start; database: {db}; "
        f"bot settings: {shape}; {args.seconds:g} s per step, {args.commands:.0%} commands, "
        f"{CHANNELS} channels, {args.latency * 1000:.0f} ms per chat.postMessage; "
        f"Python {sys.version.split()[0]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
