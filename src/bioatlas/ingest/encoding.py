"""Turn bytes into text: declared charset first, then UTF-8, then detection (GBK, Big5, Shift-JIS, ...)."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes


class InputError(Exception):
    """A problem with one input: reported in one line, the run goes on with the rest."""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Superset codecs: pages that say gb2312 are usually GBK/GB18030, big5 often carries HKSCS.
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "euc-kr": "cp949",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
}


def _normalise_codec(name: str) -> str | None:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return _WIDER.get(canonical, _WIDER.get(name.lower(), canonical))


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if not head:
        return False
    if head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")):
        return True
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). Raises InputError for binary or undecodable input."""
    if looks_binary(data):
        raise InputError("binary file, not text")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        codec = _normalise_codec(name)
        if codec is None:
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError("undecodable bytes: no text encoding fits")
    codec = _normalise_codec(best.encoding) or best.encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 100):
            raise InputError(f"undecodable bytes (best guess {codec})") from None
    return text, codec
