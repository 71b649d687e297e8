"""`bioatlas export`: every table a user may want for analysis, as JSONL, CSV or Parquet (`bioatlas backup` is
the one for restoring: it holds every table, accounts included)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bioatlas.kb import schema as t
from bioatlas.kb.store import Store

TABLES = {
    "entities": t.entities,
    "claims": t.claims,
    "events": t.events,
    "event_roles": t.event_roles,
    "figures": t.figures,
    "documents": t.documents,
    "merges": t.merges,  # every decision, automatic and users', undone ones included
    "aliases": t.aliases,
    "ingest_log": t.ingest_log,
}


def export(store: Store, out: Path, fmt: str) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        for name, table in TABLES.items():
            rows = (dict(r._mapping) for r in conn.execution_options(yield_per=1000).execute(select(table)))
            columns = [c.name for c in table.columns]
            counts[name] = _write(out / f"{name}.{fmt}", fmt, columns, rows)
    return counts


def _write(path: Path, fmt: str, columns: list[str], stream: Iterator[dict[str, Any]]) -> int:
    """Write one table; JSONL and CSV are streamed, Parquet is built in memory. Returns the number of rows."""
    n = 0
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for row in stream:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in stream:
                writer.writerow(row)
                n += 1
    else:
        rows = list(stream)
        n = len(rows)
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = (
            pa.Table.from_pylist(rows, schema=None)
            if rows
            else pa.table({c: pa.array([], pa.string()) for c in columns})
        )
        pq.write_table(table, path)
    return n
