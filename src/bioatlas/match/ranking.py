"""Weighted indicator rankings shared by every question: explained scores, missing data, stability.

A location's score is the weighted mean of the indicators that have data (missing ones are listed, not
counted as zero), multiplied by a confidence factor that grows with the share of weight that has data.
Lowering one of a location's own indicator values can only lower its score, so it can never gain rank.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bioatlas.match.knowledge import Evidence


@dataclass(slots=True)
class Indicator:
    """One indicator of a ranked item. `detail` explains it in English (API, CLI); `code` and `values` say the same
    as data (`sector_focus`, `{"matched": 1, "wanted": 2, "reports": 3}`) for the web pages to word in the UI
    language (catalog message `why_<code>`)."""

    name: str
    value: float | None  # 0..1, None when the kb has no data for it
    detail: str
    evidence: list[Evidence] = field(default_factory=list)
    code: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(slots=True)
class Scored:
    id: str
    subject: dict[str, Any]
    indicators: list[Indicator]
    score: float = 0.0
    raw: float = 0.0
    coverage: float = 0.0
    rank: int = 0
    rank_range: tuple[int, int] = (0, 0)

    def to_json(self, weights: dict[str, float], labels: dict[str, str]) -> dict[str, Any]:
        return {
            **self.subject,
            "rank": self.rank,
            "score": round(self.score, 4),
            "raw_score": round(self.raw, 4),
            "coverage": round(self.coverage, 3),
            "rank_range": list(self.rank_range),
            "missing": [i.name for i in self.indicators if i.missing],
            "indicators": [
                {
                    "name": i.name,
                    "label": labels.get(i.name, i.name),
                    "weight": weights.get(i.name, 0.0),
                    "value": None if i.value is None else round(i.value, 4),
                    "missing": i.missing,
                    "detail": i.detail,
                    "code": i.code,
                    "values": i.values,
                    "evidence": [e.to_json() for e in i.evidence[:12]],
                }
                for i in self.indicators
            ],
        }


def score(indicators: list[Indicator], weights: dict[str, float]) -> tuple[float, float, float]:
    total = sum(weights.get(i.name, 0.0) for i in indicators)
    have = [(weights.get(i.name, 0.0), i.value) for i in indicators if i.value is not None]
    covered = sum(w for w, _ in have)
    if total <= 0 or covered <= 0:
        return 0.0, 0.0, 0.0
    raw = sum(w * v for w, v in have) / covered
    coverage = covered / total
    return raw * (0.5 + 0.5 * coverage), raw, coverage


def _order(items: list[Scored], weights: dict[str, float]) -> list[str]:
    keyed = []
    for item in items:
        s, raw, _ = score(item.indicators, weights)
        keyed.append((-round(s, 12), -round(raw, 12), item.id))
    return [k[2] for k in sorted(keyed)]


def rank(items: list[Scored], weights: dict[str, float], perturbation: float = 0.25) -> list[Scored]:
    """Deterministic ranking (ties broken by id, so input order never matters), with the rank range each
    item takes when every weight moves by ±perturbation (all 2^n corner combinations)."""
    for item in items:
        item.score, item.raw, item.coverage = score(item.indicators, weights)
    base = _order(items, weights)
    positions = {item_id: [i + 1] for i, item_id in enumerate(base)}
    names = sorted(w for w in weights if weights[w] > 0)
    corners = []
    for signs in itertools.product((-1, 1), repeat=min(len(names), 8)):
        moved = dict(weights)
        for name, sign in zip(names, signs, strict=False):
            moved[name] = weights[name] * (1 + sign * perturbation)
        corners.append(moved)
    for order in _orders(items, corners):
        for i, item_id in enumerate(order):
            positions[item_id].append(i + 1)
    by_id = {item.id: item for item in items}
    ranked = []
    for i, item_id in enumerate(base):
        item = by_id[item_id]
        item.rank = i + 1
        item.rank_range = (min(positions[item_id]), max(positions[item_id]))
        ranked.append(item)
    return ranked


def _orders(items: list[Scored], corners: list[dict[str, float]]) -> list[list[str]]:
    """`_order` under every set of weights at once, as matrix products (one per corner was the slowest part of an
    answer with hundreds of candidates). Same formula as `score`, same rounding and tie-breaking."""
    if not items or not corners:
        return [[] for _ in corners]
    names = sorted({i.name for item in items for i in item.indicators} | {n for c in corners for n in c})
    column = {name: k for k, name in enumerate(names)}
    counts = np.zeros((len(items), len(names)))  # how many indicators of each name an item has
    have = np.zeros((len(items), len(names)))  # ... of them with data
    values = np.zeros((len(items), len(names)))  # the sum of their values
    for row, item in enumerate(items):
        for indicator in item.indicators:
            k = column[indicator.name]
            counts[row, k] += 1
            if indicator.value is not None:
                have[row, k] += 1
                values[row, k] += indicator.value
    w = np.array([[corner.get(name, 0.0) for name in names] for corner in corners]).T  # names x corners
    total, covered, weighted = counts @ w, have @ w, values @ w
    ok = (total > 0) & (covered > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(ok, weighted / np.where(ok, covered, 1), 0.0)
        final = np.where(ok, raw * (0.5 + 0.5 * np.where(ok, covered / np.where(ok, total, 1), 0)), 0.0)
    ids = [item.id for item in items]
    by_id = np.argsort(np.argsort(np.array(ids, dtype=object), kind="stable"), kind="stable")
    orders = []
    for c in range(len(corners)):
        order = np.lexsort((by_id, -np.round(raw[:, c], 12), -np.round(final[:, c], 12)))
        orders.append([ids[i] for i in order])
    return orders


def parse_weights(text: str | None, defaults: dict[str, float]) -> dict[str, float]:
    """'track_record=2,sector=0.5' over the defaults; unknown names are an error a user can read."""
    weights = dict(defaults)
    if not text:
        return weights
    for part in text.split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        name = name.strip().replace("-", "_")
        if name not in defaults:
            raise ValueError(f"unknown indicator {name!r}; choose from {', '.join(sorted(defaults))}")
        try:
            weights[name] = float(value)
        except ValueError:
            raise ValueError(f"weight for {name!r} must be a number, not {value!r}") from None
        if weights[name] < 0:
            raise ValueError(f"weight for {name!r} cannot be negative")
    return weights


@dataclass(slots=True)
class Placed:
    """One row of `rank_table`: where it ranks, within which range, and its score."""

    row: int
    rank: int
    rank_range: tuple[int, int]


def rank_table(
    ids: list[str],
    names: list[str],
    values: np.ndarray,
    weights: dict[str, float],
    limit: int,
    perturbation: float = 0.25,
    ids_sorted: bool = False,
) -> tuple[int, list[Placed]]:
    """`rank` for many items given as numbers only: `values` is items x `names` with NaN where an indicator has no
    data. Returns how many items there are and the first `limit` of them with their rank and rank range, so an answer
    weighing tens of thousands of companies builds the explanation of the few it shows only. Same formula, ordering
    and tie-breaking as `rank`. `ids_sorted`: the ids come sorted (ties are then broken by position)."""
    n = len(ids)
    if n == 0:
        return 0, []
    have = ~np.isnan(values)
    filled = np.where(have, values, 0.0)
    if ids_sorted:  # the caller's ids are in order already: their order is their position
        by_id = np.arange(n)
    else:
        by_id = np.argsort(np.argsort(np.array(ids, dtype=object), kind="stable"), kind="stable")

    def keys(w: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        vector = np.array([w.get(name, 0.0) for name in names])
        total, covered, weighted = vector.sum(), have @ vector, filled @ vector
        ok = (total > 0) & (covered > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            raw = np.where(ok, weighted / np.where(ok, covered, 1), 0.0)
            final = np.where(ok, raw * (0.5 + 0.5 * covered / (total if total > 0 else 1)), 0.0)
        return np.round(final, 12), np.round(raw, 12)

    final, raw = keys(weights)
    base = np.lexsort((by_id, -raw, -final))
    top = base[:limit]
    low = np.arange(1, len(top) + 1)
    high = low.copy()
    active = sorted(w for w in weights if weights[w] > 0)
    for signs in itertools.product((-1, 1), repeat=min(len(active), 8)):
        moved = dict(weights)
        for name, sign in zip(active, signs, strict=False):
            moved[name] = weights[name] * (1 + sign * perturbation)
        f, r = keys(moved)
        before = _places(f, r, by_id, top)
        low, high = np.minimum(low, before), np.maximum(high, before)
    return n, [Placed(int(row), i + 1, (int(low[i]), int(high[i]))) for i, row in enumerate(top)]


def _places(final: np.ndarray, raw: np.ndarray, by_id: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The place (from 1) each of `rows` takes in the order by final score, then raw score (both descending), then
    id: how many items sort before it, counted with one sort of the final scores instead of ordering them all."""
    ordered = np.sort(final)
    n = len(final)
    above = n - np.searchsorted(ordered, final[rows], side="right")  # strictly greater final scores
    level = n - np.searchsorted(ordered, final[rows], side="left") - above  # equal final scores (itself included)
    places = above + 1
    for k in np.flatnonzero(level > 1).tolist():  # ties on the final score: raw score, then id, among them
        row = rows[k]
        tied = final == final[row]
        places[k] += int(np.count_nonzero(tied & (raw > raw[row])))
        places[k] += int(np.count_nonzero(tied & (raw == raw[row]) & (by_id < by_id[row])))
    return places
