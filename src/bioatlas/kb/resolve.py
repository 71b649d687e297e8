"""Entity resolution across documents and languages, with every merge decision recorded.

Blocking + string similarity: an extracted entity joins an existing one when they share a folded alias
(Liège = 列日 through reference data; 羅氏 = 罗氏 by script folding; Liege = Liège by accent folding),
and is linked to one whose name is close (rapidfuzz) — merged above `MERGE_AT`, flagged for review
between `FLAG_AT` and `MERGE_AT`. Each kb entity keeps its own id; a merge is a recorded redirect that a
user can undo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, and_, select

from bioatlas.kb import schema as t
from bioatlas.model import Entity, content_id, event_group_key

MERGE_AT = 92.0
FLAG_AT = 84.0
SPELLING_VARIANT = (80.0, 97.0)


def coarse_kind(entity_type: str) -> str:
    return entity_type if entity_type in ("place", "person") else "org"


def reference_entity_id(row_id: str) -> str:
    return f"ref:{row_id}"


def own_entity_id(kind: str, key: str) -> str:
    return f"ent:{content_id(kind, key)}"


def event_key(kind: str, roles: dict[str, Any], date: str | None) -> str:
    as_lists = {k: (v if isinstance(v, list) else [str(v)]) for k, v in roles.items()}
    return content_id(*event_group_key(kind, as_lists, date))


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
                "by": "auto",
                "reason": reason,
            }
        )

    def flush(self, stamp: str) -> None:
        from bioatlas.kb.store import insert_ignore

        existing = (
            {(r.from_id, r.to_id) for r in self.conn.execute(select(t.merges.c.from_id, t.merges.c.to_id))}
            if self.pending
            else set()
        )
        rows = [dict(p, at=stamp, undone_at=None) for p in self.pending if (p["from_id"], p["to_id"]) not in existing]
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
    """Active merges: entity id -> the id it has been merged into (followed to the end of the chain)."""
    rows = conn.execute(
        select(t.merges.c.from_id, t.merges.c.to_id)
        .where(and_(t.merges.c.decision == "merged", t.merges.c.undone_at.is_(None)))
        .order_by(t.merges.c.at)
    ).all()
    direct = {r.from_id: r.to_id for r in rows}
    resolved: dict[str, str] = {}
    for start in direct:
        seen = {start}
        target = direct[start]
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        resolved[start] = target
    return resolved
