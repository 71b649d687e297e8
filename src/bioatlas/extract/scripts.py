"""Simplified <-> Traditional Chinese folding (OpenCC tables), character by character, length-preserving."""

from __future__ import annotations

from functools import cache

from bioatlas.ingest.language import _opencc_dictionary


@cache
def _table(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _opencc_dictionary(name).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split()[0]
            if len(target) == 1:
                table[parts[0]] = target
    return table


def to_simplified(text: str) -> str:
    table = _table("TSCharacters.txt")
    return "".join(table.get(ch, ch) for ch in text)


def to_traditional(text: str) -> str:
    table = _table("STCharacters.txt")
    return "".join(table.get(ch, ch) for ch in text)
