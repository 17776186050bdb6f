"""Events API listeners: DMs, mentions, shared links and the Home tab. Thin: decide nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.asking import ask
from bot.slack.blocks import unfurl_blocks
from bot.slack.delivery import deliver
from bot.slack.home import home_view
from bot.slack.services import Services
from bot.slack.text import without_mention
from bot.slack.threads import thread_key
from bot.slack.unfurl import Unfurler

Handler = Callable[..., None]
#: Message subtypes that are still a person asking something.
ASKING_SUBTYPES = {None, "thread_broadcast", "file_share"}


def from_a_person(event: dict[str, Any]) -> bool:
    """Not the bot itself, not another bot, not an edit or a deletion."""
    return (
        event.get("subtype") in ASKING_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and "text" in event
    )


def team_of(body: dict[str, Any]) -> str:
    """The workspace an event came from."""
    return str(body.get("team_id") or body.get("event", {}).get("team") or "")


def first_delivery(services: Services, body: dict[str, Any], event: dict[str, Any]) -> bool:
    """False for a retry or a redelivery, or the same message seen through another event."""
    keys = [f"event:{body.get('event_id')}", f"message:{event.get('channel')}:{event.get('ts')}"]
    return all([services.seen.first_time(k) for k in keys])


def on_message(services: Services) -> Handler:
    """A direct message: the answer in that DM (in its thread, if it was in one)."""

    def handle(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or not from_a_person(event):
            return
        if not first_delivery(services, body, event):
            return
        team, channel, thread = team_of(body), event["channel"], event.get("thread_ts")
        key = thread_key(team, channel, thread)
        reply = ask(services, event["text"], team_id=team, thread=key)

        def post() -> None:
            sent = client.chat_postMessage(channel=channel, thread_ts=thread, **reply.message())
            if not thread and sent.get("ts"):  # a reply in the answer's own thread follows on
                services.threads.put(
                    thread_key(team, channel, sent["ts"]), services.threads.get(key)
                )

        deliver(services.failures, f"DM answer in {channel}", post)

    return handle


def on_mention(services: Services) -> Handler:
    """An @mention in a channel: the answer in a thread under the question, never top-level.

    An @mention inside a thread the bot answered in is a follow-up about that thread's entry.
    """

    def handle(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if not from_a_person(event) or not first_delivery(services, body, event):
            return
        thread = event.get("thread_ts") or event["ts"]
        reply = ask(
            services,
            without_mention(event["text"], context.bot_user_id),
            team_id=team_of(body),
            thread=thread_key(team_of(body), event["channel"], thread),
        )
        deliver(
            services.failures,
            f"mention answer in {event['channel']}",
            lambda: client.chat_postMessage(
                channel=event["channel"], thread_ts=thread, **reply.message()
            ),
        )

    return handle


def on_link_shared(services: Services) -> Handler:
    """A toolkit link the knowledge base covers unfurls with the entry's title, verdict, summary."""
    unfurler = Unfurler(services.engine.entries)

    def handle(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        unfurls = {}
        for link in event.get("links", []):
            entry = unfurler.entry_for(link.get("url", ""))
            if entry is not None:
                card = unfurl_blocks(entry, services.engine.by_id, services.engine.version)
                unfurls[link["url"]] = {"blocks": [blk.to_dict() for blk in card]}
        if not unfurls or not services.seen.first_time(f"event:{body.get('event_id')}"):
            return
        deliver(
            services.failures,
            "link unfurl",
            lambda: client.chat_unfurl(
                channel=event.get("channel"),
                ts=event.get("message_ts"),
                unfurls=unfurls,
                unfurl_id=event.get("unfurl_id"),
                source=event.get("source"),
            ),
        )

    return handle


def on_home_opened(services: Services) -> Handler:
    """The Home tab: what the bot does, how to ask, and browsable lists."""

    def handle(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        deliver(
            services.failures,
            f"home tab for {event.get('user')}",
            lambda: client.views_publish(user_id=event["user"], view=home_view(services.engine)),
        )

    return handle
