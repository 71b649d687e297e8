"""The UI language (`?lang=` first, then the `lang` cookie, then the browser's Accept-Language, then English) and the
`Translator` templates call as `t`: strings from the gettext catalogs (`web/catalogs.py`), plural forms by the
language's rule, numbers and dates in the language's format, entity names in the language's script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from bioatlas.web import formats
from bioatlas.web.catalogs import LANGUAGE_NAMES, english_keys, plural_keys, translations
from bioatlas.web.entity_names import local_name

DEFAULT = "en"
COOKIE = "lang"
_HANT_REGIONS = {"tw", "hk", "mo"}


def match_language(tag: str | None) -> str | None:
    """A language tag as browsers send it (`zh-TW`, `fr-BE`, `zh-Hant-HK`) -> one of ours, or None."""
    if not tag:
        return None
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        rest = set(parts[1:])
        return "zh-Hant" if "hant" in rest or rest & _HANT_REGIONS else "zh-Hans"
    for code in LANGUAGE_NAMES:
        if code.lower() == parts[0]:
            return code
    return None


def parse_accept_language(header: str | None) -> list[str]:
    """Our languages in the order the browser prefers them (by q value, then position)."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = match_language(tag)
        if code and quality > 0:
            ranked.append((-quality, position, code))
    return list(dict.fromkeys(code for _, _, code in sorted(ranked)))


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    return match_language(query) or match_language(cookie) or next(iter(parse_accept_language(accept)), None) or DEFAULT


@dataclass(frozen=True, slots=True)
class Translator:
    lang: str

    def __call__(self, key: str, **values: object) -> str:
        """The message `key` in the UI language (English where it has none), with `{placeholders}` filled in.
        A plural message given `n` takes the form the language's rule picks for it."""
        gettext = translations(self.lang)
        n = values.get("n")
        plural = key in plural_keys() and isinstance(n, int)
        text = gettext.ngettext(key, key, n) if plural and isinstance(n, int) else gettext.gettext(key)
        return text.format(**values) if values else text

    def known(self, key: str) -> bool:
        return key in english_keys()

    def text_or(self, key: str, default: str) -> str:
        """The string for `key`, or `default` (e.g. the English label a kb answer carries) where there is none."""
        return self(key) if key in english_keys() else default

    def plural(self, key: str, n: int) -> str:
        """`{n} reports` in the form the language uses for n (`1 report`; `0 rapport` in French), n written the
        language's way (`1 234`)."""
        return translations(self.lang).ngettext(key, key, n).format(n=self.number(n))

    def label(self, prefix: str, value: str | None) -> str:
        """A kb value (entity type, event type, status) in the UI language; unknown values as they are."""
        if not value:
            return ""
        key = f"{prefix}_{value}"
        return self(key) if key in english_keys() else value

    def number(self, value: Any) -> str:
        return formats.format_number(value, self.lang)

    def date(self, value: Any) -> str:
        return formats.format_day(value, self.lang)

    def explain(self, indicator: dict[str, Any]) -> str:
        """An answer indicator's explanation in the UI language (`web/explanations.py`)."""
        from bioatlas.web.explanations import explain  # it reads reference data; import when first asked

        return explain(indicator, self)

    def name(self, entity: Any, default: str | None = None) -> str:
        """An entity's name in the UI language where the reference data has it (Liège as 列日 in Chinese), else
        the name the kb gives. `entity` is an id or a dict with `id` and `name`."""
        if isinstance(entity, dict):
            return local_name(entity.get("id"), default or entity.get("name") or "", self.lang)
        return local_name(entity, default or str(entity or ""), self.lang)


def ui_language(request: Request) -> str:
    return choose_language(
        request.query_params.get("lang"), request.cookies.get(COOKIE), request.headers.get("accept-language")
    )


UiLanguage = Annotated[str, Depends(ui_language)]

__all__ = [
    "COOKIE",
    "LANGUAGE_NAMES",
    "Translator",
    "UiLanguage",
    "choose_language",
    "match_language",
    "parse_accept_language",
    "ui_language",
]
