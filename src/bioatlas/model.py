"""The one data model: every layer reads and writes these, and the corpus JSON is their serialisation.

Spans are character offsets into `Document.text` (the cleaned text).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

EntityType = Literal["company", "park", "cluster", "agency", "research", "alliance", "investor", "person", "place"]
ENTITY_TYPES: tuple[str, ...] = (
    "company",
    "park",
    "cluster",
    "agency",
    "research",
    "alliance",
    "investor",
    "person",
    "place",
)
EVENT_TYPES: tuple[str, ...] = (
    "landing",
    "expansion",
    "launch",
    "partnership",
    "funding",
    "acquisition",
    "visit",
)
# The participant that identifies an event of each type: two reports are of one event when it is the same.
EVENT_KEY_ROLES: dict[str, str] = {
    "landing": "company",
    "expansion": "company",
    "funding": "company",
    "launch": "subject",
    "acquisition": "target",
    "visit": "host",
    "partnership": "members",
}
FIGURE_UNITS: tuple[str, ...] = (
    "companies",
    "members",
    "jobs",
    "people",
    "researchers",
    "countries",
    "hectares",
    "m2",
    "EUR",
    "USD",
    "CNY",
    "HKD",
    "other",
)
LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "nl", "it", "es", "pt", "ja", "ko", "zh-Hans", "zh-Hant")


def event_group_key(kind: str, roles: dict[str, list[str]], date: str | None) -> tuple[str, ...]:
    """Reports of one happening share type, key participant(s) and year, whatever their language."""
    return (kind, *sorted(roles.get(EVENT_KEY_ROLES.get(kind, ""), [])), (date or "")[:4])


def content_id(*parts: str, length: int = 16) -> str:
    """A stable id from content, so re-reading the same input gives the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    language: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "language": self.language}


@dataclass(slots=True)
class Removal:
    """Text taken out of the page, with the reason: nothing is dropped silently."""

    text: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason}


@dataclass(slots=True)
class Mention:
    text: str
    start: int
    end: int
    method: str  # "reference" | "pattern" | "model" | "rule"
    language: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "method": self.method,
            "language": self.language,
        }


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    country: str | None = None
    role: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    reference: str | None = None  # "file.csv:row-id" when the entity comes from reference data
    confidence: float = 0.5
    notes: list[str] = field(default_factory=list)

    @property
    def method(self) -> str:
        methods = {m.method for m in self.mentions}
        for m in ("reference", "pattern", "model", "rule"):
            if m in methods:
                return m
        return "rule"

    def surface_forms(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.text, None)
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "country": self.country,
            "mentions": self.surface_forms(),
        }
        if self.role:
            out["role"] = self.role
        if self.notes:
            out["note"] = "; ".join(self.notes)
        out["method"] = self.method
        out["confidence"] = round(self.confidence, 3)
        if self.reference:
            out["reference"] = self.reference
        out["spans"] = [m.to_json() for m in self.mentions]
        return out


@dataclass(slots=True)
class Figure:
    subject: str | None  # entity id
    value: float
    unit: str
    what: str
    evidence: str
    start: int
    end: int
    method: str = "pattern"
    qualifier: str | None = None  # "more than", "about", ...
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {
            "subject": self.subject,
            "value": value,
            "unit": self.unit,
            "what": self.what,
            "evidence": self.evidence,
            "qualifier": self.qualifier,
            "date": self.date,
            "span": [self.start, self.end],
            "method": self.method,
        }


@dataclass(slots=True)
class Event:
    type: str
    roles: dict[str, str | list[str]]
    evidence: str
    start: int
    end: int
    date: str | None = None
    amount: float | None = None
    currency: str | None = None
    method: str = "pattern"
    confidence: float = 0.5

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "date": self.date,
            "roles": self.roles,
            "evidence": self.evidence,
            "span": [self.start, self.end],
            "method": self.method,
            "confidence": round(self.confidence, 3),
        }
        if self.amount is not None:
            out["amount"] = int(self.amount) if float(self.amount).is_integer() else self.amount
            out["currency"] = self.currency
        return out


@dataclass(slots=True)
class Document:
    id: str
    text: str = ""
    source: str | None = None  # file path, or path#record for WARC/JSONL
    url: str | None = None
    title: str | None = None
    published: str | None = None
    languages: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    # What makes this document itself when it has no URL: "id:<its own id>" or "content:<hash>" (uploads, JSONL).
    # None: its source path (a file on disk, re-read after an edit, is the same document).
    identity: str | None = None
    org: str | None = None  # the organisation that owns it (an upload); None: the shared kb
    raw: str = ""  # decoded input text before cleaning (not serialised)
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def paragraph_texts(self) -> list[tuple[Paragraph, str]]:
        return [(p, self.text[p.start : p.end]) for p in self.paragraphs]

    def language_at(self, offset: int) -> str | None:
        for p in self.paragraphs:
            if p.start <= offset < p.end:
                return p.language
        return self.languages[0] if self.languages else None

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "languages": self.languages,
            "title": self.title,
            "published": self.published,
            "encoding": self.encoding,
            "boilerplate": self.boilerplate,
            "removed": [r.to_json() for r in self.removed],
            "text": self.text,
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "entities": [e.to_json() for e in self.entities],
            "events": [e.to_json() for e in self.events],
            "figures": [f.to_json() for f in self.figures],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        doc = cls(
            id=data["id"],
            text=data.get("text", ""),
            source=data.get("source"),
            url=data.get("url"),
            title=data.get("title"),
            published=data.get("published"),
            languages=list(data.get("languages", [])),
            encoding=data.get("encoding"),
            boilerplate=list(data.get("boilerplate", [])),
            removed=[Removal(**r) for r in data.get("removed", [])],
            paragraphs=[Paragraph(**p) for p in data.get("paragraphs", [])],
        )
        for e in data.get("entities", []):
            doc.entities.append(
                Entity(
                    id=e["id"],
                    name=e["name"],
                    type=e["type"],
                    country=e.get("country"),
                    role=e.get("role"),
                    reference=e.get("reference"),
                    confidence=e.get("confidence", 0.5),
                    notes=[e["note"]] if e.get("note") else [],
                    mentions=[Mention(**m) for m in e.get("spans", [])],
                )
            )
        for f in data.get("figures", []):
            start, end = f.get("span", [0, 0])
            doc.figures.append(
                Figure(
                    subject=f.get("subject"),
                    value=f["value"],
                    unit=f["unit"],
                    what=f.get("what", ""),
                    evidence=f.get("evidence", ""),
                    start=start,
                    end=end,
                    method=f.get("method", "pattern"),
                    qualifier=f.get("qualifier"),
                    date=f.get("date"),
                )
            )
        for ev in data.get("events", []):
            start, end = ev.get("span", [0, 0])
            doc.events.append(
                Event(
                    type=ev["type"],
                    roles=ev.get("roles", {}),
                    evidence=ev.get("evidence", ""),
                    start=start,
                    end=end,
                    date=ev.get("date"),
                    amount=ev.get("amount"),
                    currency=ev.get("currency"),
                    method=ev.get("method", "pattern"),
                    confidence=ev.get("confidence", 0.5),
                )
            )
        return doc
