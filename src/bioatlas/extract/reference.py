"""Curated reference data (`data/reference/*.csv`) as a multilingual gazetteer.

Every alias in every language and both Chinese scripts points at its row; a match is a mention
with method "reference" and the row as its source.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick

from bioatlas.folding import fold
from bioatlas.text.scripts import is_hangul

NAME_COLUMNS = ("name_en", "name_fr", "name_de", "name_nl", "name_zh_hans", "name_zh_hant", "name_ja", "name_ko")
FILES = ("places.csv", "organisations.csv")


def reference_dir() -> Path:
    configured = os.environ.get("BIOATLAS_REFERENCE_DIR")
    if configured:
        return Path(configured)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "data" / "reference"
        if candidate.is_dir():
            return candidate
    return here.parents[3] / "data" / "reference"


@dataclass(slots=True)
class ReferenceRow:
    id: str
    file: str
    type: str  # entity type (place for places.csv)
    name: str
    country: str | None
    names: dict[str, str] = field(default_factory=dict)  # language column -> name
    aliases: list[str] = field(default_factory=list)
    data: dict[str, str] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return f"{self.file}:{self.id}"

    def all_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for name in [self.name, *self.names.values(), *self.aliases]:
            if name:
                seen.setdefault(name, None)
        return list(seen)


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    row: ReferenceRow
    alias: str
    alternatives: list[ReferenceRow] = field(default_factory=list)


_BASED = re.compile(r"-(?:based|basierte[nrs]?|basé|basée|gebaseerd)\b", re.I)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and ord(ch) < 0x2E80  # Latin/Greek/Cyrillic letters and digits, not CJK


class Gazetteer:
    def __init__(self, rows: list[ReferenceRow]):
        self.rows = {row.id: row for row in rows}
        self._exact: dict[str, list[tuple[ReferenceRow, str]]] = {}
        self._folded = ahocorasick.Automaton()
        folded_index: dict[str, list[tuple[ReferenceRow, str]]] = {}
        for row in rows:
            for name in row.all_names():
                if len(name) < 2:
                    continue
                # Short all-caps names (EU, IBA, GV) must match case and all; "MD", "NJ" are too ambiguous.
                if (
                    len(name) <= 3
                    and name.isupper()
                    and row.type == "place"
                    and row.data.get("kind") not in ("country", None)
                    and row.id != "eu"
                ):
                    continue
                if len(name) <= 4 and name.isupper():
                    self._exact.setdefault(name, []).append((row, name))
                else:
                    folded_index.setdefault(fold(name), []).append((row, name))
                    glued = name.replace(" ", "")
                    if glued != name and name.isascii() and len(glued) >= 10 and len(name.split()) <= 3:
                        folded_index.setdefault(fold(glued), []).append((row, name))  # "BioCampusCologne"
        for key, values in folded_index.items():
            self._folded.add_word(key, (key, values))
        for key, values in self._exact.items():
            self._folded.add_word(fold(key), (key, values))
        if len(self._folded):
            self._folded.make_automaton()
        self.by_name = {fold(k): v for k, v in folded_index.items()}

    def __len__(self) -> int:
        return len(self.rows)

    def lookup(self, name: str) -> list[ReferenceRow]:
        return [row for row, _ in self.by_name.get(fold(name), [])]

    def find(self, text: str) -> list[Hit]:
        """All alias matches, longest first where they overlap."""
        if not len(self._folded):
            return []
        folded = fold(text)
        if len(folded) != len(text):
            folded = text
        candidates: list[Hit] = []
        for end_index, (key, values) in self._folded.iter(folded):
            end = end_index + 1
            start = end - len(key)
            surface = text[start:end]
            if key in self._exact or surface in self._exact:
                if surface not in self._exact:
                    continue
                values = self._exact[surface]
            if (
                _is_word_char(surface[0])
                and start > 0
                and (
                    _is_word_char(text[start - 1])
                    or (text[start - 1] == "-" and start > 1 and _is_word_char(text[start - 2]))
                )
            ):
                continue
            if _is_word_char(surface[-1]) and end < len(text) and _is_word_char(text[end]):
                genitive = text[end] == "s" and (end + 1 == len(text) or not _is_word_char(text[end + 1]))
                if not (genitive and len(surface) >= 4 and any(v[0].type == "place" for v in values)):
                    continue  # "Europas" (German genitive) is Europe; "Parisian" is not Paris
            if (
                _is_word_char(surface[-1])
                and end + 1 < len(text)
                and text[end] == "-"
                and _is_word_char(text[end + 1])
                and not _BASED.match(text, end)
            ):
                continue  # "Bio-Island" is not Iceland, but "London-based" is London
            if surface.isupper() and end < len(text) and text[end] == "$":
                continue  # "US$20m", "HK$" are currencies, not the country
            if is_hangul(surface[0]) and not _korean_word_fits(text, start, end):
                continue  # "지난해" (last year) does not name Jinan (지난)
            if surface[0].isalpha() and ord(surface[0]) < 0x2E80 and surface[0].islower():
                # "science park", "flagship", "mars": a lower-case word is not a name, unless the name is
                values = [v for v in values if v[1][0].islower()]
                if not values:
                    continue
            row = _prefer(values)
            others = [v[0] for v in values if v[0] is not row]
            candidates.append(Hit(start, end, row, surface, others))
        return _disambiguate(_longest_non_overlapping(candidates))


def _prefer(values: list[tuple[ReferenceRow, str]]) -> ReferenceRow:
    """Among rows sharing an alias: a row whose own name it is, then organisations before places."""

    def rank(value: tuple[ReferenceRow, str]) -> tuple[int, int]:
        row, alias = value
        own_name = alias == row.name or alias in row.names.values()
        return (0 if own_name else 1, 1 if row.type == "place" else 0)

    return sorted(values, key=rank)[0][0]


_KO_ENDINGS = (
    "에서",
    "으로",
    "에게",
    "까지",
    "부터",
    "께서",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에",
    "의",
    "와",
    "과",
    "로",
    "도",
    "만",
    "시",
    "군",
    "구",
    "측",
    "산",
    "사",
    "내",
    "과의",
)


def _korean_word_fits(text: str, start: int, end: int) -> bool:
    """Korean words are spaced and take particles at their end: a name starts a word and may only be
    followed by particles or a place suffix (송도에, 인천시는), not by more of another word."""
    if start > 0 and is_hangul(text[start - 1]):
        return False
    pos = end
    for _ in range(2):
        if pos >= len(text) or not is_hangul(text[pos]):
            return True
        ending = next((e for e in _KO_ENDINGS if text.startswith(e, pos)), None)
        if ending is None:
            return False
        pos += len(ending)
    return pos >= len(text) or not is_hangul(text[pos])


def _disambiguate(hits: list[Hit]) -> list[Hit]:
    """Cambridge (UK) or Cambridge (Massachusetts)? The one whose region or country the page also names."""
    named = {h.row.id for h in hits}
    for hit in hits:
        if not hit.alternatives:
            continue
        options = [hit.row, *hit.alternatives]

        def support(row: ReferenceRow) -> int:
            chain = {row.data.get("parent"), row.data.get("place"), (row.country or "").lower()} - {None, ""}
            return len(chain & named)

        best = max(options, key=support)
        if support(best) > support(hit.row):
            hit.row = best
    return hits


def _longest_non_overlapping(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    taken: list[Hit] = []
    for hit in hits:
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_rows(folder: Path | None = None) -> list[ReferenceRow]:
    folder = folder or reference_dir()
    rows: list[ReferenceRow] = []
    for file in FILES:
        path = folder / file
        if not path.exists():
            continue
        for record in _read_csv(path):
            rid = (record.get("id") or "").strip()
            if not rid:
                continue
            names = {c: record[c].strip() for c in NAME_COLUMNS if (record.get(c) or "").strip()}
            name = names.get("name_en") or next(iter(names.values()), rid)
            kind = "place" if file == "places.csv" else (record.get("type") or "company").strip()
            country = (record.get("country") or "").strip().upper() or None
            aliases = [a.strip() for a in (record.get("aliases") or "").split("|") if a.strip()]
            rows.append(
                ReferenceRow(
                    rid, file, kind, name, country, names, aliases, {k: (v or "") for k, v in record.items() if k}
                )
            )
    return rows


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer(load_rows())
