"""Predicted entities against gold ones, as the corpus scorer pairs them: the labels the learned steps
train on (which found entity is the gold subject of a figure, or fills an event's role)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from bioatlas.model import Entity

ORG_TYPES = frozenset({"company", "park", "cluster", "agency", "research", "alliance", "investor"})
_PUNCT = re.compile(r"[\"'“”‘’「」『』《》()（）\[\].,;:!?·•\-–—_/]")


def norm(text: str) -> str:
    """Folded as the corpus scorer folds names: NFKC, case, accents, punctuation, spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", _PUNCT.sub(" ", text)).strip()


def _coarse(kind: str) -> str:
    return "org" if kind in ORG_TYPES else kind


def align_entities(gold: list[dict[str, Any]], predicted: Iterable[Entity]) -> dict[str, str]:
    """One-to-one map predicted id -> gold id: a shared surface form and the same coarse type (organisation,
    person, place); the same canonical name and more shared forms win."""
    pairs = []
    for p in predicted:
        pnames = {norm(p.name)} | {norm(m.text) for m in p.mentions}
        pnames.discard("")
        for g in gold:
            if _coarse(p.type) != _coarse(str(g.get("type", ""))):
                continue
            gnames = {norm(str(g.get("name", "")))} | {norm(str(m)) for m in g.get("mentions") or []}
            shared = pnames & gnames
            if shared:
                pairs.append((norm(p.name) == norm(str(g.get("name", ""))), len(shared), p.id, str(g["id"])))
    pairs.sort(reverse=True)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _, _, pid, gid in pairs:
        if pid not in mapping and gid not in used:
            mapping[pid] = gid
            used.add(gid)
    return mapping
