"""Readers: plain text, HTML, WARC and JSONL inputs become `Document`s; problems become `Skipped`.

A reader never raises for a bad input: it yields a `Skipped` with the input's name and the reason,
and goes on with the next record.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bioatlas.ingest.encoding import InputError, decode_bytes
from bioatlas.model import Document, content_id


@dataclass(slots=True)
class Skipped:
    source: str
    reason: str


ReadResult = Document | Skipped

_SAFE_ID = re.compile(r"[^A-Za-z0-9._\-]+")
# In a folder, files that are data or documentation about the pages, not pages (given by name, they are read).
NOT_PAGES = (".json", ".md", ".tsv", ".csv", ".yaml", ".yml", ".toml", ".py", ".sh", ".db", ".sqlite", ".parquet")
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


def safe_id(text: str) -> str:
    return _SAFE_ID.sub("-", text).strip("-")[:120] or "document"


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (*WARC_SUFFIXES, *JSONL_SUFFIXES, ".txt", ".html", ".htm", ".xhtml", ".shtml", ".md"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def expand_paths(paths: list[str]) -> Iterator[Path]:
    """Files as given; folders walked recursively in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not child.name.startswith(".") and not child.name.lower().endswith(NOT_PAGES):
                    yield child
        else:
            yield path


def read_path(path: Path, max_bytes: int) -> Iterator[ReadResult]:
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skipped(source, f"cannot open: {exc.strerror or exc}")
        return
    if size == 0:
        yield Skipped(source, "empty file")
        return
    if size > max_bytes:
        yield Skipped(source, f"file too large ({size:,} bytes > limit {max_bytes:,}; see BIOATLAS_MAX_INPUT_BYTES)")
        return
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        yield from read_warc(path)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(source, f"cannot read: {exc.strerror or exc}")
        return
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            yield Skipped(source, f"truncated or corrupt gzip: {exc}")
            return
    if name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl_bytes(data, source, _stem(path))
        return
    try:
        text, encoding = decode_bytes(data)
    except InputError as exc:
        yield Skipped(source, str(exc))
        return
    if not text.strip():
        yield Skipped(source, "no text (only whitespace)")
        return
    doc = Document(id=safe_id(_stem(path)), source=source, raw=text, encoding=encoding)
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        doc.meta["format"] = "html"
    else:
        doc.meta["format"] = "text"
    yield doc


def read_jsonl_bytes(data: bytes, source: str, stem: str) -> Iterator[ReadResult]:
    try:
        text, _ = decode_bytes(data)
    except InputError as exc:
        yield Skipped(source, str(exc))
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"malformed JSON line: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(record, dict):
            yield Skipped(where, "JSON line is not an object")
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield Skipped(where, "JSON line has no 'text' string")
            continue
        rid = record.get("id")
        has_id = isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid).strip() != ""
        url = record.get("url") if isinstance(record.get("url"), str) and record["url"].strip() else None
        doc = Document(
            id=safe_id(str(rid)) if has_id else f"{safe_id(stem)}-{lineno}",
            source=where,
            raw=body,
            encoding="utf-8",
            url=url.strip() if url else None,
            # never the file name: the record's own id, else its content
            identity=f"id:{str(rid).strip()}" if has_id else f"content:{content_id(body)}",
        )
        for key in ("title", "published"):
            if isinstance(record.get(key), str) and record[key].strip():
                doc.meta[key] = record[key].strip()
        doc.meta["format"] = "html" if looks_like_html(body) else "text"
        yield doc


def read_warc(path: Path) -> Iterator[ReadResult]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    records = 0
    try:
        with path.open("rb") as stream:
            archive = ArchiveIterator(stream)
            # warcio fails on a response record without a target URI; read it as a record with no HTTP part
            parse_http = archive.loader.load_http_headers
            archive.loader.load_http_headers = lambda kind, uri, body, length: parse_http(kind, uri or "", body, length)
            for record in archive:
                if record.rec_type not in ("response", "resource", "conversion"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                rid = record.rec_headers.get_header("WARC-Record-ID") or f"record-{records}"
                rid = rid.strip("<>").removeprefix("urn:uuid:")
                where = f"{source}#{rid}"
                if not url and record.rec_type == "response":
                    yield Skipped(where, "WARC response record without a target URI (WARC-Target-URI)")
                    continue
                ctype = ""
                if record.http_headers is not None:
                    if record.rec_type == "response" and record.http_headers.get_statuscode() not in (
                        "200",
                        None,
                    ):
                        yield Skipped(where, f"HTTP status {record.http_headers.get_statuscode()}")
                        continue
                    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                else:
                    ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
                if ctype and not any(t in ctype for t in ("html", "text", "xml")):
                    yield Skipped(where, f"not a text record ({ctype.split(';')[0]})")
                    continue
                declared = None
                m = re.search(r"charset=([\w\-]+)", ctype)
                if m:
                    declared = m.group(1)
                data = record.content_stream().read()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield Skipped(where, f"truncated WARC record ({len(data)} bytes read, more declared)")
                    continue
                records += 1
                if not data.strip():
                    yield Skipped(where, "empty record")
                    continue
                try:
                    text, encoding = decode_bytes(data, declared)
                except InputError as exc:
                    yield Skipped(where, str(exc))
                    continue
                doc = Document(id=safe_id(rid), source=where, url=url, raw=text, encoding=encoding)
                doc.meta["format"] = "html" if ("html" in ctype or looks_like_html(text)) else "text"
                yield doc
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Skipped(source, f"malformed or truncated WARC after {records} records: {reason}")


def read_bytes_as(name: str, data: bytes, max_bytes: int) -> Iterator[ReadResult]:
    """Read an upload (web ingest page) through the same readers as a file on disk."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        for result in read_path(path, max_bytes):
            if isinstance(result, Document):
                result.source = name
                if result.identity is None:  # two uploads named report.txt are two documents
                    result.identity = f"content:{content_id(result.raw)}"
            else:
                result.source = result.source.replace(str(path), name)
            yield result


__all__ = ["ReadResult", "Skipped", "expand_paths", "read_jsonl_bytes", "read_path", "read_warc"]
