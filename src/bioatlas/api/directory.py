"""The directory: `GET /api/directory` (JSON, or a CSV/JSON download with `format=`) and its page `/directory`,
both reading the URL through `directory_filters` and answering with `kb.directory.directory`.

A value a parameter cannot take is a 400 naming it (`sort=size`, `country=Belgium`, `page=0`); a page past the
last one is an empty page with a `note`, not an error, so a link kept while the kb changed still opens.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from bioatlas.api import exports
from bioatlas.api.deps import StoreDep, ViewerDep
from bioatlas.api.errors import ERROR_RESPONSES
from bioatlas.api.params import ALWAYS_ACCEPTED, BadInput, blank_to_none, known_parameters
from bioatlas.kb.directory import DIRECTORY_TYPES, MOST_PER_PAGE, PER_PAGE, SORTS, DirectoryError, DirectoryFilters
from bioatlas.kb.directory import directory as read_directory
from bioatlas.model import EVENT_TYPES
from bioatlas.web import answer_view as view
from bioatlas.web.paging import page_links
from bioatlas.web.render import Render

_YEAR = re.compile(r"\d{4}")


_text = blank_to_none  # a blank form field is no value


def _whole(parameter: str, value: str | None, default: int, least: int, most: int) -> int:
    text = _text(value)
    if text is None:
        return default
    try:
        number = int(text)
    except ValueError:
        number = least - 1
    if not least <= number <= most:
        raise BadInput(f"{parameter}: give a whole number from {least} to {most}, not {text!r}")
    return number


def directory_filters(
    type: Annotated[
        list[str] | None, Query(description=f"entity types ({', '.join(DIRECTORY_TYPES)}); repeat or use commas")
    ] = None,
    sector: Annotated[str | None, Query(description="sector id (data/reference/sectors.csv)")] = None,
    country: Annotated[str | None, Query(description="two-letter country code, e.g. BE, CN")] = None,
    place: Annotated[
        str | None, Query(description="a place in any language or its id: a region lists everything inside it")
    ] = None,
    event: Annotated[str | None, Query(description="has at least one event of this type")] = None,
    since: Annotated[str | None, Query(description="has an event in this year or later (YYYY)")] = None,
    q: Annotated[str | None, Query(description="the name contains these letters")] = None,
    sort: Annotated[str | None, Query(description=f"one of {', '.join(SORTS)}")] = None,
    page: Annotated[str | None, Query(description="page number, from 1")] = None,
    per_page: Annotated[
        str | None, Query(description=f"entries per page (up to {MOST_PER_PAGE}; {exports.EXPORT_MOST} in exports)")
    ] = None,
    format: exports.ExportFormatDep = None,
) -> DirectoryFilters:
    """The directory question a URL asks; every wrong value is a `BadInput` naming its parameter."""
    types = [v.strip() for value in type or [] for v in value.split(",") if v.strip()]
    odd = [v for v in types if v not in DIRECTORY_TYPES]
    if odd:
        raise BadInput(f"type: {odd[0]!r} is not a directory type; use {', '.join(DIRECTORY_TYPES)}")
    code = _text(country)
    if code is not None:
        if not (len(code) == 2 and code.isalpha()):
            raise BadInput(f"country: give a two-letter country code such as BE or CN, not {code!r}")
        code = code.upper()
    kind = _text(event)
    if kind is not None and kind not in EVENT_TYPES:
        raise BadInput(f"event: {kind!r} is not an event type; use {', '.join(EVENT_TYPES)}")
    year = _text(since)
    if year is not None and not _YEAR.fullmatch(year):
        raise BadInput(f"since: give a year such as 2020, not {year!r}")
    order = _text(sort) or "name"
    if order not in SORTS:
        raise BadInput(f"sort: {order!r} is not a way to sort; use {', '.join(SORTS)}")
    most = exports.EXPORT_MOST if format else MOST_PER_PAGE
    return DirectoryFilters(
        types=tuple(dict.fromkeys(types)),
        sector=_text(sector),
        country=code,
        place=_text(place),
        event_type=kind,
        since=year,
        q=_text(q),
        sort=order,
        page=_whole("page", page, 1, 1, 1_000_000),
        per_page=_whole("per_page", per_page, PER_PAGE, 1, most),
    )


DirectoryFiltersDep = Annotated[DirectoryFilters, Depends(directory_filters)]


def directory_answer(store: Any, filters: DirectoryFilters, viewer: Any) -> dict[str, Any]:
    """The directory page, with a filter that names nothing known turned into the 400 of its parameter."""
    try:
        return read_directory(store, filters, viewer=viewer)
    except DirectoryError as exc:
        raise BadInput(str(exc)) from None


api_router = APIRouter(tags=["directory"], dependencies=[Depends(known_parameters)])


@api_router.get(
    "/directory",
    responses={**ERROR_RESPONSES, 200: {"content": {"text/csv": {}}, "description": "the page, or its download"}},
    summary="Companies, parks, clusters, agencies… by type, sector, country, place and activity, sorted and paged",
)
async def directory_api(
    store: StoreDep, viewer: ViewerDep, filters: DirectoryFiltersDep, fmt: exports.ExportFormatDep
) -> Any:
    result = await run_in_threadpool(directory_answer, store, filters, viewer)
    return exports.export(fmt, result, exports.directory_rows, exports.DIRECTORY_COLUMNS, "directory")


page_router = APIRouter(include_in_schema=False)


PAGE_PARAMETERS = ("type", "sector", "country", "place", "event", "since", "q", "sort", "page", "per_page")


@page_router.get("/directory", response_class=HTMLResponse)
def directory_page(request: Request, store: StoreDep, viewer: ViewerDep, render: Render) -> Response:
    """The form keeps what was asked; a wrong value shows the form again with the message (status 400)."""
    error, data, status = None, None, 200
    try:
        odd = sorted(set(request.query_params) - set(PAGE_PARAMETERS) - ALWAYS_ACCEPTED)
        if odd:
            raise BadInput(f"{odd[0]}: unknown parameter; this page takes {', '.join(PAGE_PARAMETERS)}")
        filters = directory_filters(
            type=request.query_params.getlist("type") or None,
            **{name: request.query_params.get(name) for name in PAGE_PARAMETERS[1:]},
        )
        data = directory_answer(store, filters, viewer)
    except BadInput as exc:
        error, status = str(exc), 400
        filters = DirectoryFilters()
    pager = page_links(request, data["page"], data["pages"]) if data is not None else None
    asked = request.query_params
    return render.page(
        "directory.html",
        status=status,
        data=data,
        error=error,
        asked={
            "types": [v for value in asked.getlist("type") for v in value.split(",")],
            **{name: asked.get(name, "") for name in ("sector", "country", "place", "event", "since", "q", "sort")},
        },
        filters=filters,
        types=DIRECTORY_TYPES,
        sorts=SORTS,
        event_types=EVENT_TYPES,
        sectors=view.sector_names(render.lang),
        countries=view.country_names(render.lang),
        pager=pager,
        downloads=exports.export_links("/directory", request.query_params.multi_items()) if data else None,
    )


__all__ = ["DirectoryFiltersDep", "api_router", "directory_filters", "page_router"]
