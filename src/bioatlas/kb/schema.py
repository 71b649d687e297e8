"""Tables of the knowledge base (SQLAlchemy Core). The unit of storage is the claim; entities, events and
figures point back at a document and character span, or at a reference-data row."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(32), primary_key=True),  # hash of the document's address (url, or source path)
    Column("version", String(32), nullable=False),  # hash of its cleaned text: a new version replaces claims
    Column("source", Text),
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("languages", Text, nullable=False, default="[]"),
    Column("text", Text, nullable=False),
    Column("paragraphs", Text, nullable=False, default="[]"),
    Column("boilerplate", Text, nullable=False, default="[]"),
    Column("removed", Text, nullable=False, default="[]"),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    Column("org_id", String(32), index=True),  # None: the shared kb; else private to that organisation (uploads)
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("country", String(2)),
    Column("reference", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("created_at", String(32), nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(32), primary_key=True),  # hash of the claim's content: inserting twice is a no-op
    Column("entity_id", String(64), nullable=False, index=True),
    Column("prop", String(32), nullable=False),  # name | role | country | type | note
    Column("value", Text, nullable=False),
    Column("language", String(8)),
    Column("document_id", String(32), ForeignKey("documents.id"), index=True),
    Column("reference", Text),  # "places.csv:liege" when the claim comes from reference data
    Column("start", Integer),
    Column("end", Integer),
    Column("method", String(16), nullable=False),
    Column("confidence", Float, nullable=False, default=0.5),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
)

aliases = Table(
    "aliases",
    metadata,
    Column("entity_id", String(64), primary_key=True),
    Column("folded", String(255), primary_key=True),
    Column("alias", Text, nullable=False),
    Column("kind", String(8), nullable=False),  # org | place | person (resolution blocks on it)
    Index("ix_aliases_folded", "folded"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("event_key", String(32), nullable=False, index=True),  # same happening across reports and languages
    Column("document_id", String(32), ForeignKey("documents.id"), nullable=False, index=True),
    Column("type", String(16), nullable=False),
    Column("date", String(10)),
    Column("amount", Float),
    Column("currency", String(3)),
    Column("evidence", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("method", String(16), nullable=False),
    Column("confidence", Float, nullable=False, default=0.5),
    Column("language", String(8)),
)

event_roles = Table(
    "event_roles",
    metadata,
    Column("event_id", String(32), ForeignKey("events.id"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("entity_id", String(64), primary_key=True),
    Index("ix_event_roles_entity", "entity_id"),
)

figures = Table(
    "figures",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("document_id", String(32), ForeignKey("documents.id"), nullable=False, index=True),
    Column("entity_id", String(64), index=True),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("what", Text),
    Column("evidence", Text),
    Column("qualifier", String(32)),
    Column("date", String(10)),
    Column("start", Integer),
    Column("end", Integer),
    Column("method", String(16), nullable=False),
    Column("language", String(8)),
)

merges = Table(
    "merges",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("from_id", String(64), nullable=False, index=True),
    Column("to_id", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("decision", String(16), nullable=False),  # merged | flagged | rejected
    Column("by", String(32), nullable=False),  # "auto" or a user name
    Column("reason", Text),
    Column("at", String(32), nullable=False),
    Column("undone_at", String(32)),
    Column("undone_by", String(80)),  # the user who undid it
)

corrections = Table(  # user judgements overriding an extracted event or figure; the claim rows stay as extracted
    "corrections",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("target", String(8), nullable=False),  # event | figure
    Column("target_id", String(64), nullable=False, index=True),  # an event's group key | a figure's id
    Column("field", String(16), nullable=False),  # date|type|role_add|role_remove|reject|value|unit|entity
    Column("role", String(16)),  # the role a role_add / role_remove edits
    Column("old_value", Text),  # the value shown before (an entity id for roles and a figure's entity)
    Column("new_value", Text),
    Column("reason", Text),
    Column("by", String(80), nullable=False),  # the user name
    Column("org_id", String(32), index=True),  # None: applies to everyone; else only to that organisation's view
    Column("at", String(32), nullable=False),
    Column("undone_at", String(32)),
    Column("undone_by", String(80)),
)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("status", String(16), nullable=False),  # added | updated | unchanged | skipped
    Column("reason", Text),
    Column("document_id", String(32)),
    Column("at", String(32), nullable=False),
    Column("org_id", String(32), index=True),  # the organisation whose upload this was (None: shared)
    Column("user_name", String(80)),  # who ran it (None: the command line)
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(80), nullable=False, unique=True),  # the login name
    Column("password_hash", Text),  # argon2; None: no password login (tokens only)
    Column("role", String(16), nullable=False),  # viewer | analyst | admin
    Column("org_id", String(32), ForeignKey("organisations.id")),
    Column("created_at", String(32), nullable=False),
    Column("disabled_at", String(32)),
)

sessions = Table(  # web logins: the cookie holds a random token, the table its SHA-256
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)

api_tokens = Table(  # tokens for scripts: shown once, stored as SHA-256
    "api_tokens",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("last_used_at", String(32)),
    Column("revoked_at", String(32)),
)

search_index = Table(  # PostgreSQL search (SQLite uses the FTS5 table created in the migration)
    "search_index",
    metadata,
    Column("document_id", String(32), primary_key=True),
    Column("body", Text, nullable=False),
)
