"""Directories of the kb: companies, parks, clusters, agencies, research bodies, alliances and investors to filter
by type, sector, country, place (a region stands for everything inside it) and activity, sorted and paged; and the
profile facts a directory entry and an entity page show (headquarters, website, founding year, funding, members).

Every read takes the viewer and sees only what `kb.visibility` lets it see. Filters are SQL over indexed columns;
the activity of every entity (events, latest event, funding per currency) is one aggregate query, kept per kb state
and per set of visible organisations (`_activity`), because ordering 70,000 companies by their number of events
needs all of them counted and that aggregate takes about a second on a 100k-document kb.

Counts are of events as the kb groups them (`events.event_key`: one happening reported by several pages counts
once); funding totals add each funding event once (its largest reported amount), per currency, never converted.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, exists, func, literal, or_, select

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.extract.reference import gazetteer
from bioatlas.geo import geography
from bioatlas.kb import corrections
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import chunks
from bioatlas.kb.place_filter import place_entity_ids, resolve_filter_place
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import Scope, scope_for
from bioatlas.sectors import expand_sectors, sector_keywords, sector_tree

DIRECTORY_TYPES = ("company", "park", "cluster", "agency", "research", "alliance", "investor")
SORTS = ("name", "events", "latest", "funding")
PER_PAGE = 50
MOST_PER_PAGE = 200
FUNDED_ROLES = ("company",)  # who receives the money of a funding event (investors give it)


class DirectoryError(ValueError):
    """A filter that names nothing the kb knows (an unknown place or sector): the parameter and what it takes."""


@dataclass(frozen=True, slots=True)
class DirectoryFilters:
    """What a directory page asks for; the API and the page build it from the same parameters (`api.directory`)."""

    types: tuple[str, ...] = ()
    sector: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    place: str | None = None  # an entity id or a place name in any language
    event_type: str | None = None  # has at least one event of this type
    since: str | None = None  # has an event dated in or after this year (YYYY)
    q: str | None = None  # name contains
    sort: str = "name"
    page: int = 1
    per_page: int = PER_PAGE

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["types"] = list(self.types)
        return out


@dataclass(slots=True)
class Activity:
    """One entity's events, as the directory sorts and shows them."""

    events: int = 0
    latest: str | None = None
    funding: dict[str, float] = field(default_factory=dict)  # currency -> total (each funding event once)

    def funding_rank(self) -> float:
        """Amounts in different currencies are not comparable without rates: the largest one-currency total."""
        return max(self.funding.values(), default=0.0)

    def plus(self, other: Activity) -> Activity:
        """Both ids' figures added up (for ordering only: an event naming both would count twice)."""
        funding = dict(self.funding)
        for currency, amount in other.funding.items():
            funding[currency] = funding.get(currency, 0.0) + amount
        latest = max((d for d in (self.latest, other.latest) if d), default=None)
        return Activity(self.events + other.events, latest, funding)

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "latest_event": self.latest,
            "funding": [{"currency": c, "amount": a} for c, a in sorted(self.funding.items())],
        }


# ------------------------------------------------------------------------------------------------ kb state cache

_ACTIVITY: dict[tuple[Any, ...], dict[str, Activity]] = {}
_SECTORS: dict[tuple[Any, ...], frozenset[str]] = {}
_LOCK = threading.Lock()
CACHED_STATES = 4
CACHED_SECTORS = 64


def kb_state(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever a page is ingested, a merge or a correction is made or undone (what changes who did what)."""
    log = conn.execute(select(func.max(t.ingest_log.c.id), func.count()).select_from(t.ingest_log)).one()
    merges = conn.execute(select(func.count(), func.max(t.merges.c.at), func.max(t.merges.c.undone_at))).one()
    events = conn.execute(select(func.count()).select_from(t.events)).scalar()
    return (*log, *merges, *corrections.stamp(conn), events)


def _view_key(conn: Connection, scope: Scope) -> tuple[Any, ...]:
    """Viewers with the same key get the same figures: the same documents, and the same corrections (an
    organisation with corrections of its own has its own key)."""
    org = scope.viewer.org
    return (*scope.key, org if corrections.has_private(conn, org) else None)


def _not_rejected(scope: Scope) -> ColumnElement[bool]:
    """The report's event is not one a user rejected (`kb.corrections`, as this viewer's organisation sees them):
    a rejected event counts for no one's activity. Other corrections (a date, a role) are not applied here."""
    rejected = select(t.corrections.c.target_id).where(
        and_(
            t.corrections.c.target == "event",
            t.corrections.c.field == "reject",
            t.corrections.c.undone_at.is_(None),
        )
    )
    rejected = rejected.where(corrections.applies_to(scope.viewer.org))  # not another organisation's
    return t.events.c.event_key.not_in(rejected)


def _canonical(moves: dict[str, str], column: Any) -> Any:
    """`column` (an entity id) as the id it was merged into, in SQL (no merges: the column itself)."""
    if not moves:
        return column
    return case(moves, value=column, else_=column)


def _scanned(column: Any) -> Any:
    """A column as an expression, so that SQLite does not look rows up by its index: `events.id` so that the
    events are read once and each one's roles from the roles' primary key (twice as fast as a lookup per role)."""
    return column.concat("")


def _role_rows(scope: Scope, moves: dict[str, str], every: bool) -> Any:
    """(entity, event key, type, date, amount, currency, role) for every role in a visible report: events scanned
    once, roles read from their primary-key index (the order that avoids a lookup per role)."""
    entity = _canonical(moves, t.event_roles.c.entity_id)
    query = select(
        entity.label("entity_id"),
        t.events.c.event_key,
        t.events.c.type,
        _event_date().label("date"),
        t.events.c.amount,
        t.events.c.currency,
        t.event_roles.c.role,
    ).select_from(
        t.events.join(t.event_roles, t.event_roles.c.event_id == (_scanned(t.events.c.id) if every else t.events.c.id))
    )
    joined = query.join(t.documents, t.documents.c.id == t.events.c.document_id)
    return scope.where(joined).where(_not_rejected(scope))


def _event_date() -> Any:
    """A report's date of the event, else the report's publication date (as the event lists date it)."""
    return func.coalesce(t.events.c.date, t.documents.c.published)


def activity_of(
    conn: Connection, scope: Scope, moves: dict[str, str], ids: Collection[str] | None
) -> dict[str, Activity]:
    """Events, latest event date and funding per currency of `ids` (None: of every entity), merges folded in."""
    batches: list[list[str] | None] = [None]
    if ids is not None:  # only the merges into these ids matter (a CASE over every merge costs per role read)
        moves = {src: dst for src, dst in moves.items() if dst in set(ids)}
        batches = list(chunks(sorted(set(ids) | set(moves))))
    base = _role_rows(scope, moves, every=ids is None)
    out: dict[str, Activity] = defaultdict(Activity)
    for batch in batches:
        rows = (base if batch is None else base.where(t.event_roles.c.entity_id.in_(batch))).subquery()
        counts = select(rows.c.entity_id, func.count(rows.c.event_key.distinct()), func.max(rows.c.date))
        for entity_id, n, latest in conn.execute(counts.group_by(rows.c.entity_id)):
            out[entity_id] = Activity(int(n), latest)
        per_event = (  # a funding event reported by several pages counts once, with its largest amount
            select(rows.c.entity_id, rows.c.currency, func.max(rows.c.amount).label("amount"))
            .where(and_(rows.c.type == "funding", rows.c.amount.is_not(None), rows.c.role.in_(FUNDED_ROLES)))
            .group_by(rows.c.entity_id, rows.c.event_key, rows.c.currency)
            .subquery()
        )
        money = select(per_event.c.entity_id, per_event.c.currency, func.sum(per_event.c.amount))
        for entity_id, currency, total in conn.execute(money.group_by(per_event.c.entity_id, per_event.c.currency)):
            out[entity_id].funding[currency or "?"] = float(total)
    return dict(out)


def _all_activity(conn: Connection, scope: Scope, moves: dict[str, str]) -> dict[str, Activity]:
    """`activity_of` every entity, computed once per kb state and per set of visible organisations."""
    key = (str(conn.engine.url), _view_key(conn, scope), kb_state(conn))
    with _LOCK:
        found = _ACTIVITY.get(key)
    if found is not None:
        return found
    computed = activity_of(conn, scope, {}, None)  # by stored id; a merged id's figures added to its entity's
    for src, dst in moves.items():
        merged = computed.pop(src, None)
        if merged is not None:
            computed[dst] = computed.get(dst, Activity()).plus(merged)
    with _LOCK:
        _ACTIVITY[key] = computed
        while len(_ACTIVITY) > CACHED_STATES:
            _ACTIVITY.pop(next(iter(_ACTIVITY)))
    return computed


# ------------------------------------------------------------------------------------------------------ filters


def _visible(scope: Scope) -> ColumnElement[bool] | None:
    """An entity is listed unless every claim about it comes from documents the viewer cannot see."""
    if not scope.filtered:
        return None
    claim, document = t.claims.alias("dir_claim"), t.documents.alias("dir_claim_document")
    of_entity = claim.c.entity_id == t.entities.c.id
    condition = scope.documents(document.c.org_id)
    seen = exists(
        select(claim.c.id)
        .select_from(claim.outerjoin(document, document.c.id == claim.c.document_id))
        .where(
            and_(of_entity, or_(claim.c.document_id.is_(None), condition if condition is not None else literal(True)))
        )
    )
    return or_(t.entities.c.id.startswith("ref:"), ~exists(select(claim.c.id).where(of_entity)), seen)


def _in_countries(scope: Scope, codes: Collection[str]) -> ColumnElement[bool]:
    """The entity's country is one of `codes`: its own (reference rows), else one a visible report gives it.

    An IN over the country claims (one pass over them) rather than an EXISTS per entity: 0.3 s instead of 1.5 s
    for 70,000 companies on a 100k-document kb."""
    said = select(t.claims.c.entity_id).where(and_(t.claims.c.prop == "country", t.claims.c.value.in_(sorted(codes))))
    if scope.filtered:
        said = scope.where(said.outerjoin(t.documents, t.documents.c.id == t.claims.c.document_id))
    return or_(t.entities.c.country.in_(sorted(codes)), and_(t.entities.c.country.is_(None), t.entities.c.id.in_(said)))


def _place_condition(
    conn: Connection, scope: Scope, moves: dict[str, str], place: str, settling: bool = True
) -> ColumnElement[bool]:
    """The place and everything inside it: reference rows located in or serving it, places, parks and clusters
    the kb puts inside it, (for a country or a wider area) entities whose country lies inside it, and companies
    a visible report has settling or expanding there (the landing of Clarity in Liège puts Clarity in Wallonia)."""
    canonical = resolve_filter_place(conn, place, scope)
    if canonical is None:
        raise DirectoryError(f"place: no place called {place!r}; give a country, region or city in any language")
    geo = geography()
    ids = geo.inside(canonical) | set(place_entity_ids(conn, canonical, scope, geo))
    codes = {geo.country[e] for e in ids if geo.kind.get(e) == "country" and e in geo.country}
    terms: list[ColumnElement[bool]] = [t.entities.c.id.in_(sorted(ids))]
    if codes:
        terms.append(_in_countries(scope, codes))
    if settling:  # only companies land or expand
        terms.append(_took_part(conn, _settled_in(scope, ids), moves))
    return or_(*terms)


SETTLING = ("landing", "expansion")


def _settled_in(scope: Scope, places: Collection[str]) -> Any:
    """Stored ids of the companies of landings and expansions whose location is one of `places` (read from the
    places' roles, so the cost follows the events there, not all events)."""
    where = t.event_roles.alias("settled_where")
    return scope.where(
        select(t.event_roles.c.entity_id)
        .select_from(
            where.join(t.events, t.events.c.id == where.c.event_id)
            .join(t.event_roles, t.event_roles.c.event_id == t.events.c.id)
            .join(t.documents, t.documents.c.id == t.events.c.document_id)
        )
        .where(
            and_(
                where.c.entity_id.in_(sorted(places)),
                where.c.role == "location",
                t.events.c.type.in_(SETTLING),
                t.event_roles.c.role == "company",
                _not_rejected(scope),
            )
        )
    )


def sector_ids(sector: str) -> set[str]:
    """Reference organisations whose `sectors` name the sector or one under it (therapeutics takes radiopharma)."""
    wanted = expand_sectors({sector})
    return {
        "ref:" + row.id
        for row in gazetteer().rows.values()
        if row.type != "place" and wanted & {s.strip() for s in row.data.get("sectors", "").split("|")}
    }


def in_sector(conn: Connection, scope: Scope, moves: dict[str, str], sector: str) -> frozenset[str]:
    """The entities of a sector: reference rows naming it (or a sector under it), and entities taking part in an
    event whose report's sentence names it (the words of the events page's sector filter).

    Matching the words is a pass over every report's sentence (seconds on a 100k-document kb), so the set is
    kept per kb state, set of visible organisations and sector, like the activity aggregate."""
    if sector not in sector_tree():
        raise DirectoryError(f"sector: unknown sector {sector!r}; use an id of data/reference/sectors.csv")
    key = ("sector", str(conn.engine.url), _view_key(conn, scope), kb_state(conn), sector)
    with _LOCK:
        found = _SECTORS.get(key)
    if found is not None:
        return found
    words = sector_keywords(sector)
    said = _roles_in_events(scope).where(or_(*(t.events.c.evidence.contains(w, autoescape=True) for w in words)))
    stored = set(conn.execute(said.distinct()).scalars())
    found = frozenset(sector_ids(sector) | {moves.get(e, e) for e in stored})
    with _LOCK:
        _SECTORS[key] = found
        while len(_SECTORS) > CACHED_SECTORS:
            _SECTORS.pop(next(iter(_SECTORS)))
    return found


def _roles_in_events(scope: Scope) -> Any:
    """The stored entity ids of the roles in visible reports (to be narrowed down by the caller)."""
    return scope.where(
        select(t.event_roles.c.entity_id)
        .select_from(t.events.join(t.event_roles, t.event_roles.c.event_id == _scanned(t.events.c.id)))
        .join(t.documents, t.documents.c.id == t.events.c.document_id)
        .where(_not_rejected(scope))
    )


def _took_part(conn: Connection, roles: Any, moves: dict[str, str]) -> ColumnElement[bool]:
    """The entity is among `roles` (a select of stored entity ids), itself or through an id merged into it."""
    condition = t.entities.c.id.in_(roles)
    if not moves:
        return condition
    merged = set()
    stored = _scanned(t.event_roles.c.entity_id)  # not by the merged ids' (many) roles: the filter's come first
    for batch in chunks(sorted(moves)):
        merged |= {moves[r[0]] for r in conn.execute(roles.where(stored.in_(batch)))}
    return or_(condition, t.entities.c.id.in_(sorted(merged))) if merged else condition


def _activity_condition(
    conn: Connection, scope: Scope, moves: dict[str, str], kind: str | None, since: str | None
) -> ColumnElement[bool]:
    took = _roles_in_events(scope)
    if kind:
        took = took.where(t.events.c.type == kind)
    if since:
        took = took.where(_event_date() >= since)
    return _took_part(conn, took, moves)


def _conditions(conn: Connection, scope: Scope, moves: dict[str, str], f: DirectoryFilters) -> list[Any]:
    terms: list[Any] = [t.entities.c.type.in_(list(f.types or DIRECTORY_TYPES))]
    if moves:
        terms.append(t.entities.c.id.not_in(sorted(moves)))  # merged away: listed under the entity it went to
    visible = _visible(scope)
    if visible is not None:
        terms.append(visible)
    if f.q:
        terms.append(t.entities.c.name.icontains(f.q, autoescape=True))
    if f.country:
        terms.append(_in_countries(scope, {f.country}))
    if f.place:
        terms.append(_place_condition(conn, scope, moves, f.place, settling=not f.types or "company" in f.types))
    if f.event_type or f.since:
        terms.append(_activity_condition(conn, scope, moves, f.event_type, f.since))
    return terms


# ------------------------------------------------------------------------------------------------------- reading


def _ordered(ids: list[str], sort: str, activity: dict[str, Activity]) -> list[str]:
    """`ids` (in name order) by the sort's figure, largest (newest) first: a stable sort on one plain value per
    id keeps the name order among equals (a key that builds tuples cost more than the sort itself)."""
    none = Activity()
    if sort == "name":
        return ids
    if sort == "events":
        return sorted(ids, key=lambda i: activity.get(i, none).events, reverse=True)
    if sort == "latest":  # undated ("") last
        return sorted(ids, key=lambda i: activity.get(i, none).latest or "", reverse=True)
    return sorted(ids, key=lambda i: activity.get(i, none).funding_rank(), reverse=True)


def directory(store: Store, filters: DirectoryFilters, *, viewer: Viewer = ANONYMOUS) -> dict[str, Any]:
    """One page of the directory and how many entries match in all.

    A page past the last one is empty and says so in `note` (not an error: a list that shrank since a link was
    made should not break the link)."""
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        terms = _conditions(conn, scope, moves, filters)
        columns = (t.entities.c.id, t.entities.c.name, t.entities.c.type, t.entities.c.country, t.entities.c.reference)
        offset = (filters.page - 1) * filters.per_page
        sector = in_sector(conn, scope, moves, filters.sector) if filters.sector else None
        if filters.sort == "name" and sector is None:
            query = (
                select(*columns, func.count().over().label("total"))
                .where(*terms)
                .order_by(t.entities.c.name, t.entities.c.id)
                .limit(filters.per_page)
                .offset(offset)
            )
            rows = conn.execute(query).all()
            total = int(rows[0].total) if rows else _count(conn, terms)
            activity = activity_of(conn, scope, moves, [r.id for r in rows])
        else:  # the matches' ids in name order, kept in the sector and ordered by the kb-wide aggregate
            everyone = _all_activity(conn, scope, moves) if filters.sort != "name" else {}
            by_name = select(t.entities.c.id).where(*terms).order_by(t.entities.c.name, t.entities.c.id)
            matches = list(conn.execute(by_name).scalars().all())
            if sector is not None:
                matches = [i for i in matches if i in sector]
            total = len(matches)
            shown = _ordered(matches, filters.sort, everyone)[offset : offset + filters.per_page]
            found = {r.id: r for r in conn.execute(select(*columns).where(t.entities.c.id.in_(shown)))}
            rows = [found[i] for i in shown if i in found]
            merged = set(moves.values())  # only these are approximate in the aggregate: count them exactly
            activity = {i: everyone[i] for i in shown if i in everyone and i not in merged}
            activity.update(activity_of(conn, scope, moves, [i for i in shown if i in merged]))
        pages = max(1, math.ceil(total / filters.per_page))
        items = [_entry(r, activity.get(r.id, Activity())) for r in rows]
        note = None
        if not items and total and filters.page > pages:
            note = f"page {filters.page} is past the last page ({pages})"
        return {
            "filters": filters.as_json(),
            "total": total,
            "page": filters.page,
            "per_page": filters.per_page,
            "pages": pages,
            "note": note,
            "items": items,
        }


def _count(conn: Connection, terms: list[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(t.entities).where(*terms)).scalar() or 0)


def _entry(row: Any, activity: Activity) -> dict[str, Any]:
    facts = reference_facts(row.reference)
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type,
        "country": row.country,
        "headquarters": facts.get("headquarters"),
        "website": facts.get("website"),
        "founded": facts.get("founded"),
        "sectors": facts.get("sectors", []),
        **activity.to_json(),
    }


def reference_facts(reference: str | None) -> dict[str, Any]:
    """What a reference row says of an organisation (`organisations.csv:awex`): headquarters (a place id and its
    name), website, founding year, sectors, member count; each cited by the row. Empty for anything else."""
    if not reference or not reference.startswith("organisations.csv:"):
        return {}
    row = gazetteer().rows.get(reference.split(":", 1)[1])
    if row is None or row.type == "place":
        return {}
    data = row.data
    out: dict[str, Any] = {"reference": reference}
    place = (data.get("place") or "").strip()
    if place:
        where = gazetteer().rows.get(place)
        out["headquarters"] = {"id": "ref:" + place, "name": where.name if where else place}
    url = (data.get("url") or "").strip()
    if url.startswith(("http://", "https://")):
        out["website"] = url
    year = (data.get("year") or "").strip()
    if year.isdigit():
        out["founded"] = int(year)
    out["sectors"] = [s for s in (data.get("sectors") or "").split("|") if s]
    members = (data.get("members") or "").strip()
    if members.isdigit():
        out["member_count"] = int(members)
    return out


PROFILE_FACTS = ("reference", "headquarters", "website", "founded", "member_count")


def profile(store: Store, entity_id: str, *, viewer: Viewer = ANONYMOUS) -> dict[str, Any]:
    """The profile facts of one (visible, canonical) entity for its page: the reference row's facts, funding per
    currency with the funding events it adds up (each with its reports), and the members the kb knows of a
    alliance (the organisations named with it as `members` of a partnership, each with a report)."""
    from bioatlas.kb.event_view import select_events

    empty: dict[str, Any] = dict.fromkeys(PROFILE_FACTS) | {"sectors": [], "funding": [], "funding_events": []}
    empty["members"] = []
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        canonical = moves.get(entity_id, entity_id)
        row = conn.execute(select(t.entities).where(t.entities.c.id == canonical)).first()
        if row is None or scope.hidden(conn, [canonical]):
            return empty
        ids = [canonical, *(src for src, dst in moves.items() if dst == canonical)]
        facts = reference_facts(row.reference)
        funded, _ = select_events(conn, scope, moves, entity_ids=ids, types=["funding"], limit=200)
        totals: dict[str, float] = defaultdict(float)
        cited = []
        for view in funded:
            if view.amount is None or not any(m in ids for role in FUNDED_ROLES for m in view.roles.get(role, [])):
                continue
            totals[view.currency or "?"] += view.amount
            cited.append(
                {
                    "id": view.id,
                    "date": view.date,
                    "amount": view.amount,
                    "currency": view.currency,
                    "reports": [r.to_json() for r in view.reports],
                }
            )
        members: list[dict[str, Any]] = []
        if row.type == "alliance":  # a cluster's members are companies; the kb names fellow alliance members
            members = _members(conn, scope, moves, ids)
        return {
            **empty,
            **facts,
            "funding": [{"currency": c, "amount": a} for c, a in sorted(totals.items())],
            "funding_events": cited,
            "members": members,
        }


def _members(conn: Connection, scope: Scope, moves: dict[str, str], ids: list[str]) -> list[dict[str, Any]]:
    mine = t.event_roles.alias("mine")
    query = scope.where(
        select(t.event_roles.c.entity_id, func.min(t.events.c.document_id), func.count(t.events.c.event_key.distinct()))
        .select_from(
            t.events.join(mine, mine.c.event_id == t.events.c.id).join(
                t.event_roles, t.event_roles.c.event_id == t.events.c.id
            )
        )
        .join(t.documents, t.documents.c.id == t.events.c.document_id)
        .where(
            and_(
                mine.c.entity_id.in_(ids),
                mine.c.role == "members",
                t.event_roles.c.role == "members",
                t.event_roles.c.entity_id.not_in(ids),
            )
        )
        .group_by(t.event_roles.c.entity_id)
    )
    found: dict[str, dict[str, Any]] = {}
    for entity_id, document_id, n in conn.execute(query):
        member = moves.get(entity_id, entity_id)
        item = found.setdefault(member, {"id": member, "events": 0, "document_id": document_id})
        item["events"] += int(n)
    if not found:
        return []
    hidden = scope.hidden(conn, found)
    names = {
        r.id: (r.name, r.type)
        for r in conn.execute(
            select(t.entities.c.id, t.entities.c.name, t.entities.c.type).where(t.entities.c.id.in_(sorted(found)))
        )
    }
    return sorted(
        (
            {**m, "name": names[m["id"]][0], "type": names[m["id"]][1]}
            for m in found.values()
            if m["id"] in names and m["id"] not in hidden
        ),
        key=lambda m: (-m["events"], m["name"]),
    )


__all__ = [
    "DIRECTORY_TYPES",
    "MOST_PER_PAGE",
    "PER_PAGE",
    "SORTS",
    "Activity",
    "DirectoryError",
    "DirectoryFilters",
    "activity_of",
    "directory",
    "in_sector",
    "profile",
    "reference_facts",
    "sector_ids",
]
