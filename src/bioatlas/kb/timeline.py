"""Events per year and type: the numbers of a timeline chart, counted in SQL over the events the viewer sees.

The groups counted are exactly those `/events` lists for the same filters (`event_view.group_query`, the query
behind `select_events`): a place stands for everything inside it, a sector for its words in a report's sentence,
an entity for itself and what was merged into it; the viewer's corrections and visibility apply. The year is the
first four characters of the event's date; an event with no date at all is counted as `undated`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, func, select

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import group_query
from bioatlas.kb.place_filter import place_entity_ids
from bioatlas.kb.queries import PLACE_FILTER_SKIPS, NotFound, group_ids
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import scope_for
from bioatlas.model import EVENT_TYPES
from bioatlas.sectors import sector_keywords


def events_per_year(
    store: Store,
    *,
    place: str | None = None,
    sector: str | None = None,
    entity: str | None = None,
    types: Collection[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    viewer: Viewer = ANONYMOUS,
) -> dict[str, Any]:
    """`{"years": [...], "types": [...], "counts": [{"year", "type", "count"}], "undated": n, "total": n}`:
    one row per year and type that has events, years ascending; `total` is the number `/events` gives for the
    same filters. An entity the viewer cannot see raises `NotFound`."""
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        entity_ids: list[str] | None = None
        not_roles: tuple[str, ...] = ()
        if place:
            entity_ids, not_roles = place_entity_ids(conn, place, scope), PLACE_FILTER_SKIPS
        elif entity:
            canonical, entity_ids, _ = group_ids(conn, entity, scope)
            if scope.hidden(conn, [canonical]) or not _exists(conn, canonical):
                raise NotFound(f"no entity with id {entity!r}")
        grouped = group_query(
            conn,
            scope,
            moves,
            entity_ids=entity_ids,
            types=sorted(types) if types else None,
            date_from=date_from,
            date_to=date_to,
            keywords=sorted(sector_keywords(sector)) if sector else None,
            not_roles=not_roles,
        ).query.subquery()
        year = func.substr(grouped.c.date, 1, 4)
        rows = conn.execute(
            select(year.label("year"), grouped.c.type, func.count().label("n"))
            .group_by(year, grouped.c.type)
            .order_by(year, grouped.c.type)
        ).all()
    dated = [(str(r.year), str(r.type), int(r.n)) for r in rows if r.year is not None and str(r.year).isdigit()]
    undated = sum(int(r.n) for r in rows if r.year is None or not str(r.year).isdigit())
    present = {kind for _, kind, _ in dated}
    return {
        "filters": {
            "place": place,
            "sector": sector,
            "entity": entity,
            "type": sorted(types) if types else None,
            "from": date_from,
            "to": date_to,
        },
        "years": sorted({year for year, _, _ in dated}),
        "types": [k for k in EVENT_TYPES if k in present] + sorted(present - set(EVENT_TYPES)),
        "counts": [{"year": year, "type": kind, "count": n} for year, kind, n in dated],
        "undated": undated,
        "total": sum(n for _, _, n in dated) + undated,
    }


def _exists(conn: Connection, entity_id: str) -> bool:
    return conn.execute(select(t.entities.c.id).where(t.entities.c.id == entity_id)).first() is not None


__all__ = ["events_per_year"]
