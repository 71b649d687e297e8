"""What users are shown of where a document came from: a web address, or a file's name, never the server's folders.

Every query that hands a document's source to the web pages, the JSON API or an answer passes it through
`public_source` (the command line too: a user reads the same names everywhere)."""

from __future__ import annotations

from urllib.parse import urlsplit


def public_source(source: str | None) -> str | None:
    """What a user is shown of where a document came from: its web address as it is, otherwise only the file's name
    (with its line or record: `feed.jsonl:12`, `crawl.warc.gz#<urn:…>`), never the server's folders."""
    if not source:
        return source
    parts = urlsplit(source.strip())
    if parts.scheme.lower() in ("http", "https"):
        return source.strip()
    name = source.replace("\\", "/")
    if name.lower().startswith("file://"):
        name = name[len("file://") :]
    # The record part of a WARC source may itself contain '/' (a URN seldom does; a URL does): cut at '#' first.
    path, hash_sign, record = name.partition("#")
    return path.rstrip("/").rsplit("/", 1)[-1] + hash_sign + record
