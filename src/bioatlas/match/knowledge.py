"""What the answers read: kb entities, events and figures joined with the reference rows behind them.

Loaded once per question (read-only), with merged entities already followed to their canonical id, and only from
what the viewer may see: the shared kb and its own organisation's uploads (`kb.visibility`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import case, func, select

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.extract.reference import ReferenceRow, gazetteer
from bioatlas.folding import fold
from bioatlas.geo import Geography, Link, geography
from bioatlas.kb import corrections
from bioatlas.kb import schema as t
from bioatlas.kb.event_view import EventView, load_events
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import Scope, scope_for
from bioatlas.sources import public_source
from bioatlas.text.sentences import sentence_at

T = TypeVar("T")

EU = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}
ASEAN = {"SG", "MY", "TH", "ID", "VN", "PH", "BN", "KH", "LA", "MM"}
MARKET_COUNTRIES = {"eu": EU, "cn": {"CN", "HK", "MO"}, "us": {"US"}, "asean": ASEAN}


@dataclass(slots=True)
class Evidence:
    """Where a number comes from: a document sentence (with span) or a reference-data row."""

    kind: str  # "document" | "reference"
    label: str
    document_id: str | None = None
    title: str | None = None
    source: str | None = None
    start: int | None = None
    end: int | None = None
    reference: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {
                "kind": self.kind,
                "label": self.label,
                "document_id": self.document_id,
                "title": self.title,
                "source": public_source(self.source),
                "start": self.start,
                "end": self.end,
                "reference": self.reference,
            }.items()
            if v is not None
        }


@dataclass(slots=True)
class KbEntity:
    id: str
    name: str
    type: str
    country: str | None
    row: ReferenceRow | None = None

    @property
    def sectors(self) -> set[str]:
        return set(_split(self.row.data.get("sectors"))) if self.row else set()

    @property
    def services(self) -> set[str]:
        return set(_split(self.row.data.get("services"))) if self.row else set()

    @property
    def place(self) -> str | None:
        """The place a place lies in (`parent`), or the area an organisation serves (`covers`, else `place`):
        AWEX is Walloon though its office is in Brussels. The full hierarchy is `Knowledge.geo`."""
        if self.row is None:
            return None
        if self.row.type == "place":
            value = self.row.data.get("parent")
        else:
            value = self.row.data.get("covers") or self.row.data.get("place")
        return f"ref:{value}" if value else None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "country": self.country}


@dataclass(slots=True)
class KbEvent:
    id: str
    type: str
    date: str | None
    roles: dict[str, list[str]]
    amount: float | None
    currency: str | None
    reports: list[Evidence] = field(default_factory=list)
    date_source: str | None = None  # "text": the sentence gives it; "published": the earliest report's date


def kb_event(view: EventView) -> KbEvent:
    """An event as the answers read it: the kb's one view of it (`kb.event_view`), the same id, date, roles and
    reports that the pages and the map show."""
    reports = [Evidence("document", r.evidence, r.document_id, r.title, r.source, r.start, r.end) for r in view.reports]
    roles = {role: list(ids) for role, ids in view.roles.items()}
    return KbEvent(view.id, view.type, view.date, roles, view.amount, view.currency, reports, view.date_source)


@dataclass(slots=True)
class KbFigure:
    entity_id: str
    value: float
    unit: str
    what: str
    evidence: Evidence


@dataclass(slots=True)
class Mention:
    """A sentence of an ingested document that names an entity (from its name claim and span)."""

    entity_id: str
    evidence: Evidence


MENTION_WINDOW = 400  # characters read on each side of a name claim to find its sentence
MENTIONS_PER_ENTITY = 300  # the most recent name claims read per entity (by publication date)


class MentionIndex:
    """The sentences naming given entities, read from the kb on demand (claims index) and kept per entity.

    Answers ask for the organisations of one area at a time, so reading every claim up front is not needed; the
    index belongs to one loaded `Knowledge` and sees only what its viewer sees.
    """

    def __init__(self, store: Store, scope: Scope, moves: dict[str, str]):
        self._store, self._scope = store, scope
        self._sources: dict[str, set[str]] = defaultdict(set)  # canonical id -> ids merged into it
        for src, dst in moves.items():
            self._sources[dst].add(src)
        self._caches: dict[Callable[[str], bool] | None, dict[str, list[Mention]]] = {}

    def of(self, entity_ids: Collection[str], window_says: Callable[[str], bool] | None = None) -> list[Mention]:
        """The sentences naming the entities; with `window_says`, only those in a stretch of text (the name and
        `MENTION_WINDOW` characters around it) for which it is true: a caller looking for service words skips
        finding the sentences of the many stretches that have none. Kept per entity and `window_says`."""
        cache = self._caches.setdefault(window_says, {})
        wanted = sorted(set(entity_ids) - set(cache))
        for start in range(0, len(wanted), 400):
            self._read(wanted[start : start + 400], cache, window_says)
        return [m for eid in sorted(set(entity_ids)) for m in cache.get(eid, [])]

    def _read(self, ids: list[str], cache: dict[str, list[Mention]], window_says: Callable[[str], bool] | None) -> None:
        raw = {src: eid for eid in ids for src in {eid} | self._sources.get(eid, set())}
        for eid in ids:
            cache[eid] = []
        c, d = t.claims, t.documents
        # The most recent MENTIONS_PER_ENTITY name claims of each entity the viewer may see: a place named in
        # thousands of reports needs a few sentences per service, not all of them, and this bounds the work.
        recent = (
            select(
                c.c.entity_id,
                c.c.document_id,
                c.c.start,
                c.c.end,
                func.row_number()
                .over(partition_by=c.c.entity_id, order_by=(d.c.published.desc(), d.c.id, c.c.start))
                .label("n"),
            )
            .select_from(c.join(d, d.c.id == c.c.document_id))
            .where(c.c.entity_id.in_(sorted(raw)), c.c.prop == "name", c.c.start.is_not(None))
        )
        mentions = self._scope.where(recent).subquery()
        low = case((mentions.c.start > MENTION_WINDOW, mentions.c.start - MENTION_WINDOW), else_=0)
        query = (
            select(
                mentions.c.entity_id,
                mentions.c.start,
                mentions.c.end,
                low.label("low"),
                func.substr(d.c.text, low + 1, mentions.c.end - low + MENTION_WINDOW).label("window"),
                d.c.id,
                d.c.title,
                d.c.url,
                d.c.source,
            )
            .select_from(mentions.join(d, d.c.id == mentions.c.document_id))
            .where(mentions.c.n <= MENTIONS_PER_ENTITY)
            .order_by(d.c.id, mentions.c.start)
        )
        seen: set[tuple[str, str, int]] = set()
        with self._store.engine.connect() as conn:
            for r in conn.execute(query):
                text, offset = r.window or "", int(r.low)
                if window_says is not None and not window_says(text):
                    continue
                span = sentence_at(text, r.start - offset)
                if span is not None:
                    a, b = span
                    eid = raw[r.entity_id]
                    if (eid, r.id, offset + a) not in seen:
                        seen.add((eid, r.id, offset + a))
                        evidence = Evidence(
                            "document", text[a:b], r.id, r.title, r.url or r.source, offset + a, offset + b
                        )
                        cache[eid].append(Mention(eid, evidence))


@dataclass
class Knowledge:
    entities: dict[str, KbEntity]
    events: list[KbEvent]
    figures: list[KbFigure]
    children: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    located: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # place id -> org ids
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # entity id -> names in the kb
    mentions: MentionIndex | None = None  # sentences naming an entity; None for a kb built in memory
    _by_key: dict[str, set[str]] | None = field(default=None, repr=False)  # lookup key -> entity ids
    geo: Geography = field(default_factory=geography)  # place hierarchy, with what documents add (learn_places)
    _indices: dict[str, Any] = field(default_factory=dict, repr=False)  # built on first use (`events_of`...)

    def named(self, name: str) -> set[str]:
        """Entities called `name` by any of their names, in any language or Chinese script, with or without a
        legal or corporate designator: 'AWEX', 'Invest in Wallonia', '香港科學園', '香港科技园' (公司 left out)."""
        if self._by_key is None:
            index: dict[str, set[str]] = defaultdict(set)
            for eid in self.entities:
                for alias in self.names_of(eid):
                    for key in lookup_keys(alias):
                        index[key].add(eid)
            self._by_key = index
        return {eid for key in lookup_keys(name) for eid in self._by_key.get(key, ())}

    def names_of(self, entity_id: str) -> set[str]:
        """Every name the entity goes by: its kb name, its reference names in all languages, its kb aliases."""
        ent = self.entities.get(entity_id)
        names = set(self.aliases.get(entity_id, ()))
        if ent is not None:
            names.add(ent.name)
            if ent.row is not None:
                names.update(ent.row.all_names())
        return {n for n in names if n.strip()}

    def mentioned_in(self, text: str, entity_id: str) -> bool:
        """Whether `text` names the entity (any of its names, ignoring case, accents and Chinese script).

        Answers ask this for the same sentences and entities over and over: folded sentences and each entity's
        names (CJK names as substrings, the others as one whole-word pattern) are kept with the loaded kb."""
        folded_texts: dict[str, str] = self._indices.setdefault("folded", {})
        folded = folded_texts.get(text)
        if folded is None:
            folded = folded_texts[text] = fold(text)
        patterns: dict[str, tuple[tuple[str, ...], re.Pattern[str] | None]] = self._indices.setdefault("names", {})
        found = patterns.get(entity_id)
        if found is None:
            found = patterns[entity_id] = _name_patterns(fold(name) for name in self.names_of(entity_id))
        substrings, words = found
        return any(name in folded for name in substrings) or (words is not None and words.search(folded) is not None)

    def name(self, entity_id: str) -> str:
        ent = self.entities.get(entity_id)
        return ent.name if ent else entity_id

    def ancestors(self, entity_id: str) -> list[str]:
        out, seen = [], {entity_id}
        ent = self.entities.get(entity_id)
        while ent is not None and ent.place and ent.place not in seen:
            out.append(ent.place)
            seen.add(ent.place)
            ent = self.entities.get(ent.place)
        return out

    def descendants(self, place_id: str) -> set[str]:
        out, todo = set(), [place_id]
        while todo:
            current = todo.pop()
            for child in self.children.get(current, ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def scope(self, entity_id: str) -> set[str]:
        """Everything that counts as 'at' a location: itself, places inside it and organisations there."""
        ent = self.entities.get(entity_id)
        if ent is None:
            return {entity_id}
        if ent.type != "place":
            return {entity_id}
        places = {entity_id} | self.descendants(entity_id)
        orgs = {o for p in places for o in self.located.get(p, ())}
        return places | orgs

    def country_of(self, entity_id: str) -> str | None:
        """The entity's country; for a place or organisation known only from documents, where the kb puts it."""
        ent = self.entities.get(entity_id)
        if ent is not None and ent.country:
            return ent.country
        if ent is None:
            return None
        memo = self._indices.get("countries")
        if memo is None or memo[0] is not self.geo:  # kept per hierarchy (documents add to it while loading)
            memo = self._indices["countries"] = (self.geo, {})
        known: dict[str, str | None] = memo[1]
        if entity_id not in known:
            known[entity_id] = self.geo.country_of(entity_id)
        return known[entity_id]

    def inside(self, area_id: str) -> set[str]:
        """The area and every kb entity inside it: places, and the parks, clusters, agencies and companies
        located in them or serving them (`geo.Geography.inside`), reference rows and document links alike."""
        return {e for e in self.geo.inside(area_id) if e in self.entities} | {area_id}

    def contains(self, area_id: str, entity_id: str) -> bool:
        return self.geo.contains(area_id, entity_id)

    # Indices over the loaded kb, built once on first use: answers ask "what touches these entities" for every
    # candidate, and a scan of every event or figure per candidate is what made them slow on a large kb.

    def once(self, key: str, build: Callable[[], T]) -> T:
        """`build()` computed once per loaded kb and kept with it (an aggregate every question reads, such as the
        events under each area): the kb is reloaded after every ingest, merge or undo, so it is never stale.
        What it returns is shared by every later question: treat it as read-only."""
        kept: dict[str, Any] = self._indices.setdefault("once", {})
        if key not in kept:
            kept[key] = build()
        return cast(T, kept[key])

    def events_of(self, entity_ids: Collection[str], roles: Collection[str] | None = None) -> list[KbEvent]:
        """The events in which any of `entity_ids` takes part (in one of `roles`, if given), in kb order."""
        index: dict[str, list[tuple[int, str]]] | None = self._indices.get("events")
        if index is None:
            index = defaultdict(list)
            for position, event in enumerate(self.events):
                for role, ids in event.roles.items():
                    for eid in set(ids):
                        index[eid].append((position, role))
            index = self._indices["events"] = dict(index)
        wanted = None if roles is None else set(roles)
        positions = {p for eid in entity_ids for p, role in index.get(eid, ()) if wanted is None or role in wanted}
        return [self.events[p] for p in sorted(positions)]

    def figures_of(self, entity_ids: Collection[str]) -> list[KbFigure]:
        """The figures about any of `entity_ids`, in kb order."""
        index: dict[str, list[int]] | None = self._indices.get("figures")
        if index is None:
            index = defaultdict(list)
            for position, figure in enumerate(self.figures):
                index[figure.entity_id].append(position)
            index = self._indices["figures"] = dict(index)
        return [self.figures[p] for p in sorted({p for eid in entity_ids for p in index.get(eid, ())})]

    def entities_of_type(self, *types: str) -> list[KbEntity]:
        """The entities of these types (e.g. the support bodies), without a scan of every company each time."""
        index: dict[str, list[KbEntity]] | None = self._indices.get("types")
        if index is None:
            index = defaultdict(list)
            for ent in self.entities.values():
                index[ent.type].append(ent)
            index = self._indices["types"] = dict(index)
        return [ent for kind in types for ent in index.get(kind, ())]


_DESIGNATOR = re.compile(r"(?:corporation|corp|company|公司|集团|集團)$")


def lookup_keys(name: str) -> set[str]:
    """How a typed name is compared: case, accents, script and punctuation folded; legal form and a trailing
    'Corporation' / '公司' optional (a park's operator is asked for by the park's name)."""
    from bioatlas.extract.entities import name_key, strip_legal_form

    keys = {name_key(name), name_key(strip_legal_form(name))}
    keys |= {short for k in keys if len(short := _DESIGNATOR.sub("", k)) >= 3}
    return {k for k in keys if k}


def _name_patterns(names: Iterable[str]) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
    """`_names_in` for many folded names at once: the CJK ones as substrings, the others as one pattern."""
    substrings, words = set(), set()
    for name in (n.strip() for n in names):
        if len(name) < 2:
            continue
        if not name.isascii() and any(ord(ch) >= 0x2E80 for ch in name):
            substrings.add(name)
        else:
            words.add(name)
    pattern = "|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in sorted(words))
    return tuple(sorted(substrings)), re.compile(pattern) if pattern else None


def _names_in(name: str, folded_text: str) -> bool:
    """A folded name inside folded text: CJK names as substrings, other names as whole words."""
    name = name.strip()
    if len(name) < 2:
        return False
    if not name.isascii() and any(ord(ch) >= 0x2E80 for ch in name):
        return name in folded_text
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded_text) is not None


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


_CACHE: dict[tuple[str, tuple[str, ...], str | None], tuple[tuple[Any, ...], Knowledge]] = {}
CACHED_VIEWS = 16  # loaded kbs kept (one per store and set of visible organisations)


def forget_loaded() -> None:
    """Drop every cached kb (benchmarks measuring a cold load; a process pool's workers after a fork)."""
    _CACHE.clear()


def _stamp(store: Store) -> tuple[Any, ...]:
    """Changes whenever a page is ingested or a merge is decided or undone."""
    with store.engine.connect() as conn:
        log = conn.execute(select(func.max(t.ingest_log.c.id), func.count()).select_from(t.ingest_log)).one()
        merges = conn.execute(select(func.count(), func.max(t.merges.c.at), func.max(t.merges.c.undone_at))).one()
        corrected = corrections.stamp(conn)
    return (*log, *merges, *corrected)


def kb_version(store: Store) -> tuple[Any, ...]:
    """A value that changes whenever what the answers read changes (ingest, merge, undo, correction)."""
    return _stamp(store)


def load_knowledge(store: Store, viewer: Viewer = ANONYMOUS) -> Knowledge:
    """The kb as the answers read it for `viewer`; rebuilt only when the kb has changed since the last call.

    Cached per set of visible organisations: every viewer who sees the same documents shares one copy.
    """
    stamp = _stamp(store)
    with store.engine.connect() as conn:
        scope = scope_for(conn, viewer)
        own = corrections.has_private(conn, viewer.org)  # an organisation's own corrections: its own copy
    key = (store.url, scope.key, viewer.org if own else None)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    knowledge = _load(store, scope)
    _CACHE.pop(key, None)
    _CACHE[key] = (stamp, knowledge)
    while len(_CACHE) > CACHED_VIEWS:  # the oldest entry goes first
        _CACHE.pop(next(iter(_CACHE)))
    return knowledge


def _load(store: Store, scope: Scope) -> Knowledge:
    store.load_reference()
    gaz = gazetteer()
    with store.engine.connect() as conn:
        moves = scope.redirects(conn)
        hidden = scope.hidden(conn)
        entities: dict[str, KbEntity] = {}
        for r in conn.execute(select(t.entities)):
            if r.id in moves or r.id in hidden:
                continue
            row = gaz.rows.get(r.id.split(":", 1)[1]) if r.id.startswith("ref:") else None
            entities[r.id] = KbEntity(r.id, r.name, r.type, r.country, row)
        docs = {
            d.id: d
            for d in conn.execute(
                scope.where(select(t.documents.c.id, t.documents.c.title, t.documents.c.url, t.documents.c.source))
            )
        }
        events = [kb_event(v) for v in load_events(conn, scope, moves).values()]  # one view: kb.event_view
        figures = []
        found = [dict(f._mapping) for f in conn.execute(select(t.figures).where(t.figures.c.entity_id.is_not(None)))]
        for fig in corrections.apply_to_figures(conn, scope.viewer.org, found, moves):  # as users corrected them
            if scope.filtered and fig["document_id"] not in docs:
                continue
            doc = docs.get(fig["document_id"])
            figures.append(
                KbFigure(
                    moves.get(fig["entity_id"], fig["entity_id"]),
                    fig["value"],
                    fig["unit"],
                    fig["what"] or "",
                    Evidence(
                        "document",
                        fig["evidence"] or "",
                        fig["document_id"],
                        doc.title if doc else None,
                        (doc.url or doc.source) if doc else None,
                        fig["start"],
                        fig["end"],
                    ),
                )
            )
        aliases: dict[str, set[str]] = defaultdict(set)
        pairs = []
        for r in conn.execute(select(t.aliases.c.entity_id, t.aliases.c.alias)):
            target = moves.get(r.entity_id, r.entity_id)
            if target in entities:
                pairs.append((r.entity_id, r.alias))
        unseen = scope.hidden_aliases(conn, pairs)
        for eid, alias in pairs:
            if (eid, alias) not in unseen:
                aliases[moves.get(eid, eid)].add(alias)
    knowledge = Knowledge(entities, sorted(events, key=lambda e: e.id), figures)
    knowledge.aliases = aliases
    knowledge.mentions = MentionIndex(store, scope, moves)
    for ent in entities.values():
        if ent.place and ent.place in entities:
            if ent.type == "place":
                knowledge.children[ent.place].add(ent.id)
            else:
                knowledge.located[ent.place].add(ent.id)
    # Organisations known only from documents are located where their landings and launches say.
    for event in knowledge.events:
        if event.type in ("landing", "launch", "expansion"):
            subjects = event.roles.get("company") or event.roles.get("subject") or []
            subject = subjects[0] if subjects else None
            for loc in event.roles.get("location", []):
                if subject and subject in entities and entities[subject].row is None and loc in entities:
                    if entities[subject].type in ("park", "cluster", "research", "agency"):
                        knowledge.located[loc].add(subject)
    knowledge.geo = learn_places(knowledge)
    return knowledge


LOCATING_EVENTS = ("landing", "launch", "expansion")


def learn_places(kb: Knowledge) -> Geography:
    """The reference hierarchy plus what the kb says of entities without a reference row, each link citing the
    report it comes from: a park, cluster, research or agency is where its landing or launch took place; a place
    named only in reports lies in the most precise reference place listed with it, when those lie on one chain
    ("Fleurus, Wallonia"); a country read from a document (entity country) puts it in that country."""
    base = geography()
    links: list[Link] = []
    countries: dict[str, str] = {}
    for ent in kb.entities.values():
        if ent.row is None and ent.country:
            countries[ent.id] = ent.country
            home = base.country_place(ent.country)
            if home:
                links.append(Link(ent.id, home, "country", f"kb:{ent.id}"))
    for event in kb.events:
        where = event.reports[0].document_id if event.reports else None
        reference = f"document:{where}" if where else "document"
        locations = [loc for loc in event.roles.get("location", []) if loc in kb.entities]
        known = [loc for loc in locations if kb.entities[loc].row is not None and loc in base.kind]
        if event.type in LOCATING_EVENTS:
            subjects = event.roles.get("company") or event.roles.get("subject") or []
            subject = kb.entities.get(subjects[0]) if subjects else None
            if subject is not None and subject.row is None and subject.type in ("park", "cluster", "research"):
                for loc in locations[:1]:
                    links.append(Link(subject.id, loc, "document", reference))
        unplaced = [loc for loc in locations if kb.entities[loc].row is None and kb.entities[loc].type == "place"]
        if unplaced and not known:  # "s'installe à Seneffe, en Wallonie": the sentence names the region
            away = {i for role in ("origin", "company") for i in event.roles.get(role, [])}
            known = [p for p in _places_named(event.reports[0].label) if p not in away and p in base.kind]
        chain = sorted(set(known), key=lambda p: -len(base.ancestors(p)))
        if chain and all(base.contains(outer, chain[0]) for outer in chain[1:]):
            links.extend(Link(loc, chain[0], "document", reference) for loc in unplaced)
    return base.extend(links, countries)


def _places_named(sentence: str) -> list[str]:
    """The reference places a sentence names (kb ids)."""
    return [f"ref:{hit.row.id}" for hit in gazetteer().find(sentence) if hit.row.type == "place"]
