"""The UI language: `?lang=` first, then the `lang` cookie, then the browser's Accept-Language, then English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from bioatlas.web.strings import EN, LANGUAGE_NAMES, STRINGS

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
    for code in STRINGS:
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
        text = STRINGS.get(self.lang, EN).get(key) or EN.get(key) or key
        return text.format(**values) if values else text

    def text_or(self, key: str, default: str) -> str:
        """The string for `key`, or `default` (e.g. the English label a kb answer carries) where there is none."""
        return self(key) if key in EN else default

    def plural(self, key: str, n: int) -> str:
        """`{n} reports`, or `key_one` (`1 report`) where the language has a singular form."""
        own = STRINGS.get(self.lang, EN)
        table = own if key in own else EN
        text = (table.get(f"{key}_one") if n == 1 else None) or table.get(key, key)
        return text.format(n=n)

    def label(self, prefix: str, value: str | None) -> str:
        """A kb value (entity type, event type, status) in the UI language; unknown values as they are."""
        if not value:
            return ""
        key = f"{prefix}_{value}"
        return self(key) if key in EN else value


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
