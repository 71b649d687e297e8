"""The life-science sector taxonomy of data/reference/sectors.csv: names, parents and the words that signal a
sector in text, in every language."""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from typing import Any

from bioatlas.extract.reference import reference_dir
from bioatlas.text.keywords import WordLists


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


@cache
def sector_tree() -> dict[str, dict[str, Any]]:
    """Sector id -> {name, parent, keywords} from data/reference/sectors.csv."""
    path = reference_dir() / "sectors.csv"
    out: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[row["id"]] = {
                "name": row.get("name_en") or row["id"],
                "parent": row.get("parent") or None,
                "keywords": [k.lower() for k in _split(row.get("keywords"))],
            }
    return out


def expand_sectors(sectors: set[str]) -> set[str]:
    """A sector and everything under it (therapeutics covers radiopharma)."""
    tree = sector_tree()
    out = set(sectors)
    changed = True
    while changed:
        changed = False
        for sid, info in tree.items():
            if info["parent"] in out and sid not in out:
                out.add(sid)
                changed = True
    return out


def sectors_match(wanted: set[str], offered: set[str]) -> set[str]:
    """Wanted sectors an offer covers, directly or through a parent ('therapeutics' covers 'radiopharma')."""
    tree = sector_tree()
    hits = set()
    for sector in wanted:
        chain, current = {sector}, sector
        while tree.get(current, {}).get("parent"):
            current = tree[current]["parent"]
            chain.add(current)
        if chain & offered:
            hits.add(sector)
    return hits


def sector_keywords(sector: str) -> list[str]:
    """Words that show a sector (and its sub-sectors) in a sentence, lower-cased."""
    tree = sector_tree()
    words = {k for s in expand_sectors({sector}) for k in tree.get(s, {}).get("keywords", [])}
    if sector in tree:
        words.add(tree[sector]["name"].lower())
    return sorted(words) or [sector.lower()]


@lru_cache(maxsize=500_000)
def sectors_said(text: str) -> frozenset[str]:
    """The sectors one of whose own words the sentence uses (lower-cased, as substrings; a Latin word of four
    letters or fewer only where a word starts); kept per sentence for the process."""
    return _sector_words().names_in(text.lower())


@cache
def _sector_words() -> WordLists:
    return WordLists({sid: info["keywords"] for sid, info in sector_tree().items()}, short_word_start=4)


@cache
def sector_bits() -> dict[str, int]:
    """One bit per sector, to keep a set of sectors as an int."""
    return {sid: 1 << i for i, sid in enumerate(sorted(sector_tree()))}


def sectors_mask(sectors: set[str] | frozenset[str]) -> int:
    bits = sector_bits()
    mask = 0
    for sid in sectors:
        mask |= bits.get(sid, 0)
    return mask
