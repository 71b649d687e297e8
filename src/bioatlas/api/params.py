"""Query parameters shared by a JSON route and its HTML page, so both read a URL the same way.

A value a parameter cannot take is a `BadInput` naming the parameter and what it accepts (a 400 in the API, the
message on the page), never a silent empty answer: `from=2017-13` is not a month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from pydantic import AfterValidator

EventType = Literal["landing", "expansion", "launch", "partnership", "funding", "acquisition", "visit"]

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class BadInput(ValueError):
    """A question asked with a value it cannot take (unknown sector, negative weight, 2017-13...): a 400."""


def blank_to_none(value: str | None) -> str | None:
    """HTML forms send empty fields; empty means 'no filter'."""
    return (value.strip() or None) if value is not None else None


def partial_date(value: str | None, parameter: str) -> str | None:
    """A year, month or day (2017, 2017-03, 2017-03-07) that exists on the calendar, or None when blank."""
    value = blank_to_none(value)
    if value is None:
        return None
    m = _PARTIAL_DATE.fullmatch(value)
    try:
        if m is None:
            raise ValueError
        dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise BadInput(
            f"{parameter}: {value!r} is not a date; use a year, month or day like 2017, 2017-03 or 2017-03-07"
        ) from None
    return value


OptionalText = Annotated[str | None, AfterValidator(blank_to_none)]


@dataclass(slots=True)
class EventFilters:
    types: list[str] | None
    place: str | None
    sector: str | None
    date_from: str | None
    date_to: str | None
    limit: int
    page: int = 1

    def as_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `kb.queries.events_list`."""
        return asdict(self)


def event_filters(
    type: Annotated[list[EventType] | None, Query(description="event types; repeat for several")] = None,
    place: Annotated[OptionalText, Query(description="entity id of a place, park or any entity taking part")] = None,
    sector: Annotated[OptionalText, Query(description="sector id, or a word found in the evidence")] = None,
    date_from: Annotated[str | None, Query(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    limit: Annotated[
        int, Query(ge=1, le=1000, description="events per page (the web page shows 50 unless asked)")
    ] = 200,
    page: Annotated[str | None, Query(description="page number, from 1; past the last page: an empty page")] = None,
) -> EventFilters:
    start, end = partial_date(date_from, "from"), partial_date(date_to, "to")
    if start and end and start[: len(end)] > end:
        raise BadInput(f"from: {start} comes after to: {end}; give an earlier 'from' or a later 'to'")
    return EventFilters(list(type) if type else None, place, sector, start, end, limit, page_number(page))


def page_number(value: str | None, parameter: str = "page") -> int:
    """A page number from 1 (blank: 1); anything else is a 400 naming the parameter."""
    text = blank_to_none(value)
    if text is None:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise BadInput(f"{parameter}: give a page number from 1, not {text!r}")
    return int(text)


EventFiltersDep = Annotated[EventFilters, Depends(event_filters)]


@dataclass(slots=True)
class Page:
    limit: int
    offset: int


def page_params(limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0)] = 0) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page_params)]


# Parameters every page may carry whatever its own are (the UI language).
ALWAYS_ACCEPTED = frozenset({"lang"})


def _query_names(dependant: Any) -> list[str]:
    """The query parameters a route takes, its dependencies' included."""
    names = [p.alias for p in dependant.query_params]
    for sub in dependant.dependencies:
        names += _query_names(sub)
    return names


def known_parameters(request: Request) -> None:
    """A query parameter the route does not take is a 400 naming it, never silently ignored (`needs=` for `need=`
    would otherwise answer as if nothing were needed)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = set(_query_names(dependant)) | ALWAYS_ACCEPTED
    odd = sorted(set(request.query_params) - known)
    if odd:
        raise BadInput(f"{odd[0]}: unknown parameter; this request takes {', '.join(sorted(known - ALWAYS_ACCEPTED))}")
