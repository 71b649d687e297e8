"""Query parameters shared by a JSON route and its HTML page, so both read a URL the same way."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import AfterValidator

EventType = Literal["landing", "expansion", "launch", "partnership", "funding", "acquisition", "visit"]

_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _blank_to_none(value: str | None) -> str | None:
    """HTML forms send empty fields; empty means 'no filter'."""
    return (value.strip() or None) if value is not None else None


def _partial_date(value: str | None) -> str | None:
    value = _blank_to_none(value)
    if value is not None and not _PARTIAL_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date: use a year, month or day like 2017, 2017-03 or 2017-03-07")
    return value


OptionalText = Annotated[str | None, AfterValidator(_blank_to_none)]
PartialDate = Annotated[str | None, AfterValidator(_partial_date)]


@dataclass(slots=True)
class EventFilters:
    types: list[str] | None
    place: str | None
    sector: str | None
    date_from: str | None
    date_to: str | None
    limit: int

    def as_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `kb.queries.events_list`."""
        return asdict(self)


def event_filters(
    type: Annotated[list[EventType] | None, Query(description="event types; repeat for several")] = None,
    place: Annotated[OptionalText, Query(description="entity id of a place, park or any entity taking part")] = None,
    sector: Annotated[OptionalText, Query(description="sector id, or a word found in the evidence")] = None,
    date_from: Annotated[PartialDate, Query(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    date_to: Annotated[PartialDate, Query(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> EventFilters:
    return EventFilters(list(type) if type else None, place, sector, date_from, date_to, limit)


EventFiltersDep = Annotated[EventFilters, Depends(event_filters)]


@dataclass(slots=True)
class Page:
    limit: int
    offset: int


def page_params(limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0)] = 0) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page_params)]
