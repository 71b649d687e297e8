"""The numbers behind the charts: `GET /api/timeline` (events per year and type) and `GET /api/flows` (landings
from origin country to destination), and the page `/flows` that draws the second.

Both read their filters the way `/api/events` does (a place stands for everything inside it, a sector for its
words), so the counts agree with the event list the chart links to. A value a parameter cannot take is a 400
naming it, never an empty chart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from bioatlas.api.deps import StoreDep, ViewerDep
from bioatlas.api.errors import ERROR_RESPONSES
from bioatlas.api.params import ALWAYS_ACCEPTED, BadInput, blank_to_none, known_parameters, partial_date
from bioatlas.kb.flows import FLOW_TYPES, landing_flows
from bioatlas.kb.timeline import events_per_year
from bioatlas.model import EVENT_TYPES
from bioatlas.web import answer_view as view
from bioatlas.web.chart_view import flows_view
from bioatlas.web.i18n import Translator
from bioatlas.web.render import Render

LEVELS = ("country", "region")


_text = blank_to_none  # a blank form field is no value


def _types(values: list[str] | None, allowed: tuple[str, ...]) -> list[str]:
    types = [v.strip() for value in values or [] for v in value.split(",") if v.strip()]
    odd = [v for v in types if v not in allowed]
    if odd:
        raise BadInput(f"type: {odd[0]!r} is not an event type here; use {', '.join(allowed)}")
    return list(dict.fromkeys(types))


def _dates(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    start, end = partial_date(date_from, "from"), partial_date(date_to, "to")
    if start and end and start[: len(end)] > end:
        raise BadInput(f"from: {start} comes after to: {end}; give an earlier 'from' or a later 'to'")
    return start, end


@dataclass(slots=True)
class TimelineFilters:
    place: str | None
    sector: str | None
    entity: str | None
    types: list[str] | None
    date_from: str | None
    date_to: str | None


def timeline_filters(
    place: Annotated[str | None, Query(description="a place in any language or its id, with what is inside")] = None,
    sector: Annotated[str | None, Query(description="sector id, or a word found in the evidence")] = None,
    entity: Annotated[str | None, Query(description="an entity id: its events (not with `place`)")] = None,
    type: Annotated[list[str] | None, Query(description="event types; repeat or use commas")] = None,
    date_from: Annotated[str | None, Query(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
) -> TimelineFilters:
    where, who = _text(place), _text(entity)
    if where and who:
        raise BadInput("entity: give either a place or an entity, not both")
    start, end = _dates(date_from, date_to)
    return TimelineFilters(where, _text(sector), who, _types(type, EVENT_TYPES) or None, start, end)


@dataclass(slots=True)
class FlowFilters:
    types: list[str]
    sector: str | None
    place: str | None
    date_from: str | None
    date_to: str | None
    by: str


def flow_filters(
    type: Annotated[list[str] | None, Query(description=f"{' or '.join(FLOW_TYPES)} (default landing)")] = None,
    sector: Annotated[str | None, Query(description="sector id, or a word found in the evidence")] = None,
    place: Annotated[str | None, Query(description="destination place in any language or its id")] = None,
    date_from: Annotated[str | None, Query(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    by: Annotated[str | None, Query(description="destination as `country` (default) or `region`")] = None,
) -> FlowFilters:
    level = _text(by) or "country"
    if level not in LEVELS:
        raise BadInput(f"by: {level!r} is not a level; use {' or '.join(LEVELS)}")
    start, end = _dates(date_from, date_to)
    return FlowFilters(_types(type, FLOW_TYPES) or ["landing"], _text(sector), _text(place), start, end, level)


@dataclass(slots=True)
class MapFilters:
    types: list[str] | None
    sector: str | None
    date_from: str | None
    date_to: str | None

    def query(self) -> list[tuple[str, str]]:
        """The same filters as URL parameters (for the links from the map to `/events`)."""
        pairs = [("type", k) for k in self.types or []]
        pairs += [(k, v) for k, v in (("sector", self.sector), ("from", self.date_from), ("to", self.date_to)) if v]
        return pairs


def map_filters(
    type: Annotated[list[str] | None, Query(description="event types; repeat or use commas")] = None,
    sector: Annotated[str | None, Query(description="sector id, or a word found in the evidence")] = None,
    date_from: Annotated[str | None, Query(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
) -> MapFilters:
    start, end = _dates(date_from, date_to)
    return MapFilters(_types(type, EVENT_TYPES) or None, _text(sector), start, end)


MapFiltersDep = Annotated[MapFilters, Depends(map_filters)]
TimelineFiltersDep = Annotated[TimelineFilters, Depends(timeline_filters)]
FlowFiltersDep = Annotated[FlowFilters, Depends(flow_filters)]

api_router = APIRouter(tags=["charts"], dependencies=[Depends(known_parameters)])


@api_router.get(
    "/timeline", responses=ERROR_RESPONSES, summary="Events per year and type for a place, a sector or an entity"
)
async def timeline(store: StoreDep, viewer: ViewerDep, filters: TimelineFiltersDep) -> dict[str, Any]:
    return await run_in_threadpool(lambda: events_per_year(store, **asdict(filters), viewer=viewer))


@api_router.get(
    "/flows", responses=ERROR_RESPONSES, summary="Landings from origin country to destination country or region"
)
async def flows(store: StoreDep, viewer: ViewerDep, filters: FlowFiltersDep) -> dict[str, Any]:
    return await run_in_threadpool(lambda: _flows(store, filters, viewer))


def _flows(store: Any, filters: FlowFilters, viewer: Any) -> dict[str, Any]:
    return landing_flows(
        store,
        types=filters.types,
        sector=filters.sector,
        place=filters.place,
        date_from=filters.date_from,
        date_to=filters.date_to,
        by="region" if filters.by == "region" else "country",
        viewer=viewer,
    )


page_router = APIRouter(include_in_schema=False)
PAGE_PARAMETERS = ("type", "sector", "place", "from", "to", "by")


@page_router.get("/flows", response_class=HTMLResponse)
def flows_page(request: Request, store: StoreDep, viewer: ViewerDep, render: Render) -> Response:
    """The flow chart, its table and the form; a wrong value shows the form again with the message (400)."""
    error, chart, data, status = None, None, None, 200
    asked = request.query_params
    try:
        odd = sorted(set(asked) - set(PAGE_PARAMETERS) - ALWAYS_ACCEPTED)
        if odd:
            raise BadInput(f"{odd[0]}: unknown parameter; this page takes {', '.join(PAGE_PARAMETERS)}")
        filters = flow_filters(
            type=asked.getlist("type") or None,
            sector=asked.get("sector"),
            place=asked.get("place"),
            date_from=asked.get("from"),
            date_to=asked.get("to"),
            by=asked.get("by"),
        )
        data = _flows(store, filters, viewer)
        chart = flows_view(data, Translator(render.lang), view.country_names(render.lang))
    except BadInput as exc:
        error, status = str(exc), 400
    return render.page(
        "flows.html",
        status=status,
        data=data,
        chart=chart,
        error=error,
        flow_types=FLOW_TYPES,
        asked={
            "types": [v for value in asked.getlist("type") for v in value.split(",")] or ["landing"],
            **{name: asked.get(name, "") for name in ("sector", "place", "from", "to", "by")},
        },
    )


__all__ = ["MapFiltersDep", "api_router", "flow_filters", "map_filters", "page_router", "timeline_filters"]
