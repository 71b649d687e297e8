"""What one viewer may see: the shared kb and its own organisation's uploads, never another organisation's.

A document is visible when its `org_id` is None (the shared kb) or the viewer's organisation. An entity is hidden
when everything the kb knows of it comes from documents the viewer cannot see (an entity named only in another
organisation's upload); it then answers "not found", exactly like an id that does not exist. A merge that touches a
hidden entity is ignored for that viewer, so a hidden entity never shows through a merge either.

Every check is SQL over indexed columns (`documents.org_id`, `claims.entity_id`, `claims.document_id`). When the kb
holds no document the viewer cannot see (the common case: no organisation has uploaded anything), the queries run
exactly as they did before organisations existed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Column, ColumnElement, Connection, Select, and_, exists, or_, select

from bioatlas.access import ANONYMOUS, COMMAND_LINE, Viewer
from bioatlas.kb import schema as t
from bioatlas.kb.resolve import redirects

Q = TypeVar("Q", bound=Select[Any])


def org_filter(viewer: Viewer, column: Column[Any] | Any) -> ColumnElement[bool] | None:
    """The condition on an `org_id` column for rows this viewer sees; None when it sees every row."""
    if viewer.everything:
        return None
    if viewer.org is None:
        return column.is_(None)
    return or_(column.is_(None), column == viewer.org)


def hides_documents(conn: Connection, viewer: Viewer) -> bool:
    """Whether the kb holds any document this viewer may not see (one indexed lookup: another organisation's
    upload, written as ranges of the org_id index; `NOT (org_id IS NULL)` made SQLite scan every document)."""
    if org_filter(viewer, t.documents.c.org_id) is None:
        return False
    column = t.documents.c.org_id
    hidden = column >= "" if viewer.org is None else or_(column < viewer.org, column > viewer.org)
    return conn.execute(select(t.documents.c.id).where(hidden).limit(1)).first() is not None


@dataclass(frozen=True, slots=True)
class Scope:
    """A viewer's view of the kb for one connection: filters to add to queries, hidden entities, merges."""

    viewer: Viewer
    filtered: bool  # False: the viewer sees every document there is; queries run unfiltered

    @property
    def key(self) -> tuple[str, ...]:
        """Viewers with the same key see the same kb (used to cache what is loaded for them)."""
        if not self.filtered:
            return ("*",)
        return (self.viewer.org,) if self.viewer.org else ()

    def documents(self, column: Column[Any] | Any = None) -> ColumnElement[bool] | None:
        """The condition on `documents.org_id` (or another org column) for what this viewer sees; None: all."""
        if not self.filtered:
            return None
        return org_filter(self.viewer, t.documents.c.org_id if column is None else column)

    def where(self, query: Q, column: Column[Any] | Any = None) -> Q:
        """`query` restricted to visible documents (it must select from or join `documents`)."""
        condition = self.documents(column)
        return query if condition is None else query.where(condition)

    def visible_document_ids(self) -> Select[Any]:
        """A subquery of the ids of the documents this viewer sees."""
        return self.where(select(t.documents.c.id))

    def hidden(self, conn: Connection, among: Collection[str] | None = None) -> set[str]:
        """Entities (of `among`, or of the whole kb) known only from documents this viewer cannot see.

        Driven by the entities: two EXISTS on the `claims.entity_id` index per entity (the first visible claim
        ends the search), so the cost follows the entities asked about, not the number of hidden documents.
        """
        if not self.filtered or (among is not None and not among):
            return set()
        claim, document = t.claims.alias("claim"), t.documents.alias("claim_document")
        of_entity = claim.c.entity_id == t.entities.c.id
        seen = exists(
            select(claim.c.id)
            .select_from(claim.outerjoin(document, document.c.id == claim.c.document_id))
            .where(and_(of_entity, or_(claim.c.document_id.is_(None), *_org_terms(self.viewer, document.c.org_id))))
        )
        query = select(t.entities.c.id).where(
            and_(~t.entities.c.id.startswith("ref:"), exists(select(claim.c.id).where(of_entity)), ~seen)
        )
        if among is not None:
            query = query.where(t.entities.c.id.in_(sorted(set(among))))
        return {str(r[0]) for r in conn.execute(query)}

    def sees_entity(self, conn: Connection, entity_id: str) -> bool:
        """The entity exists and is not hidden from this viewer."""
        found = conn.execute(select(t.entities.c.id).where(t.entities.c.id == entity_id)).first()
        return found is not None and not self.hidden(conn, [entity_id])

    def redirects(self, conn: Connection) -> dict[str, str]:
        """Active merges as this viewer sees them: a merge touching a hidden entity does not exist for it."""
        moves = redirects(conn)
        if not self.filtered or not moves:
            return moves
        hidden = self.hidden(conn, set(moves) | set(moves.values()))
        return {src: dst for src, dst in moves.items() if src not in hidden and dst not in hidden}

    def hidden_aliases(self, conn: Connection, pairs: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        """(entity, alias) pairs whose name appears only in documents this viewer cannot see (an alias no claim
        names, such as a reference spelling, stays visible with its entity)."""
        if not self.filtered or not pairs:
            return set()
        claim, document = t.claims.alias("claim"), t.documents.alias("claim_document")
        named = and_(
            claim.c.entity_id == t.aliases.c.entity_id, claim.c.prop == "name", claim.c.value == t.aliases.c.alias
        )
        visible = or_(claim.c.document_id.is_(None), *_org_terms(self.viewer, document.c.org_id))
        joined = claim.outerjoin(document, document.c.id == claim.c.document_id)
        query = select(t.aliases.c.entity_id, t.aliases.c.alias).where(
            and_(
                t.aliases.c.entity_id.in_(sorted({e for e, _ in pairs})),
                t.aliases.c.alias.in_(sorted({a for _, a in pairs})),
                ~exists(select(claim.c.id).select_from(joined).where(and_(named, visible))),
                exists(select(claim.c.id).select_from(joined).where(and_(named, ~visible))),
            )
        )
        found = {(str(r[0]), str(r[1])) for r in conn.execute(query)}
        return found & set(pairs)


def _org_terms(viewer: Viewer, column: Any) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = [column.is_(None)]
    if viewer.org is not None:
        terms.append(column == viewer.org)
    return terms


def scope_for(conn: Connection, viewer: Viewer) -> Scope:
    return Scope(viewer, hides_documents(conn, viewer))


def organisation_viewer(conn: Connection, name: str) -> Viewer:
    """The command line's `--org NAME`: see the kb as a reader of that organisation (shared kb plus its uploads)."""
    row = conn.execute(
        select(t.organisations.c.id, t.organisations.c.name).where(
            or_(t.organisations.c.name == name, t.organisations.c.id == name)
        )
    ).first()
    if row is None:
        known = sorted(str(r[0]) for r in conn.execute(select(t.organisations.c.name)))
        raise LookupError(f"no organisation called {name!r}" + (f"; known: {', '.join(known)}" if known else ""))
    return Viewer(user=None, role="viewer", org=row.id, org_name=row.name)


__all__ = ["ANONYMOUS", "COMMAND_LINE", "Scope", "hides_documents", "org_filter", "organisation_viewer", "scope_for"]
