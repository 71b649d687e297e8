"""Query parameters shared by a JSON route and its HTML page, so both read a URL the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Query

EventType = Literal["landing", "expansion", "launch", "partnership", "funding", "acquisition", "visit"]

# A year, a month or a day; empty means "no limit" (HTML forms send empty fields).
PARTIAL_DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


@dataclass(slots=True)
class EventFilters:
    types: list[str] | None
    place: str | None
    sector: str | None
    date_from: str | None
    date_to: str | None
    limit: int

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "types": self.types,
            "place": self.place,
            "sector": self.sector,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "limit": self.limit,
        }


def event_filters(
    type: Annotated[list[EventType] | None, Query(description="event types; repeat for several")] = None,
    place: Annotated[str | None, Query(description="entity id of a place, park or any entity taking part")] = None,
    sector: Annotated[str | None, Query(description="sector id or word found in the evidence")] = None,
    date_from: Annotated[
        str | None, Query(alias="from", pattern=PARTIAL_DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", pattern=PARTIAL_DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> EventFilters:
    return EventFilters(
        list(type) if type else None,
        _blank_to_none(place),
        _blank_to_none(sector),
        _blank_to_none(date_from),
        _blank_to_none(date_to),
        limit,
    )


EventFiltersDep = Annotated[EventFilters, Depends(event_filters)]


@dataclass(slots=True)
class Page:
    limit: int
    offset: int


def page_params(limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0)] = 0) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page_params)]
