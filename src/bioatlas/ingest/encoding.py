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


_HIGH_BYTES = bytes(range(0x80, 0x100))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def _western_european(data: bytes, guess: str) -> bool:
    """Whether Latin-script text the detector gave a one-byte code page is Windows-1252 after all.

    Without a declared charset, charset_normalizer ranks code pages that fit equally well, and for
    French "Liège … près" it puts Central European cp1250 first ("Ličge … prčs"). Every Latin-script
    language bioatlas reads (en fr de nl it es pt) is written in cp1252, so when the guess is a one-byte
    code page, cp1252 decodes the bytes, and most letters are plain ASCII (as in those languages, not in
    Cyrillic or Greek), cp1252 is the answer. Multi-byte guesses (GBK, Big5, Shift-JIS, EUC-KR) stand.
    """
    if guess == "cp1252":
        return False
    try:
        one_byte = len(data.decode(guess)) == len(data)
        data.decode("cp1252")
    except (UnicodeDecodeError, LookupError):
        return False
    if not one_byte:
        return False
    sample = data[:200_000]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    ascii_letters = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    return high * 3 < ascii_letters


def _normalise_codec(name: str) -> str | None:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return _WIDER.get(canonical, _WIDER.get(name.lower(), canonical))


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if not head:
        return False
    if head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")):
        return True
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the NUL bytes say so: ASCII in UTF-16 puts a NUL beside every character.

    Needs at least one NUL in five on one side and none on the other (binary files have NULs on both).
    """
    head = data[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if even.count(0) == 0 and odd.count(0) * 5 >= len(odd):
        return "utf-16-le"
    if odd.count(0) == 0 and even.count(0) * 5 >= len(even):
        return "utf-16-be"
    return None


def _decode_unicode(data: bytes, codec: str, skip: int) -> tuple[str, str]:
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"undecodable bytes: not valid {codec} despite its byte order mark") from exc
    if looks_binary(text[:4096].encode("utf-8", "replace")):
        raise InputError("binary file, not text")
    return text, codec


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). Raises InputError for binary or undecodable input.

    A byte order mark (UTF-8, UTF-16, UTF-32) decides first; then UTF-16 without one, told by its NULs;
    then the declared charset, UTF-8, and detection.
    """
    for bom, unicode_codec in _BOMS:
        if data.startswith(bom):
            return _decode_unicode(data, unicode_codec, len(bom))
    utf16 = utf16_without_bom(data)
    if utf16:
        return _decode_unicode(data, utf16, 0)
    if looks_binary(data):
        raise InputError("binary file, not text")
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
    if _western_european(data, codec):
        return data.decode("cp1252"), "cp1252"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 100):
            raise InputError(f"undecodable bytes (best guess {codec})") from None
    return text, codec
