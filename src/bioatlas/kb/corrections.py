"""Corrections: a user's recorded judgement on an extracted event or figure, applied wherever it is shown.

A correction says who, when and why, and the value shown before and after. It never edits the claim rows (`events`,
`event_roles`, `figures`): it is applied when they are read — events in `kb.event_view` (so the pages, the map and
the answers see the same corrected event), figures by `apply_to_figures` — and undoing it (recorded too, with who
and when, like a merge decision) brings back what was shown before.

What a correction can change:

- an event (target: its group key, `EventView.id`): `date` (a year, month or day), `type`, `role` (remove
  `old_value` and/or add `new_value`, entity ids, in one role: add, remove or replace a participant) or `reject`
  (a false event: it disappears from lists, counts and answers);
- a figure (target: its id): `value`, `unit`, `entity` (the entity it is about) or `reject`.

Several active corrections of one field: the latest wins; role edits apply in the order they were made.

Who sees a correction: one made by a user of an organisation belongs to that organisation's view only (its
analysts' private judgement does not alter what other organisations see); one made by a user without an
organisation (the shared kb's analysts) or by an admin choosing `everyone` applies to every viewer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from bioatlas.access import Viewer
from bioatlas.kb import schema as t
from bioatlas.model import EVENT_TYPES, FIGURE_UNITS

EVENT_FIELDS = ("date", "type", "role", "reject")
FIGURE_FIELDS = ("value", "unit", "entity", "reject")
# The roles each event type has (what the extractors write); a role edit must name one of its event's type.
ROLES_OF_TYPE: dict[str, tuple[str, ...]] = {
    "landing": ("company", "location", "origin", "facilitator"),
    "expansion": ("company", "location", "origin", "facilitator"),
    "launch": ("subject", "location", "by"),
    "partnership": ("members", "location"),
    "funding": ("company", "investors"),
    "acquisition": ("acquirer", "target"),
    "visit": ("visitor", "host"),
}
MAX_REASON = 2000
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class BadCorrection(ValueError):
    """A correction that cannot be recorded as asked; `field` names the request field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


class CorrectionNotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class Correction:
    id: str
    target: str  # event | figure
    target_id: str
    field: str
    role: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None
    by: str
    org_id: str | None
    at: str
    undone_at: str | None = None
    undone_by: str | None = None

    @classmethod
    def of(cls, row: Any) -> Correction:
        return cls(**{f.name: row._mapping[f.name] for f in fields(cls)})

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def mark(self) -> dict[str, Any]:
        """What a page shows beside a corrected value: what changed, who, when and why."""
        return {
            "id": self.id,
            "field": self.field,
            "role": self.role,
            "old": self.old_value,
            "new": self.new_value,
            "by": self.by,
            "at": self.at,
            "reason": self.reason,
            "shared": self.org_id is None,
        }


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


# ------------------------------------------------------------------------------------------------ who sees what


def applies_to(org: str | None) -> Any:
    """The corrections a viewer of organisation `org` sees applied: the shared ones and its organisation's."""
    shared = t.corrections.c.org_id.is_(None)
    return shared if org is None else or_(shared, t.corrections.c.org_id == org)


def correction_org(viewer: Viewer, everyone: bool | None) -> str | None:
    """The organisation a new correction belongs to (None: everyone). A user of an organisation corrects its own
    view unless an admin asks for `everyone`; a user without one corrects the shared kb."""
    if viewer.org is None:
        return None
    if everyone:
        if not viewer.can("admin"):
            raise PermissionError("only an admin can make a correction apply to every organisation")
        return None
    return viewer.org


def may_undo(viewer: Viewer, correction: Correction) -> bool:
    """An organisation's correction is undone by its own analysts; a shared one by the shared kb's analysts or an
    admin."""
    if correction.org_id is None:
        return viewer.org is None or viewer.can("admin")
    return viewer.org == correction.org_id


def active(
    conn: Connection, org: str | None, target: str | None = None, target_ids: Collection[str] | None = None
) -> list[Correction]:
    """The active corrections a viewer of `org` sees, oldest first."""
    query = select(t.corrections).where(t.corrections.c.undone_at.is_(None), applies_to(org))
    if target is not None:
        query = query.where(t.corrections.c.target == target)
    if target_ids is not None:
        query = query.where(t.corrections.c.target_id.in_(sorted(set(target_ids))))
    return [Correction.of(r) for r in conn.execute(query.order_by(t.corrections.c.at, t.corrections.c.id))]


def stamp(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever a correction is recorded or undone (for caches of what the kb shows)."""
    return tuple(
        conn.execute(select(func.count(), func.max(t.corrections.c.at), func.max(t.corrections.c.undone_at))).one()
    )


def has_private(conn: Connection, org: str | None) -> bool:
    """Whether organisation `org` has corrections of its own (its view then differs from the shared one)."""
    if org is None:
        return False
    found = conn.execute(
        select(t.corrections.c.id).where(t.corrections.c.org_id == org, t.corrections.c.undone_at.is_(None)).limit(1)
    ).first()
    return found is not None


# ------------------------------------------------------------------------------------------------ events


@dataclass(slots=True)
class EventEdits:
    """The active corrections of one event, folded: the latest of each field, role edits in order."""

    date: str | None = None
    type: str | None = None
    rejected: bool = False
    roles: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (role, removed, added)
    marks: list[dict[str, Any]] = field(default_factory=list)

    def adds(self, entity_ids: Collection[str], skip_roles: Collection[str] = ()) -> bool:
        return any(new in entity_ids for role, _, new in self.roles if role not in skip_roles)

    def removes(self, entity_ids: Collection[str]) -> bool:
        return any(old in entity_ids for _, old, _ in self.roles)


def event_edits(
    conn: Connection, org: str | None, moves: dict[str, str], remap: dict[str, str]
) -> dict[str, EventEdits]:
    """Group key as the viewer sees it -> the corrections of that event (entity ids followed through merges)."""
    edits: dict[str, EventEdits] = {}
    for c in active(conn, org, "event"):
        key = remap.get(c.target_id, c.target_id)
        e = edits.setdefault(key, EventEdits())
        if c.field == "date":
            e.date = c.new_value
        elif c.field == "type":
            e.type = c.new_value
        elif c.field == "reject":
            e.rejected = True
        elif c.field == "role" and c.role:
            old = moves.get(c.old_value, c.old_value) if c.old_value else None
            new = moves.get(c.new_value, c.new_value) if c.new_value else None
            e.roles.append((c.role, old, new))
        e.marks.append(c.mark())
    return edits


def apply_roles(roles: dict[str, list[str]], edits: Iterable[tuple[str, str | None, str | None]]) -> None:
    """Role edits in order, in place: remove the old participant from the role, add the new one."""
    for role, old, new in edits:
        members = roles.setdefault(role, [])
        if old is not None and old in members:
            members.remove(old)
        if new is not None and new not in members:
            members.append(new)
        if not members:
            del roles[role]


# ------------------------------------------------------------------------------------------------ figures


@dataclass(slots=True)
class FigureEdits:
    value: float | None = None
    unit: str | None = None
    entity: str | None = None
    rejected: bool = False
    marks: list[dict[str, Any]] = field(default_factory=list)


def figure_edits(
    conn: Connection, org: str | None, figure_ids: Collection[str] | None = None
) -> dict[str, FigureEdits]:
    edits: dict[str, FigureEdits] = defaultdict(FigureEdits)
    for c in active(conn, org, "figure", figure_ids):
        e = edits[c.target_id]
        if c.field == "value" and c.new_value is not None:
            e.value = float(c.new_value)
        elif c.field == "unit":
            e.unit = c.new_value
        elif c.field == "entity":
            e.entity = c.new_value
        elif c.field == "reject":
            e.rejected = True
        e.marks.append(c.mark())
    return dict(edits)


def figures_moved_to(conn: Connection, org: str | None, entity_ids: Collection[str]) -> list[str]:
    """Figures a correction gave to one of `entity_ids` (to read beside the entity's own)."""
    moved = {fid for fid, e in figure_edits(conn, org).items() if e.entity in entity_ids}
    return sorted(moved)


def apply_to_figures(
    conn: Connection,
    org: str | None,
    rows: Iterable[dict[str, Any]],
    moves: dict[str, str] | None = None,
    entity_ids: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """Figure rows (dicts with `id`, `value`, `unit`, `entity_id`) as corrected: rejected ones left out, corrected
    ones with the new values and `corrections` (the marks); `entity_ids`: keep only figures (still) about these."""
    rows = list(rows)
    edits = figure_edits(conn, org, [r["id"] for r in rows])
    out = []
    for row in rows:
        e = edits.get(row["id"])
        row = {**row, "corrections": []}
        if e is not None:
            if e.rejected:
                continue
            if e.value is not None:
                row["value"] = e.value
            if e.unit is not None:
                row["unit"] = e.unit
            if e.entity is not None:
                row["entity_id"] = (moves or {}).get(e.entity, e.entity)
            row["corrections"] = e.marks
        if entity_ids is not None and row["entity_id"] not in entity_ids:
            continue
        out.append(row)
    return out


# ------------------------------------------------------------------------------------------------ checking input


def check_date(value: Any) -> str:
    """A year, month or day that exists on the calendar (2021, 2021-03, 2021-03-07)."""
    text = str(value or "").strip()
    m = _DATE.fullmatch(text)
    try:
        if m is None:
            raise ValueError
        dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise BadCorrection(
            "value", f"{text!r} is not a date; use a year, month or day like 2021, 2021-03 or 2021-03-07"
        ) from None
    return text


def check_value(value: Any) -> float:
    """A number as people type it: `1250.5`, `1 250,5` (spaces group digits, a lone comma is the decimal mark),
    `1,250.5` / `1.250,5` (with both marks, the last one is the decimal mark)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f']", "", str(value or ""))
        if "," in text and "." in text:
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
        else:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise BadCorrection("value", f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise BadCorrection("value", f"{value!r} is not a finite number")
    return number


def check_reason(value: Any) -> str | None:
    text = str(value or "").strip()
    if len(text) > MAX_REASON:
        raise BadCorrection("reason", f"at most {MAX_REASON} characters, not {len(text)}")
    return text or None


def _entity_exists(conn: Connection, entity_id: str) -> bool:
    return conn.execute(select(t.entities.c.id).where(t.entities.c.id == entity_id)).first() is not None


# ------------------------------------------------------------------------------------------------ writing


def _insert(conn: Connection, **row: Any) -> Correction:
    row = {"id": secrets.token_hex(16), "at": now(), "undone_at": None, "undone_by": None, **row}
    conn.execute(t.corrections.insert().values(**row))
    return Correction(**row)


def record_event_correction(
    conn: Connection,
    shown: Any,
    *,
    field: str,
    by: str,
    org: str | None,
    reason: str | None,
    value: Any = None,
    role: str | None = None,
    remove: str | None = None,
    add: str | None = None,
    sees_entity: Any = None,
) -> list[Correction]:
    """Record a correction of the event `shown` (its `EventView` as the user sees it now, corrected); the old value
    is what was shown. `sees_entity(id)`: whether the user may name that entity. Returns the rows written."""
    common = {"target": "event", "target_id": shown.id, "by": by, "org_id": org, "reason": check_reason(reason)}
    if field == "date":
        new = check_date(value)
        return [_insert(conn, field="date", role=None, old_value=shown.date, new_value=new, **common)]
    if field == "type":
        kind = str(value or "").strip()
        if kind not in EVENT_TYPES:
            raise BadCorrection("value", f"unknown event type {kind!r}; choose from {', '.join(EVENT_TYPES)}")
        return [_insert(conn, field="type", role=None, old_value=shown.type, new_value=kind, **common)]
    if field == "reject":
        return [_insert(conn, field="reject", role=None, old_value=None, new_value=None, **common)]
    if field == "role":
        known = ROLES_OF_TYPE.get(shown.type, ())
        if role not in known:
            raise BadCorrection("role", f"unknown role {role!r} for a {shown.type}; choose from {', '.join(known)}")
        remove, add = (remove or "").strip() or None, (add or "").strip() or None
        if remove is None and add is None:
            raise BadCorrection("add", "name the entity to add to the role, or the one to remove from it")
        if remove is not None and remove not in shown.roles.get(role, []):
            raise BadCorrection("remove", f"{remove!r} is not in the role {role} of this event")
        if add is not None and (not _entity_exists(conn, add) or (sees_entity and not sees_entity(add))):
            raise BadCorrection("add", f"no entity with id {add!r}")
        if add is not None and add in shown.roles.get(role, []):
            raise BadCorrection("add", f"{add!r} is already in the role {role} of this event")
        return [_insert(conn, field="role", role=role, old_value=remove, new_value=add, **common)]
    raise BadCorrection("field", f"unknown field {field!r} for an event; choose from {', '.join(EVENT_FIELDS)}")


def record_figure_correction(
    conn: Connection,
    figure: dict[str, Any],
    *,
    field: str,
    by: str,
    org: str | None,
    reason: str | None,
    value: Any = None,
    sees_entity: Any = None,
) -> list[Correction]:
    """Record a correction of a figure as the user sees it now (`figure`: its corrected row)."""
    common = {"target": "figure", "target_id": figure["id"], "by": by, "org_id": org, "reason": check_reason(reason)}
    if field == "value":
        number = check_value(value)
        return [
            _insert(conn, field="value", role=None, old_value=repr(figure["value"]), new_value=repr(number), **common)
        ]
    if field == "unit":
        unit = str(value or "").strip()
        if unit not in FIGURE_UNITS:
            raise BadCorrection("value", f"unknown unit {unit!r}; choose from {', '.join(FIGURE_UNITS)}")
        return [_insert(conn, field="unit", role=None, old_value=figure["unit"], new_value=unit, **common)]
    if field == "entity":
        entity = str(value or "").strip()
        if not entity or not _entity_exists(conn, entity) or (sees_entity and not sees_entity(entity)):
            raise BadCorrection("value", f"no entity with id {entity!r}")
        return [_insert(conn, field="entity", role=None, old_value=figure["entity_id"], new_value=entity, **common)]
    if field == "reject":
        return [_insert(conn, field="reject", role=None, old_value=None, new_value=None, **common)]
    raise BadCorrection("field", f"unknown field {field!r} for a figure; choose from {', '.join(FIGURE_FIELDS)}")


def get(conn: Connection, correction_id: str) -> Correction | None:
    row = conn.execute(select(t.corrections).where(t.corrections.c.id == correction_id)).first()
    return Correction.of(row) if row is not None else None


def undo(conn: Connection, correction_id: str, by: str | None) -> dict[str, Any]:
    """Mark a correction undone (it stays on record); undoing it again changes nothing and says so."""
    c = get(conn, correction_id)
    if c is None:
        raise CorrectionNotFound(correction_id)
    if c.undone_at is not None:
        return {**c.to_json(), "already_undone": True}
    stamp_ = now()
    conn.execute(
        update(t.corrections).where(t.corrections.c.id == correction_id).values(undone_at=stamp_, undone_by=by)
    )
    return {**c.to_json(), "undone_at": stamp_, "undone_by": by, "already_undone": False}


# ------------------------------------------------------------------------------------------------ history


def history(
    conn: Connection,
    org: str | None,
    *,
    event: str | None = None,
    entity_ids: Collection[str] | None = None,
    limit: int = 200,
) -> list[Correction]:
    """Every correction the viewer of `org` sees (undone ones too), newest first; `event`: of that event (group
    key); `entity_ids`: naming one of these entities, or of an event or figure about one of them."""
    query = select(t.corrections).where(applies_to(org))
    if event is not None:
        query = query.where(and_(t.corrections.c.target == "event", t.corrections.c.target_id == event))
    if entity_ids is not None:
        ids = sorted(set(entity_ids))
        keys = (
            select(t.events.c.event_key)
            .join(t.event_roles, t.event_roles.c.event_id == t.events.c.id)
            .where(t.event_roles.c.entity_id.in_(ids))
        )
        figures = select(t.figures.c.id).where(t.figures.c.entity_id.in_(ids))
        query = query.where(
            or_(
                t.corrections.c.old_value.in_(ids),
                t.corrections.c.new_value.in_(ids),
                and_(t.corrections.c.target == "event", t.corrections.c.target_id.in_(keys)),
                and_(t.corrections.c.target == "figure", t.corrections.c.target_id.in_(figures)),
            )
        )
    rows = conn.execute(query.order_by(t.corrections.c.at.desc(), t.corrections.c.id).limit(limit))
    return [Correction.of(r) for r in rows]
