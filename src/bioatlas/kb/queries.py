"""Read-only questions over the kb, as plain JSON-ready dicts: the API returns them, the web pages render them.

Every read takes the `viewer` who asks and uses only what it may see (`kb.visibility`): the shared kb and its own
organisation's uploads. The default is the anonymous reader (the shared kb only), so a call that forgets the
viewer shows less, never more; the command line passes `COMMAND_LINE`, which sees everything.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.kb import corrections
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import chunks, event_keys_by_entity, select_events
from bioatlas.kb.place_filter import place_entity_ids, roll_up
from bioatlas.kb.search import search_documents
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import Scope, org_filter, scope_for
from bioatlas.sectors import sector_keywords
from bioatlas.sources import public_source


class NotFound(LookupError):
    pass


# Roles that do not place an event: `/events?place=Australia` lists what happened in Australia, not the landing in
# Liège of a company from Sydney (the map counts the same way).
PLACE_FILTER_SKIPS = ("origin",)


def _doc_ref(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "url": row.url,
        "source": public_source(row.url or row.source),
        "published": row.published,
    }


def group_ids(conn: Connection, entity_id: str, scope: Scope) -> tuple[str, list[str], dict[str, str]]:
    """The canonical id of an entity and every id merged into it, as the viewer sees the merges."""
    moves = scope.redirects(conn)
    canonical = moves.get(entity_id, entity_id)
    members = [canonical] + [src for src, dst in moves.items() if dst == canonical]
    return canonical, members, moves


def search(store: Store, query: str, limit: int = 20, offset: int = 0, *, viewer: Viewer = ANONYMOUS) -> dict[str, Any]:
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        result = search_documents(conn, query, scope, limit, offset)
        moves = scope.redirects(conn)
        seen: dict[str, dict[str, Any]] = {}
        for ent in result["entities"]:
            canonical = moves.get(ent["id"], ent["id"])
            if canonical not in seen:
                row = conn.execute(select(t.entities).where(t.entities.c.id == canonical)).first()
                if row is not None:
                    seen[canonical] = {
                        **ent,
                        "id": canonical,
                        "name": row.name,
                        "type": row.type,
                        "country": row.country,
                    }
        result["entities"] = list(seen.values())
        # paging as the other lists give it: `offset` rows skipped, `limit` a page (page numbers count from 1)
        result.update(offset=offset, per_page=limit, page=offset // limit + 1 if limit else 1)
        result["pages"] = max(1, -(-int(result.get("total") or 0) // limit)) if limit else 1
        return result


def _names_by_language(conn: Connection, ids: list[str], scope: Scope) -> dict[str, list[str]]:
    rows = conn.execute(
        scope.where(
            select(t.claims.c.value, t.claims.c.language)
            .outerjoin(t.documents, t.documents.c.id == t.claims.c.document_id)
            .where(and_(t.claims.c.entity_id.in_(ids), t.claims.c.prop == "name"))
        )
    ).all()
    names: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        names[r.language or "other"].add(r.value)
    return {lang: sorted(v) for lang, v in sorted(names.items())}


def entity_page(store: Store, entity_id: str, *, viewer: Viewer = ANONYMOUS) -> dict[str, Any]:
    """An entity with the evidence the viewer may see; one known only from hidden documents is not found."""
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        canonical, ids, moves = group_ids(conn, entity_id, scope)
        row = conn.execute(select(t.entities).where(t.entities.c.id == canonical)).first()
        if row is None or scope.hidden(conn, [canonical]):
            raise NotFound(f"no entity with id {entity_id!r}")
        claims = conn.execute(
            scope.where(
                select(t.claims, t.documents.c.title, t.documents.c.url, t.documents.c.source)
                .outerjoin(t.documents, t.documents.c.id == t.claims.c.document_id)
                .where(t.claims.c.entity_id.in_(ids))
            )
        ).all()
        roles = sorted({c.value for c in claims if c.prop == "role"})
        notes = sorted({c.value for c in claims if c.prop == "note"})
        moved_here = corrections.figures_moved_to(conn, viewer.org, ids)  # given to this entity by a correction
        about = t.figures.c.entity_id.in_(ids)
        figures = corrections.apply_to_figures(  # as users corrected them (rejected ones left out)
            conn,
            viewer.org,
            (
                {**f._mapping, "doc_source": public_source(f.doc_source)}
                for f in conn.execute(
                    scope.where(
                        select(
                            t.figures,
                            t.documents.c.title.label("doc_title"),
                            t.documents.c.url.label("doc_url"),
                            t.documents.c.source.label("doc_source"),
                        )
                        .join(t.documents, t.documents.c.id == t.figures.c.document_id)
                        .where(or_(about, t.figures.c.id.in_(moved_here)) if moved_here else about)
                        .order_by(t.figures.c.unit, t.figures.c.date)
                    )
                )
            ),
            moves,
            entity_ids=set(ids),
        )
        events, _ = _events(conn, moves, scope, entity_ids=ids)
        related: dict[str, int] = defaultdict(int)
        for ev in events:
            for members in ev["roles"].values():
                for m in members:
                    if m["id"] != canonical:
                        related[m["id"]] += 1
        related_rows = {r.id: r for r in conn.execute(select(t.entities).where(t.entities.c.id.in_(list(related))))}
        merges = [
            dict(m._mapping)
            for m in conn.execute(
                select(t.merges).where(t.merges.c.from_id.in_(ids) | t.merges.c.to_id.in_(ids)).order_by(t.merges.c.at)
            )
        ]
        hidden = scope.hidden(conn, {m["from_id"] for m in merges} | {m["to_id"] for m in merges})
        merges = [m for m in merges if m["from_id"] not in hidden and m["to_id"] not in hidden]
        for m in merges:
            for side in ("from_id", "to_id"):
                other = conn.execute(select(t.entities.c.name).where(t.entities.c.id == m[side])).scalar()
                m[side.replace("_id", "_name")] = other
        return {
            "entity": {
                "id": canonical,
                "name": row.name,
                "type": row.type,
                "country": row.country,
                "reference": row.reference,
                "lat": row.lat,
                "lon": row.lon,
                "roles": roles,
            },
            "names": _names_by_language(conn, ids, scope),
            "sources": sorted({(c.title or public_source(c.source) or c.reference or "") for c in claims}),
            "claims": len(claims),
            "figures": figures,
            "events": events,
            "related": sorted(
                (
                    {"id": k, "name": related_rows[k].name, "type": related_rows[k].type, "count": v}
                    for k, v in related.items()
                    if k in related_rows
                ),
                key=lambda x: (-x["count"], x["name"]),
            )[:30],
            "conflicts": _conflicts(figures, notes),
            "merges": merges,
            "merged_ids": ids,
        }


def _conflicts(figures: list[dict[str, Any]], notes: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    by_quantity: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in figures:
        by_quantity[(f["unit"], (f["what"] or "")[:40], (f["date"] or "")[:4])].append(f)
    for (unit, what, year), items in by_quantity.items():
        values = {round(f["value"], 6) for f in items}
        if len(values) > 1 and len({f["document_id"] for f in items}) > 1:
            out.append(
                {
                    "kind": "figure",
                    "unit": unit,
                    "what": what,
                    "year": year or None,
                    "claims": [
                        {
                            "value": f["value"],
                            "evidence": f["evidence"],
                            "document_id": f["document_id"],
                            "document": f["doc_title"] or public_source(f["doc_source"]),
                            "start": f["start"],
                            "end": f["end"],
                        }
                        for f in items
                    ],
                }
            )
    for note in notes:
        if "differ" in note or "spelled" in note or "named" in note:
            out.append({"kind": "name", "note": note})
    return out


def _events(
    conn: Connection,
    moves: dict[str, str],
    scope: Scope,
    entity_ids: list[str] | None = None,
    types: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 500,
    *,
    document_id: str | None = None,
    keywords: list[str] | None = None,
    not_roles: tuple[str, ...] = (),
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Events (grouped across reports, `kb.event_view`) as JSON, newest first, and how many match in all."""
    views, total = select_events(
        conn,
        scope,
        moves,
        entity_ids=entity_ids,
        document_id=document_id,
        types=types,
        date_from=date_from,
        date_to=date_to,
        keywords=keywords,
        limit=limit,
        not_roles=not_roles,
        offset=offset,
    )
    members = {m for v in views for ids in v.roles.values() for m in ids}
    names: dict[str, tuple[str, str]] = {}
    for chunk in chunks(members):
        names.update(
            (r.id, (r.name, r.type))
            for r in conn.execute(
                select(t.entities.c.id, t.entities.c.name, t.entities.c.type).where(t.entities.c.id.in_(chunk))
            )
        )
    return [v.to_json(names) for v in views], total


def events_list(
    store: Store,
    types: list[str] | None = None,
    place: str | None = None,
    sector: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 200,
    page: int = 1,
    *,
    viewer: Viewer = ANONYMOUS,
) -> dict[str, Any]:
    """Events (grouped across reports) from the documents the viewer sees; counts are of those only.

    `limit` events per page, page `page` (from 1); a page past the last one is empty and says so in `note`."""
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        entity_ids = None
        if place:
            entity_ids = place_entity_ids(conn, place, scope)  # the place and everything inside it
        keywords = sorted(sector_keywords(sector)) if sector else None
        events, count = _events(
            conn,
            moves,
            scope,
            entity_ids,
            types,
            date_from,
            date_to,
            limit=limit,
            keywords=keywords,
            not_roles=PLACE_FILTER_SKIPS if place else (),
            offset=(page - 1) * limit,
        )
        pages = max(1, -(-count // limit))
        return {
            "filters": {"type": types, "place": place, "sector": sector, "from": date_from, "to": date_to},
            "count": count,
            "total": count,
            "page": page,
            "per_page": limit,
            "pages": pages,
            "note": f"page {page} is past the last page ({pages})" if page > pages and count else None,
            "events": events,
        }


def document_page(store: Store, doc_id: str, *, viewer: Viewer = ANONYMOUS) -> dict[str, Any]:
    """A document with its mentions marked; another organisation's upload is not found, like a missing id."""
    with store.engine.connect() as conn:
        d = conn.execute(select(t.documents).where(t.documents.c.id == doc_id)).first()
        if d is None or not viewer.sees_org(d.org_id):
            raise NotFound(f"no document with id {doc_id!r}")
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        mentions = conn.execute(
            select(
                t.claims.c.entity_id,
                t.claims.c.start,
                t.claims.c.end,
                t.claims.c.method,
                t.entities.c.name,
                t.entities.c.type,
            )
            .join(t.entities, t.entities.c.id == t.claims.c.entity_id)
            .where(and_(t.claims.c.document_id == doc_id, t.claims.c.prop == "name"))
            .order_by(t.claims.c.start)
        ).all()
        figures = corrections.apply_to_figures(
            conn,
            viewer.org,
            (dict(f._mapping) for f in conn.execute(select(t.figures).where(t.figures.c.document_id == doc_id))),
            moves,
        )
        events, _ = _events(conn, moves, scope, document_id=doc_id)
        return {
            "document": {
                "id": d.id,
                "title": d.title,
                "url": d.url,
                "source": public_source(d.url or d.source),
                "published": d.published,
                "languages": json.loads(d.languages),
                "text": d.text,
                "paragraphs": json.loads(d.paragraphs),
                "first_seen": d.first_seen,
                "last_seen": d.last_seen,
            },
            "html": highlight_mentions(
                d.text, [(m.start, m.end, moves.get(m.entity_id, m.entity_id), m.type, m.method) for m in mentions]
            ),
            "mentions": [
                {
                    "entity_id": moves.get(m.entity_id, m.entity_id),
                    "name": m.name,
                    "type": m.type,
                    "start": m.start,
                    "end": m.end,
                    "text": d.text[m.start : m.end],
                    "method": m.method,
                }
                for m in mentions
            ],
            "figures": figures,
            "events": events,
            "boilerplate": json.loads(d.boilerplate),
            "removed": json.loads(d.removed),
        }


def highlight_mentions(text: str, spans: list[tuple[int, int, str, str, str]]) -> str:
    """The cleaned text as HTML: everything escaped, entity mentions as links, paragraphs as <p>."""
    out, pos = [], 0
    for start, end, entity_id, kind, method in sorted(spans):
        if start is None or start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(
            f'<a class="mention {kind}" href="/entity/{html.escape(entity_id)}" '
            f'title="{html.escape(kind)} ({html.escape(method)})">{html.escape(text[start:end])}</a>'
        )
        pos = end
    out.append(html.escape(text[pos:]))
    return "<p>" + "".join(out).replace("\n\n", "</p><p>") + "</p>"


def map_points(store: Store, *, viewer: Viewer = ANONYMOUS) -> list[dict[str, Any]]:
    """Located entities with the number of events (in documents the viewer sees) they take part in: the events
    (groups of reports, `kb.event_view`) that `/events?place=<id>` lists."""
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        # a place counts what happened inside it (a company's place of origin is not where its event happened)
        keys = roll_up(conn, event_keys_by_entity(conn, scope, moves, not_roles=PLACE_FILTER_SKIPS))
        counts = {eid: len(found) for eid, found in keys.items()}
        rows = conn.execute(
            select(t.entities).where(and_(t.entities.c.lat.is_not(None), t.entities.c.lon.is_not(None)))
        ).all()
        return sorted(
            (
                {
                    "id": r.id,
                    "name": r.name,
                    "type": r.type,
                    "country": r.country,
                    "lat": r.lat,
                    "lon": r.lon,
                    "events": counts.get(r.id, 0),
                }
                for r in rows
                if counts.get(r.id, 0)
            ),
            key=lambda p: -p["events"],
        )


def ingest_log(
    store: Store, limit: int = 200, *, viewer: Viewer = ANONYMOUS, run_id: str | None = None
) -> dict[str, Any]:
    """The shared runs and the viewer's organisation's runs (never another organisation's file names), newest
    first; `run_id` keeps one run's lines. `documents` counts the documents the viewer sees."""
    log = _only(viewer, select(t.ingest_log), t.ingest_log.c.org_id)
    if run_id is not None:
        log = log.where(t.ingest_log.c.run_id == run_id)
    with store.engine.connect() as conn:
        rows = conn.execute(log.order_by(t.ingest_log.c.id.desc()).limit(limit)).all()
        totals: dict[str, int] = dict(
            conn.execute(
                _only(viewer, select(t.ingest_log.c.status, func.count()), t.ingest_log.c.org_id).group_by(
                    t.ingest_log.c.status
                )
            ).all()
        )
        documents = conn.execute(
            _only(viewer, select(func.count()).select_from(t.documents), t.documents.c.org_id)
        ).scalar()
        entries = [{**r._mapping, "source": public_source(r.source)} for r in rows]
        return {"documents": documents, "totals": totals, "entries": entries}


def _only(viewer: Viewer, query: Any, column: Any) -> Any:
    condition = org_filter(viewer, column)
    return query if condition is None else query.where(condition)


def visible_entity(store: Store, entity_id: str, *, viewer: Viewer) -> None:
    """Raise `NotFound` unless the entity exists and the viewer sees it: the check before a merge decision names it
    (the same answer as a missing id, so another organisation's entities cannot be probed)."""
    with store.engine.connect() as conn:
        if not scope_for(conn, viewer).sees_entity(conn, entity_id):
            raise NotFound(f"no entity with id {entity_id!r}")


def entity_group(store: Store, entity_id: str, *, viewer: Viewer) -> list[str]:
    """The canonical id of an entity the viewer sees and every id merged into it (`NotFound` otherwise)."""
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        canonical, ids, _ = group_ids(conn, entity_id, scope)
        if not scope.sees_entity(conn, canonical):
            raise NotFound(f"no entity with id {entity_id!r}")
        return ids


def visible_merge(store: Store, merge_id: str, *, viewer: Viewer) -> None:
    """Raise `NotFound` unless the merge decision exists and the viewer sees both of its entities (before an undo)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.merges.c.from_id, t.merges.c.to_id).where(t.merges.c.id == merge_id)).first()
        scope = scope_for(conn, viewer)
        if row is None or scope.hidden(conn, [row.from_id, row.to_id]):
            raise NotFound(f"no merge decision with id {merge_id!r}")


def decide_merge(store: Store, from_id: str, to_id: str, by: str, decision: str = "merged") -> dict[str, Any]:
    """Record a user's decision on two entities; the same decision posted again returns the row already recorded
    (`already_recorded`), never an error. The latest user decision on a pair wins (see `resolve.redirects`)."""
    from bioatlas.kb.resolve import record_decision

    if from_id == to_id:
        raise ValueError("an entity cannot be merged with itself")
    with store.write(lock="decision:" + "|".join(sorted((from_id, to_id)))) as conn:
        for eid in (from_id, to_id):
            if conn.execute(select(t.entities.c.id).where(t.entities.c.id == eid)).first() is None:
                raise NotFound(f"no entity with id {eid!r}")
        return record_decision(conn, from_id, to_id, by, decision)


def undo_merge(store: Store, merge_id: str, by: str | None = None) -> dict[str, Any]:
    """Undo a decision; undoing one already undone keeps its first `undone_at` and says `already_undone`."""
    from bioatlas.kb.resolve import undo_decision

    with store.write(lock="undo:" + merge_id) as conn:
        row = undo_decision(conn, merge_id, by)
        if row is None:
            raise NotFound(f"no merge decision with id {merge_id!r}")
        return row
