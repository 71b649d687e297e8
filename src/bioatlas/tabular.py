"""Lists as files a spreadsheet opens: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese and accented names
right) and JSON. Knows nothing of the kb: rows are plain mappings, columns are named by the caller and keep their
order, so the same export has the same columns whatever it holds (an empty list still has its header).

Names come from web pages: a cell that starts like a formula (`=HYPERLINK(...)`, `+1`, `-2`, `@SUM`, a tab or a
carriage return) is written with a leading apostrophe, so a spreadsheet shows the text instead of running it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "  # several values in one cell (sectors, sources)


def safe_cell(value: Any) -> str:
    """One cell as text a spreadsheet will not evaluate; None is empty, lists are joined, whole floats lose `.0`.

    Numbers are written as numbers (a negative amount stays `-2.5`); only text is escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple | set):
        value = LIST_SEPARATOR.join(safe_cell(v).removeprefix("'") for v in value if v is not None)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> bytes:
    """The rows as CSV bytes: BOM, a header of `columns`, one line per row (CRLF, RFC 4180 quoting); keys a row
    has beyond `columns` are left out, columns a row lacks are empty."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
    return out.getvalue().encode("utf-8")


def to_json(payload: Any) -> bytes:
    """The payload as UTF-8 JSON, names in their own script (no \\u escapes)."""
    return json.dumps(payload, ensure_ascii=False, indent=1, default=str).encode("utf-8")


__all__ = ["BOM", "FORMULA_START", "LIST_SEPARATOR", "safe_cell", "to_csv", "to_json"]
