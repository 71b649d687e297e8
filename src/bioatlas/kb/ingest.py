"""`bioatlas ingest`: read, extract and store inputs; every input is logged as added, updated, unchanged or skipped."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bioatlas.ingest.readers import ReadResult, Skipped
from bioatlas.kb.store import Store
from bioatlas.model import Document
from bioatlas.pipeline import process_all, read_inputs
from bioatlas.settings import get_settings


@dataclass(slots=True)
class IngestReport:
    run_id: str
    statuses: Counter[str] = field(default_factory=Counter)
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{n} {status}" for status, n in sorted(self.statuses.items())]
        return f"ingest run {self.run_id}: " + (", ".join(parts) or "nothing read")


def ingest_records(
    store: Store,
    records: Iterable[ReadResult],
    on_result: Callable[[ReadResult, str], None] | None = None,
    org: str | None = None,
    user: str | None = None,
    jobs: int = 1,
) -> IngestReport:
    """Read, extract and store records; with `org` they become that organisation's private documents. With `jobs`
    > 1, reading and extraction run in that many worker processes and this process alone writes to the kb."""
    report = IngestReport(run_id=uuid.uuid4().hex[:12])
    settings = get_settings()
    store.load_reference()
    for result in process_all(records, settings, jobs=jobs):
        if isinstance(result, Skipped):
            store.log_skipped(report.run_id, result.source, result.reason, org, user)
            report.skipped.append(result)
            status = "skipped"
        else:
            assert isinstance(result, Document)
            result.org = org
            status = store.ingest(result, report.run_id, user)
        report.statuses[status] += 1
        if on_result:
            on_result(result, status)
    return report


def ingest_paths(
    store: Store, paths: list[str], on_result: Callable[[ReadResult, str], None] | None = None, jobs: int = 1
) -> IngestReport:
    return ingest_records(store, read_inputs(paths), on_result, jobs=jobs)
