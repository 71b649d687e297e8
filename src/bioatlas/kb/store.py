"""The store: one engine for SQLite or PostgreSQL, idempotent writes, one transaction per document."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, exists, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError

from bioatlas.folding import index_text
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import key_participants, regroup_undated
from bioatlas.kb.migrate import lock_for_writing, upgrade
from bioatlas.kb.resolve import AUTO, Resolver, coarse_kind, event_key, reference_entity_id
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


BUSY_TIMEOUT_SECONDS = 30  # SQLite: a writer waits this long for another writer's transaction, then fails
WRITE_RETRIES = 3  # PostgreSQL: a document's transaction is retried after a deadlock or a duplicate key


def open_engine(url: str) -> Engine:
    address = normalise_url(url)
    is_sqlite = address.startswith("sqlite")
    connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_SECONDS} if is_sqlite else {}
    engine = create_engine(address, future=True, connect_args=connect_args)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    upgrade(engine)
    return engine


@contextmanager
def write_transaction(engine: Engine, lock: str | None = None) -> Iterator[Connection]:
    """A transaction that writes. On SQLite it takes the write lock first (`BEGIN IMMEDIATE`), so that a read
    followed by a write never fails when another writer committed in between: writers wait their turn (up to
    the busy timeout). On PostgreSQL, `lock` names an advisory lock held until the end (e.g. a document's key),
    so two writers of one document go one after the other."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite" or lock is not None:
            lock_for_writing(conn, lock_key(lock or ""))
        yield conn


def lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _retryable(exc: DBAPIError) -> bool:
    """A PostgreSQL transaction worth running again: it lost a race (deadlock, serialisation, duplicate key)."""
    code = getattr(exc.orig, "sqlstate", None)
    return isinstance(exc, IntegrityError) or code in ("40P01", "40001")


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose primary key exists: the one place SQLite and PostgreSQL differ.
    Rows go in primary-key order, so concurrent writers take row locks in one order (no deadlock)."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key]
    rows = sorted(rows, key=lambda row: tuple(str(row.get(k)) for k in keys))
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
        with self.write() as conn:
            insert_ignore(conn, t.entities, entities)
            insert_ignore(conn, t.claims, _unique(claims))
            insert_ignore(conn, t.aliases, _unique(aliases, ("entity_id", "folded")))
        self._reference_loaded = True
        return len(entities)

    # ------------------------------------------------------------------ documents

    def write(self, lock: str | None = None) -> AbstractContextManager[Connection]:
        """A write transaction on this store (see `write_transaction`); use it for every write."""
        return write_transaction(self.engine, lock)

    def ingest(self, doc: Document, run_id: str, user: str | None = None) -> str:
        """Store one extracted document (owned by `doc.org`); returns added | updated | unchanged.

        Safe when other processes store the same document at the same moment: one stores it, the others find it
        stored ("unchanged"). Entities that only the document's old version named are removed afterwards."""
        self.load_reference()
        key = document_key(doc)
        for attempt in range(WRITE_RETRIES):
            try:
                status, dropped = self._store_document(doc, key, run_id, user)
                break
            except DBAPIError as exc:
                if self.dialect != "postgresql" or not _retryable(exc) or attempt == WRITE_RETRIES - 1:
                    raise
        if dropped:
            with self.write() as conn:
                delete_orphan_entities(conn, dropped)
        return status

    def _store_document(self, doc: Document, key: str, run_id: str, user: str | None) -> tuple[str, set[str]]:
        """One document in one transaction; returns its status and the entities its old version named."""
        version = content_id(doc.text, json.dumps([e.to_json() for e in doc.entities], sort_keys=True)[:200000])
        stamp = now()
        with self.write(lock="document:" + key) as conn:
            existing = conn.execute(select(t.documents.c.version).where(t.documents.c.id == key)).scalar()
            if existing == version:
                conn.execute(update(t.documents).where(t.documents.c.id == key).values(last_seen=stamp))
                conn.execute(update(t.claims).where(t.claims.c.document_id == key).values(last_seen=stamp))
                self._log(conn, run_id, doc.source or doc.id, "unchanged", None, key, doc.org, user)
                return "unchanged", set()
            first_seen: str = stamp
            dropped: set[str] = set()
            if existing is not None:
                first_seen = (
                    conn.execute(select(t.documents.c.first_seen).where(t.documents.c.id == key)).scalar() or stamp
                )
                dropped = self._delete_document(conn, key)
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
            index_document(conn, key, doc.title, doc.text)
            status = "updated" if existing is not None else "added"
            self._log(conn, run_id, doc.source or doc.id, status, None, key, doc.org, user)
            return status, dropped

    def log_skipped(
        self, run_id: str, source: str, reason: str, org: str | None = None, user: str | None = None
    ) -> None:
        with self.write() as conn:
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

    def _delete_document(self, conn: Connection, key: str) -> set[str]:
        """Delete a document and everything read from it; returns the entities it named, for
        `delete_orphan_entities` to remove those no other document names."""
        event_ids = select(t.events.c.id).where(t.events.c.document_id == key)
        named = set(conn.execute(select(t.claims.c.entity_id).where(t.claims.c.document_id == key)).scalars())
        named |= set(
            conn.execute(select(t.event_roles.c.entity_id).where(t.event_roles.c.event_id.in_(event_ids))).scalars()
        )
        named |= {
            e for e in conn.execute(select(t.figures.c.entity_id).where(t.figures.c.document_id == key)).scalars() if e
        }
        conn.execute(delete(t.event_roles).where(t.event_roles.c.event_id.in_(event_ids)))
        conn.execute(delete(t.events).where(t.events.c.document_id == key))
        conn.execute(delete(t.figures).where(t.figures.c.document_id == key))
        conn.execute(delete(t.claims).where(t.claims.c.document_id == key))
        unindex_document(conn, key)
        conn.execute(delete(t.documents).where(t.documents.c.id == key))
        return named

    def _write_claims(self, conn: Connection, key: str, doc: Document, stamp: str) -> None:
        resolver = Resolver(conn)
        local_to_kb: dict[str, str] = {}
        claims, aliases = [], []
        rows: dict[str, dict[str, Any]] = {}  # every entity this document names, as it would create it
        new: set[str] = set()
        for ent in doc.entities:
            resolved = resolver.resolve(ent, key)
            local_to_kb[ent.id] = resolved.entity_id
            row = {"name": ent.name, "type": ent.type, "country": ent.country, "reference": ent.reference}
            rows.setdefault(resolved.entity_id, {"id": resolved.entity_id, **row, "lat": None, "lon": None})
            if resolved.new_entity:
                new.add(resolved.entity_id)
            for extra in resolved.extra_entities:
                rows.setdefault(extra["id"], extra)
                new.add(extra["id"])
            for form, variant in resolved.mention_entity.items():
                rows.setdefault(
                    variant, {"id": variant, **row, "name": form, "reference": None, "lat": None, "lon": None}
                )
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
        rows = {eid: {**row, "created_at": stamp} for eid, row in rows.items()}
        insert_ignore(conn, t.entities, [rows[eid] for eid in new])
        resolver.forget(keep_entities(conn, rows, resolver.linked()))
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
                    "event_key": event_key(ev.type, resolved_roles, ev.date, doc.published),
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
        for kind, member in sorted(key_participants(events, roles)):  # an undated report joins its nearest event
            regroup_undated(conn, kind, member)
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


def index_document(conn: Connection, key: str, title: str | None, body_text: str) -> None:
    """Add a document to the search index (SQLite FTS5 `search_fts`, PostgreSQL `search_index`) and its vector
    (`kb/vectors.py`)."""
    from bioatlas.kb.vectors import store_vector

    store_vector(conn, key, title, body_text)
    body = index_text((title or "") + "\n" + body_text)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "INSERT INTO search_fts (document_id, title, body) VALUES (?, ?, ?)", (key, index_text(title or ""), body)
        )
    else:
        conn.execute(insert(t.search_index).values(document_id=key, body=body))


def unindex_document(conn: Connection, key: str) -> None:
    from bioatlas.kb.vectors import delete_vector

    delete_vector(conn, key)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DELETE FROM search_fts WHERE document_id = ?", (key,))
    else:
        conn.execute(delete(t.search_index).where(t.search_index.c.document_id == key))


def keep_entities(conn: Connection, rows: dict[str, dict[str, Any]], linked: set[str]) -> set[str]:
    """Make sure the entities a document names (`rows`) and links to (`linked`) exist until its transaction ends;
    returns the linked ones that are gone.

    On PostgreSQL another process may be removing an entity it found with no claims left (the claims this
    transaction adds are not visible to it yet): a key-share lock on each entity row makes that removal wait for
    this transaction, and an entity this document names that was removed just before is created again."""
    ids = {e for e in {*rows, *linked} if not e.startswith("ref:")}
    if conn.dialect.name != "postgresql" or not ids:
        return set()
    present = set(
        conn.execute(
            select(t.entities.c.id)
            .where(t.entities.c.id.in_(sorted(ids)))
            .order_by(t.entities.c.id)
            .with_for_update(key_share=True)
        ).scalars()
    )
    insert_ignore(conn, t.entities, [rows[e] for e in ids - present if e in rows])
    return {e for e in ids - present if e not in rows}


def delete_orphan_entities(conn: Connection, candidates: set[str]) -> list[str]:
    """Delete the candidate entities nothing refers to any more: no claim, no event role, no figure, not
    reference data, and no user's merge decision (a judgement is kept, with its entity); with their aliases and
    the automatic merge decisions that name them. Returns the ids deleted."""
    ids = sorted(e for e in candidates if not e.startswith("ref:"))
    if not ids:
        return []
    locked = select(t.entities.c.id).where(t.entities.c.id.in_(ids), t.entities.c.reference.is_(None))
    if conn.dialect.name == "postgresql":  # wait for writers still adding claims to them (see keep_entities)
        locked = locked.order_by(t.entities.c.id).with_for_update()
    entity = t.entities.c.id
    unused = select(t.entities.c.id).where(
        entity.in_(list(conn.execute(locked).scalars())),
        ~exists().where(t.claims.c.entity_id == entity),
        ~exists().where(t.event_roles.c.entity_id == entity),
        ~exists().where(t.figures.c.entity_id == entity),
        ~exists().where(or_(t.merges.c.from_id == entity, t.merges.c.to_id == entity), t.merges.c.by != AUTO),
    )
    gone = list(conn.execute(unused).scalars())
    if gone:
        conn.execute(delete(t.aliases).where(t.aliases.c.entity_id.in_(gone)))
        conn.execute(delete(t.merges).where(or_(t.merges.c.from_id.in_(gone), t.merges.c.to_id.in_(gone))))
        conn.execute(delete(t.entities).where(t.entities.c.id.in_(gone)))
    return gone


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
