"""The map's points with their event counts under the map's filters (event type, dates, sector), parks included.

A point counts the events `/events?place=<id>` lists with the same filters: the events that happened in it or in a
place inside it (`event_keys_by_entity` rolled up by `place_filter.roll_up`, as `queries.map_points` counts them),
kept when the event itself matches the filters (`event_view.group_query`, the query of the event list). So the
number on a point and the length of the list its link opens agree, filters or not.

Parks and clusters rarely have coordinates of their own (the reference rows give their city). They are drawn at
the nearest place containing them that has coordinates (a city, district or region, never a whole country) and
say so (`placed_at`), so a park is on the map where its events are, not left out.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, and_, select

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.geo import geography
from bioatlas.kb import queries
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import chunks, event_keys_by_entity, group_query
from bioatlas.kb.place_filter import roll_up
from bioatlas.kb.queries import PLACE_FILTER_SKIPS
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import Scope, scope_for
from bioatlas.sectors import sector_keywords

PARK_TYPES = ("park", "cluster")
_NEAR_KINDS = ("district", "city", "region")  # where a park without coordinates may be drawn


def map_points(
    store: Store,
    *,
    types: Collection[str] | None = None,
    sector: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    viewer: Viewer = ANONYMOUS,
) -> list[dict[str, Any]]:
    """Entities on the map with at least one matching event, busiest first: id, name, type, country, lat, lon,
    events, and `placed_at` (the place whose coordinates a park borrows; None for its own)."""
    filtered = bool(types or sector or date_from or date_to)
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        keys = roll_up(conn, event_keys_by_entity(conn, scope, moves, not_roles=PLACE_FILTER_SKIPS))
        if filtered:
            matching = _matching_keys(conn, scope, moves, types, sector, date_from, date_to)
            keys = {eid: found & matching for eid, found in keys.items()}
        counts = {eid: len(found) for eid, found in keys.items() if found}
        parks = _parks_placed(conn, counts)
        located = (
            queries.map_points(store, viewer=viewer)  # the map's own count, the same without filters
            if not filtered
            else [
                {"id": r.id, "name": r.name, "type": r.type, "country": r.country, "lat": r.lat, "lon": r.lon}
                for r in conn.execute(
                    select(t.entities).where(and_(t.entities.c.lat.is_not(None), t.entities.c.lon.is_not(None)))
                )
                if counts.get(r.id)
            ]
        )
    points = [{**p, "events": counts.get(p["id"], p.get("events", 0)), "placed_at": None} for p in located]
    return sorted((p for p in points + parks if p["events"]), key=lambda p: (-p["events"], p["name"], p["id"]))


def _matching_keys(
    conn: Connection,
    scope: Scope,
    moves: dict[str, str],
    types: Collection[str] | None,
    sector: str | None,
    date_from: str | None,
    date_to: str | None,
) -> set[str]:
    grouped = group_query(
        conn,
        scope,
        moves,
        types=sorted(types) if types else None,
        date_from=date_from,
        date_to=date_to,
        keywords=sorted(sector_keywords(sector)) if sector else None,
    ).query.subquery()
    return {str(k) for k in conn.execute(select(grouped.c.key)).scalars()}


def _parks_placed(conn: Connection, counts: dict[str, int]) -> list[dict[str, Any]]:
    """Parks and clusters with events and no coordinates, at the coordinates of the nearest place around them."""
    geo = geography()
    wanted = [eid for eid in counts if geo.kind.get(eid) in PARK_TYPES]  # kb-only parks: no place around them
    rows: list[Any] = []
    for chunk in chunks(wanted):
        rows.extend(
            conn.execute(
                select(t.entities).where(
                    t.entities.c.id.in_(chunk), t.entities.c.type.in_(PARK_TYPES), t.entities.c.lat.is_(None)
                )
            )
        )
    near = {r.id: next((a for a in geo.ancestors(r.id) if geo.kind.get(a) in _NEAR_KINDS), None) for r in rows}
    spots = {
        r.id: (r.lat, r.lon)
        for chunk in chunks({a for a in near.values() if a})
        for r in conn.execute(
            select(t.entities.c.id, t.entities.c.lat, t.entities.c.lon).where(
                t.entities.c.id.in_(chunk), t.entities.c.lat.is_not(None), t.entities.c.lon.is_not(None)
            )
        )
    }
    return [
        {
            "id": r.id,
            "name": r.name,
            "type": r.type,
            "country": r.country,
            "lat": spots[place][0],
            "lon": spots[place][1],
            "events": counts[r.id],
            "placed_at": place,
        }
        for r in rows
        if (place := near[r.id]) in spots
    ]


__all__ = ["PARK_TYPES", "map_points"]
