"""Where landings come from and where they go: origin country -> destination country or region, counted per event.

The events are those `/events?type=landing` lists for the same sector, place and dates (`select_events`, with the
viewer's visibility and corrections). An event's origin is the country of its `origin` role (Clarity from Sydney:
AU), else of the companies that land; its destination is the country, or the region (`by="region"`: Wallonia,
Bavaria), of its `location` role. An event with two origins or destinations counts once in each flow it makes; the
totals per origin and per destination count each event once, and an event whose side is unknown counts under
`null` rather than being dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any, Literal

from sqlalchemy import Connection, select

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.geo import Geography, geography
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import EventView, chunks, select_events
from bioatlas.kb.place_filter import place_entity_ids
from bioatlas.kb.queries import PLACE_FILTER_SKIPS
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import scope_for
from bioatlas.sectors import sector_keywords

FlowLevel = Literal["country", "region"]
FLOW_TYPES = ("landing", "expansion")  # the arrivals a flow can be drawn for


def landing_flows(
    store: Store,
    *,
    types: Collection[str] = ("landing",),
    sector: str | None = None,
    place: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    by: FlowLevel = "country",
    viewer: Viewer = ANONYMOUS,
) -> dict[str, Any]:
    """`{"events": n, "flows": [{"origin", "destination", "count"}], "origins": [...], "destinations": [...]}`,
    flows busiest first; `origin` is a country code (or null), `destination` `{"id", "name", "country"}` (or
    null): a country code as id at `by="country"`, a region's entity id at `by="region"`."""
    geo = geography()
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        views, total = select_events(
            conn,
            scope,
            moves,
            entity_ids=place_entity_ids(conn, place, scope, geo) if place else None,
            types=sorted(types),
            date_from=date_from,
            date_to=date_to,
            keywords=sorted(sector_keywords(sector)) if sector else None,
            not_roles=PLACE_FILTER_SKIPS if place else (),
        )
        facts = _entity_facts(conn, {m for v in views for ids in v.roles.values() for m in ids})
        places = {v.id: _destinations(v, facts, geo, by) for v in views}
        regions = {d for found in places.values() for d in found if d not in facts and len(d) != 2}
        facts.update(_entity_facts(conn, regions))  # regions reached through the hierarchy, not named themselves
    pairs: dict[tuple[str | None, str | None], int] = defaultdict(int)
    by_origin: dict[str | None, int] = defaultdict(int)
    by_destination: dict[str | None, int] = defaultdict(int)
    for view in views:
        origins: list[str | None] = [*_origins(view, facts, geo)] or [None]
        destinations: list[str | None] = [*places[view.id]] or [None]
        for o in origins:
            by_origin[o] += 1
            for d in destinations:
                pairs[(o, d)] += 1
        for d in destinations:
            by_destination[d] += 1
    names = {d: facts[d][0] for d in by_destination if d in facts}

    def destination(d: str | None) -> dict[str, Any] | None:
        if d is None:
            return None
        country = d if len(d) == 2 else (facts[d][1] if d in facts else None) or geo.country_of(d)
        return {"id": d, "name": names.get(d, d), "country": country}

    return {
        "filters": {"type": sorted(types), "sector": sector, "place": place, "from": date_from, "to": date_to},
        "by": by,
        "events": total,
        "flows": [
            {"origin": o, "destination": destination(d), "count": n}
            for (o, d), n in sorted(pairs.items(), key=lambda item: (-item[1], item[0][0] or "~", item[0][1] or "~"))
        ],
        "origins": [{"origin": o, "count": n} for o, n in _ranked(by_origin)],
        "destinations": [{"destination": destination(d), "count": n} for d, n in _ranked(by_destination)],
    }


def _ranked(counts: dict[str | None, int]) -> list[tuple[str | None, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] or "~"))


def _entity_facts(conn: Connection, ids: set[str]) -> dict[str, tuple[str, str | None, str]]:
    """Entity id -> (name, country code, type)."""
    out: dict[str, tuple[str, str | None, str]] = {}
    for chunk in chunks(ids):
        for r in conn.execute(
            select(t.entities.c.id, t.entities.c.name, t.entities.c.country, t.entities.c.type).where(
                t.entities.c.id.in_(chunk)
            )
        ):
            out[r.id] = (r.name, r.country, r.type)
    return out


def _country(entity_id: str, facts: dict[str, tuple[str, str | None, str]], geo: Geography) -> str | None:
    own = facts[entity_id][1] if entity_id in facts else None
    return (own or geo.country_of(entity_id) or "").upper() or None


def _origins(view: EventView, facts: dict[str, tuple[str, str | None, str]], geo: Geography) -> list[str]:
    said = view.roles.get("origin") or view.roles.get("company") or []
    return sorted({c for m in said if (c := _country(m, facts, geo))})


def _destinations(
    view: EventView, facts: dict[str, tuple[str, str | None, str]], geo: Geography, by: FlowLevel
) -> list[str]:
    out: set[str] = set()
    for m in view.roles.get("location", []):
        if by == "region":
            region = next((a for a in [m, *geo.ancestors(m)] if _is_region(a, geo)), None)
            if region is not None:
                out.add(region)
                continue
        country = _country(m, facts, geo)
        if country:
            out.add(country)
    return sorted(out)


def _is_region(entity_id: str, geo: Geography) -> bool:
    return geo.kind.get(entity_id) == "region" and bool(geo.country.get(entity_id))


__all__ = ["FLOW_TYPES", "FlowLevel", "landing_flows"]
