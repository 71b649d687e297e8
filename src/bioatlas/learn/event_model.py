"""A learned event reader: which entity fills the key role of which event type, sentence by sentence.

Every (clause, entity, slot) is a candidate: the entities a clause names, those of the two clauses before
it (roles across sentences: "the company", 该公司, 同社, "Dort") and the page's main company. A slot is an
event type's key role (`landing.company`, `visit.host`, `partnership.members`, ...). One logistic model
per slot scores a candidate from hashed features of the clause with its entities masked by their types
(word and character n-grams, trigger-list hits, dates, money, the rules' own reading) and of the entity
in it (type, the words right before and after it, order and distance to the trigger, where it was named).
A page's events are the (type, entity) pairs whose best clause scores over the slot's threshold, the
thresholds chosen on out-of-fold scores of the training pages.

The model is one `.npz` of float16 weights (hashed features, no vocabulary) and one `.json` of thresholds:
no pickle, deterministic training. Without these files `extract_events` uses its rules alone.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from bioatlas.learn.corpus import Page
    from bioatlas.model import Document, Entity, Event

MODEL_NAME = "event_model"
DIM = 1 << 18
ORG_TYPES = frozenset({"company", "park", "cluster", "agency", "research", "alliance", "investor"})

# slot -> (event type, role, entity types that may fill it: those filling it in at least ~3% of the annotated
# events, so an agency is no landing company and a place no acquisition target)
SLOTS: dict[str, tuple[str, str, frozenset[str]]] = {
    "landing.company": ("landing", "company", frozenset({"company", "research"})),
    "expansion.company": ("expansion", "company", frozenset({"company", "park"})),
    "funding.company": ("funding", "company", frozenset({"company", "park", "research", "alliance"})),
    "launch.subject": ("launch", "subject", frozenset({"park", "research", "cluster", "alliance", "investor"})),
    "acquisition.target": ("acquisition", "target", frozenset({"company"})),
    "acquisition.acquirer": ("acquisition", "acquirer", frozenset({"company", "investor"})),
    "visit.visitor": ("visit", "visitor", ORG_TYPES | {"place", "person"}),
    "visit.host": ("visit", "host", ORG_TYPES | {"place"}),
    "partnership.members": ("partnership", "members", ORG_TYPES),
}
SLOT_NAMES = tuple(SLOTS)
ENTITY_TYPES = ("company", "park", "cluster", "agency", "research", "alliance", "investor", "person", "place")
_MASK = {t: chr(0xE000 + i) for i, t in enumerate(ENTITY_TYPES)}
_TOKEN = re.compile(
    r"[\uE000-\uE0FF]|[^\W\d_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+|\d+|"
    r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\s\w]"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_MONEY = re.compile(r"[€$£¥₩]|\b(?:eur|usd|euro|dollars?|million|mio|mrd|billion)\b|[万億亿元円원]", re.I)
_PREVIOUS = 2  # clauses before the current one whose entities are candidates too


_HASHED: dict[str, int] = {}


def _h(text: str) -> int:
    """A feature's column: crc32, stable across runs and machines (Python's hash() is not)."""
    column = _HASHED.get(text)
    if column is None:
        if len(_HASHED) > 1_000_000:
            _HASHED.clear()
        column = _HASHED[text] = zlib.crc32(text.encode("utf-8")) % DIM
    return column


@dataclass
class Unit:
    """One clause of the page with what the features need."""

    start: int
    end: int
    text: str
    language: str
    items: list[tuple[int, Entity]]  # (first mention start, entity) in the clause
    tokens: list[str]  # masked tokens
    token_at: dict[str, int]  # entity id -> index of its first placeholder token
    triggers: dict[str, list[int]]  # event type -> char offsets (in the clause) of trigger words
    features: list[str]  # clause-level features (slot-independent strings)
    rule_keys: set[tuple[str, str]] = field(default_factory=set)  # (slot, entity id) the rules chose here
    hashed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # hashed clause features
    clause_scores: dict[str, float] = field(default_factory=dict)  # event type -> the model's clause score


@dataclass
class Candidate:
    slot: str
    unit: int
    entity: Entity
    features: list[str]
    index: np.ndarray  # hashed features, unique


def _masked(doc: Document, start: int, end: int, items: list[tuple[int, Entity]]) -> tuple[str, dict[str, int]]:
    """The clause with every entity mention replaced by one placeholder character for its type."""
    spans: list[tuple[int, int, Entity]] = []
    for ent in {e.id: e for _, e in items}.values():
        for m in ent.mentions:
            if start <= m.start and m.end <= end:
                spans.append((m.start, m.end, ent))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    at = start
    first: dict[str, int] = {}
    for s, e, ent in spans:
        if s < at:
            continue
        out.append(doc.text[at:s])
        first.setdefault(ent.id, len("".join(out)))
        out.append(_MASK.get(ent.type, _MASK["company"]))
        at = e
    out.append(doc.text[at:end])
    return "".join(out), first


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(unicodedata.normalize("NFKC", text))]


def _units(doc: Document) -> list[Unit]:
    """The page's clauses; those naming no entity are kept (they count for position) but not read further."""
    from bisect import bisect_left

    from bioatlas.extract.events import _sentences
    from bioatlas.extract.lang.triggers import trigger_hits

    starts = sorted((m.start, n, ent) for n, ent in enumerate(doc.entities) for m in ent.mentions)
    keys = [s for s, _, _ in starts]
    units = []
    for start, end in _sentences(doc):
        text = doc.text[start:end]
        found: dict[str, tuple[int, Entity]] = {}
        for at, _, ent in starts[bisect_left(keys, start) : bisect_left(keys, end)]:
            found.setdefault(ent.id, (at, ent))
        items = sorted(found.values(), key=lambda x: x[0])
        language = doc.language_at(start) or "?"
        if not items:
            units.append(Unit(start, end, text, language, [], [], {}, {}, []))
            continue
        masked, first_char = _masked(doc, start, end, items)
        # token index of each entity's first placeholder
        tokens: list[str] = []
        token_at: dict[str, int] = {}
        char_to_ent = {pos: eid for eid, pos in first_char.items()}
        for m in _TOKEN.finditer(masked):
            if m.start() in char_to_ent:
                token_at[char_to_ent[m.start()]] = len(tokens)
            tokens.append(m.group(0).lower())
        triggers = {kind: [h[0] for h in hits] for kind, hits in trigger_hits(text).items()}
        units.append(Unit(start, end, text, language, items, tokens, token_at, triggers, []))
    return units


def _clause_features(unit: Unit, index: int, n_units: int, published_year: int | None) -> list[str]:
    toks = unit.tokens
    feats = ["bias", f"lang={unit.language}"]
    cjk = bool(_CJK.search(unit.text))
    for i, t in enumerate(toks):
        if not t.strip() or t in ",.;:":
            continue
        feats.append(f"w={t}")
        if i + 1 < len(toks):
            feats.append(f"b={t} {toks[i + 1]}")
        if cjk and i + 2 < len(toks):
            feats.append(f"t={t}{toks[i + 1]}{toks[i + 2]}")
        if not cjk and len(t) > 5:
            feats.append(f"p={t[:5]}")  # a stem of sorts: établi, gegründ, investe
    for kind, hits in unit.triggers.items():
        feats.append(f"trig={kind}")
        for at in hits[:3]:
            m = re.match(r"\S{1,12}", unit.text[at:])
            feats.append(f"trigw={kind}:{m.group(0).lower() if m else ''}")
    types = sorted({e.type for _, e in unit.items})
    feats += [f"has={t}" for t in types]
    n_org = sum(1 for _, e in unit.items if e.type in ORG_TYPES)
    feats.append(f"n_org={min(n_org, 4)}")
    years = [int(y) for y in _YEAR.findall(unit.text)]
    if years:
        feats.append("year")
        if published_year is not None:
            gap = published_year - max(years)
            feats.append("year=" + ("future" if gap < 0 else "now" if gap <= 1 else "past"))
    if _MONEY.search(unit.text):
        feats.append("money")
    place = "first" if index == 0 else "early" if index < 3 else "late" if index > n_units * 0.7 else "mid"
    feats.append(f"pos={place}")
    feats.append(f"len={min(len(unit.text) // 60, 5)}")
    return feats


def _pair_base(unit: Unit, ent: Entity, where: str, main: Entity | None, doc_counts: dict[str, int]) -> list[str]:
    """What an entity looks like in a clause, whatever the event type."""
    feats = [f"type={ent.type}", f"where={where}", f"where_type={where}:{ent.type}"]
    if main is not None and ent.id == main.id:
        feats.append("main")
    feats.append(f"mentions={min(doc_counts.get(ent.id, 1), 5)}")
    if ent.reference:
        feats.append("reference")
    if where == "here":
        same_type = [e for _, e in unit.items if e.type == ent.type]
        rank = next(i for i, e in enumerate(same_type) if e.id == ent.id)
        feats.append(f"rank={min(rank, 2)}")
        feats.append(f"rank_type={min(rank, 2)}:{ent.type}")
        if rank == len(same_type) - 1:
            feats.append("last_of_type")
        ti = unit.token_at.get(ent.id)
        toks = unit.tokens
        if ti is not None:
            prev1 = toks[ti - 1] if ti >= 1 else "<s>"
            prev2 = toks[ti - 2] if ti >= 2 else "<s>"
            next1 = toks[ti + 1] if ti + 1 < len(toks) else "</s>"
            next2 = toks[ti + 2] if ti + 2 < len(toks) else "</s>"
            feats += [f"p1={prev1}", f"p2={prev2} {prev1}", f"n1={next1}", f"n2={next1} {next2}"]
            feats.append(f"tokpos={'start' if ti <= 1 else 'early' if ti < 6 else 'later'}")
    elif ent.type in {e.type for _, e in unit.items}:
        feats.append("same_type_here")
    return feats


_CROSSED = ("type=", "p1=", "n1=", "where=")  # base features also crossed with the clause's trigger types


def _pair_kind(slot: str, unit: Unit, ent: Entity, where: str) -> list[str]:
    """Where the entity stands to the trigger words of the slot's event type; what the rules made of it."""
    kind = SLOTS[slot][0]
    feats = []
    if where == "here":
        pos = next(p for p, e in unit.items if e.id == ent.id) - unit.start
        hits = unit.triggers.get(kind, [])
        if hits:
            nearest = min(hits, key=lambda h: abs(h - pos))
            dist = nearest - pos
            side = "before" if dist > 0 else "after"
            scale = 8 if _CJK.search(unit.text) else 25
            feats.append(f"trig_side={side}")
            feats.append(f"trig_dist={side}:{min(abs(dist) // scale, 4)}")
            feats.append(f"trig_side_type={side}:{ent.type}")
            low, high = min(pos, nearest), max(pos, nearest)
            between = [e for p, e in unit.items if low < p - unit.start < high and e.type == ent.type]
            feats.append(f"between_same={min(len(between), 2)}")
        else:
            feats.append("no_trig")
    else:
        feats.append("trig_here" if kind in unit.triggers else "no_trig")
    if (slot, ent.id) in unit.rule_keys:
        feats.append("rule")
    elif any(s == slot for s, _ in unit.rule_keys):
        feats.append("rule_other")
    return feats


def _hashes(features: list[str]) -> set[int]:
    return {_h(f) for f in features}


def _array(columns: set[int]) -> np.ndarray:
    return np.fromiter(sorted(columns), dtype=np.int64, count=len(columns))


def candidates(
    doc: Document, rule_events: list[Event] | None = None, model: EventModel | None = None, floor: float = 0.0
) -> tuple[list[Unit], list[Candidate]]:
    """Every (clause, entity, slot) the model scores, with its hashed features. With a model, the clauses it
    scores under `floor` x the slot's threshold for an event type get no candidates of that type: a candidate's
    score is at most its clause's."""
    from bioatlas.extract.events import _main_company

    units = _units(doc)
    main = _main_company(doc)
    counts = {e.id: len(e.mentions) for e in doc.entities}
    published_year = int(doc.published[:4]) if doc.published else None
    by_span: dict[tuple[int, int], int] = {(u.start, u.end): i for i, u in enumerate(units)}
    for ev in rule_events or []:
        ui = by_span.get((ev.start, ev.end))
        if ui is None:
            continue
        for slot, (kind, role, _) in SLOTS.items():
            if ev.type == kind and role in ev.roles:
                value = ev.roles[role]
                for eid in value if isinstance(value, list) else [value]:
                    units[ui].rule_keys.add((slot, eid))
    out: list[Candidate] = []
    for i, unit in enumerate(units):
        if not unit.items:
            continue
        unit.features = _clause_features(unit, i, len(units), published_year)
        unit.hashed = _array(_hashes(unit.features))
        if model is not None:
            unit.clause_scores = {k: model.clause_score(k, unit) for k in EVENT_KINDS}
        trig = [f for f in unit.features if f.startswith("trig=")] + [f"lang={unit.language}"]
        pool: dict[str, tuple[str, Entity]] = {e.id: ("here", e) for _, e in unit.items}
        for back in range(1, _PREVIOUS + 1):
            if i - back >= 0:
                for _, e in units[i - back].items:
                    pool.setdefault(e.id, (f"prev{back}", e))
        if main is not None and unit.triggers:
            pool.setdefault(main.id, ("main", main))
        base: dict[str, tuple[list[str], set[int]]] = {}
        for slot, (kind, _, allowed) in SLOTS.items():
            if model is not None and unit.clause_scores[kind] < floor * model.thresholds.get(slot, 0.5):
                continue
            for where, ent in pool.values():
                if ent.type not in allowed or (where != "here" and kind not in unit.triggers):
                    continue  # an entity from before only fills a role of an event told here
                if ent.id not in base:
                    feats = _pair_base(unit, ent, where, main, counts)
                    crossed = [f"{t}&{f}" for t in trig for f in feats if f.startswith(_CROSSED)]
                    base[ent.id] = (feats, _hashes(feats + crossed))
                feats, hashed = base[ent.id]
                extra = _pair_kind(slot, unit, ent, where)
                out.append(Candidate(slot, i, ent, feats + extra, _array(hashed | _hashes(extra))))
    return units, out


# ---------------------------------------------------------------------------------------------- the model

EVENT_KINDS = tuple(dict.fromkeys(kind for kind, _, _ in SLOTS.values()))
ROWS = tuple(f"type:{k}" for k in EVENT_KINDS) + SLOT_NAMES
_KIND_ROW = {k: ROWS.index(f"type:{k}") for k in EVENT_KINDS}
_SLOT_ROW = {s: ROWS.index(s) for s in SLOT_NAMES}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + float(np.exp(-x)))


@dataclass
class EventModel:
    """Per event type, how likely a clause tells one; per slot, how likely an entity fills it there. Each has its
    own row of weights over the same hashed features."""

    weights: np.ndarray  # (len(ROWS), DIM) float32
    bias: np.ndarray  # (len(ROWS),)
    thresholds: dict[str, float]

    def scores(self, cands: list[Candidate], units: list[Unit]) -> np.ndarray:
        """P(clause tells the slot's event) x P(entity fills the slot | it does), per candidate."""
        out = np.zeros(len(cands), dtype=np.float64)
        clause: dict[tuple[str, int], float] = {}
        for k, c in enumerate(cands):
            kind = SLOTS[c.slot][0]
            if (kind, c.unit) not in clause:
                clause[(kind, c.unit)] = self.clause_score(kind, units[c.unit])
            out[k] = clause[(kind, c.unit)] * self._p(_SLOT_ROW[c.slot], c.index)
        return out

    def clause_score(self, kind: str, unit: Unit) -> float:
        return unit.clause_scores.get(kind) or self._p(_KIND_ROW[kind], unit.hashed)

    def _p(self, row: int, index: np.ndarray) -> float:
        return _sigmoid(float(self.weights[row, index].sum()) + float(self.bias[row]))


def read_model(path: Path) -> EventModel:
    data = np.load(path)
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return EventModel(data["weights"].astype(np.float32), data["bias"].astype(np.float32), meta["thresholds"])


def current_model() -> EventModel | None:
    from bioatlas.learn.models import load

    return load(MODEL_NAME + ".npz", read_model)


# ---------------------------------------------------------------------------------------------- training


_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_SPACE = re.compile(r"\s+")


def _evidence_spans(text: str, evidence: str) -> list[tuple[int, int]]:
    """Where the verbatim parts of a gold event's evidence are in the cleaned text."""
    spans = []
    squeezed = _SPACE.sub("", text)
    # map squeezed positions back to text positions
    back = [i for i, ch in enumerate(text) if not ch.isspace()]
    for part in _ELLIPSIS.split(evidence or ""):
        part = part.strip()
        if len(part) < 4:
            continue
        at = text.find(part)
        if at >= 0:
            spans.append((at, at + len(part)))
            continue
        key = _SPACE.sub("", part)
        for probe in (key, key[:30], key[-30:]):
            if len(probe) < 6:
                continue
            j = squeezed.find(probe)
            if j >= 0:
                spans.append((back[j], back[min(j + len(probe), len(back)) - 1] + 1))
                break
    return spans


def align(gold: list[dict[str, Any]], found: list[Entity]) -> dict[str, str]:
    """Found entity id -> gold entity id, one to one, as the corpus scorer aligns them."""
    from bioatlas.learn.align import align_entities

    return align_entities(gold, found)


def _ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def labels(
    page: Page, doc: Document, units: list[Unit], cands: list[Candidate]
) -> tuple[list[int | None], dict[str, set[int]]]:
    """Per candidate: 1 when it fills its slot in a gold event told in this clause, 0 when in no gold event of
    the page, None (left out) when the pair is a gold event told elsewhere in the page. Per event type: the
    clauses that tell one (whether or not its entities were found)."""
    telling: dict[str, set[int]] = {kind: set() for kind in EVENT_KINDS}
    mapping = align(page.gold.get("entities", []), doc.entities)
    told: dict[tuple[str, str], set[int]] = {}
    for ev in page.gold.get("events", []):
        spans = _evidence_spans(doc.text, ev.get("evidence", ""))
        where = {i for i, u in enumerate(units) for s, e in spans if s < u.end and u.start < e}
        if ev.get("type") in telling:
            telling[ev["type"]] |= where
        for slot, (kind, role, _) in SLOTS.items():
            if ev.get("type") != kind:
                continue
            for gid in _ids((ev.get("roles") or {}).get(role)):
                told.setdefault((slot, gid), set()).update(where or {-1})
    labels: list[int | None] = []
    for c in cands:
        gold_id = mapping.get(c.entity.id)
        units_telling = told.get((c.slot, gold_id)) if gold_id else None
        if units_telling is None:
            labels.append(0)
        elif c.unit in units_telling:
            labels.append(1)
        else:
            labels.append(None)
    return labels, telling


@dataclass
class Rows:
    """Training rows: clauses (per event type) and candidates (per slot), with page ids for folds."""

    clauses: list[tuple[str, np.ndarray, int, str, int]] = field(default_factory=list)  # kind, idx, y, page, unit
    pairs: list[tuple[str, np.ndarray, int, str, str, int, int]] = field(default_factory=list)
    # slot, idx, y, page, entity id, unit, does the clause tell the slot's event
    real: set[str] = field(default_factory=set)  # pages crawled from the web (thresholds are tuned on these)

    def extend(self, other: Rows) -> None:
        self.clauses += other.clauses
        self.pairs += other.pairs
        self.real |= other.real


def page_rows(page: Page, doc: Document) -> Rows:
    """The labelled clauses and candidates of a page whose entities are found (`doc.entities` filled)."""
    from bioatlas.extract.events import rule_events

    units, cands = candidates(doc, rule_events(doc))
    ys, telling = labels(page, doc, units, cands)
    rows = Rows(real={page.id} if page.real else set())
    for i, unit in enumerate(units):
        if unit.features:
            for kind in EVENT_KINDS:
                rows.clauses.append((kind, unit.hashed, int(i in telling[kind]), page.id, i))
    for c, y in zip(cands, ys, strict=True):
        if y is not None:
            told = int(c.unit in telling[SLOTS[c.slot][0]])
            rows.pairs.append((c.slot, c.index, y, page.id, c.entity.id, c.unit, told))
    return rows


def _found(page: Page) -> Document:
    from bioatlas.extract.entities import extract_entities
    from bioatlas.learn.corpus import prepared

    doc = prepared(page)
    doc.entities = extract_entities(doc)
    return doc


def _fit(rows: list[tuple[np.ndarray, int]], c: float) -> tuple[np.ndarray, float]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    ys = np.array([y for _, y in rows])
    if len(set(ys.tolist())) < 2:
        return np.zeros(DIM, dtype=np.float32), -5.0
    indptr = np.cumsum([0] + [len(ix) for ix, _ in rows])
    flat = np.concatenate([np.asarray(ix, dtype=np.int64) for ix, _ in rows])
    used, compact = np.unique(flat, return_inverse=True)  # fit on the columns in use only
    x = csr_matrix((np.ones(len(flat), dtype=np.float64), compact, indptr), shape=(len(rows), len(used)))
    x.sum_duplicates()
    x.data[:] = 1.0
    model = LogisticRegression(
        C=c, solver="liblinear", dual=True, max_iter=500, class_weight=CLASS_WEIGHT, random_state=0
    )
    model.fit(x, ys)
    weights = np.zeros(DIM, dtype=np.float32)
    weights[used] = model.coef_[0]
    return weights, float(model.intercept_[0])


C = 0.3
C_CLAUSE = 0.3
CLASS_WEIGHT: Any = None
INNER_FOLDS = 3
DEFAULT_THRESHOLD = 0.5
THRESHOLD_GRID = [round(0.02 * i, 2) for i in range(1, 46)]


def _best_f1(scored: list[tuple[float, int]]) -> float:
    positives = sum(y for _, y in scored)
    best = 0.0
    for t in THRESHOLD_GRID:
        tp = sum(1 for s, y in scored if s >= t and y)
        pred = sum(1 for s, _ in scored if s >= t)
        best = max(best, 2 * tp / (pred + positives) if pred + positives else 0.0)
    return round(best, 3)


def _best_threshold(scored: list[tuple[float, int]]) -> float:
    """The threshold with the best F1 over (page, entity) decisions scored out of fold."""
    if not scored:
        return DEFAULT_THRESHOLD
    positives = sum(y for _, y in scored)
    best, best_f = DEFAULT_THRESHOLD, -1.0
    for t in THRESHOLD_GRID:
        tp = sum(1 for s, y in scored if s >= t and y)
        pred = sum(1 for s, _ in scored if s >= t)
        f = 2 * tp / (pred + positives) if pred + positives else 0.0
        if f > best_f + 1e-9:
            best, best_f = float(t), f
    return round(best, 2)


def train(pages: list[Page], out: Path) -> dict[str, Any]:
    rows = Rows()
    for page in pages:
        try:
            rows.extend(page_rows(page, _found(page)))
        except ValueError:  # nothing readable left after cleaning
            continue
    model, stats = fit(rows)
    stats["pages"] = len(pages)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / (MODEL_NAME + ".npz"), weights=model.weights.astype(np.float16), bias=model.bias)
    (out / (MODEL_NAME + ".json")).write_text(
        json.dumps({"dim": DIM, "rows": list(ROWS), "thresholds": model.thresholds}, indent=1), encoding="utf-8"
    )
    return stats


def _predict(w: np.ndarray, b: float, idx: np.ndarray) -> float:
    return _sigmoid(float(w[idx].sum()) + b)


def fit(rows: Rows) -> tuple[EventModel, dict[str, Any]]:
    """Clause models per type and role models per slot; each slot's threshold on the product of the two, scored
    on pages left out of their training (inner folds)."""
    import hashlib

    stats: dict[str, Any] = {
        "clauses": len(rows.clauses) // max(1, len(EVENT_KINDS)),
        "candidates": len(rows.pairs),
        "positives": sum(r[2] for r in rows.pairs),
    }
    page_ids = sorted({r[3] for r in rows.clauses}, key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    fold_of = {p: i % INNER_FOLDS for i, p in enumerate(page_ids)}
    weights = np.zeros((len(ROWS), DIM), dtype=np.float32)
    bias = np.zeros(len(ROWS), dtype=np.float32)
    oof_clause: dict[tuple[str, str, int], float] = {}
    for kind in EVENT_KINDS:
        mine = [x for x in rows.clauses if x[0] == kind]
        for k in range(INNER_FOLDS):
            w, b = _fit([(x[1], x[2]) for x in mine if fold_of[x[3]] != k], C_CLAUSE)
            for x in mine:
                if fold_of[x[3]] == k:
                    oof_clause[(kind, x[3], x[4])] = _predict(w, b, x[1])
        r = ROWS.index(f"type:{kind}")
        weights[r], bias[r] = _fit([(x[1], x[2]) for x in mine], C_CLAUSE)
        scored_clauses = [(oof_clause[(kind, x[3], x[4])], x[2]) for x in mine]
        stats[f"clause_f1:{kind}"] = _best_f1(scored_clauses)
    thresholds: dict[str, float] = {}
    for slot in SLOT_NAMES:
        kind = SLOTS[slot][0]
        pairs = [x for x in rows.pairs if x[0] == slot]
        scored: dict[tuple[str, str], tuple[float, int]] = {}
        for k in range(INNER_FOLDS):
            w, b = _fit([(q[1], q[2]) for q in pairs if fold_of.get(q[3], 0) != k and q[6]], C)
            for q in pairs:
                if fold_of.get(q[3], 0) == k:
                    p = oof_clause.get((kind, q[3], q[5]), 0.0) * _predict(w, b, q[1])
                    s0, y0 = scored.get((q[3], q[4]), (0.0, 0))
                    scored[(q[3], q[4])] = (max(s0, p), max(y0, q[2]))
        tuning = [v for (page, _), v in scored.items() if page in rows.real] or list(scored.values())
        thresholds[slot] = _best_threshold(tuning)
        r = ROWS.index(slot)
        weights[r], bias[r] = _fit([(q[1], q[2]) for q in pairs if q[6]], C)
    stats["thresholds"] = thresholds
    return EventModel(weights, bias, thresholds), stats
