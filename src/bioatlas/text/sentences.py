"""One sentence splitter for every language: Latin scripts, Chinese, Japanese and Korean.

A sentence ends at 。！？!?; (full or half width, with any closing quote), at a full stop followed by
space or end of text unless the word before it is an abbreviation or a single letter, the next word
starts in lower case, or it is "18. Juli"; at a Korean full stop glued to the next sentence ("다.바이오"),
at a Latin full stop glued to a capital ("Liège.The"), and at a line break.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(
    r"[。！？；]+[」』”\"')）]*"  # CJK terminators end a sentence wherever they are
    r"|[!?;]+[\"'”’»)]*(?=\s|$)"
    r"|[.]+[\"'”’»)]*(?=\s|$)"
    r"|(?<=[가-힣])\.(?=[^\s\d.])"  # Korean "…다.다음 문장" with no space
    r"|(?<=[a-zà-ÿ]{2})\.(?=[A-ZÀ-Ý][a-zà-ÿ])"  # "…in Liège.The company…"
    r"|\n+"
)
_ABBREV = frozenset(
    "sq ft co dr mr mrs ms prof st inc ltd corp mio mrd mld nr no ca bzw vgl z b u a e g i vs approx etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig dept jr sr gov av bd str tel mt hr fr mme mlle "
    "m mm cm km dipl ing gmbh bv nv sa ag n.c d.c u.s p.a s.p.a".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december januar februar "
    "märz mai juni juli oktober dezember januari februari maart mei augustus oktober janvier février mars "
    "avril juin juillet août septembre octobre novembre décembre gennaio febbraio marzo aprile maggio giugno "
    "luglio agosto settembre ottobre dicembre".split()
)
_WORD_BEFORE = re.compile(r"([^\W_]+(?:\.[^\W_]+)*)$")
_WORD_AFTER = re.compile(r"\s*[\"'“‘(]?([^\W\d_]+)")


def _keeps_going(text: str, m: re.Match[str], start: int, end: int) -> bool:
    """A full stop that does not end the sentence: abbreviation, initial, lower-case next word, '18. Juli'."""
    before = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start())
    word = before.group(1) if before else ""
    after = _WORD_AFTER.match(text, m.end(), min(end, m.end() + 24))
    nxt = after.group(1) if after else ""
    if word.lower() in _ABBREV or (len(word) == 1 and word.isalpha() and word.isupper()):
        return True
    if nxt and nxt[0].islower() and nxt[0].isascii():
        return True
    return bool(word.isdigit() and nxt.lower() in _MONTHS)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end], trimmed of surrounding white space, none empty."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    s = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group(0)[0] == "." and _keeps_going(text, m, start, end):
            continue
        e = m.start() if m.group(0)[0] == "\n" else m.end()
        spans.append((s, e))
        s = m.end()
    spans.append((s, end))
    return [span for a, b in spans if (span := _trimmed(text, a, b))]


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    """text[a:b] without the white space around it, as a span; None when nothing is left."""
    piece = text[a:b]
    kept = piece.strip()
    if not kept:
        return None
    a += len(piece) - len(piece.lstrip())
    return a, a + len(kept)


def sentence_at(text: str, position: int) -> tuple[int, int] | None:
    """The span of the sentence holding `position` (as `sentence_spans` cuts them), found without cutting the
    rest of the text; None when the position falls between sentences."""
    s, end = 0, len(text)
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == "." and _keeps_going(text, m, 0, end):
            continue
        e = m.start() if m.group(0)[0] == "\n" else m.end()
        if position < e:
            break
        if position < m.end():
            return None
        s = m.end()
    else:
        e = end
    span = _trimmed(text, s, e)
    return span if span and span[0] <= position < span[1] else None


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]
