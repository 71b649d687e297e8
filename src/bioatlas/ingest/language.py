"""Language of each paragraph, and of the document.

Scripts decide first (Hangul is Korean, any kana is Japanese, Han text is Chinese with the script told
apart by characters that exist only in Simplified or only in Traditional writing); lingua, restricted
to the supported Latin-script languages, decides among those.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

from bioatlas.model import Paragraph
from bioatlas.text.scripts import is_han, is_hangul, is_kana

LATIN_LANGUAGES = ("en", "fr", "de", "nl", "it", "es", "pt")
CJK_WEIGHT = 3  # one Han/kana/Hangul character carries about as much as three Latin letters


def _opencc_dictionary(name: str) -> Path:
    return Path(str(resources.files("opencc") / "dictionary" / name))


@cache
def script_only_characters() -> tuple[frozenset[str], frozenset[str]]:
    """(simplified-only, traditional-only) characters, from OpenCC's character tables."""
    simplified: set[str] = set()
    traditional: set[str] = set()
    for name, target in (("STCharacters.txt", simplified), ("TSCharacters.txt", traditional)):
        for line in _opencc_dictionary(name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 2:
                source, values = parts[0], parts[1].split()
                if len(source) == 1 and source not in values:
                    target.add(source)
    both = simplified & traditional
    return frozenset(simplified - both), frozenset(traditional - both)


@cache
def _lingua_detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.ENGLISH,
        Language.FRENCH,
        Language.GERMAN,
        Language.DUTCH,
        Language.ITALIAN,
        Language.SPANISH,
        Language.PORTUGUESE,
    ]
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(0.0).build()


_LINGUA_CODES = {
    "ENGLISH": "en",
    "FRENCH": "fr",
    "GERMAN": "de",
    "DUTCH": "nl",
    "ITALIAN": "it",
    "SPANISH": "es",
    "PORTUGUESE": "pt",
}


def chinese_script(text: str) -> str:
    simplified, traditional = script_only_characters()
    s = sum(1 for ch in text if ch in simplified)
    t = sum(1 for ch in text if ch in traditional)
    return "zh-Hant" if t > s else "zh-Hans"


def script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isascii():
            if ch.isalpha():
                counts["latin"] += 1
        elif is_han(ch):
            counts["han"] += 1
        elif is_kana(ch):
            counts["kana"] += 1
        elif is_hangul(ch):
            counts["hangul"] += 1
        elif ch.isalpha():
            counts["latin" if unicodedata.name(ch, "").startswith("LATIN") else "other"] += 1
    return counts


def detect_language(text: str, sample: int = 600) -> str | None:
    """Language code of a piece of text, or None when it is too short or has no letters."""
    text = unicodedata.normalize("NFKC", text[: sample * 2])
    counts = script_counts(text)
    cjk = counts["han"] + counts["kana"] + counts["hangul"]
    weighted_cjk = cjk * CJK_WEIGHT
    if weighted_cjk >= counts["latin"] and cjk >= 2:
        if counts["hangul"] >= max(2, 0.3 * cjk):
            return "ko"
        if counts["kana"] >= 2 or (counts["kana"] and counts["kana"] >= 0.05 * cjk):
            return "ja"
        if counts["han"]:
            return chinese_script(text)
    if counts["latin"] < 12:
        return None
    values = _lingua_detector().compute_language_confidence_values(text[:sample])
    if not values:
        return None
    best = values[0]
    # Short Latin text: the rarer languages in our sources lose close calls to the common ones.
    if _LINGUA_CODES[best.language.name] in ("it", "es", "pt"):
        for other in values[1:]:
            if _LINGUA_CODES[other.language.name] in ("en", "fr", "de", "nl") and other.value >= 0.5 * best.value:
                return _LINGUA_CODES[other.language.name]
    return _LINGUA_CODES[best.language.name]


def weighted_length(text: str) -> int:
    counts = script_counts(text)
    return counts["latin"] + CJK_WEIGHT * (counts["han"] + counts["kana"] + counts["hangul"])


def tag_paragraphs(text: str, paragraphs: list[Paragraph]) -> None:
    """Set each paragraph's language; too-short paragraphs take their neighbour's."""
    for p in paragraphs:
        p.language = detect_language(text[p.start : p.end])
    known = [p.language for p in paragraphs]
    for i, p in enumerate(paragraphs):
        if p.language is None:
            after = next((lang for lang in known[i + 1 :] if lang), None)
            before = next((lang for lang in reversed(known[:i]) if lang), None)
            p.language = after or before
    # Kanji-only lines inside a Japanese document are Japanese, not Chinese.
    languages = {p.language for p in paragraphs}
    if "ja" in languages:
        for p in paragraphs:
            if p.language in ("zh-Hans", "zh-Hant") and _neighbour_is(paragraphs, p, "ja"):
                p.language = "ja"


def _neighbour_is(paragraphs: list[Paragraph], p: Paragraph, lang: str) -> bool:
    i = paragraphs.index(p)
    near = paragraphs[max(0, i - 1) : i] + paragraphs[i + 1 : i + 2]
    return any(n.language == lang for n in near)


def document_languages(text: str, paragraphs: list[Paragraph], min_share: float = 0.1) -> list[str]:
    """The original language first, then the others by share of the body."""
    shares: Counter[str] = Counter()
    first: str | None = None
    for p in paragraphs:
        if p.language is None:
            continue
        size = weighted_length(text[p.start : p.end])
        shares[p.language] += size
        if first is None and size >= 60:
            first = p.language
    total = sum(shares.values())
    if not total:
        return []
    kept = [lang for lang, size in shares.most_common() if size / total >= min_share]
    if first in kept and shares[first] / total >= 0.25:
        kept.remove(first)
        kept.insert(0, first)
    return kept
