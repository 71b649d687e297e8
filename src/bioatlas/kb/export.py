"""`bioatlas export`: every table a user may want, as JSONL, CSV or Parquet."""

from __future__ import annotations

import csv
import json
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
    "merges": t.merges,
}


def export(store: Store, out: Path, fmt: str) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        for name, table in TABLES.items():
            rows = [dict(r._mapping) for r in conn.execute(select(table))]
            counts[name] = len(rows)
            columns = [c.name for c in table.columns]
            _write(out / f"{name}.{fmt}", fmt, columns, rows)
    return counts


def _write(path: Path, fmt: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = (
            pa.Table.from_pylist(rows, schema=None)
            if rows
            else pa.table({c: pa.array([], pa.string()) for c in columns})
        )
        pq.write_table(table, path)
