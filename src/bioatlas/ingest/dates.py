"""Dates written in any supported language, kept as precise as the text is (YYYY, YYYY-MM or YYYY-MM-DD)."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "en_short": "jan feb mar apr may jun jul aug sep oct nov dec",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "fr_plain": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "de_alt": "jänner februar maerz april mai juni juli august september oktober november dezember",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}
for _names in _MONTH_NAMES.values():
    for _i, _name in enumerate(_names.split(), 1):
        MONTHS.setdefault(_name, _i)
MONTHS["sept"] = 9

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_Y = r"(?P<y>(?:19|20)\d{2})"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 2025年08月18日, 2023年1月18日, 2024년 7월 2일
    ("ymd", re.compile(_Y + r"\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?:(?P<d>\d{1,2})\s*[日일号號]?)?")),
    # 2023-03-31, 2023/03/31, 2023.03.31, 2024-07
    (
        "ymd",
        re.compile(r"(?<![\d.])" + _Y + r"(?P<sep>[-/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?(?![\d])"),
    ),
    # 2023. 8. 31. (Korean news bylines)
    ("ymd", re.compile(r"(?<![\d.])" + _Y + r"\.\s(?P<m>\d{1,2})\.\s(?P<d>\d{1,2})\.(?!\d)")),
    # 18 janvier 2023, 18. Juli 2024, 22 June, 2017, 1er mars 2022, "Fabian Christ15 November 2011"
    (
        "dmy",
        re.compile(
            r"(?<!\d)(?P<d>\d{1,2})(?:er|st|nd|rd|th)?\.?\s+(?P<mn>" + _MONTH_RE + r")\.?,?\s+" + _Y,
            re.IGNORECASE,
        ),
    ),
    # June 22, 2017
    (
        "mdy",
        re.compile(
            r"(?<![\w])(?P<mn>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _Y,
            re.IGNORECASE,
        ),
    ),
    # 03/07/2020, 18.07.2024
    ("dmy_num", re.compile(r"(?<![\d.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.]" + _Y + r"(?!\d)")),
    # janvier 2023, July 2024
    ("my", re.compile(r"(?<![\w])(?P<mn>" + _MONTH_RE + r")\.?\s+" + _Y + r"(?!\d)", re.IGNORECASE)),
]


@dataclass(slots=True)
class DateMatch:
    value: str
    start: int
    end: int


def _iso(y: int, m: int | None, d: int | None) -> str | None:
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:  # 2014-06-31, 2023-02-30: no such day, no date
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _value(kind: str, m: re.Match[str], month_first: bool) -> str | None:
    g = m.groupdict()
    y = int(g["y"])
    if kind == "ymd":
        return _iso(y, int(g["m"]), int(g["d"]) if g.get("d") else None)
    if kind in ("dmy", "mdy"):
        return _iso(y, MONTHS.get(g["mn"].lower()), int(g["d"]))
    if kind == "my":
        return _iso(y, MONTHS.get(g["mn"].lower()), None)
    a, b = int(g["a"]), int(g["b"])
    day, month = (b, a) if month_first else (a, b)
    if month > 12 and day <= 12:
        day, month = month, day
    return _iso(y, month, day)


def find_dates(text: str, language: str | None = None) -> list[DateMatch]:
    """Every absolute date in the text, earliest position first, overlapping matches resolved by length."""
    text = unicodedata.normalize("NFKC", text) if not text.isascii() else text
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    month_first = language == "en-US"
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = _value(kind, m, month_first)
            if value:
                found.append(DateMatch(value, m.start(), m.end()))
            taken.append((m.start(), m.end()))  # an impossible date (30 février) gives no date, not a partial one
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str, language: str | None = None) -> str | None:
    dates = find_dates(text, language)
    return dates[0].value if dates else None


def valid_iso(value: str) -> str | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` if that day exists (metadata may say 2023-02-30), else None."""
    parts = value.split("-")
    try:
        y, m, d = int(parts[0]), int(parts[1]) if len(parts) > 1 else None, int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        return None
    return _iso(y, m, d)
