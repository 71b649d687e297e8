"""One view of each event, computed the same way for every page, the map and the answers.

The kb stores one row per report (a sentence of a document that tells of an event) with the group it belongs to
(`events.event_key`, see `resolve.event_key`: family of type, key participant, year). An event is a group as the
viewer sees it: only reports in documents the viewer may see, with merged entities followed to where they were
merged (a group keyed on an entity merged since is re-keyed on the entity it joined, `key_remap`). For a group:

- **type**: the greatest of its reports' types (a landing told by one page as an expansion stays a landing);
- **date**: the latest (most precise) date a report's own sentence gives (`date_source: "text"`), else the earliest
  publication date of its reports (`date_source: "published"`);
- **roles**: the union of its reports' roles, each entity once, in the order the reports name them;
- **reports**: one per document (its first sentence about the event, with its span), earliest published first;
  `report_count` is their number;
- **corrections** (`kb.corrections`): the viewer's active corrections override the date (`date_source:
  "corrected"`), type and roles, and a rejected event is left out everywhere; `corrections` lists them (who, when,
  why, old and new value) so a page can mark what was corrected.

Selection, filters, counts and order are one grouped SQL query (`select_events`); only the groups asked for are
then read in full (`load_events`), so a page costs what it shows, not what the kb holds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, case, func, literal_column, or_, select

from bioatlas.kb import schema as t
from bioatlas.kb.corrections import EventEdits, apply_roles, event_edits
from bioatlas.kb.resolve import EVENT_FAMILY, event_key
from bioatlas.kb.visibility import Scope
from bioatlas.model import EVENT_KEY_ROLES
from bioatlas.sources import public_source

CHUNK = 5000  # ids per IN list (SQLite limits bound parameters per statement)
_HEX = re.compile(r"[0-9a-f]{1,64}")


@dataclass(slots=True)
class Report:
    """One document's report of an event: its first sentence about it, with the span."""

    document_id: str
    title: str | None
    source: str | None
    published: str | None
    evidence: str
    language: str | None
    start: int | None
    end: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "source": self.source,
            "evidence": self.evidence,
            "published": self.published,
            "language": self.language,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class EventView:
    id: str  # the group's key: the same on every page, the map and in the answers
    type: str
    date: str | None
    date_source: str | None  # "text" | "published" | "corrected" | None (no date at all)
    roles: dict[str, list[str]]  # role -> canonical entity ids
    amount: float | None = None
    currency: str | None = None
    reports: list[Report] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)  # the user corrections applied (`kb.corrections`)

    @property
    def report_count(self) -> int:
        return len(self.reports)

    def to_json(self, names: dict[str, tuple[str, str]]) -> dict[str, Any]:
        """The JSON the pages and the API show; `names` gives each role entity's (name, type)."""
        return {
            "id": self.id,
            "type": self.type,
            "date": self.date,
            "date_source": self.date_source,
            "roles": {
                role: [{"id": m, "name": names[m][0], "type": names[m][1]} for m in members if m in names]
                for role, members in self.roles.items()
            },
            "amount": self.amount,
            "currency": self.currency,
            "report_count": self.report_count,
            "reports": [r.to_json() for r in self.reports],
            "corrections": self.corrections,
        }

    def corrected(self, edits: EventEdits) -> EventView | None:
        """This view with the corrections applied; None when the event was rejected."""
        if edits.rejected:
            return None
        if edits.date:
            self.date, self.date_source = edits.date, "corrected"
        if edits.type:
            self.type = edits.type
        apply_roles(self.roles, edits.roles)
        self.roles = dict(sorted(self.roles.items()))
        self.corrections = edits.marks
        return self


# ------------------------------------------------------------------------------------------------ group keys


def chunks(items: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(items)
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


def _is_key_role() -> ColumnElement[bool]:
    return or_(*(and_(t.events.c.type == kind, t.event_roles.c.role == role) for kind, role in EVENT_KEY_ROLES.items()))


def key_remap(conn: Connection, moves: dict[str, str]) -> dict[str, str]:
    """Stored group key -> the key it has once merged entities are followed (only the keys that change): the
    groups of an entity merged into another join that entity's groups of the same family and year."""
    if not moves:
        return {}
    event_ids: set[str] = set()
    for chunk in chunks(moves):
        event_ids.update(
            conn.execute(
                select(t.event_roles.c.event_id)
                .join(t.events, t.events.c.id == t.event_roles.c.event_id)
                .where(_is_key_role(), t.event_roles.c.entity_id.in_(chunk))
            ).scalars()
        )
    raw: dict[str, list[str]] = defaultdict(list)
    facts: dict[str, tuple[str, str, str | None, str | None, str]] = {}
    for chunk in chunks(event_ids):
        for r in conn.execute(
            select(
                t.events.c.id,
                t.events.c.event_key,
                t.events.c.type,
                t.events.c.date,
                t.documents.c.published,
                t.event_roles.c.role,
                t.event_roles.c.entity_id,
            )
            .join(t.event_roles, t.event_roles.c.event_id == t.events.c.id)
            .join(t.documents, t.documents.c.id == t.events.c.document_id)
            .where(_is_key_role(), t.events.c.id.in_(chunk))
        ):
            raw[r.id].append(r.entity_id)
            facts[r.id] = (r.event_key, r.type, r.date, r.published, r.role)
    remap: dict[str, str] = {}
    for eid, (stored, kind, date, published, role) in facts.items():
        year = date or _stored_year(stored, kind, {role: raw[eid]}, published)
        new = event_key(kind, {role: [moves.get(m, m) for m in raw[eid]]}, year, published)
        if new != stored:
            remap[stored] = new
    return remap


def _stored_year(stored: str, kind: str, roles: dict[str, list[str]], published: str | None) -> str | None:
    """The year an undated report was grouped under: its publication's, or the year before when it joined a dated
    report of the year before (`regroup_undated`); found by the key it was stored with."""
    if published and published[:4].isdigit():
        before = str(int(published[:4]) - 1)
        if event_key(kind, roles, before, published) == stored:
            return before
    return None


def _view_key(remap: dict[str, str]) -> Any:
    """The group key as the viewer sees it, in SQL."""
    if not remap:
        return t.events.c.event_key
    # keys are hex digests, written into the statement rather than bound: the expression appears three times and a
    # large kb has thousands of merged entities (SQLite caps the bound values of one statement)
    whens = {_hex(old): _hex(new) for old, new in remap.items()}
    return case(whens, value=t.events.c.event_key, else_=t.events.c.event_key)


def _hex(key: str) -> Any:
    if not _HEX.fullmatch(key):
        raise ValueError(f"not a group key: {key!r}")
    return literal_column(f"'{key}'")


def _keys_with(conn: Connection, stored: Select[Any], remap: dict[str, str]) -> ColumnElement[bool]:
    """A condition on `events.event_key`: every report of the groups that have a report among `stored` (a select
    of stored keys), including the reports re-keyed into or out of those groups by merges."""
    condition = t.events.c.event_key.in_(stored)
    if not remap:
        return condition
    touched = set(remap) | set(remap.values())
    targets: set[str] = set()
    for chunk in chunks(touched):
        inner = stored.subquery()
        targets.update(
            remap.get(k, k)
            for k in conn.execute(select(inner.c[0]).where(inner.c[0].in_(chunk))).scalars()
            if k is not None
        )
    extra = targets | {k for k, v in remap.items() if v in targets}
    return or_(condition, t.events.c.event_key.in_([_hex(k) for k in sorted(extra)])) if extra else condition


# ------------------------------------------------------------------------------------------------ selection


def _says(conn: Connection, keyword: str) -> ColumnElement[bool]:
    """A report's sentence contains `keyword` (lower case), whatever the case: SQLite's LIKE already ignores the
    case of ASCII letters (lower() on every sentence would double the cost); PostgreSQL has ILIKE."""
    if conn.dialect.name == "postgresql":
        return t.events.c.evidence.icontains(keyword, autoescape=True)
    return t.events.c.evidence.contains(keyword, autoescape=True)


def _group_date() -> Any:
    return func.coalesce(func.max(t.events.c.date), func.min(t.documents.c.published))


def _overridden(vk: Any, grouped: Any, values: dict[str, str]) -> Any:
    """A group's value (`grouped`, an aggregate) with the corrected groups' values put in its place."""
    return case(values, value=vk, else_=grouped) if values else grouped


def _no_longer_named(
    conn: Connection,
    scope: Scope,
    moves: dict[str, str],
    remap: dict[str, str],
    edits: dict[str, EventEdits],
    wanted: set[str],
    not_roles: Collection[str],
) -> list[str]:
    """Groups a role correction took every entity of `wanted` out of (they no longer match an entity filter)."""
    candidates = [k for k, e in edits.items() if e.removes(wanted)]
    if not candidates:
        return []
    views = load_events(conn, scope, moves, candidates, remap)
    return sorted(
        k
        for k in candidates
        if k not in views
        or not any(m in wanted for role, ids in views[k].roles.items() if role not in not_roles for m in ids)
    )


@dataclass(slots=True)
class GroupQuery:
    """The grouped SQL of the events that match (one row per group: `key`, `date`, `type`), with the expressions
    of its group key, date and type for callers that order or aggregate it (`select_events`, `kb.timeline`)."""

    query: Select[Any]
    key: Any
    date: Any
    type: Any
    remap: dict[str, str]


def group_query(
    conn: Connection,
    scope: Scope,
    moves: dict[str, str],
    *,
    entity_ids: Collection[str] | None = None,
    document_id: str | None = None,
    types: Collection[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    keywords: Collection[str] | None = None,
    not_roles: Collection[str] = (),
) -> GroupQuery:
    """The events (groups) that match, as SQL not yet run; the filters are `select_events`'s."""
    remap = key_remap(conn, moves)
    edits = event_edits(conn, scope.viewer.org, moves, remap)  # user corrections: in the SQL, as on the page
    vk = _view_key(remap)
    date = _overridden(vk, _group_date(), {k: e.date for k, e in edits.items() if e.date})
    kind = _overridden(vk, func.max(t.events.c.type), {k: e.type for k, e in edits.items() if e.type})
    query = scope.where(
        select(vk.label("key"), date.label("date"), kind.label("type"))
        .select_from(t.events.join(t.documents, t.documents.c.id == t.events.c.document_id))
        .group_by(vk)
    )
    rejected = sorted(k for k, e in edits.items() if e.rejected)
    if rejected:
        query = query.where(vk.not_in(rejected))
    if entity_ids is not None:
        named = scope.where(
            select(t.events.c.event_key)
            .join(t.event_roles, t.event_roles.c.event_id == t.events.c.id)
            .join(t.documents, t.documents.c.id == t.events.c.document_id)
            .where(t.event_roles.c.entity_id.in_(sorted(set(entity_ids))))
        )
        if not_roles:
            named = named.where(t.event_roles.c.role.not_in(sorted(not_roles)))
        wanted = {moves.get(e, e) for e in entity_ids}
        condition = _keys_with(conn, named, remap)
        added = sorted(k for k, e in edits.items() if e.adds(wanted, not_roles))
        query = query.where(or_(condition, vk.in_(added)) if added else condition)
        dropped = _no_longer_named(conn, scope, moves, remap, edits, wanted, not_roles)
        if dropped:
            query = query.where(vk.not_in(dropped))
    if document_id is not None:
        query = query.where(
            _keys_with(conn, select(t.events.c.event_key).where(t.events.c.document_id == document_id), remap)
        )
    if keywords:
        said = scope.where(
            select(t.events.c.event_key)
            .join(t.documents, t.documents.c.id == t.events.c.document_id)
            .where(or_(*(_says(conn, k) for k in keywords)))
        )
        query = query.where(_keys_with(conn, said, remap))
    if types:
        query = query.having(kind.in_(sorted(types)))
    if date_from:
        query = query.having(date >= date_from)
    if date_to:
        query = query.having(func.substr(date, 1, len(date_to)) <= date_to)
    return GroupQuery(query, vk, date, kind, remap)


def select_events(
    conn: Connection,
    scope: Scope,
    moves: dict[str, str],
    *,
    entity_ids: Collection[str] | None = None,
    document_id: str | None = None,
    types: Collection[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    keywords: Collection[str] | None = None,
    limit: int | None = None,
    not_roles: Collection[str] = (),
    offset: int = 0,
) -> tuple[list[EventView], int]:
    """The events (groups) that match, newest first, and how many match in all.

    `entity_ids`: a report of the event names one of them in any role; `document_id`: a report comes from that
    document; `types`, `date_from`, `date_to` (a prefix: `2017`, `2017-03`): the group's type and date;
    `keywords`: a report's sentence contains one of them (lower case); `not_roles`: roles that do not count for
    `entity_ids` (a place filter asks where things happened, so a company's place of origin does not count)."""
    grouped = group_query(
        conn,
        scope,
        moves,
        entity_ids=entity_ids,
        document_id=document_id,
        types=types,
        date_from=date_from,
        date_to=date_to,
        keywords=keywords,
        not_roles=not_roles,
    )
    query, vk, date, kind, remap = grouped.query, grouped.key, grouped.date, grouped.type, grouped.remap
    # one aggregation: the number of groups that match rides along with the first page of them
    ordered = query.add_columns(func.count().over().label("total")).order_by(date.desc(), kind.desc(), vk)
    if limit is not None:
        ordered = ordered.limit(limit)
    if offset:
        ordered = ordered.offset(offset)
    found = conn.execute(ordered).all()
    keys = [str(r.key) for r in found]
    total = int(found[0].total) if found else 0
    if not found and (limit == 0 or offset):  # an empty page past the end still says how many there are
        total = int(conn.execute(select(func.count()).select_from(query.subquery())).scalar() or 0)
    views = load_events(conn, scope, moves, keys, remap)
    return [views[k] for k in keys if k in views], total


def load_events(
    conn: Connection,
    scope: Scope,
    moves: dict[str, str],
    keys: Collection[str] | None = None,
    remap: dict[str, str] | None = None,
    corrected: bool = True,
) -> dict[str, EventView]:
    """The full view of the groups `keys` (None: every group the viewer sees), by key; with the viewer's
    corrections applied (a rejected event left out) unless `corrected` is False (what was extracted)."""
    remap = key_remap(conn, moves) if remap is None else remap
    columns = (  # the order `build_views` unpacks
        t.events.c.id,
        t.events.c.event_key,
        t.events.c.type,
        t.events.c.date,
        t.events.c.amount,
        t.events.c.currency,
        t.events.c.evidence,
        t.events.c.start,
        t.events.c.end,
        t.events.c.language,
        t.events.c.document_id,
        t.documents.c.title,
        t.documents.c.url,
        t.documents.c.source,
        t.documents.c.published,
    )
    base = scope.where(select(*columns).join(t.documents, t.documents.c.id == t.events.c.document_id))
    role_base = scope.where(
        select(t.event_roles.c.event_id, t.event_roles.c.role, t.event_roles.c.entity_id)
        .join(t.events, t.events.c.id == t.event_roles.c.event_id)
        .join(t.documents, t.documents.c.id == t.events.c.document_id)
    )
    rows: list[Any] = []
    role_rows: list[Any] = []
    if keys is None:
        rows = list(conn.execute(base))
        role_rows = list(conn.execute(role_base))
    else:
        wanted = set(keys)
        stored = wanted | {k for k, v in remap.items() if v in wanted}
        for chunk in chunks(stored):
            rows.extend(conn.execute(base.where(t.events.c.event_key.in_(chunk))))
            role_rows.extend(conn.execute(role_base.where(t.events.c.event_key.in_(chunk))))
    views = build_views(rows, role_rows, moves, remap)
    if not corrected:
        return views
    edits = event_edits(conn, scope.viewer.org, moves, remap)
    out: dict[str, EventView] = {}
    for key, view in views.items():
        shown = view.corrected(edits[key]) if key in edits else view
        if shown is not None:
            out[key] = shown
    return out


def build_views(
    rows: Iterable[Any], role_rows: Iterable[Any], moves: dict[str, str], remap: dict[str, str]
) -> dict[str, EventView]:
    """Group report rows (the columns of `load_events`, as tuples) into event views; the rules are the module's.
    One pass over the rows in report order (earliest published first), keeping running values per group."""
    roles_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for event_id, role, entity_id in sorted(tuple(r) for r in role_rows):
        roles_of[event_id].append((role, moves.get(entity_id, entity_id)))
    # group -> [greatest type, latest text date, earliest publication, amount, currency]
    facts: dict[str, list[Any]] = {}
    members: dict[str, dict[str, dict[str, None]]] = defaultdict(dict)  # group -> role -> members, ordered set
    firsts: dict[tuple[str, str], tuple[Any, ...]] = {}  # (group, document) -> its first report row
    ordered = sorted((tuple(r) for r in rows), key=lambda r: (r[14] or "9999", r[10], r[7] or 0, r[0]))
    for r in ordered:
        event_id, stored, kind, date, amount, currency, _, _, _, _, document_id, _, _, _, published = r
        key = remap.get(stored, stored)
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = [kind, date, published, amount, currency]
        else:
            if kind > fact[0]:
                fact[0] = kind
            if date and (fact[1] is None or date > fact[1]):
                fact[1] = date
            if fact[3] is None and amount is not None:
                fact[3], fact[4] = amount, currency
        group = members[key]
        for role, member in roles_of.get(event_id, ()):
            group.setdefault(role, {})[member] = None
        firsts.setdefault((key, document_id), r)
    reports: dict[str, list[Report]] = defaultdict(list)
    sources: dict[str | None, str | None] = {}
    for (key, _), r in firsts.items():
        _, _, _, _, _, _, evidence, start, end, language, document_id, title, url, source, published = r
        raw = url or source
        if raw not in sources:
            sources[raw] = public_source(raw)
        reports[key].append(Report(document_id, title, sources[raw], published, evidence, language, start, end))
    views: dict[str, EventView] = {}
    for key, (kind, text_date, published, amount, currency) in facts.items():
        date, source = (text_date, "text") if text_date else (published, "published" if published else None)
        roles = {role: list(ids) for role, ids in sorted(members[key].items())}
        views[key] = EventView(key, kind, date, source, roles, amount, currency, reports[key])
    return views


# ------------------------------------------------------------------------------------------------ counts


def event_keys_by_entity(
    conn: Connection,
    scope: Scope,
    moves: dict[str, str],
    located_only: bool = True,
    place_types: Collection[str] = ("place", "park", "cluster"),
    not_roles: Collection[str] = (),
) -> dict[str, set[str]]:
    """Canonical entity -> the events (group keys) it takes part in, in any role, among the reports the viewer
    sees; the map counts these, and `/events?place=` lists the same groups. `located_only`: only entities with
    coordinates or of `place_types` (what a place's count takes in, located or not), and those merged into them."""
    remap = key_remap(conn, moves)
    pairs = scope.where(
        select(t.event_roles.c.entity_id, t.events.c.event_key)
        .select_from(
            t.event_roles.join(t.events, t.events.c.id == t.event_roles.c.event_id).join(
                t.documents, t.documents.c.id == t.events.c.document_id
            )
        )
        .distinct()
    )
    if not_roles:
        pairs = pairs.where(t.event_roles.c.role.not_in(sorted(not_roles)))
    if located_only:
        located = select(t.entities.c.id).where(
            or_(
                and_(t.entities.c.lat.is_not(None), t.entities.c.lon.is_not(None)),
                t.entities.c.type.in_(sorted(place_types)),
            )
        )
        located_ids = set(conn.execute(located).scalars())
        merged_in = sorted(src for src, dst in moves.items() if dst in located_ids)
        where = t.event_roles.c.entity_id.in_(located)
        pairs = pairs.where(or_(where, t.event_roles.c.entity_id.in_(merged_in)) if merged_in else where)
    out: dict[str, set[str]] = defaultdict(set)
    for entity_id, key in conn.execute(pairs):
        out[moves.get(entity_id, entity_id)].add(remap.get(key, key))
    _count_corrected(conn, scope, moves, remap, out, located_only, place_types, not_roles)
    return {eid: keys for eid, keys in out.items() if keys}


def _count_corrected(
    conn: Connection,
    scope: Scope,
    moves: dict[str, str],
    remap: dict[str, str],
    out: dict[str, set[str]],
    located_only: bool,
    place_types: Collection[str],
    not_roles: Collection[str],
) -> None:
    """`event_keys_by_entity` with the viewer's corrections: a rejected event counts nowhere; an event whose roles
    were corrected counts for its participants as corrected."""
    edits = event_edits(conn, scope.viewer.org, moves, remap)
    changed = {k for k, e in edits.items() if e.rejected or e.roles}
    if not changed:
        return
    for keys in out.values():
        keys -= changed
    views = load_events(conn, scope, moves, changed, remap)
    pairs = {(m, k) for k, v in views.items() for role, ids in v.roles.items() if role not in not_roles for m in ids}
    allowed = {m for m, _ in pairs}
    if located_only:
        sources = {src for src, dst in moves.items() if dst in allowed}
        located = select(t.entities.c.id).where(
            t.entities.c.id.in_(sorted(allowed | sources)),
            or_(
                and_(t.entities.c.lat.is_not(None), t.entities.c.lon.is_not(None)),
                t.entities.c.type.in_(sorted(place_types)),
            ),
        )
        allowed = {moves.get(eid, eid) for eid in conn.execute(located).scalars()}
    for member, key in pairs:
        if member in allowed:
            out.setdefault(member, set()).add(key)


# ------------------------------------------------------------------------------------------------ writing


def family_types(kind: str) -> list[str]:
    """The event types grouped with `kind` (landing and expansion; any other type alone)."""
    family = EVENT_FAMILY.get(kind, kind)
    return sorted({kind, family} | {k for k, f in EVENT_FAMILY.items() if f == family})


def anchor_date(dated: Iterable[str], published: str | None) -> str | None:
    """The date an undated report of an event takes its group's year from: the latest date another report's
    sentence gives the same event (same family and key participant) in the year the report was published or the
    year before, and not after it; None: none (the report's own year then). A report published on 5 January
    about a landing dated 20 December joins that landing."""
    if not published:
        return None
    year = int(published[:4])
    years = (str(year - 1), str(year))
    near = [d for d in dated if d[:4] in years and d[: len(published)] <= published]
    return max(near) if near else None


def key_participants(events: Iterable[dict[str, Any]], roles: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(type, key participant) of the event rows a document is about to store that have a single key participant:
    the groups `regroup_undated` looks at once the document is written (its dated reports may anchor others)."""
    kinds = {e["id"]: e["type"] for e in events}
    members: dict[str, set[str]] = defaultdict(set)
    for r in roles:
        kind = kinds.get(r["event_id"])
        if kind is not None and EVENT_KEY_ROLES.get(kind) == r["role"]:
            members[r["event_id"]].add(r["entity_id"])
    return {(kinds[eid], next(iter(ids))) for eid, ids in members.items() if len(ids) == 1}


def regroup_undated(conn: Connection, kind: str, member: str) -> int:
    """Give every undated report of `kind`'s family about `member` (its key participant) the group of the dated
    report it is nearest to (`anchor_date`); returns how many reports changed group. Run after a document's events
    are written (for each key participant it names) and by `rekey_events`, so the grouping does not depend on
    the order documents arrive in."""
    if kind == "partnership":  # a group of members, no single participant to anchor on
        return 0
    rows = conn.execute(
        select(t.events.c.id, t.events.c.event_key, t.events.c.type, t.events.c.date, t.documents.c.published)
        .join(t.event_roles, t.event_roles.c.event_id == t.events.c.id)
        .join(t.documents, t.documents.c.id == t.events.c.document_id)
        .where(_is_key_role(), t.event_roles.c.entity_id == member, t.events.c.type.in_(family_types(kind)))
    ).all()
    dated = [r.date for r in rows if r.date]
    changed = 0
    for r in rows:
        if r.date:
            continue
        anchor = anchor_date(dated, r.published)
        key = event_key(r.type, {EVENT_KEY_ROLES.get(r.type, ""): [member]}, anchor, r.published)
        if key != r.event_key:
            conn.execute(t.events.update().where(t.events.c.id == r.id).values(event_key=key))
            changed += 1
    return changed


# ------------------------------------------------------------------------------------------------ upgrade


def rekey_events(conn: Connection, batch: int = CHUNK) -> int:
    """Recompute every stored group key with `resolve.event_key` and `regroup_undated` (for a kb whose reports were
    grouped by an older rule); returns how many key writes it made. A second run changes nothing."""
    changed = 0
    after = ""
    undated: set[tuple[str, str]] = set()
    while True:
        ids = list(
            conn.execute(
                select(t.events.c.id).where(t.events.c.id > after).order_by(t.events.c.id).limit(batch)
            ).scalars()
        )
        if not ids:
            return changed + sum(regroup_undated(conn, kind, member) for kind, member in sorted(undated))
        after = ids[-1]
        members: dict[str, list[str]] = defaultdict(list)
        for r in conn.execute(
            select(t.event_roles.c.event_id, t.event_roles.c.entity_id)
            .join(t.events, t.events.c.id == t.event_roles.c.event_id)
            .where(_is_key_role(), t.events.c.id.in_(ids))
        ):
            members[r.event_id].append(r.entity_id)
        for e in conn.execute(
            select(t.events.c.id, t.events.c.event_key, t.events.c.type, t.events.c.date, t.documents.c.published)
            .join(t.documents, t.documents.c.id == t.events.c.document_id)
            .where(t.events.c.id.in_(ids))
        ):
            key = event_key(e.type, {EVENT_KEY_ROLES.get(e.type, ""): members.get(e.id, [])}, e.date, e.published)
            if key != e.event_key:
                conn.execute(t.events.update().where(t.events.c.id == e.id).values(event_key=key))
                changed += 1
            if e.date is None and len(members.get(e.id, [])) == 1:
                undated.add((EVENT_FAMILY.get(e.type, e.type), members[e.id][0]))
