"""Annotated pages for training and scoring: the shared corpus (read in place, never copied) and
the project's own pages in `data/training/`.

A page is its raw text and its gold JSON (`../shared/corpus/SCHEMA.md`); `prepared(page)` runs the
reading steps of the pipeline on it, so learned steps train on exactly what they will see at run time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bioatlas.model import Document
from bioatlas.settings import get_settings

REPO = Path(__file__).resolve().parents[3]
OWN_PAGES = REPO / "data" / "training"


@dataclass
class Page:
    id: str
    text: str
    gold: dict[str, Any]
    path: Path
    real: bool  # a real crawled page (shared corpus) rather than one the project wrote
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def language(self) -> str:
        langs = self.gold.get("languages") or ["?"]
        return str(langs[0])


def shared_corpus() -> Path:
    configured = get_settings().corpus_dir
    return Path(configured) if configured else REPO.parent / "shared" / "corpus"


def load_pages(folder: Path, real: bool) -> list[Page]:
    pages = []
    for gold_path in sorted(folder.rglob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        txt = gold_path.with_name(stem + ".txt")
        if not txt.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pages.append(Page(stem, txt.read_text(encoding="utf-8"), gold, txt, real))
    return pages


def real_pages(parts: tuple[str, ...] = ("train", "dev")) -> list[Page]:
    root = shared_corpus()
    return [p for part in parts if (root / part).is_dir() for p in load_pages(root / part, real=True)]


def own_pages() -> list[Page]:
    return load_pages(OWN_PAGES, real=False) if OWN_PAGES.is_dir() else []


def folds(pages: list[Page], k: int) -> list[list[Page]]:
    """k disjoint groups of pages, by a hash of the page id (stable whatever the order or machine)."""
    groups: list[list[Page]] = [[] for _ in range(k)]
    for n, page in enumerate(sorted(pages, key=lambda p: hashlib.sha256(p.id.encode()).hexdigest())):
        groups[n % k].append(page)
    return groups


def to_document(page: Page) -> Document:
    return Document(id=page.id, raw=page.text, source=str(page.path), url=page.gold.get("url"))


def prepared(page: Page) -> Document:
    """The page after cleaning and language tagging, cached per model folder (the line classifier,
    trained first, changes what cleaning keeps)."""
    from bioatlas.learn.models import model_dir
    from bioatlas.pipeline import prepare

    key = f"doc:{model_dir()}"
    if key not in page.cache:
        page.cache[key] = prepare(to_document(page))
    return page.cache[key]  # type: ignore[no-any-return]
