"""Writing systems, defined once: the character classes of Han, kana and Hangul as regex fragments and
as predicates. Every step that asks "is this Chinese/Japanese/Korean?" asks here."""

from __future__ import annotations

# Regex class fragments (use inside [...]).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\U00020000-\U0002a6df"
KANA = r"\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d"
KATAKANA = r"\u30a0-\u30ff"
HANGUL = r"\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
CJK = HAN + KANA + HANGUL


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2A6DF
        or o == 0x3005
    )


def is_kana(ch: str) -> bool:
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D


def is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def is_cjk(ch: str) -> bool:
    """Han, kana or Hangul, or CJK punctuation and radicals (U+2E80 to U+33FF)."""
    return is_han(ch) or is_kana(ch) or is_hangul(ch) or 0x2E80 <= ord(ch) <= 0x33FF
