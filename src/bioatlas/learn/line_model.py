"""The line classifier behind cleaning: which lines of a crawled page are furniture, which is the headline.

Every non-empty line is described by language-neutral features: its shape (length, CJK / Latin /
digit / punctuation shares, sentence-final punctuation, separators), dates in it, where it sits
(from the top, from the bottom, next to prose or not, inside a run of short lines), whether the page
repeats it, what the hand-written rules made of it (furniture pattern, zone, link list, byline), and
the same for its neighbours. Two small models read them:

- furniture: gradient-boosted trees (scikit-learn at training time) giving P(line is furniture);
- headline: a logistic regression that scores the candidate lines near the top of the page; the best
  one is the title.

Both are exported to plain arrays in `lines.json` (no pickle) and evaluated here with the standard
library, so reading a page needs neither numpy nor scikit-learn. Without the file, cleaning uses the
rules alone.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bioatlas.ingest import clean
from bioatlas.ingest.clean import Line, RuleView, Verdict
from bioatlas.ingest.dates import find_dates
from bioatlas.learn.models import load
from bioatlas.text.sentences import sentence_spans

if TYPE_CHECKING:
    from bioatlas.learn.corpus import Page

FILE = "lines.json"
# A full sentence the rules keep is taken out only when the classifier is at least this sure (keeps short
# article sentences with stray markup).
PROSE_DROP_FROM = 0.95
VERSION = 1
THRESHOLD = 0.5  # P(furniture) from which a line is dropped (furniture patterns are dropped anyway)
TITLE_KEEP_BELOW = 0.9  # the headline stays in the text unless it is surely furniture
TITLE_WINDOW = 3  # headline candidates: lines up to this many after the first prose line ...
TITLE_MAX_INDEX = 20  # ... and among the page's first lines
TREES = 150  # boosted trees of depth DEPTH ...
DEPTH = 3
SUBSAMPLE = 0.8
BLEND = 0.5  # ... averaged with a logistic regression (weight of the trees); both chosen by CV
LINEAR_C = 0.03  # regularisation of that regression (strong: few pages)
TITLE_C = 0.05  # and of the headline scorer
OWN_WEIGHT = 0.2  # the project's own pages count less than real crawls (their furniture is cleaner) ...
OWN_SHARE = 0.5  # ... and all of them together at most half as much as the real ones
_NEIGHBOURS = (-2, -1, 1, 2)
TYPICAL_OVERLAP = 0.35  # how much an article paragraph shares with the others, when the page has one
_TERMINAL = tuple(".。!！?？…")
_URL = re.compile(r"https?://|www\.|\.(com|org|net|de|fr|nl|cn|jp|kr)\b|@\w", re.I)
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_LIST_MARK = re.compile(r"^\s*([-•*·▪►▲△■□◆◇○●※]|\d{1,2}[.)、]|[一二三四五六七八九十]+、)\s*")
_NUMBERED = re.compile(
    r"^\s*(\d{1,2}[.)、]|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"
)
_SEPARATORS = re.compile(r"[|>›»/·•]")
_MARKUP = re.compile(r"</?[a-z]+\s*/?>", re.I)
# words that make a short line an author line ("Bert Lauwers, redacteur bij Trends", "記者楊文琪")
_AUTHOR = re.compile(
    r"\b(editor|reporter|correspondent|journalist|staff writer|rédact(eur|rice)|journaliste|correspondant|"
    r"redakteur(in)?|korrespondent(in)?|redacteur|verslaggever|giornalista|redattore|periodista|redactor)\b|"
    r"记者|記者|编辑|編輯|責任編集|기자|특파원",
    re.I,
)
_RULE_REASONS = (
    "outside the article",
    "after the article",
    "list of links",
    "headline with site furniture",
    "date in page footer",
)

# --- features ---------------------------------------------------------------------------------


def _shape(line: Line) -> dict[str, float]:
    text = line.text
    n = max(len(text), 1)
    cjk = latin = digits = punct = upper = letters = spaces = 0
    for ch in text:
        if ch.isspace():
            spaces += 1
        elif ch.isdigit():
            digits += 1
        elif ch.isalpha():
            letters += 1
            if ord(ch) >= 0x2E80:
                cjk += 1
            else:
                latin += 1
                upper += ch.isupper()
        elif unicodedata.category(ch).startswith(("P", "S")):
            punct += 1
    dates = find_dates(text)
    date_chars = sum(d.end - d.start for d in dates)
    return {
        "size": math.log1p(line.size),
        "chars": math.log1p(len(text)),
        "words": math.log1p(len(text.split())),
        "cjk": cjk / n,
        "latin": latin / n,
        "digits": digits / n,
        "punct": punct / n,
        "spaces": spaces / n,
        "cjk_spaced": spaces / n if cjk > n / 2 else 0.0,  # "首 页 区县招商 产业园区": a menu
        "upper": upper / max(latin, 1),
        "terminal": float(text.endswith(_TERMINAL)),
        "colon": float(text.endswith((":", "："))),
        "quote": float(text.startswith(("“", '"', "「", "«", "„", "『"))),
        "list_mark": float(bool(_LIST_MARK.match(text))),
        "numbered": float(bool(_NUMBERED.match(text)) and not (dates and dates[0].start == 0)),  # not "13. Juli"
        "separators": min(len(_SEPARATORS.findall(text)), 6) / 6,
        "sentences": min(len(sentence_spans(text)), 6) / 6,
        "url": float(bool(_URL.search(text))),
        "markup": float(bool(_MARKUP.search(text))),
        "author": float(len(text) < 80 and bool(_AUTHOR.search(text))),
        "time": float(bool(_TIME.search(text))),
        "date": float(bool(dates)),
        "date_share": min(date_chars / n, 1.0),
        "date_only": float(line.date_only),
        "byline": float(clean.is_byline(text)),
        "date_line": float(clean.is_date_line(text)),
        "furniture": float(line.furniture is not None),
        "prose": float(line.prose),
        "headline_shape": float(clean.title_candidate(line)),
    }


def _rule_features(verdict: Verdict, is_title: bool) -> dict[str, float]:
    reason = verdict.reason or ""
    out = {
        "rule_drop": float(verdict.action == "drop"),
        "rule_meta": float(verdict.action in ("meta", "repeat")),
        "rule_title": float(is_title),
    }
    for name in _RULE_REASONS:
        out["rule_" + name.replace(" ", "_")] = float(reason.endswith(name))
    return out


_NEIGHBOUR_KEYS = ("size", "prose", "furniture", "date_only", "terminal", "rule_drop", "cjk", "overlap_rel", "numbered")


@dataclass(slots=True)
class PageLines:
    """Per-line features of one page, and the raw parts the headline scorer also needs."""

    names: list[str]
    rows: list[list[float]]
    shapes: list[dict[str, float]]


def page_features(lines: list[Line], rules: RuleView) -> PageLines:
    n = len(lines)
    shapes = [_shape(ln) for ln in lines]
    own = [{**shape, **_rule_features(rules.verdicts[k], k == rules.title_at)} for k, shape in enumerate(shapes)]
    prose_at = [k for k, ln in enumerate(lines) if ln.prose]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (n, -1)
    keys = [clean.dedup_key(ln.text) for ln in lines]
    repeats = Counter(keys)
    contains: list[set[int]] = [set() for _ in lines]
    for i, holders in enumerate(rules.inside):
        for j in holders:
            contains[j].add(i)
    page_cjk = sum(s["cjk"] * len(ln.text) for s, ln in zip(shapes, lines, strict=True)) / max(
        sum(len(ln.text) for ln in lines), 1
    )
    runs = _runs([ln.prose for ln in lines])
    open_runs = _runs([ln.text.endswith(_TERMINAL) for ln in lines])
    overlap = _body_overlap(lines)
    prose_overlap = [overlap[k] for k in prose_at if overlap[k] >= 0]
    typical = sum(prose_overlap) / len(prose_overlap) if len(prose_overlap) >= 2 else 0.0
    typical = typical or TYPICAL_OVERLAP
    for k in range(n):
        own[k]["overlap"] = overlap[k]
        # relative to the page's own prose: comparable across languages and writing styles
        own[k]["overlap_rel"] = min(overlap[k] / typical, 2.0) if typical > 0 and overlap[k] >= 0 else -1.0
    rows: list[list[float]] = []
    names: list[str] = []
    for k, line in enumerate(lines):
        feats = dict(own[k])
        feats["pos_rel"] = k / max(n - 1, 1)
        feats["from_top"] = min(k, 10) / 10
        feats["from_bottom"] = min(n - 1 - k, 10) / 10
        feats["page_lines"] = math.log1p(n)
        feats["before_prose"] = float(k < first)
        feats["after_prose"] = float(k > last)
        feats["prose_distance"] = min((abs(k - p) for p in prose_at), default=6) / 6
        feats["prose_share"] = len(prose_at) / max(n, 1)
        feats["short_run"] = math.log1p(runs[k])
        feats["open_run"] = math.log1p(open_runs[k])
        window = [shapes[j]["terminal"] for j in range(max(0, k - 3), min(n, k + 4)) if j != k]
        feats["window_terminal"] = sum(window) / len(window) if window else -1.0
        feats["title_case"] = _title_case(line.text)
        feats["repeated"] = min(repeats[keys[k]] - 1, 3) / 3
        feats["inside_other"] = float(any(len(lines[j].text) > len(line.text) for j in rules.inside[k]))
        feats["contains_other"] = float(any(len(lines[i].text) < len(line.text) for i in contains[k]))
        feats["script_gap"] = abs(shapes[k]["cjk"] - page_cjk)
        for d in _NEIGHBOURS:
            j = k + d
            for key in _NEIGHBOUR_KEYS:
                feats[f"n{d:+d}_{key}"] = own[j][key] if 0 <= j < n else -1.0
        if not names:
            names = list(feats)
        rows.append([feats[name] for name in names])
    return PageLines(names, rows, shapes)


_WORD = re.compile(r"[^\W\d_]{3,}")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")


def _tokens(text: str) -> set[str]:
    """Latin words of three letters or more, and CJK character pairs (no segmenter needed)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out = {w for w in _WORD.findall(text) if not _CJK_RUN.fullmatch(w)}
    for run in _CJK_RUN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def _body_overlap(lines: list[Line]) -> list[float]:
    """Share of a line's words that the article's prose also uses: a short article paragraph or the
    headline talks about the same things, a teaser for another article or a menu does not."""
    tokens = [_tokens(ln.text) for ln in lines]
    body = [k for k, ln in enumerate(lines) if ln.prose] or list(range(len(lines)))
    counts: dict[str, int] = {}
    for k in body:
        for tok in tokens[k]:
            counts[tok] = counts.get(tok, 0) + 1
    out = []
    for k, toks in enumerate(tokens):
        if not toks:
            out.append(-1.0)
            continue
        own = 1 if k in body else 0
        out.append(sum(1 for t in toks if counts.get(t, 0) - own > 0) / len(toks))
    return out


def _title_case(text: str) -> float:
    words = [w for w in text.split() if w[:1].isalpha() and not ("\u3040" <= w[0] <= "\u9fff")]
    return sum(1 for w in words if w[0].isupper()) / len(words) if len(words) >= 2 else -1.0


def _runs(flags: list[bool]) -> list[int]:
    """For each line, the length of the run of lines without the flag it belongs to (0 where set)."""
    out = [0] * len(flags)
    k = 0
    while k < len(flags):
        if flags[k]:
            k += 1
            continue
        j = k
        while j < len(flags) and not flags[j]:
            j += 1
        for i in range(k, j):
            out[i] = j - k
        k = j
    return out


def title_candidates(lines: list[Line]) -> list[int]:
    prose_at = [k for k, ln in enumerate(lines) if ln.prose]
    limit = min((prose_at[0] if prose_at else len(lines)) + TITLE_WINDOW, TITLE_MAX_INDEX)
    return [
        k
        for k, ln in enumerate(lines[:limit])
        if not ln.furniture
        and ln.size <= 450
        and any(ch.isalpha() for ch in ln.text)
        and not _LIST_MARK.match(ln.text)  # a bullet or numbered item is never the headline,
        and not ln.prose  # nor an article paragraph or a sentence (none of 485 annotated headlines is)
        and not ln.text.endswith(".")
        and "。" not in ln.text
        and not _MARKUP.search(ln.text)
    ]


def title_features(
    lines: list[Line], feats: PageLines, furniture: Sequence[float], cands: list[int]
) -> list[list[float]]:
    """One row per candidate line: its own features plus where it stands among the candidates."""
    col = {name: i for i, name in enumerate(feats.names)}
    biggest = max((lines[k].size for k in cands), default=1) or 1
    rows = []
    seen_clean = 0
    for rank, k in enumerate(cands):
        row = feats.rows[k]
        prev_p = furniture[k - 1] if k > 0 else -1.0
        next_p = furniture[k + 1] if k + 1 < len(lines) else -1.0
        nxt = feats.shapes[k + 1] if k + 1 < len(lines) else None
        prv = feats.shapes[k - 1] if k > 0 else None
        first_clean = float(furniture[k] < THRESHOLD and seen_clean == 0)
        seen_clean += furniture[k] < THRESHOLD
        extra = [
            furniture[k],
            prev_p,
            next_p,
            min(rank, 8) / 8,
            float(rank == 0),
            first_clean,
            lines[k].size / biggest,
            float(lines[k].size == biggest),
            nxt["date_line"] if nxt else -1.0,
            nxt["prose"] if nxt else -1.0,
            prv["date_line"] if prv else -1.0,
            float(clean.strip_trailing_date(lines[k].text) != lines[k].text),
        ]
        rows.append([row[col[name]] for name in TITLE_BASE] + extra)
    return rows


TITLE_BASE = (
    "size",
    "words",
    "cjk",
    "latin",
    "digits",
    "punct",
    "upper",
    "terminal",
    "colon",
    "quote",
    "list_mark",
    "separators",
    "sentences",
    "url",
    "markup",
    "author",
    "time",
    "date",
    "date_share",
    "date_only",
    "byline",
    "date_line",
    "prose",
    "headline_shape",
    "rule_drop",
    "rule_meta",
    "rule_title",
    "from_top",
    "before_prose",
    "prose_distance",
    "repeated",
    "inside_other",
    "contains_other",
    "cjk_spaced",
    "spaces",
    "script_gap",
    "short_run",
    "overlap",
    "overlap_rel",
    "title_case",
)
TITLE_EXTRA = (
    "p_furniture",
    "prev_p_furniture",
    "next_p_furniture",
    "rank",
    "first_candidate",
    "first_clean_candidate",
    "size_vs_biggest",
    "biggest",
    "next_date_line",
    "next_prose",
    "prev_date_line",
    "trailing_date",
)

# --- the model at run time --------------------------------------------------------------------


@dataclass(slots=True)
class Trees:
    """Gradient-boosted regression trees on the log-odds, as plain arrays."""

    base: float
    rate: float
    trees: list[dict[str, list[Any]]]

    def log_odds(self, row: Sequence[float]) -> float:
        total = self.base
        for tree in self.trees:
            node = 0
            left, right, feature, threshold = tree["left"], tree["right"], tree["feature"], tree["threshold"]
            while left[node] != -1:
                node = left[node] if row[feature[node]] <= threshold[node] else right[node]
            total += self.rate * tree["value"][node]
        return total


@dataclass(slots=True)
class Linear:
    weights: list[float]
    bias: float
    mean: list[float]
    scale: list[float]

    def score(self, row: Sequence[float]) -> float:
        return self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, row, self.mean, self.scale, strict=True)
        )


@dataclass(slots=True)
class Scorer:
    """P(furniture) of a feature row: boosted trees, optionally averaged with a logistic regression."""

    trees: Trees
    linear: Linear | None = None
    blend: float = 1.0  # weight of the trees in the average

    def probability(self, row: Sequence[float]) -> float:
        p = _sigmoid(self.trees.log_odds(row))
        if self.linear is not None:
            p = self.blend * p + (1 - self.blend) * _sigmoid(self.linear.score(row))
        return p

    def to_json(self) -> dict[str, Any]:
        return {
            "trees": {"base": self.trees.base, "rate": self.trees.rate, "trees": self.trees.trees},
            "linear": None if self.linear is None else _linear_json(self.linear),
            "blend": self.blend,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        t = data["trees"]
        linear = _linear_from_json(data["linear"]) if data.get("linear") else None
        return cls(Trees(t["base"], t["rate"], t["trees"]), linear, data.get("blend", 1.0))


@dataclass(slots=True)
class LineModel:
    names: list[str]
    furniture: Scorer
    title: Linear | None
    threshold: float = THRESHOLD

    def furniture_probabilities(self, feats: PageLines) -> list[float]:
        return [self.furniture.probability(row) for row in feats.rows]

    def choose_title(self, lines: list[Line], feats: PageLines, probs: Sequence[float]) -> int | None:
        cands = title_candidates(lines)
        if self.title is None or not cands:
            return None
        scores = [self.title.score(row) for row in title_features(lines, feats, probs, cands)]
        best = cands[max(range(len(cands)), key=lambda i: scores[i])]
        # "Headline - Site name - Site name": the page also has the headline alone, which is the title
        text = lines[best].text
        for k in cands:
            shorter = lines[k].text
            if (
                k != best
                and 8 <= len(shorter) < len(text)
                and text.startswith(shorter)
                and len(shorter) * 3 >= len(text)
            ):
                return k
        return best

    def _drop_from(self, line: Line, rule: Verdict) -> float:
        """The probability from which the classifier takes a line out."""
        if rule.action == "keep" and _reads_as_sentence(line):
            return max(self.threshold, PROSE_DROP_FROM)
        return self.threshold

    def decide(self, lines: list[Line], rules: RuleView) -> tuple[list[Verdict], int | None]:
        """Final verdicts: furniture patterns and site furniture stay dropped; otherwise the classifier
        decides, and a byline the classifier keeps is still taken out as metadata."""
        if not lines:
            return rules.verdicts, rules.title_at
        feats = page_features(lines, rules)
        if feats.names != self.names:
            return rules.verdicts, rules.title_at
        probs = self.furniture_probabilities(feats)
        title_at = self.choose_title(lines, feats, probs) if self.title else rules.title_at
        verdicts = []
        for k, (line, rule) in enumerate(zip(lines, rules.verdicts, strict=True)):
            if line.furniture or rule.reason == clean.SITE_FURNITURE:
                verdicts.append(rule)
            elif k == title_at and probs[k] < TITLE_KEEP_BELOW:
                verdicts.append(Verdict("keep"))
            elif probs[k] >= self._drop_from(line, rule):
                reason = rule.reason if rule.action == "drop" else f"boilerplate: line classifier ({probs[k]:.2f})"
                verdicts.append(Verdict("drop", reason))
            elif rule.action in ("meta", "repeat"):
                verdicts.append(rule)
            else:
                verdicts.append(Verdict("keep"))
        return verdicts, title_at


def _reads_as_sentence(line: Line) -> bool:
    """A full sentence of some length ("… opened a laboratory in Liège.", "…签约落户。")."""
    return line.size >= 60 and line.text.rstrip("\"'”’」』)） ").endswith((".", "。", "!", "?", "！", "？"))


def read_model(path: Path) -> LineModel | None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != VERSION:
        return None
    return LineModel(
        data["features"],
        Scorer.from_json(data["furniture"]),
        _linear_from_json(data["title"]) if data.get("title") else None,
        data["threshold"],
    )


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 40.0), -40.0)))


def current() -> LineModel | None:
    """The classifier in the current model folder, or None (cleaning then uses the rules alone)."""
    return load(FILE, read_model)


# --- training ---------------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


@dataclass(slots=True)
class _Prepared:
    lines: list[Line]
    feats: PageLines
    labels: list[int]
    title: str | None
    weight: float


def _prepare(page: Page) -> _Prepared:
    lines, _, _ = clean.read_lines(page.text)
    rules = clean.rule_pass(lines)
    gold = {b.strip().replace("\u00a0", " ") for b in page.gold.get("boilerplate", []) or []}
    labels = [int(ln.text in gold) for ln in lines]
    weight = 1.0 if page.real else OWN_WEIGHT
    return _Prepared(lines, page_features(lines, rules), labels, page.gold.get("title"), weight)


def _fit_trees(rows: list[list[float]], labels: list[int], weights: list[float], n_trees: int = TREES) -> Trees:
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    x = np.array(rows, dtype=float)
    y = np.array(labels)
    w = np.array(weights)
    if len(set(labels)) < 2:
        return Trees(-8.0 if not any(labels) else 8.0, 0.0, [])
    model = GradientBoostingClassifier(
        n_estimators=n_trees,
        max_depth=DEPTH,
        learning_rate=0.08 * TREES / n_trees,
        subsample=SUBSAMPLE,
        min_samples_leaf=4,
        random_state=0,
    )
    model.fit(x, y, sample_weight=w)
    p = float(np.average(y, weights=w))
    base = math.log(p / (1 - p))
    trees: list[dict[str, list[Any]]] = []
    for est in model.estimators_[:, 0]:
        t = est.tree_
        trees.append(
            {
                "feature": [int(v) for v in t.feature],
                "threshold": [round(float(v), 6) for v in t.threshold],
                "left": [int(v) for v in t.children_left],
                "right": [int(v) for v in t.children_right],
                "value": [round(float(v), 6) for v in t.value[:, 0, 0]],
            }
        )
    return Trees(base, float(model.learning_rate), trees)


def _title_rows(p: _Prepared, probs: Sequence[float]) -> tuple[list[list[float]], list[int]]:
    if not p.title:
        return [], []
    target = _norm(p.title)
    cands = title_candidates(p.lines)
    labels = [
        int(_norm(p.lines[k].text) == target or _norm(clean.strip_trailing_date(p.lines[k].text)) == target)
        for k in cands
    ]
    if not any(labels):
        return [], []
    return title_features(p.lines, p.feats, probs, cands), labels


def _fit_linear(
    rows: list[list[float]], labels: list[int], weights: list[float], c: float, balanced: bool = False
) -> Linear | None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        return None
    x = np.array(rows, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0  # constant features (rounding must not make a zero)
    model = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000)
    model.fit((x - mean) / scale, np.array(labels), sample_weight=np.array(weights))
    return Linear(
        [round(float(v), 6) for v in model.coef_[0]],
        round(float(model.intercept_[0]), 6),
        [round(float(v), 6) for v in mean],
        [round(float(v), 6) for v in scale],
    )


def _fit_title(pages: list[_Prepared], probs: list[list[float]]) -> Linear | None:
    rows: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    for p, pr in zip(pages, probs, strict=True):
        r, lab = _title_rows(p, pr)
        rows += r
        labels += lab
        weights += [p.weight] * len(lab)
    return _fit_linear(rows, labels, weights, TITLE_C, balanced=True)


def _fit_scorer(rows: list[list[float]], labels: list[int], weights: list[float], n_trees: int = TREES) -> Scorer:
    trees = _fit_trees(rows, labels, weights, n_trees)
    linear = _fit_linear(rows, labels, weights, LINEAR_C) if BLEND < 1.0 else None
    return Scorer(trees, linear, BLEND if linear else 1.0)


def _cross_fitted(pages: list[_Prepared], k: int = 2) -> list[list[float]]:
    """P(furniture) for every line, each page scored by a model that did not see it, so the headline
    scorer learns from probabilities as noisy as at run time."""
    out: list[list[float]] = [[] for _ in pages]
    for fold in range(k):
        train = [p for i, p in enumerate(pages) if i % k != fold]
        scorer = _fit_scorer(*_stack(train, [p.feats.rows for p in train]), n_trees=TREES // 2)
        for i, p in enumerate(pages):
            if i % k == fold:
                out[i] = [scorer.probability(row) for row in p.feats.rows]
    return out


def _stack(pages: list[_Prepared], rows: list[list[list[float]]]) -> tuple[list[list[float]], list[int], list[float]]:
    return (
        [row for page_rows in rows for row in page_rows],
        [lab for p in pages for lab in p.labels],
        [p.weight for p in pages for _ in p.labels],
    )


def _linear_json(model: Linear) -> dict[str, Any]:
    return {"weights": model.weights, "bias": model.bias, "mean": model.mean, "scale": model.scale}


def _linear_from_json(data: dict[str, Any]) -> Linear:
    return Linear(data["weights"], data["bias"], data["mean"], data["scale"])


def train(pages: list[Page], out: Path) -> dict[str, Any]:
    prepared = [p for p in (_prepare(page) for page in pages) if p.lines]
    real, own = sum(1 for p in pages if p.real), sum(1 for p in pages if not p.real)
    if own and real:  # however many pages the project writes, they never outweigh the real crawls
        for p in prepared:
            if p.weight < 1.0:
                p.weight = min(OWN_WEIGHT, OWN_SHARE * real / own)
    if not prepared:
        return {"pages": 0}
    furniture = _fit_scorer(*_stack(prepared, [p.feats.rows for p in prepared]))
    title = _fit_title(prepared, _cross_fitted(prepared))
    data = {
        "version": VERSION,
        "features": prepared[0].feats.names,
        "threshold": THRESHOLD,
        "furniture": furniture.to_json(),
        "title": None if title is None else _linear_json(title),
    }
    (out / FILE).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return {
        "pages": len(prepared),
        "lines": sum(len(p.labels) for p in prepared),
        "furniture_lines": sum(sum(p.labels) for p in prepared),
        "title_model": title is not None,
    }
