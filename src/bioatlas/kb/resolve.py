"""Entity resolution across documents and languages, with every merge decision recorded.

Blocking + string similarity: an extracted entity joins an existing one when they share a folded alias
(Liège = 列日 through reference data; 羅氏 = 罗氏 by script folding; Liege = Liège by accent folding),
and is linked to one whose name is close (rapidfuzz) — merged above `MERGE_AT`, flagged for review
between `FLAG_AT` and `MERGE_AT`. Each kb entity keeps its own id; a merge is a recorded redirect that a
user can undo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, and_, or_, select, update

from bioatlas.kb import schema as t
from bioatlas.model import EVENT_KEY_ROLES, Entity, content_id

AUTO = "auto"  # `merges.by` of the decisions resolution makes; any other value is a user's
MERGE_AT = 92.0
FLAG_AT = 84.0
SPELLING_VARIANT = (80.0, 97.0)


def coarse_kind(entity_type: str) -> str:
    return entity_type if entity_type in ("place", "person") else "org"


def reference_entity_id(row_id: str) -> str:
    return f"ref:{row_id}"


def own_entity_id(kind: str, key: str) -> str:
    return f"ent:{content_id(kind, key)}"


# Types that reports of one happening give it interchangeably: a company's arrival in Liège is a "landing" on one
# page and an "expansion" on another two days later. The group shows the greatest of its reports' types, which
# for this family is "landing" (`kb.event_view` takes it with SQL max()).
EVENT_FAMILY: dict[str, str] = {"expansion": "landing"}


def event_key(kind: str, roles: dict[str, Any], date: str | None, published: str | None = None) -> str:
    """The group a report of an event belongs to: reports of one happening share the family of their type, the
    key participant(s) (`EVENT_KEY_ROLES`) and the year: the year the sentence gives, else the year the page was
    published (a report's own date never splits it from reports of the same year)."""
    value = roles.get(EVENT_KEY_ROLES.get(kind, ""), [])
    members = sorted({str(v) for v in (value if isinstance(value, list) else [value])})
    return content_id(EVENT_FAMILY.get(kind, kind), *members, (date or published or "")[:4])


def _name_key(text: str) -> str:
    from bioatlas.extract.entities import name_key

    return name_key(text)


def _latin(text: str) -> bool:
    return all(ord(c) < 0x2E80 for c in text)


@dataclass(slots=True)
class Resolved:
    entity_id: str
    new_entity: bool
    mention_entity: dict[str, str] = field(default_factory=dict)
    extra_entities: list[dict[str, Any]] = field(default_factory=list)


class Resolver:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.pending: list[dict[str, Any]] = []

    def _record(self, from_id: str, to_id: str, score: float, decision: str, reason: str) -> None:
        self.pending.append(
            {
                "id": content_id(from_id, to_id, decision),
                "from_id": from_id,
                "to_id": to_id,
                "score": round(score / 100, 3),
                "decision": decision,
                "by": AUTO,
                "reason": reason,
            }
        )

    def linked(self) -> set[str]:
        """The entities the pending decisions name."""
        return {p[side] for p in self.pending for side in ("from_id", "to_id")}

    def forget(self, gone: set[str]) -> None:
        """Drop pending decisions that name an entity removed meanwhile."""
        self.pending = [p for p in self.pending if p["from_id"] not in gone and p["to_id"] not in gone]

    def flush(self, stamp: str) -> None:
        """Record the pending decisions, except for pairs already judged either way: an automatic decision never
        comes back over a user's (a "not the same", an undo) nor repeats one already made."""
        from bioatlas.kb.store import insert_ignore

        if not self.pending:
            return
        ids = sorted(self.linked())
        judged = {
            frozenset((r.from_id, r.to_id))
            for r in self.conn.execute(
                select(t.merges.c.from_id, t.merges.c.to_id).where(
                    t.merges.c.from_id.in_(ids) | t.merges.c.to_id.in_(ids)
                )
            )
        }
        rows = [
            dict(p, at=stamp, undone_at=None)
            for p in self.pending
            if frozenset((p["from_id"], p["to_id"])) not in judged
        ]
        insert_ignore(self.conn, t.merges, rows)
        self.pending = []

    def _exists(self, entity_id: str) -> bool:
        return self.conn.execute(select(t.entities.c.id).where(t.entities.c.id == entity_id)).first() is not None

    def resolve(self, ent: Entity, doc_key: str) -> Resolved:
        kind = coarse_kind(ent.type)
        forms = ent.surface_forms() or [ent.name]
        if ent.reference:
            eid = reference_entity_id(ent.reference.split(":", 1)[1])
            resolved = Resolved(eid, new_entity=not self._exists(eid))
        else:
            eid = own_entity_id(kind, _name_key(ent.name))
            resolved = Resolved(eid, new_entity=not self._exists(eid))
            if resolved.new_entity:
                self._link_new(eid, ent, kind, forms)
        self._split_spelling_variants(ent, kind, resolved)
        return resolved

    def _link_new(self, eid: str, ent: Entity, kind: str, forms: list[str]) -> None:
        keys = {_name_key(f) for f in [*forms, ent.name]} - {""}
        if kind == "person":  # one-token or initial-only person names are too ambiguous to join on
            keys = {k for k, f in ((_name_key(f), f) for f in forms) if not _latin(f) or len(f.split()) >= 2}
        if keys:
            rows = self.conn.execute(
                select(t.aliases.c.entity_id, t.aliases.c.alias).where(
                    and_(t.aliases.c.folded.in_(sorted(keys)), t.aliases.c.kind == kind)
                )
            ).all()
            targets = sorted(
                {r.entity_id for r in rows if r.entity_id != eid}, key=lambda x: (not x.startswith("ref:"), x)
            )
            if targets:
                shared = next(r.alias for r in rows if r.entity_id == targets[0])
                self._record(eid, targets[0], 100.0, "merged", f"same name '{shared}'")
                return
        if kind == "person":
            return
        name = _name_key(ent.name)
        if len(name) < 5:
            return
        candidates = self.conn.execute(
            select(t.aliases.c.entity_id, t.aliases.c.folded, t.aliases.c.alias)
            .where(and_(t.aliases.c.kind == kind, t.aliases.c.folded.like(name[:2] + "%")))
            .limit(2000)
        ).all()
        best: tuple[float, str, str] | None = None
        for cand in candidates:
            if cand.entity_id == eid or len(cand.folded) < 5:
                continue
            score = fuzz.ratio(name, cand.folded)
            if best is None or score > best[0]:
                best = (score, cand.entity_id, cand.alias)
        if best and best[0] >= MERGE_AT:
            self._record(eid, best[1], best[0], "merged", f"'{ent.name}' ~ '{best[2]}'")
        elif best and best[0] >= FLAG_AT:
            self._record(eid, best[1], best[0], "flagged", f"probably the same: '{ent.name}' ~ '{best[2]}'")

    def _split_spelling_variants(self, ent: Entity, kind: str, resolved: Resolved) -> None:
        """Kitozyme / Kytozyme on one page: the odd spelling becomes its own entity, merged with a score."""
        if kind == "person":
            return
        main = _name_key(ent.name)
        for form in ent.surface_forms():
            key = _name_key(form)
            if not _latin(form) or key == main or len(key) < 5:
                continue
            score = fuzz.ratio(main, key)
            if SPELLING_VARIANT[0] <= score < SPELLING_VARIANT[1] and main[:1] == key[:1]:
                variant_id = own_entity_id(kind, key)
                resolved.mention_entity[form] = variant_id
                if not self._exists(variant_id):
                    resolved.extra_entities.append(
                        {
                            "id": variant_id,
                            "name": form,
                            "type": ent.type,
                            "country": ent.country,
                            "reference": None,
                            "lat": None,
                            "lon": None,
                        }
                    )
                self._record(
                    variant_id,
                    resolved.entity_id,
                    score,
                    "merged",
                    f"probably the same: spelled '{form}' and '{ent.name}' in one document",
                )


def redirects(conn: Connection) -> dict[str, str]:
    """Active merges: entity id -> the id it has been merged into (followed to the end of the chain).

    Every place that shows entities reads merges through here. Per pair of entities, the latest active user
    decision wins over automatic ones: after "not the same" (`rejected`) an automatic merge of the pair no longer
    applies, a later user merge applies again, and undoing a decision brings back the one before it. A chain
    stops before an entity a user said is not the same as where it started."""
    rows = conn.execute(
        select(t.merges.c.from_id, t.merges.c.to_id, t.merges.c.decision, t.merges.c.by)
        .where(and_(t.merges.c.decision.in_(("merged", "rejected")), t.merges.c.undone_at.is_(None)))
        .order_by(t.merges.c.at, t.merges.c.id)
    ).all()
    verdict: dict[frozenset[str], str] = {}
    for r in rows:
        if r.by != AUTO:
            verdict[frozenset((r.from_id, r.to_id))] = r.decision
    direct: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: r.by != AUTO):  # a user's merge of an entity wins over an automatic one
        if r.decision == "merged" and verdict.get(frozenset((r.from_id, r.to_id)), "merged") == "merged":
            direct[r.from_id] = r.to_id
    resolved: dict[str, str] = {}
    for start in direct:
        seen = {start}
        target = direct[start]
        while target in direct and target not in seen and verdict.get(frozenset((start, direct[target]))) != "rejected":
            seen.add(target)
            target = direct[target]
        if verdict.get(frozenset((start, target))) != "rejected":
            resolved[start] = target
    return resolved


def same_pair(conn: Connection, from_id: str, to_id: str) -> list[Any]:
    """The active user decisions on a pair of entities, oldest first."""
    pair = or_(
        and_(t.merges.c.from_id == from_id, t.merges.c.to_id == to_id),
        and_(t.merges.c.from_id == to_id, t.merges.c.to_id == from_id),
    )
    return list(
        conn.execute(
            select(t.merges)
            .where(pair, t.merges.c.by != AUTO, t.merges.c.undone_at.is_(None))
            .order_by(t.merges.c.at, t.merges.c.id)
        ).all()
    )


def precise_now() -> str:
    """A decision's time, to the microsecond: two decisions on one pair in the same second stay in order."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def record_decision(conn: Connection, from_id: str, to_id: str, by: str, decision: str) -> dict[str, Any]:
    """Record a user's decision on a pair (merged, rejected, flagged), idempotently: when the pair's latest active
    user decision is already this one, that row is returned (with `already_recorded`) and nothing is written."""
    latest = (same_pair(conn, from_id, to_id) or [None])[-1]
    if latest is not None and latest.decision == decision:
        if decision == "rejected" or (latest.from_id, latest.to_id) == (from_id, to_id):
            return {**dict(latest._mapping), "already_recorded": True}
    stamp = precise_now()
    row = {
        "id": content_id(from_id, to_id, decision, by, stamp),
        "from_id": from_id,
        "to_id": to_id,
        "score": 1.0,
        "decision": decision,
        "by": by,
        "reason": f"decided by {by}",
        "at": stamp,
        "undone_at": None,
    }
    conn.execute(t.merges.insert().values(**row))
    return {**row, "already_recorded": False}


def undo_decision(conn: Connection, merge_id: str, by: str | None = None) -> dict[str, Any] | None:
    """Mark a decision undone (it stays on record); undoing it again changes nothing and says so. None when there
    is no such decision."""
    row = conn.execute(select(t.merges).where(t.merges.c.id == merge_id)).first()
    if row is None:
        return None
    if row.undone_at is not None:
        return {**dict(row._mapping), "already_undone": True}
    stamp = precise_now()
    conn.execute(update(t.merges).where(t.merges.c.id == merge_id).values(undone_at=stamp, undone_by=by))
    return {**dict(row._mapping), "undone_at": stamp, "undone_by": by, "already_undone": False}
