"""Every list of the API as a download: `?format=csv` (UTF-8 with BOM, formula-safe cells, `bioatlas.tabular`) or
`?format=json` (the API's own answer, as a file). The export is built from the very answer the route computed, so
it holds what the viewer may see, with the same filters and the same page.

Columns are stable per list (named here, in this order), so a spreadsheet or a CRM import keeps working when a
list is empty or a value is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query
from fastapi.responses import Response

from bioatlas.api.params import BadInput
from bioatlas.tabular import to_csv, to_json

FORMATS = ("csv", "json")
EXPORT_MOST = 5000  # rows per export (a directory or event list asks for this many per page when exporting)


def export_format(
    format: Annotated[str | None, Query(description="`csv` or `json`: download the list as a file")] = None,
) -> str | None:
    """The export asked for; None: the ordinary answer. Anything else is a 400 naming `format`."""
    value = (format or "").strip().lower()
    if not value:
        return None
    if value not in FORMATS:
        raise BadInput(f"format: {format!r} is not an export format; use csv or json")
    return value


ExportFormatDep = Annotated[str | None, Depends(export_format)]


# ------------------------------------------------------------------------------------------------- rows per list


def _sources(items: Iterable[dict[str, Any]]) -> list[str]:
    return sorted({str(i.get("source") or i.get("reference") or i.get("title") or "") for i in items} - {""})


DIRECTORY_COLUMNS = (
    "id",
    "name",
    "type",
    "country",
    "headquarters",
    "website",
    "founded",
    "sectors",
    "events",
    "latest_event",
    "funding",
)


def directory_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "headquarters": (item.get("headquarters") or {}).get("name"),
            "funding": [f"{f['amount']:g} {f['currency']}" for f in item.get("funding", [])],
        }
        for item in result["items"]
    ]


EVENT_COLUMNS = ("id", "type", "date", "participants", "amount", "currency", "reports", "evidence", "sources")


def event_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for ev in result["events"]:
        reports = ev.get("reports", [])
        rows.append(
            {
                "id": ev["id"],
                "type": ev["type"],
                "date": ev.get("date"),
                "participants": [
                    f"{role}: {member['name']}" for role, members in ev["roles"].items() for member in members
                ],
                "amount": ev.get("amount"),
                "currency": ev.get("currency"),
                "reports": ev.get("report_count", len(reports)),
                "evidence": reports[0].get("evidence") if reports else None,
                "sources": _sources(reports),
            }
        )
    return rows


SEARCH_COLUMNS = ("rank", "id", "title", "published", "languages", "source", "url", "score")


def search_rows(result: dict[str, Any], offset: int = 0) -> list[dict[str, Any]]:
    """The documents found, ranked from `offset + 1` (the page's first row)."""
    return [{**d, "rank": offset + i + 1} for i, d in enumerate(result["documents"])]


LAND_COLUMNS = ("rank", "id", "name", "type", "country", "score", "coverage", "rank_range", "missing", "sources")


def land_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for r in result["results"]:
        evidence = [e for i in r["indicators"] for e in i["evidence"]]
        row = {**r, "rank_range": "–".join(str(x) for x in r.get("rank_range", [])), "sources": _sources(evidence)}
        row.update({f"indicator_{i['name']}": i["value"] for i in r["indicators"]})
        rows.append(row)
    return rows


def land_columns(result: dict[str, Any]) -> tuple[str, ...]:
    """The land columns and one per indicator of the answer's weights (the same for every answer asked the same
    way: the indicators come from the ranking's weights, not from the rows)."""
    return LAND_COLUMNS + tuple(f"indicator_{name}" for name in result.get("weights", {}))


PROSPECT_COLUMNS = ("rank", "company", "country", "score", "fit", "funding", "expansion", "ties", "sources", "kb_id")


# ------------------------------------------------------------------------------------------------------ response


def _filename(stem: str, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60] or "export"
    return f"{slug}.{extension}"


Rows = Callable[[dict[str, Any]], list[dict[str, Any]]]


def download(fmt: str, result: dict[str, Any], rows: Rows, columns: Iterable[str], stem: str) -> Response:
    """The list as a file to download: `csv` (the rows, in `columns`) or `json` (the whole answer)."""
    if fmt == "json":
        body, media = to_json(result), "application/json"
    else:
        body, media = to_csv(rows(result), tuple(columns)), "text/csv; charset=utf-8"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{_filename(stem, fmt)}"'}
    )


def export(
    fmt: str | None, result: dict[str, Any], rows: Rows, columns: Iterable[str], stem: str
) -> dict[str, Any] | Response:
    """`result` itself when no export was asked (FastAPI sends it as JSON), else the file to download."""
    return result if fmt is None else download(fmt, result, rows, columns, stem)


def export_links(
    path: str, params: Iterable[tuple[str, str]], per_page: str | None = "per_page", most: int = EXPORT_MOST
) -> dict[str, str]:
    """The CSV and JSON download links of a page: its API twin with the same filters. With `per_page` (the name
    of the page-size parameter) the export starts at the first row and holds up to `most` rows; without, it is
    the page shown."""
    dropped = {"lang", "format"} | ({"page", per_page} if per_page else set())
    kept = [(k, v) for k, v in params if k not in dropped]
    if per_page:
        kept.append((per_page, str(most)))
    return {fmt: f"/api{path}?{urlencode([*kept, ('format', fmt)])}" for fmt in FORMATS}


__all__ = [
    "DIRECTORY_COLUMNS",
    "EVENT_COLUMNS",
    "EXPORT_MOST",
    "FORMATS",
    "LAND_COLUMNS",
    "PROSPECT_COLUMNS",
    "SEARCH_COLUMNS",
    "ExportFormatDep",
    "directory_rows",
    "download",
    "event_rows",
    "export",
    "export_format",
    "export_links",
    "land_columns",
    "land_rows",
    "search_rows",
]
