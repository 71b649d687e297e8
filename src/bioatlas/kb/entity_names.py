"""Entities by name, for the forms that pick one (merge with…, add to a role…): suggestions as a user types, and
reading what was typed (a name, `Name [id]` as the suggestions offer it, or an id) back as one entity id.

Names are matched on their folded alias keys (`aliases.folded`, the key resolution uses), so any spelling the kb
has met finds the entity: 列日, Liege and Liège. Only entities the viewer sees are offered or accepted, merged ones
as the entity they joined.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, func, or_, select

from bioatlas.access import Viewer
from bioatlas.kb import schema as t
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import Scope, scope_for

_BRACKETED_ID = re.compile(r"\[([^\[\]\s]{1,64})\]\s*$")


class NameNotFound(LookupError):
    """No entity, or more than one, answers to what was typed (the message says which, with their ids)."""


def _key(text: str) -> str:
    from bioatlas.extract.entities import name_key

    return name_key(text)[:255] or text.strip().lower()[:255]


def looks_like_id(text: str) -> bool:
    """`ent:…`, `ref:…`: typed as an id rather than a name."""
    text = text.strip()
    return ":" in text and not any(ch.isspace() for ch in text) and "[" not in text


def suggestion_label(name: str, entity_id: str) -> str:
    """How a suggestion is written into the form: readable, and read back exactly (`resolve`)."""
    return f"{name} [{entity_id}]"


def suggest(conn: Connection, scope: Scope, text: str, limit: int = 10) -> list[dict[str, Any]]:
    """Entities whose name (any spelling the kb has) starts with or contains `text`: prefix matches first, then
    shorter names; one row per entity as the viewer sees it."""
    key = _key(text)
    if not key:
        return []
    moves = scope.redirects(conn)
    rows = conn.execute(
        select(t.aliases.c.entity_id, t.aliases.c.folded)
        .where(
            or_(t.aliases.c.folded.startswith(key, autoescape=True), t.aliases.c.folded.contains(key, autoescape=True))
        )
        .order_by(func.length(t.aliases.c.folded))
        .limit(limit * 20)
    ).all()
    ranked = sorted(rows, key=lambda r: (not r.folded.startswith(key), len(r.folded)))
    ordered = list(dict.fromkeys(moves.get(r.entity_id, r.entity_id) for r in ranked))
    hidden = scope.hidden(conn, ordered)
    ordered = [e for e in ordered if e not in hidden]
    found = {
        r.id: r
        for r in conn.execute(
            select(t.entities.c.id, t.entities.c.name, t.entities.c.type, t.entities.c.country).where(
                t.entities.c.id.in_(ordered[: limit * 2])
            )
        )
    }
    out: list[dict[str, Any]] = []
    for eid in ordered:
        if eid in found and len(out) < limit:
            r = found[eid]
            out.append(
                {
                    "id": r.id,
                    "name": r.name,
                    "type": r.type,
                    "country": r.country,
                    "label": suggestion_label(r.name, r.id),
                }
            )
    return out


def resolve(conn: Connection, scope: Scope, text: str) -> str:
    """The entity id `text` names: an id, `Name [id]`, or a name only one visible entity has."""
    text = text.strip()
    moves = scope.redirects(conn)
    bracketed = _BRACKETED_ID.search(text)
    for candidate in (text, bracketed.group(1) if bracketed else None):
        if candidate and scope.sees_entity(conn, candidate):
            return moves.get(candidate, candidate)
    key = _key(_BRACKETED_ID.sub("", text))
    if not key:
        raise NameNotFound(f"no entity named {text!r}")
    ids = {
        moves.get(e, e) for e in conn.execute(select(t.aliases.c.entity_id).where(t.aliases.c.folded == key)).scalars()
    }
    ids -= scope.hidden(conn, ids)
    if len(ids) == 1:
        return ids.pop()
    if not ids:
        raise NameNotFound(f"no entity named {text!r}")
    names = dict(
        conn.execute(select(t.entities.c.id, t.entities.c.name).where(t.entities.c.id.in_(sorted(ids)))).tuples().all()
    )
    listed = "; ".join(suggestion_label(names.get(e, e), e) for e in sorted(ids))
    raise NameNotFound(f"several entities are named {text!r}: {listed}; pick one")


def suggest_for(store: Store, viewer: Viewer, text: str, limit: int = 10) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return suggest(conn, scope_for(conn, viewer), text, limit)


def resolve_for(store: Store, viewer: Viewer, text: str) -> str:
    with store.engine.connect() as conn:
        return resolve(conn, scope_for(conn, viewer), text)
