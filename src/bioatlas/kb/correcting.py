"""Correcting the kb: the service the JSON API, the web forms and scripts call to record, undo and list
corrections (`kb.corrections`), each checked against what the user may see and change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from bioatlas.access import Viewer
from bioatlas.kb import corrections as c
from bioatlas.kb import entity_names
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import EventView, chunks, load_events
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import Scope, scope_for
from bioatlas.sources import public_source


def _names(conn: Connection, ids: set[str]) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for chunk in chunks(ids):
        names.update(
            (r.id, (r.name, r.type))
            for r in conn.execute(
                select(t.entities.c.id, t.entities.c.name, t.entities.c.type).where(t.entities.c.id.in_(chunk))
            )
        )
    return names


def _event_json(conn: Connection, view: EventView) -> dict[str, Any]:
    return view.to_json(_names(conn, {m for ids in view.roles.values() for m in ids}))


def _shown_event(conn: Connection, scope: Scope, moves: dict[str, str], key: str) -> EventView:
    """The event `key` as the user sees it now (corrected); a 400 naming `event` when it is unknown or rejected."""
    key = key.strip()
    if not key:
        raise c.BadCorrection("event", "name the event to correct (its id, as /api/events gives it)")
    shown = load_events(conn, scope, moves, [key]).get(key)
    if shown is None:
        if key in load_events(conn, scope, moves, [key], corrected=False):
            raise c.BadCorrection("event", f"the event {key!r} was rejected; undo the rejection to correct it")
        raise c.BadCorrection("event", f"no event with id {key!r}")
    return shown


def _shown_figure(conn: Connection, scope: Scope, moves: dict[str, str], figure_id: str) -> dict[str, Any]:
    figure_id = figure_id.strip()
    row = conn.execute(
        scope.where(select(t.figures).join(t.documents, t.documents.c.id == t.figures.c.document_id)).where(
            t.figures.c.id == figure_id
        )
    ).first()
    if row is None:
        raise c.BadCorrection("figure", f"no figure with id {figure_id!r}")
    shown = c.apply_to_figures(conn, scope.viewer.org, [dict(row._mapping)], moves)
    if not shown:
        raise c.BadCorrection("figure", f"the figure {figure_id!r} was rejected; undo the rejection to correct it")
    return shown[0]


def _entity(conn: Connection, scope: Scope, text: str, request_field: str) -> str:
    """The entity a form field names (an id, `Name [id]` as suggested, or a name only one entity has)."""
    try:
        return entity_names.resolve(conn, scope, text)
    except entity_names.NameNotFound as exc:
        raise c.BadCorrection(request_field, str(exc)) from None


def correct(
    store: Store,
    viewer: Viewer,
    *,
    event: str | None = None,
    figure: str | None = None,
    field: str,
    value: Any = None,
    role: str | None = None,
    remove: str | None = None,
    add: str | None = None,
    reason: str | None = None,
    everyone: bool | None = None,
) -> dict[str, Any]:
    """Record a correction of one event or figure by `viewer` (an analyst or admin) and return the rows written
    with the event or figure as it now shows. Raises `BadCorrection` (a 400 naming the field) or
    `PermissionError` (asking for `everyone` without being admin)."""
    if (event is None) == (figure is None):
        raise c.BadCorrection("event", "name one event (or one figure) to correct")
    org = c.correction_org(viewer, everyone)
    by = viewer.user or "?"
    with store.write(lock="correction:" + (event or figure or "")) as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)

        def sees(entity_id: str) -> bool:
            return scope.sees_entity(conn, entity_id)

        if event is not None:
            shown = _shown_event(conn, scope, moves, event)
            add = _entity(conn, scope, add, "add") if add and field == "role" else add
            if remove and field == "role" and remove.strip() not in shown.roles.get(role or "", []):
                remove = _entity(conn, scope, remove, "remove")
            rows = c.record_event_correction(
                conn,
                shown,
                field=field,
                by=by,
                org=org,
                reason=reason,
                value=value,
                role=role,
                remove=remove,
                add=add,
                sees_entity=sees,
            )
            after = load_events(conn, scope, moves, [shown.id]).get(shown.id)
            return {
                "corrections": [r.to_json() for r in rows],
                "event": _event_json(conn, after) if after else None,
                "rejected": after is None,
            }
        assert figure is not None
        fig = _shown_figure(conn, scope, moves, figure)
        if field == "entity" and value:
            value = _entity(conn, scope, str(value), "value")
        rows = c.record_figure_correction(
            conn, fig, field=field, by=by, org=org, reason=reason, value=value, sees_entity=sees
        )
        now_shown = c.apply_to_figures(conn, scope.viewer.org, [{**fig, "corrections": None}], moves)
        return {
            "corrections": [r.to_json() for r in rows],
            "figure": now_shown[0] if now_shown else None,
            "rejected": not now_shown,
        }


def undo(store: Store, viewer: Viewer, correction_id: str) -> dict[str, Any]:
    """Undo a correction the viewer sees (`CorrectionNotFound` otherwise) and may change (`PermissionError`)."""
    with store.write(lock="correction-undo:" + correction_id) as conn:
        found = c.get(conn, correction_id)
        if found is None or (found.org_id is not None and found.org_id != viewer.org):
            raise c.CorrectionNotFound(f"no correction with id {correction_id!r}")
        if not c.may_undo(viewer, found):
            raise PermissionError("this correction applies to every organisation: only an admin can undo it")
        return c.undo(conn, correction_id, viewer.user)


def history(
    store: Store,
    viewer: Viewer,
    *,
    event: str | None = None,
    entity_ids: list[str] | None = None,
    limit: int = 200,
) -> dict[str, Any]:
    """The corrections the viewer sees (its organisation's and the shared ones, undone ones too), newest first,
    each with what it is about (`about`: the event's type, date and participants, or the figure) and the names
    of the entities it names (`names`)."""
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        moves = scope.redirects(conn)
        rows = c.history(conn, viewer.org, event=event, entity_ids=entity_ids, limit=limit)
        keys = {r.target_id for r in rows if r.target == "event"}
        raw = load_events(conn, scope, moves, keys, corrected=False) if keys else {}
        figure_ids = sorted({r.target_id for r in rows if r.target == "figure"})
        figures = {
            f.id: f
            for chunk in chunks(figure_ids)
            for f in conn.execute(
                scope.where(
                    select(t.figures, t.documents.c.title, t.documents.c.url, t.documents.c.source).join(
                        t.documents, t.documents.c.id == t.figures.c.document_id
                    )
                ).where(t.figures.c.id.in_(chunk))
            )
        }
        named = {v for r in rows for v in (r.old_value, r.new_value) if v and r.field in ("role", "entity")}
        named |= {m for v in raw.values() for ids in v.roles.values() for m in ids}
        named |= {f.entity_id for f in figures.values() if f.entity_id}
        names = _names(conn, named)
        hidden = scope.hidden(conn, set(names))
        entries = []
        for r in rows:
            about: dict[str, Any] | None = None
            if r.target == "event" and r.target_id in raw:
                about = _event_json(conn, raw[r.target_id])
                about.pop("reports", None)
            elif r.target == "figure" and r.target_id in figures:
                f = figures[r.target_id]
                about = {
                    "value": f.value,
                    "unit": f.unit,
                    "what": f.what,
                    "entity_id": f.entity_id,
                    "document_id": f.document_id,
                    "document": f.title or public_source(f.url or f.source),
                    "start": f.start,
                    "end": f.end,
                }
            if about is None:  # about something the viewer no longer sees (e.g. a document since removed)
                continue
            entry = r.to_json()
            entry["about"] = about
            entry["may_undo"] = r.undone_at is None and viewer.can("analyst") and c.may_undo(viewer, r)
            entry["names"] = {
                k: {"name": names[k][0], "type": names[k][1]}
                for k in (r.old_value, r.new_value)
                if k and r.field in ("role", "entity") and k in names and k not in hidden
            }
            entries.append(entry)
        return {"count": len(entries), "corrections": entries}
