"""The pipeline: plain functions over documents, the same in a loop, a process pool or a cluster."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from bioatlas.ingest.clean import clean_text, is_date_line
from bioatlas.ingest.html import extract_html
from bioatlas.ingest.language import document_languages, tag_paragraphs
from bioatlas.ingest.limits import DocumentTimeout, check_deadline, time_limit, timeout_reason
from bioatlas.ingest.metadata import find_published, normalise_published
from bioatlas.ingest.readers import ReadResult, Skipped, expand_paths, read_path
from bioatlas.model import Document
from bioatlas.settings import Settings, get_settings


def read_inputs(paths: Iterable[str], settings: Settings | None = None) -> Iterator[ReadResult]:
    settings = settings or get_settings()
    for path in expand_paths(list(paths)):
        if isinstance(path, Skipped):  # a folder that cannot be read, a link loop, a missing path
            yield path
        else:
            yield from read_path(Path(path), settings.max_input_bytes, settings.max_decompressed_bytes)


def prepare(doc: Document, max_chars: int | None = None, site_furniture: list[str] | None = None) -> Document:
    """Clean, tag languages, find title and date. Raises ValueError when nothing readable is left."""
    raw = doc.raw
    max_chars = max_chars or get_settings().max_document_chars
    html_title = html_date = None
    furniture: list[str] = []
    if doc.meta.get("format") == "html":
        content = extract_html(raw)
        if not content.text.strip():
            raise ValueError("HTML page with no readable main text (malformed or empty page)")
        raw, html_title, html_date, furniture = content.text, content.title, content.date, content.furniture
        doc.url = doc.url or content.url
    if len(raw) > max_chars:
        raise ValueError(f"document too long ({len(raw):,} characters > limit {max_chars:,})")
    check_deadline()
    result = clean_text(raw, site_furniture)
    if not result.text.strip():
        raise ValueError("no article text left after cleaning")
    doc.text, doc.paragraphs, doc.removed = result.text, result.paragraphs, result.removed
    kept = set(furniture)
    doc.boilerplate = furniture + [b for b in result.boilerplate if b not in kept]
    check_deadline()
    tag_paragraphs(doc.text, doc.paragraphs)
    check_deadline()
    doc.languages = document_languages(doc.text, doc.paragraphs)
    doc.title = doc.meta.get("title") or html_title or result.title
    date_lines = result.date_lines + [line for line in furniture if is_date_line(line)][:1]
    doc.published = (
        normalise_published(doc.meta.get("published"))
        or normalise_published(html_date)
        or find_published(doc, date_lines)
    )
    return doc


def extract(doc: Document) -> Document:
    """Entities, figures and events (filled by the extract package)."""
    from bioatlas.extract import run_extractors

    run_extractors(doc)
    return doc


def process(result: ReadResult, settings: Settings | None = None, with_extraction: bool = True) -> ReadResult:
    """One input record through the whole pipeline; input problems come back as `Skipped`.

    The work on one document is bounded by `settings.max_seconds_per_document` in any thread (see
    `ingest.limits`): the CLI, `bioatlas ingest` and web uploads all come through here.
    """
    if isinstance(result, Skipped):
        return result
    settings = settings or get_settings()
    seconds = settings.max_seconds_per_document
    try:
        with time_limit(seconds):
            try:
                prepare(result, settings.max_document_chars)
            except ValueError as exc:  # nothing readable left: an input problem, not a bug
                return Skipped(result.source or result.id, str(exc))
            if with_extraction:
                check_deadline()
                extract(result)
    except DocumentTimeout:
        return Skipped(result.source or result.id, timeout_reason(seconds))
    return result


WINDOW_PER_JOB = 8  # records in flight per worker process: enough to keep it busy, few enough to bound memory


def process_all(
    records: Iterable[ReadResult],
    settings: Settings | None = None,
    with_extraction: bool = True,
    jobs: int = 1,
) -> Iterator[ReadResult]:
    """`process` over many records, in input order. With `jobs` > 1 the records are worked on by that many worker
    processes while the caller (the one writer) stores what comes back; inputs are read lazily and at most
    `WINDOW_PER_JOB` records per worker are in flight, so memory stays bounded however long the input."""
    settings = settings or get_settings()
    if jobs <= 1:
        for record in records:
            yield process(record, settings, with_extraction)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # no threads of the caller copied into the workers
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[Future[ReadResult]] = deque()
        for record in records:
            if isinstance(record, Skipped):  # nothing to work on: kept in its place in the order
                done: Future[ReadResult] = Future()
                done.set_result(record)
                pending.append(done)
            else:
                pending.append(pool.submit(process, record, settings, with_extraction))
            while len(pending) >= jobs * WINDOW_PER_JOB:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def default_jobs() -> int:
    """One worker per core."""
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
