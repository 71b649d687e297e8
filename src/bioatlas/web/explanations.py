"""An answer indicator's explanation in the UI language, from the `code` and `values` that `match/` gives it.

`match/` explains each indicator in English (`detail`, kept for the API and the CLI) and as data: a code
(`sector_focus`) and its numbers and ids (`{"matched": 1, "wanted": 2, "reports": 3}`). The catalog message
`why_<code>` words it; ids become names in the UI language (services, markets, sectors, countries, entities) and
numbers are written the language's way. An indicator without a code (or with a code no catalog knows) keeps `detail`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from bioatlas.web.answer_view import country_names, sector_names

if TYPE_CHECKING:
    from bioatlas.web.i18n import Translator


@cache
def _countries(lang: str) -> dict[str, str]:
    return country_names(lang)


@cache
def _sectors(lang: str) -> dict[str, str]:
    return sector_names(lang)


def _listed(t: Translator, items: list[str]) -> str:
    return t("why_list_separator").join(items) if items else t("why_none")


def _services(t: Translator, ids: list[str]) -> str:
    return _listed(t, [t.label("service", s) for s in ids])


def _markets(t: Translator, codes: list[str]) -> str:
    return _listed(t, [t.label("market", m) for m in codes])


def _sector_list(t: Translator, ids: list[str]) -> str:
    names = _sectors(t.lang)
    return _listed(t, [names.get(s, s) for s in ids])


def _entities(t: Translator, items: list[dict[str, Any]]) -> str:
    return _listed(t, [t.name(item) for item in items])


def _figures(t: Translator, values: dict[str, Any]) -> str:
    parts = []
    for unit, n in values.items():
        key = f"why_unit_{unit}"
        parts.append(t(key, n=t.number(n)) if t.known(key) else f"{t.number(n)} {unit}")
    return _listed(t, parts)


def _amounts(t: Translator, raised: list[dict[str, Any]]) -> str:
    return _listed(t, [f"{t.number(round(r['amount']))} {r.get('currency') or ''}".strip() for r in raised])


def _words(t: Translator, code: str, values: dict[str, Any]) -> dict[str, Any]:
    """The placeholders of `why_<code>`: numbers as the language writes them, ids as names in the language."""
    special: dict[str, Callable[[], dict[str, Any]]] = {
        "ecosystem_figures": lambda: {"figures": _figures(t, values)},
        "services_found": lambda: {"missing": _services(t, values.get("missing", []))},
        "support_bodies": lambda: {"names": _entities(t, values.get("bodies", []))},
        "market_reached": lambda: {"markets": _markets(t, values.get("markets", []))},
        "track_record": lambda: {"origin": _countries(t.lang).get(values.get("origin") or "", values.get("origin"))},
        "fit_no_focus": lambda: {"host": t.name(values.get("host") or {})},
        "fit_sectors": lambda: {"sectors": _sector_list(t, values.get("sectors", []))},
        "funding_events": lambda: {"amounts": _amounts(t, values.get("raised", []))},
    }
    words: dict[str, Any] = {k: t.number(v) for k, v in values.items() if isinstance(v, int | float)}
    if code in special:
        words.update(special[code]())
    return words


def explain(indicator: dict[str, Any], t: Translator) -> str:
    """The indicator's explanation in the UI language; its English `detail` where no catalog message fits."""
    code = indicator.get("code") or ""
    values = indicator.get("values") or {}
    key = f"why_{code}"
    if code == "services_found" and values.get("missing"):
        key = "why_services_found_missing"
    elif code == "funding_events" and values.get("raised"):
        key = "why_funding_raised"
    if not code or not t.known(key):
        return str(indicator.get("detail") or "")
    try:
        return t(key, **_words(t, code, values))
    except (KeyError, IndexError, ValueError):  # a translation naming a placeholder the values lack
        return str(indicator.get("detail") or "")
