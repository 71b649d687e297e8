"""Readers: plain text, HTML, WARC and JSONL inputs become `Document`s; problems become `Skipped`.

A reader never raises for a bad input: it yields a `Skipped` with the input's name and the reason,
and goes on with the next record.
"""

from __future__ import annotations

import codecs
import errno
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bioatlas.ingest.encoding import InputError, decode_bytes
from bioatlas.ingest.limits import GZIP_MAGIC, BoundedStream, GunzipStream, cut_reason
from bioatlas.model import Document, content_id
from bioatlas.settings import get_settings


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
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


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


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def expand_paths(paths: list[str]) -> Iterator[Path | Skipped]:
    """Files as given; folders walked recursively, in a stable order; every problem a `Skipped`.

    Symbolic links are followed, but a folder or file already seen (a link loop, a link to a parent
    folder, a link to a file that is also there under its own name) is read once, by its own name
    rather than a link's, and the other path reported; a broken link, a folder that cannot be listed
    and a path that does not exist are reported too. Hidden files and folders (".name") and data or
    documentation files inside folders (`NOT_PAGES`) are left out.
    """
    found: list[tuple[int, str, Path | Skipped]] = []
    files: dict[tuple[int, int], list[tuple[int, Path]]] = {}
    seen_dirs: dict[tuple[int, int], str] = {}
    for order, raw in enumerate(paths):
        _walk(Path(raw), order, True, files, seen_dirs, found)
    for copies in files.values():
        # the file's own name first, then links to it; the rest are reported
        copies.sort(key=lambda copy: (copy[1].is_symlink(), copy[0], str(copy[1])))
        (order, chosen), *others = copies
        found.append((order, str(chosen), chosen))
        for other_order, other in others:
            found.append((other_order, str(other), Skipped(str(other), f"same file as {chosen}, already read")))
    for _, _, item in sorted(found, key=lambda entry: entry[:2]):
        yield item


def _walk(
    path: Path,
    order: int,
    given: bool,
    files: dict[tuple[int, int], list[tuple[int, Path]]],
    seen_dirs: dict[tuple[int, int], str],
    found: list[tuple[int, str, Path | Skipped]],
) -> None:
    source = str(path)
    try:
        info = path.stat()  # follows links: a loop raises ELOOP, a broken link ENOENT
    except OSError as exc:
        found.append((order, source, Skipped(source, _stat_problem(path, exc))))
        return
    key = (info.st_dev, info.st_ino)
    if stat.S_ISDIR(info.st_mode):
        if key in seen_dirs:
            reason = f"folder already read as {seen_dirs[key]} (symbolic link loop?)"
            found.append((order, source, Skipped(source, reason)))
            return
        seen_dirs[key] = source
        try:
            with os.scandir(path) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as exc:
            found.append((order, source, Skipped(source, f"cannot read folder: {exc.strerror or exc}")))
            return
        for name in names:
            if not _is_hidden(name):
                _walk(path / name, order, False, files, seen_dirs, found)
        return
    if not given and path.name.lower().endswith(NOT_PAGES):
        return
    if not stat.S_ISREG(info.st_mode):
        found.append((order, source, Skipped(source, "not a regular file (device, pipe or socket)")))
        return
    files.setdefault(key, []).append((order, path))


def _stat_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"broken symbolic link (to {target}: {exc.strerror or exc})"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    return f"cannot open: {exc.strerror or exc}"


def read_path(
    path: Path, max_bytes: int, max_decompressed: int | None = None, name: str | None = None
) -> Iterator[ReadResult]:
    """Read one file; `name` is what the user calls it (an upload's name), by default its path.

    Gzip-compressed files are decompressed as a stream and cut at `max_decompressed` bytes.
    """
    source = name or str(path)
    if max_decompressed is None:
        max_decompressed = get_settings().max_decompressed_bytes
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
    shown = Path(name or path.name)
    lower = shown.name.lower()
    try:
        with path.open("rb") as raw:
            compressed = raw.read(2) == GZIP_MAGIC
            raw.seek(0)
            # a gzip is cut at the decompressed limit; a plain file is already under max_bytes
            stream = BoundedStream(GunzipStream(raw), max_decompressed) if compressed else BoundedStream(raw, max_bytes)
            if lower.endswith(WARC_SUFFIXES):
                yield from read_warc_stream(stream, source, max_bytes)
            elif lower.endswith(JSONL_SUFFIXES):
                yield from read_jsonl_stream(stream, source, _stem(shown), max_bytes)
            else:
                yield from _read_document(stream, source, shown, compressed)
    except OSError as exc:
        yield Skipped(source, f"cannot read: {exc.strerror or exc}")


_CHUNK = 1 << 20


def _stream_problems(
    stream: BoundedStream, source: str, records: int | None = None, kind: str = "gzip"
) -> Iterator[Skipped]:
    """The cut at the size limit and a truncated or corrupt gzip, each reported once."""
    after = "" if records is None else f" after {records} records"
    if stream.error is not None:
        yield Skipped(source, f"truncated or corrupt {kind}{after}: {stream.error}")
    if stream.cut:
        yield Skipped(source, cut_reason(stream.consumed, stream.limit))


def _read_document(stream: BoundedStream, source: str, shown: Path, compressed: bool) -> Iterator[ReadResult]:
    parts = []
    while chunk := stream.read(_CHUNK):  # to its end, where a truncated gzip shows
        parts.append(chunk)
    data = b"".join(parts)
    if stream.cut or stream.error is not None:  # half a page is no page
        yield from _stream_problems(stream, source)
        return
    if compressed and not data:
        yield Skipped(source, "empty file (after decompression)")
        return
    try:
        text, encoding = decode_bytes(data)
    except InputError as exc:
        yield Skipped(source, str(exc))
        return
    if not text.strip():
        yield Skipped(source, "no text (only whitespace)")
        return
    plain = shown.with_name(shown.name[:-3]) if shown.name.lower().endswith(".gz") else shown
    doc = Document(id=safe_id(_stem(plain)), source=source, raw=text, encoding=encoding)
    doc.meta["format"] = "html" if plain.suffix.lower() in HTML_SUFFIXES or looks_like_html(text) else "text"
    yield doc


def _lines(stream: BoundedStream, max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each non-blank line, read a chunk at a time; None for a line over `max_line`.

    A run of blank lines costs one scan per chunk, so a file of newlines is read at memory speed.
    A last line that the size limit or a truncated gzip cut in two is not given (the caller reports the cut).
    """
    lineno = 0
    carry: list[bytes] = []
    carried = 0
    too_long = False
    while chunk := stream.read(_CHUNK):
        if not carry and not too_long and not chunk.strip():
            lineno += chunk.count(b"\n")
            continue
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            lineno += 1
            piece = chunk[start:end]
            if too_long or carried + len(piece) > max_line:
                yield lineno, None
            elif carry or piece.strip():
                line = b"".join([*carry, piece])
                if line.strip():
                    yield lineno, line
            carry, carried, too_long = [], 0, False
            start = end + 1
        if not too_long and start < len(chunk):
            carry.append(chunk[start:])
            carried += len(chunk) - start
            if carried > max_line:
                carry, carried, too_long = [], 0, True
    if stream.cut or stream.error is not None:
        return
    if too_long:
        yield lineno + 1, None
    elif carry and (line := b"".join(carry)).strip():
        yield lineno + 1, line


def read_jsonl_stream(stream: BoundedStream, source: str, stem: str, max_line: int) -> Iterator[ReadResult]:
    """One document per JSON line, read line by line (never the whole file in memory)."""
    records = lines = 0
    for lineno, line in _lines(stream, max_line):
        lines += 1
        where = f"{source}:{lineno}"
        if line is None:
            yield Skipped(where, f"JSON line too long (over {max_line:,} bytes; see BIOATLAS_MAX_INPUT_BYTES)")
            continue
        result = _jsonl_record(line.removeprefix(codecs.BOM_UTF8) if lineno == 1 else line, where, stem, lineno)
        records += isinstance(result, Document)
        yield result
    if not lines and stream.error is None and not stream.cut:
        yield Skipped(source, "no JSON lines (only whitespace)")
    yield from _stream_problems(stream, source, records)


def read_jsonl_bytes(data: bytes, source: str, stem: str) -> Iterator[ReadResult]:
    """JSONL already in memory (kept for callers that have bytes)."""
    yield from read_jsonl_stream(BoundedStream(io.BytesIO(data), len(data)), source, stem, max(len(data), 1))


def _jsonl_record(line: bytes, where: str, stem: str, lineno: int) -> ReadResult:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text, _ = decode_bytes(line)
        except InputError as exc:
            return Skipped(where, str(exc))
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return Skipped(where, f"malformed JSON line: {exc.msg} at column {exc.colno}")
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, [[[[…]]]] nested too deep
        return Skipped(where, f"malformed JSON line: {str(exc).splitlines()[0][:200] or type(exc).__name__}")
    if not isinstance(record, dict):
        return Skipped(where, "JSON line is not an object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return Skipped(where, "JSON line has no 'text' string")
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
    return doc


def read_warc_stream(stream: BoundedStream, source: str, max_record: int) -> Iterator[ReadResult]:
    """One document per response/resource record; the stream is already decompressed and bounded."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = 0
    try:
        archive = ArchiveIterator(stream)
        # warcio fails on a response record without a target URI; read it as a record with no HTTP part
        parse_http = archive.loader.load_http_headers
        archive.loader.load_http_headers = lambda kind, uri, body, length: parse_http(kind, uri or "", body, length)
        for record in archive:
            result = _warc_record(record, source, records, max_record)
            if result is None:
                continue
            records += isinstance(result, Document)
            yield result
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        if stream.error is None and not stream.cut:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            yield Skipped(source, f"malformed or truncated WARC after {records} records: {reason}")
    yield from _stream_problems(stream, source, records, kind="WARC gzip")


def _warc_record(record: Any, source: str, records: int, max_record: int) -> ReadResult | None:
    """A document or a Skipped for one WARC record; None for records that are not pages (requests, metadata)."""
    if record.rec_type not in ("response", "resource", "conversion"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    rid = record.rec_headers.get_header("WARC-Record-ID") or f"record-{records}"
    rid = rid.strip("<>").removeprefix("urn:uuid:")
    where = f"{source}#{rid}"
    if not url and record.rec_type == "response":
        return Skipped(where, "WARC response record without a target URI (WARC-Target-URI)")
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if record.rec_type == "response" and status not in ("200", None):
            return Skipped(where, f"HTTP status {status}")
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    else:
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    if ctype and not any(t in ctype for t in ("html", "text", "xml")):
        return Skipped(where, f"not a text record ({ctype.split(';')[0]})")
    m = re.search(r"charset=([\w\-]+)", ctype)
    declared = m.group(1) if m else None
    data = record.content_stream().read(max_record + 1)
    if len(data) > max_record:
        return Skipped(where, f"WARC record too large (over {max_record:,} bytes; see BIOATLAS_MAX_INPUT_BYTES)")
    if getattr(record.raw_stream, "limit", 0) > 0:
        return Skipped(where, f"truncated WARC record ({len(data)} bytes read, more declared)")
    if not data.strip():
        return Skipped(where, "empty record")
    try:
        text, encoding = decode_bytes(data, declared)
    except InputError as exc:
        return Skipped(where, str(exc))
    doc = Document(id=safe_id(rid), source=where, url=url, raw=text, encoding=encoding)
    doc.meta["format"] = "html" if ("html" in ctype or looks_like_html(text)) else "text"
    return doc


# ------------------------------------------------------------------------------------------------ uploads

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")
_READER_SUFFIXES = tuple(
    sorted(
        {*WARC_SUFFIXES, *JSONL_SUFFIXES, *HTML_SUFFIXES, ".txt", ".md", ".gz"}
        | {f"{s}.gz" for s in (*HTML_SUFFIXES, ".txt")},
        key=len,
        reverse=True,
    )
)
MAX_NAME_CHARS = 120


def upload_name(name: str) -> str:
    """The name an upload is shown and stored under: no folders, no control characters, at most 120 characters."""
    base = re.split(r"[/\\]", _UNSAFE_NAME.sub("", name or ""))[-1].strip().strip(".").strip()
    if not base:
        return "upload"
    if len(base) > MAX_NAME_CHARS:
        suffix = reader_suffix(base)
        base = base[: MAX_NAME_CHARS - len(suffix) - 1] + "…" + suffix
    return base


def reader_suffix(name: str) -> str:
    """The ending of a file name that decides its reader (".warc.gz", ".jsonl", ".html", …), lower case."""
    lower = name.lower()
    for suffix in _READER_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    m = re.search(r"\.[a-z0-9]{1,10}$", lower)
    return m.group(0) if m else ""


def read_bytes_as(name: str, data: bytes, max_bytes: int, max_decompressed: int | None = None) -> Iterator[ReadResult]:
    """Read an upload through the same readers as a file on disk.

    The bytes go to a temporary file whose name is made here (only the suffix that decides the reader
    comes from the user's name), so no name can reach outside the folder or break the file system.
    """
    import tempfile

    shown = upload_name(name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{reader_suffix(shown)}"
        path.write_bytes(data)
        for result in read_path(path, max_bytes, max_decompressed, name=shown):
            if isinstance(result, Document) and result.identity is None:
                # two uploads named report.txt are two documents
                result.identity = f"content:{content_id(result.raw)}"
            yield result


__all__ = [
    "ReadResult",
    "Skipped",
    "expand_paths",
    "read_bytes_as",
    "read_jsonl_bytes",
    "read_jsonl_stream",
    "read_path",
    "read_warc_stream",
    "reader_suffix",
    "upload_name",
]
