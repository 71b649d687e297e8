"""The store: one engine for SQLite or PostgreSQL, idempotent writes, one transaction per document."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bioatlas.folding import index_text
from bioatlas.kb import schema as t
from bioatlas.kb.migrate import upgrade
from bioatlas.kb.resolve import Resolver, coarse_kind, event_key, reference_entity_id
from bioatlas.model import Document, content_id


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if "://" not in url:  # a bare path means a SQLite file
        url = f"sqlite:///{url}"
    return url


def open_engine(url: str) -> Engine:
    engine = create_engine(normalise_url(url), future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    upgrade(engine)
    return engine


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose primary key exists: the one place SQLite and PostgreSQL differ."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(postgresql.insert(table).on_conflict_do_nothing(), rows)
    elif conn.dialect.name == "sqlite":
        conn.execute(sqlite.insert(table).on_conflict_do_nothing(), rows)
    else:  # pragma: no cover - other databases are not supported
        for row in rows:
            if conn.execute(select(table).filter_by(**{c.name: row[c.name] for c in table.primary_key})).first():
                continue
            conn.execute(insert(table), row)


def document_key(doc: Document) -> str:
    """A document's id in the kb: its URL when it has one, else its own id or content (`Document.identity`), else
    its source path; an organisation's upload is its own copy, never the shared one or another organisation's."""
    address = doc.url or doc.identity or doc.source or doc.id
    return content_id(address) if doc.org is None else content_id("org", doc.org, address)


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = open_engine(url)
        self._reference_loaded = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ------------------------------------------------------------------ reference data

    def load_reference(self) -> int:
        """Reference rows become entities with name claims that cite their row (idempotent)."""
        from bioatlas.extract.reference import gazetteer

        if self._reference_loaded:
            return 0
        stamp = now()
        gaz = gazetteer()
        entities, claims, aliases = [], [], []
        for row in gaz.rows.values():
            eid = reference_entity_id(row.id)
            lat = _float(row.data.get("lat"))
            lon = _float(row.data.get("lon"))
            entities.append(
                {
                    "id": eid,
                    "name": row.name,
                    "type": row.type,
                    "country": row.country,
                    "reference": row.source,
                    "lat": lat,
                    "lon": lon,
                    "created_at": stamp,
                }
            )
            for column, name in [("name_en", row.name), *row.names.items(), *(("alias", a) for a in row.aliases)]:
                code = column.removeprefix("name_").replace("_hans", "-Hans").replace("_hant", "-Hant")
                lang: str | None = None if column == "alias" else code
                claims.append(
                    {
                        "id": content_id(eid, "name", name, str(lang), row.source),
                        "entity_id": eid,
                        "prop": "name",
                        "value": name,
                        "language": lang,
                        "document_id": None,
                        "reference": row.source,
                        "start": None,
                        "end": None,
                        "method": "reference",
                        "confidence": 1.0,
                        "first_seen": stamp,
                        "last_seen": stamp,
                    }
                )
            for alias in row.all_names():
                aliases.append(
                    {"entity_id": eid, "folded": _alias_key(alias), "alias": alias, "kind": coarse_kind(row.type)}
                )
        with self.engine.begin() as conn:
            insert_ignore(conn, t.entities, entities)
            insert_ignore(conn, t.claims, _unique(claims))
            insert_ignore(conn, t.aliases, _unique(aliases, ("entity_id", "folded")))
        self._reference_loaded = True
        return len(entities)

    # ------------------------------------------------------------------ documents

    def ingest(self, doc: Document, run_id: str, user: str | None = None) -> str:
        """Store one extracted document (owned by `doc.org`); returns added | updated | unchanged."""
        self.load_reference()
        key = document_key(doc)
        version = content_id(doc.text, json.dumps([e.to_json() for e in doc.entities], sort_keys=True)[:200000])
        stamp = now()
        with self.engine.begin() as conn:
            existing = conn.execute(select(t.documents.c.version).where(t.documents.c.id == key)).scalar()
            if existing == version:
                conn.execute(update(t.documents).where(t.documents.c.id == key).values(last_seen=stamp))
                conn.execute(update(t.claims).where(t.claims.c.document_id == key).values(last_seen=stamp))
                self._log(conn, run_id, doc.source or doc.id, "unchanged", None, key, doc.org, user)
                return "unchanged"
            first_seen: str = stamp
            if existing is not None:
                first_seen = (
                    conn.execute(select(t.documents.c.first_seen).where(t.documents.c.id == key)).scalar() or stamp
                )
                self._delete_document(conn, key)
            conn.execute(
                insert(t.documents).values(
                    id=key,
                    version=version,
                    source=doc.source,
                    url=doc.url,
                    title=doc.title,
                    published=doc.published,
                    languages=json.dumps(doc.languages),
                    text=doc.text,
                    paragraphs=json.dumps([p.to_json() for p in doc.paragraphs]),
                    boilerplate=json.dumps(doc.boilerplate, ensure_ascii=False),
                    removed=json.dumps([r.to_json() for r in doc.removed], ensure_ascii=False),
                    first_seen=first_seen,
                    last_seen=stamp,
                    org_id=doc.org,
                )
            )
            self._write_claims(conn, key, doc, stamp)
            body = index_text((doc.title or "") + "\n" + doc.text)
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(
                    "INSERT INTO search_fts (document_id, title, body) VALUES (?, ?, ?)",
                    (key, index_text(doc.title or ""), body),
                )
            else:
                conn.execute(insert(t.search_index).values(document_id=key, body=body))
            status = "updated" if existing is not None else "added"
            self._log(conn, run_id, doc.source or doc.id, status, None, key, doc.org, user)
            return status

    def log_skipped(
        self, run_id: str, source: str, reason: str, org: str | None = None, user: str | None = None
    ) -> None:
        with self.engine.begin() as conn:
            self._log(conn, run_id, source, "skipped", reason, None, org, user)

    def _log(
        self,
        conn: Connection,
        run_id: str,
        source: str,
        status: str,
        reason: str | None,
        doc_id: str | None,
        org: str | None = None,
        user: str | None = None,
    ) -> None:
        conn.execute(
            insert(t.ingest_log).values(
                run_id=run_id,
                source=source,
                status=status,
                reason=reason,
                document_id=doc_id,
                at=now(),
                org_id=org,
                user_name=user,
            )
        )

    def _delete_document(self, conn: Connection, key: str) -> None:
        event_ids = select(t.events.c.id).where(t.events.c.document_id == key)
        conn.execute(delete(t.event_roles).where(t.event_roles.c.event_id.in_(event_ids)))
        conn.execute(delete(t.events).where(t.events.c.document_id == key))
        conn.execute(delete(t.figures).where(t.figures.c.document_id == key))
        conn.execute(delete(t.claims).where(t.claims.c.document_id == key))
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DELETE FROM search_fts WHERE document_id = ?", (key,))
        else:
            conn.execute(delete(t.search_index).where(t.search_index.c.document_id == key))
        conn.execute(delete(t.documents).where(t.documents.c.id == key))

    def _write_claims(self, conn: Connection, key: str, doc: Document, stamp: str) -> None:
        resolver = Resolver(conn)
        local_to_kb: dict[str, str] = {}
        entities, claims, aliases = [], [], []
        for ent in doc.entities:
            resolved = resolver.resolve(ent, key)
            local_to_kb[ent.id] = resolved.entity_id
            if resolved.new_entity:
                entities.append(
                    {
                        "id": resolved.entity_id,
                        "name": ent.name,
                        "type": ent.type,
                        "country": ent.country,
                        "reference": ent.reference,
                        "lat": None,
                        "lon": None,
                        "created_at": stamp,
                    }
                )
            for extra in resolved.extra_entities:
                entities.append({**extra, "created_at": stamp})
            for m in ent.mentions:
                target = resolved.mention_entity.get(m.text, resolved.entity_id)
                claims.append(
                    _claim(target, "name", m.text, m.language, key, m.start, m.end, m.method, ent.confidence, stamp)
                )
                aliases.append(
                    {"entity_id": target, "folded": _alias_key(m.text), "alias": m.text, "kind": coarse_kind(ent.type)}
                )
            aliases.append(
                {
                    "entity_id": resolved.entity_id,
                    "folded": _alias_key(ent.name),
                    "alias": ent.name,
                    "kind": coarse_kind(ent.type),
                }
            )
            first = ent.mentions[0] if ent.mentions else None
            span = (first.start, first.end) if first else (None, None)
            if ent.role:
                claims.append(
                    _claim(
                        resolved.entity_id,
                        "role",
                        ent.role,
                        first.language if first else None,
                        key,
                        span[0],
                        span[1],
                        "pattern",
                        ent.confidence,
                        stamp,
                    )
                )
            if ent.country:
                claims.append(
                    _claim(
                        resolved.entity_id,
                        "country",
                        ent.country,
                        None,
                        key,
                        span[0],
                        span[1],
                        ent.method,
                        ent.confidence,
                        stamp,
                    )
                )
            claims.append(
                _claim(
                    resolved.entity_id, "type", ent.type, None, key, span[0], span[1], ent.method, ent.confidence, stamp
                )
            )
            for note in ent.notes:
                claims.append(
                    _claim(
                        resolved.entity_id, "note", note, None, key, span[0], span[1], ent.method, ent.confidence, stamp
                    )
                )
        insert_ignore(conn, t.entities, _unique(entities))
        insert_ignore(conn, t.claims, _unique(claims))
        insert_ignore(conn, t.aliases, _unique(aliases, ("entity_id", "folded")))
        resolver.flush(stamp)
        events, roles = [], []
        for ev in doc.events:
            resolved_roles = {
                role: (
                    [local_to_kb.get(v, v) for v in value] if isinstance(value, list) else local_to_kb.get(value, value)
                )
                for role, value in ev.roles.items()
            }
            eid = content_id(key, ev.type, str(ev.start), str(ev.end), json.dumps(resolved_roles, sort_keys=True))
            events.append(
                {
                    "id": eid,
                    "event_key": event_key(ev.type, resolved_roles, ev.date),
                    "document_id": key,
                    "type": ev.type,
                    "date": ev.date,
                    "amount": ev.amount,
                    "currency": ev.currency,
                    "evidence": ev.evidence,
                    "start": ev.start,
                    "end": ev.end,
                    "method": ev.method,
                    "confidence": ev.confidence,
                    "language": doc.language_at(ev.start),
                }
            )
            for role, value in resolved_roles.items():
                for entity_id in value if isinstance(value, list) else [value]:
                    roles.append({"event_id": eid, "role": role, "entity_id": entity_id})
        insert_ignore(conn, t.events, _unique(events))
        insert_ignore(conn, t.event_roles, _unique(roles, ("event_id", "role", "entity_id")))
        figures = []
        for f in doc.figures:
            subject = local_to_kb.get(f.subject) if f.subject else None
            fid = content_id(key, str(f.start), str(f.end), str(f.value), f.unit)
            figures.append(
                {
                    "id": fid,
                    "document_id": key,
                    "entity_id": subject,
                    "value": float(f.value),
                    "unit": f.unit,
                    "what": f.what,
                    "evidence": f.evidence,
                    "qualifier": f.qualifier,
                    "date": f.date or doc.published,
                    "start": f.start,
                    "end": f.end,
                    "method": f.method,
                    "language": doc.language_at(f.start),
                }
            )
        insert_ignore(conn, t.figures, _unique(figures))


def _claim(
    entity_id: str,
    prop: str,
    value: str,
    language: str | None,
    doc_id: str,
    start: int | None,
    end: int | None,
    method: str,
    confidence: float,
    stamp: str,
) -> dict[str, Any]:
    return {
        "id": content_id(entity_id, prop, value, str(language), doc_id, str(start), str(end), method),
        "entity_id": entity_id,
        "prop": prop,
        "value": value,
        "language": language,
        "document_id": doc_id,
        "reference": None,
        "start": start,
        "end": end,
        "method": method,
        "confidence": confidence,
        "first_seen": stamp,
        "last_seen": stamp,
    }


def _alias_key(text: str) -> str:
    from bioatlas.extract.entities import name_key

    return name_key(text)[:255] or text[:255]


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _unique(rows: Iterable[dict[str, Any]], keys: tuple[str, ...] = ("id",)) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in keys), row)
    return list(seen.values())
