"""Length-preserving text folding shared by the gazetteer and search: case, accents and Chinese script.

`fold("Liège")` is "liege", `fold("羅氏")` is "罗氏"; each character maps to one character, so offsets in
the folded text are offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bioatlas.extract.scripts import to_simplified
from bioatlas.text.scripts import is_cjk


@cache
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    if ord(low) < 0x2E80:
        base = unicodedata.normalize("NFD", low)[0]
        return base if len(base) == 1 else low
    nfkc = unicodedata.normalize("NFKC", low)
    low = nfkc if len(nfkc) == 1 else low
    return to_simplified(low)


def fold(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def index_text(text: str) -> str:
    """Text as the full-text index sees it: folded, CJK characters as single tokens."""
    folded = fold(text)
    return re.sub(r" {2,}", " ", "".join(f" {ch} " if is_cjk(ch) else ch for ch in folded))


def query_terms(query: str) -> list[str]:
    """Search terms: Latin words, and runs of CJK characters (matched as phrases of single characters)."""
    terms: list[str] = []
    for token in _TOKEN.findall(fold(query)):
        terms += [
            run
            for run in re.findall(
                r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]+|[^\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]+",
                token,
            )
        ]
    return list(dict.fromkeys(t for t in terms if t))
