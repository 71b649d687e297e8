"""Place filters over the kb: a country or region stands for everything located inside it.

`/events?place=<Belgium>` lists the events of Belgium, Wallonia, Liège and the parks in them; `place=Wallonie` or
`place=Bayern` works as well as an id. The hierarchy is `bioatlas.geo` (reference rows); places and parks known
only from documents count for the country the kb gives them. The map counts a place's events the same way, so the
number on the map is the number of events its link lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from bioatlas.extract.entities import name_key
from bioatlas.geo import Geography, geography, resolve_place
from bioatlas.kb import schema as t
from bioatlas.kb.visibility import Scope

LOCATED_TYPES = ("place", "park", "cluster")  # what a place filter takes in (not the companies based there)
_PLACE_KINDS = {"country", "region", "city", "district"}


def _located(geo: Geography, entity_id: str) -> bool:
    return geo.kind.get(entity_id) in _PLACE_KINDS or geo.kind.get(entity_id) in LOCATED_TYPES


def resolve_filter_place(conn: Connection, text: str, scope: Scope) -> str | None:
    """The kb entity a place filter names: an entity id, else a reference place or organisation by id, country
    code or any of its names (`Wallonie`, `Bayern`, `列日`), else an entity of the kb by one of its aliases."""
    moves = scope.redirects(conn)
    text = text.strip()
    if conn.execute(select(t.entities.c.id).where(t.entities.c.id == text)).first() is not None:
        return moves.get(text, text)
    found = resolve_place(text)
    if found is not None:
        return moves.get(found, found)
    row = conn.execute(
        select(t.aliases.c.entity_id)
        .where(t.aliases.c.folded == (name_key(text)[:255] or text[:255]))
        .order_by(t.aliases.c.entity_id)
    ).first()
    return moves.get(row.entity_id, row.entity_id) if row is not None else None


def place_entity_ids(conn: Connection, place: str, scope: Scope, geo: Geography | None = None) -> list[str]:
    """Every kb id a place filter matches: the place and the ids merged into it, the places, parks and clusters
    inside it, and (for a country or wider) the places and parks the kb puts in one of its countries. Any other
    entity (a company, an agency) matches only itself and what was merged into it."""
    geo = geo or geography()
    moves = scope.redirects(conn)
    canonical = resolve_filter_place(conn, place, scope)
    if canonical is None:
        return [place]  # matches nothing: the list is empty, not everything
    row = conn.execute(select(t.entities.c.type).where(t.entities.c.id == canonical)).first()
    wanted = {canonical}
    if row is not None and row.type in LOCATED_TYPES:
        wanted |= {e for e in geo.inside(canonical) if _located(geo, e)}
        countries = sorted({c for e in wanted if (c := geo.country.get(e)) and geo.country_place(c) == e})
        if countries:
            wanted |= {
                r.id
                for r in conn.execute(
                    select(t.entities.c.id).where(
                        t.entities.c.country.in_(countries), t.entities.c.type.in_(LOCATED_TYPES)
                    )
                )
            }
    return sorted(wanted | {src for src, dst in moves.items() if dst in wanted})


def roll_up(conn: Connection, keys_by_entity: dict[str, set[str]], geo: Geography | None = None) -> dict[str, set[str]]:
    """Event keys per entity, with each place's, park's and cluster's events also counted for every place that
    contains it (Liège's for Wallonia, Belgium, the EU); a place or park known only from documents counts for
    its country. Companies and agencies keep their own events only."""
    geo = geo or geography()
    out: dict[str, set[str]] = {k: set(v) for k, v in keys_by_entity.items()}
    unknown = [e for e in keys_by_entity if e not in geo.kind]
    home: dict[str, str] = {}
    for chunk in _chunks(unknown):
        for r in conn.execute(
            select(t.entities.c.id, t.entities.c.country).where(
                t.entities.c.id.in_(chunk), t.entities.c.type.in_(LOCATED_TYPES), t.entities.c.country.is_not(None)
            )
        ):
            place = geo.country_place(r.country)
            if place:
                home[r.id] = place
    for entity_id, keys in keys_by_entity.items():
        if entity_id in home:
            above = [home[entity_id], *geo.ancestors(home[entity_id])]
        elif _located(geo, entity_id):
            above = geo.ancestors(entity_id)
        else:
            continue
        for area in above:
            out.setdefault(area, set()).update(keys)
    return out


def _chunks(items: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = ["LOCATED_TYPES", "place_entity_ids", "resolve_filter_place", "roll_up"]
