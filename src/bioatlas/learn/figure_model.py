"""A learned figure reader: which entity a figure is about, and whether a candidate is a figure at all.

The rules in `extract/figures.py` find numbers with units and propose a subject. For every candidate
figure the entities named in its sentence and the sentences before it (and the rules' choice, the
previous sentence's subject, the page's main entity) are ranked by a linear model over named features
(distance, same sentence or clause, before or after, the entity's type against the unit, sentence
subject, possessives and topic markers, the rules' choice, ...), trained pairwise (right entity minus
wrong entity, logistic loss). The rules' choice stands unless the ranker prefers another by RULE_MARGIN.
A second logistic model keeps or drops the candidate (unit, words around it, the subject's share), its
threshold chosen on out-of-fold scores of the training pages and capped at KEEP_THRESHOLD_MAX.

Labels: gold figures are matched to candidates by value, gold subjects to predicted entities by shared
names as the corpus scorer does. On pages it was trained on, the entity tagger finds nearly every name;
so the models also learn on copies of the pages with ENTITY_DROP of the entities left out, which is what
new pages look like. The model is one JSON file of named weights (no pickle, deterministic training).
Without it `extract_figures` uses its rules alone.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bioatlas.learn.align import align_entities
from bioatlas.learn.models import load

if TYPE_CHECKING:
    from bioatlas.learn.corpus import Page
    from bioatlas.model import Document

MODEL_FILE = "figure_model.json"
C_SUBJECT = 0.5
C_KEEP = 0.3
MIN_FEATURE_COUNT = 2
INNER_FOLDS = 3
DEFAULT_THRESHOLD = 0.3
# The rules' subject stands unless the ranker prefers another entity by more than this (log-odds). On
# training pages the tagger finds nearly every name and the ranker learns to pick among them; on new pages
# many names are missing, and cross-validation shows the rules' choice is then the safer default.
RULE_MARGIN = 3.0
# The keep/drop threshold is chosen on training pages, where entities are nearly perfect; on new pages a
# high threshold throws away good figures, so it is capped: only candidates judged clearly not figures go.
KEEP_THRESHOLD_MAX = 0.1
# Share of entities left out when training the keep/drop model (about what the tagger misses on new pages).
ENTITY_DROP = 0.3
ORG_TYPES = frozenset({"company", "park", "cluster", "agency", "research", "alliance", "investor"})

Features = dict[str, float]


@dataclass(slots=True)
class Linear:
    weights: dict[str, float]
    bias: float

    def margin(self, features: Features) -> float:
        return self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())

    def score(self, features: Features) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.margin(features)))))

    def to_json(self) -> dict[str, Any]:
        return {"bias": round(self.bias, 6), "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Linear:
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]))


def best_option(ranker: Linear, options: Sequence[tuple[str, Features]]) -> tuple[str, float] | None:
    """The entity the ranker prefers, unless the rules' choice (the option with the `rule` feature) scores
    within RULE_MARGIN of it; with its share of the options (a softmax over the ranking scores)."""
    if not options:
        return None
    scores = [ranker.margin(feats) for _, feats in options]
    top = max(scores)
    i = scores.index(top)
    rule = next((j for j, (_, feats) in enumerate(options) if feats.get("rule")), None)
    if rule is not None and top - scores[rule] <= RULE_MARGIN:
        i = rule
    share = math.exp(max(-30.0, scores[i] - top)) / sum(math.exp(max(-30.0, s - top)) for s in scores)
    return options[i][0], share


@dataclass(slots=True)
class FigureModel:
    subject: Linear
    keeper: Linear | None
    threshold: float

    def best_subject(self, options: Sequence[tuple[str, Features]]) -> tuple[str, float] | None:
        """The best-scoring entity id and its share of the options (a softmax over the ranking scores);
        ties go to the earlier option; None without options."""
        return best_option(self.subject, options)

    def keep(self, features: Features) -> bool:
        return self.keeper is None or self.keeper.score(features) >= self.threshold


def read_model(path: Path) -> FigureModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    keeper = Linear.from_json(data["keep"]) if data.get("keep") else None
    return FigureModel(Linear.from_json(data["subject"]), keeper, float(data.get("threshold", 0.0)))


def current_model() -> FigureModel | None:
    return load(MODEL_FILE, read_model)


# --------------------------------------------------------------------------------------------
# Labels: gold figures and subjects aligned to what the extractor proposes
# --------------------------------------------------------------------------------------------


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a))


@dataclass(slots=True)
class _Row:
    page: str
    options: list[tuple[str, Features]]
    right: set[str]  # option ids that are the gold subject (empty: not a gold figure, or subject not found)
    is_figure: bool
    keep_base: Features


def _dropped(page_id: str, name: str, rate: float) -> bool:
    digest = hashlib.sha256(f"{page_id}\x1f{name}".encode()).digest()
    return digest[0] < rate * 256


def page_rows(doc: Document, gold: dict[str, Any], page_id: str, drop: float = 0.0) -> tuple[list[_Row], int]:
    """Candidate figures of a prepared document (entities already found) with their labels; and the number
    of gold figures of the page.

    `drop` leaves out that share of the entities (chosen by a hash, so always the same ones): on pages it
    was trained on the entity tagger misses almost nothing, on new pages it misses many names, and the
    keep/drop model must learn what a figure whose true subject was never found looks like."""
    from bioatlas.extract.figures import figure_candidates, keep_features, subject_options

    if drop > 0:
        doc = replace(doc, entities=[e for e in doc.entities if not _dropped(page_id, e.name, drop)])
    ctx, cands = figure_candidates(doc)
    gold_figures = [g for g in gold.get("figures") or [] if isinstance(g.get("value"), (int, float))]
    if ctx is None:
        return [], len(gold_figures)
    mapping = align_entities(gold.get("entities") or [], doc.entities)
    used: set[int] = set()
    rows = []
    for c in cands:
        match = next(
            (i for i, g in enumerate(gold_figures) if i not in used and _same_value(float(g["value"]), c.value)),
            None,
        )
        options = subject_options(ctx, c)
        right: set[str] = set()
        if match is not None:
            used.add(match)
            gsub = gold_figures[match].get("subject")
            right = {eid for eid, _ in options if gsub is not None and mapping.get(eid) == gsub}
        rows.append(_Row(page_id, options, right, match is not None, keep_features(ctx, c, None)))
    return rows, len(gold_figures)


# --------------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------------


def _fit(samples: list[tuple[Features, int]], c: float, intercept: bool = True) -> Linear:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    labels = [y for _, y in samples]
    if len(set(labels)) < 2:
        return Linear({}, 0.0 if not labels else (3.0 if labels[0] else -3.0))
    counts = Counter(k for feats, _ in samples for k in feats)
    names = sorted(k for k, n in counts.items() if n >= MIN_FEATURE_COUNT)
    index = {k: i for i, k in enumerate(names)}
    data: list[float] = []
    cols: list[int] = []
    indptr = [0]
    for feats, _ in samples:
        for k, v in sorted(feats.items()):
            if k in index and v:
                cols.append(index[k])
                data.append(v)
        indptr.append(len(cols))
    x = csr_matrix((np.array(data), np.array(cols, dtype=np.int64), np.array(indptr)), shape=(len(samples), len(names)))
    model = LogisticRegression(C=c, solver="liblinear", max_iter=500, random_state=0, fit_intercept=intercept)
    model.fit(x, np.array(labels))
    weights = {k: float(w) for k, w in zip(names, model.coef_[0], strict=True) if abs(w) > 1e-6}
    return Linear(weights, float(model.intercept_[0]) if intercept else 0.0)


def _difference(a: Features, b: Features) -> Features:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0.0) - v
    return {k: v for k, v in out.items() if v}


def _subject_samples(rows: list[_Row]) -> list[tuple[Features, int]]:
    """Pairwise ranking: (right option - wrong option) is positive, its negation negative, so the model
    learns what makes one entity of the same figure a better subject than another."""
    out: list[tuple[Features, int]] = []
    for r in rows:
        if not r.right:
            continue
        for eid, good in r.options:
            if eid not in r.right:
                continue
            for other, bad in r.options:
                if other in r.right:
                    continue
                out.append((_difference(good, bad), 1))
                out.append((_difference(bad, good), 0))
    return out


def _keep_samples(rows: list[_Row], subject: Linear) -> list[tuple[Features, int]]:
    """A candidate is worth keeping when it is a gold figure and its best subject is the gold one."""
    out = []
    for r in rows:
        feats = dict(r.keep_base)
        label = 0
        best = best_option(subject, r.options)
        if best is not None:
            best_id, best_p = best
            feats.pop("no_subject", None)
            feats["subject_score"] = best_p
            label = int(r.is_figure and (best_id in r.right or not r.right))
        out.append((feats, label))
    return out


def _best_threshold(scored: list[tuple[float, int]], gold_total: int) -> float:
    """The threshold with the best F1 over out-of-fold scores (every gold figure counts in recall)."""
    best, best_f = DEFAULT_THRESHOLD, -1.0
    for step in range(0, int(KEEP_THRESHOLD_MAX * 100) + 1, 5):
        t = step / 100
        tp = sum(y for s, y in scored if s >= t)
        pred = sum(1 for s, _ in scored if s >= t)
        f = 2 * tp / (pred + gold_total) if pred + gold_total else 0.0
        if f > best_f + 1e-9:
            best, best_f = t, f
    return best


def fit(rows: list[_Row], gold_total: int, sparse_rows: list[_Row] | None = None) -> tuple[FigureModel, dict[str, Any]]:
    """Both models from labelled rows (`sparse_rows`: the same pages with entities left out, see `page_rows`);
    the keep threshold from inner folds over pages."""
    keep_rows = sparse_rows if sparse_rows is not None else rows
    pages = sorted({r.page for r in rows}, key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    fold_of = {p: i % INNER_FOLDS for i, p in enumerate(pages)}
    scored: list[tuple[float, int]] = []
    for k in range(INNER_FOLDS):
        ranked = [r for r in rows + (sparse_rows or []) if fold_of[r.page] != k]
        subject_k = _fit(_subject_samples(ranked), C_SUBJECT, intercept=False)
        keeper_k = _fit(_keep_samples([r for r in keep_rows if fold_of[r.page] != k], subject_k), C_KEEP)
        test_rows = [r for r in keep_rows if fold_of[r.page] == k]
        scored += [(keeper_k.score(f), y) for f, y in _keep_samples(test_rows, subject_k)]
    threshold = _best_threshold(scored, gold_total)
    subject = _fit(_subject_samples(rows + (sparse_rows or [])), C_SUBJECT, intercept=False)
    keeper = _fit(_keep_samples(keep_rows, subject), C_KEEP)
    stats = {
        "candidates": len(rows),
        "gold_figures": gold_total,
        "value_matches": sum(r.is_figure for r in rows),
        "subject_groups": sum(1 for r in rows if r.right),
        "threshold": threshold,
        "subject_features": len(subject.weights),
        "keep_features": len(keeper.weights),
    }
    return FigureModel(subject, keeper, threshold), stats


def train(pages: list[Page], out: Path) -> dict[str, Any]:
    from bioatlas.extract.entities import extract_entities
    from bioatlas.learn.corpus import prepared

    rows: list[_Row] = []
    sparse_rows: list[_Row] = []
    gold_total = 0
    for page in pages:
        try:
            doc = prepared(page)
        except ValueError:
            continue
        doc.entities = extract_entities(doc)
        found, n_gold = page_rows(doc, page.gold, page.id)
        rows += found
        sparse_rows += page_rows(doc, page.gold, page.id, ENTITY_DROP)[0]
        gold_total += n_gold
    model, stats = fit(rows, gold_total, sparse_rows)
    write_model(model, out / MODEL_FILE)
    stats["pages"] = len(pages)
    return stats


def write_model(model: FigureModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "subject": model.subject.to_json(),
        "keep": model.keeper.to_json() if model.keeper else None,
        "threshold": model.threshold,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
