"""Numbers and dates as each UI language writes them, with Babel's locale data (CLDR).

`1234.5` is `1,234.5` in English, `1 234,5` in French (a narrow no-break space), `1.234,5` in German. Dates the kb
holds are often partial: `2024` stays a year, `2024-03` becomes a month (`Mar 2024`, `2024年3月`), a full date the
language's medium date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def babel_locale(lang: str | None) -> str:
    return (lang or "en").replace("-", "_")


def format_number(value: Any, lang: str | None) -> str:
    """A count or amount in the language's digits grouping and decimal sign; up to three decimals."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format_decimal(value, locale=babel_locale(lang))


def format_day(value: Any, lang: str | None) -> str:
    """A date (or `YYYY`, `YYYY-MM`, `YYYY-MM-DD` text) as the language writes it; anything else as it is."""
    if value is None or value == "":
        return ""
    locale = babel_locale(lang)
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value, "medium", locale=locale)
    text = str(value)
    found = _PARTIAL.fullmatch(text.strip())
    if not found:
        return text
    year, month, day = found.groups()
    try:
        if day:
            return format_date(dt.date(int(year), int(month), int(day)), "medium", locale=locale)
        if month:
            return format_skeleton("yMMM", dt.date(int(year), int(month), 1), locale=locale)
    except ValueError:  # 2024-13: not a date, shown as written
        return text
    return year
