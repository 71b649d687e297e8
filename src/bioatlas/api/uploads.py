"""Uploaded files go through the same readers and the same ingest as files on disk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import HTTPException, UploadFile

from bioatlas.access import Viewer
from bioatlas.ingest.readers import ReadResult, Skipped, read_bytes_as
from bioatlas.kb.ingest import ingest_records
from bioatlas.kb.queries import ingest_log
from bioatlas.kb.store import Store
from bioatlas.sources import public_source


def _records(uploads: list[UploadFile], max_bytes: int) -> Iterator[ReadResult]:
    for upload in uploads:
        name = upload.filename or "upload"
        if upload.size is not None and upload.size > max_bytes:
            # Not read into memory at all; the reason matches what the file reader says for large files.
            yield Skipped(
                name, f"file too large ({upload.size:,} bytes > limit {max_bytes:,}; see BIOATLAS_MAX_INPUT_BYTES)"
            )
            continue
        yield from read_bytes_as(name, upload.file.read(), max_bytes)


def ingest_uploads(
    store: Store, uploads: list[UploadFile], max_bytes: int, org: str | None = None, user: str | None = None
) -> dict[str, Any]:
    """Ingest uploaded files as `org`'s private documents (None: the shared kb), recorded as `user`'s run; the
    answer is the run's counts, what was skipped and why, and this run's log lines only."""
    chosen = [u for u in uploads if u.filename]
    if not chosen:
        raise HTTPException(400, "choose at least one file to upload")
    report = ingest_records(store, _records(chosen, max_bytes), org=org, user=user)
    uploader = Viewer(user=user, role="viewer", org=org)
    log = ingest_log(store, limit=1000, viewer=uploader, run_id=report.run_id)
    return {
        "run_id": report.run_id,
        "files": [u.filename for u in chosen],
        "statuses": dict(sorted(report.statuses.items())),
        "skipped": [{"source": public_source(s.source), "reason": s.reason} for s in report.skipped],
        "entries": log["entries"],
        "documents": log["documents"],
    }
