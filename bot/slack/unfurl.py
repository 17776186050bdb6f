"""Which toolkit pages the knowledge base covers, for link unfurling."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlsplit

from bot.engine import Entry

DOMAIN = "college.police.uk"
ID_PARAM = "interventionid"  # the legacy toolkit page of one intervention


def url_key(url: str) -> str | None:
    """A URL reduced to host and path, so http/https, www and trailing slashes all match."""
    try:
        parts = urlsplit(url.strip().strip("<>"))
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:  # not a URL (e.g. a broken IPv6 address)
        return None
    if host != DOMAIN and not host.endswith("." + DOMAIN):
        return None
    path = parts.path.rstrip("/").lower()
    ids = [v for k, v in parse_qsl(parts.query) if k.lower().removeprefix("amp;") == ID_PARAM]
    query = f"?{ID_PARAM}={ids[0].lower()}" if ids else ""
    return f"{host}{path}{query}"


def entry_urls(entry: Entry) -> Iterable[str]:
    """Every address an entry cites."""
    yield from (link.url for link in entry.links)
    if entry.source.url:
        yield entry.source.url
    if entry.evidence and entry.evidence.url:
        yield entry.evidence.url


class Unfurler:
    """Maps a shared link to the one entry that cites it (links cited by several are skipped)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        owners: dict[str, set[str]] = defaultdict(set)
        by_id = {e.id: e for e in entries}
        for entry in entries:
            for url in entry_urls(entry):
                key = url_key(url)
                if key:
                    owners[key].add(entry.id)
        self._by_key = {k: by_id[next(iter(v))] for k, v in owners.items() if len(v) == 1}

    def entry_for(self, url: str) -> Entry | None:
        """The entry a link is about, if exactly one."""
        key = url_key(url)
        return self._by_key.get(key) if key else None

    @property
    def domains(self) -> set[str]:
        """Hosts the knowledge base can unfurl."""
        return {key.split("/", 1)[0] for key in self._by_key}
