"""The UI's strings: a gettext catalog per language (`bioatlas/locale/<lang>/LC_MESSAGES/bioatlas.po`), read by Babel.

The message id is a key (`nav_search`, `results_count`), so templates keep calling `t("nav_search")`; the English
text lives in the English catalog like every other language's. A message missing in a language falls back to English,
then to the key. Plural messages (`results_count`) have as many forms as the language's plural rule.

Key families: `type_*`, `event_*`, `status_*`, `role_*`, `service_*`, `market_*`, `stage_*`, `kind_*` label kb values
(`t.label`); `<question>_w_<indicator>` label answer indicators; `why_<code>` word their explanations
(`web/explanations.py`).

The `.po` files are read at first use (no build step, no `.mo` files to keep in step) and ship as package data.
`scripts/strings_to_po.py` wrote them from the former Python tables; edit the `.po` files now.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DOMAIN = "bioatlas"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

# Each language's name in that language, for the switcher; the order is the switcher's.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "nl": "Nederlands",
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
    "ja": "日本語",
    "ko": "한국어",
}
LANGUAGES = tuple(LANGUAGE_NAMES)
COMPLETE = LANGUAGES  # every catalog has every English message (tests/web/test_catalogs.py checks it)


def babel_locale(lang: str) -> str:
    """Our UI code (`zh-Hant`) -> Babel's locale id (`zh_Hant`), also the catalog's folder name."""
    return lang.replace("-", "_")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / babel_locale(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def read_catalog(lang: str) -> Catalog:
    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=babel_locale(lang), domain=DOMAIN)


def _translated(catalog: Catalog) -> Catalog:
    """The catalog less its untranslated messages, so that gettext falls back to English for them."""
    out = Catalog(locale=catalog.locale, domain=DOMAIN, fuzzy=False)
    out.mime_headers = catalog.mime_headers
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            out[message.id] = message
    return out


@cache
def translations(lang: str) -> NullTranslations:
    """gettext for one UI language, falling back to English (then to the message id) message by message."""
    if lang not in LANGUAGE_NAMES:
        lang = "en"
    buffer = BytesIO()
    write_mo(buffer, _translated(read_catalog(lang)))
    buffer.seek(0)
    own = Translations(buffer, domain=DOMAIN)
    if lang != "en":
        own.add_fallback(translations("en"))
    return own


@cache
def english_keys() -> frozenset[str]:
    """Every message id (plural ones once, by their key)."""
    return frozenset(_key(m.id) for m in read_catalog("en") if m.id)


@cache
def plural_keys() -> frozenset[str]:
    return frozenset(_key(m.id) for m in read_catalog("en") if m.id and not isinstance(m.id, str))


def _key(message_id: object) -> str:
    return str(message_id) if isinstance(message_id, str) else str(next(iter(message_id)))  # type: ignore[call-overload]


@cache
def flat_strings(lang: str) -> dict[str, str]:
    """One language's translated strings as a flat table: a plural message gives `key` (its last form, the general
    plural) and, where the language has a singular, `key_one`. For tests and the converter."""
    out: dict[str, str] = {}
    singles = translations(lang)
    for message in read_catalog(lang):
        if not message.id:
            continue
        key = _key(message.id)
        if not isinstance(message.id, str):
            forms = [str(form) for form in message.string or ()]
            if forms and all(forms):
                out[key] = forms[-1]
                if len(forms) > 1:
                    out[f"{key}_one"] = singles.ngettext(key, key, 1)
        elif isinstance(message.string, str) and message.string:
            out[key] = message.string
    return out


class _Strings(Mapping[str, Mapping[str, str]]):
    """`STRINGS["fr"]["land_title"]`: every language's flat table, read from the catalogs when first asked."""

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        if lang not in LANGUAGE_NAMES:
            raise KeyError(lang)
        return flat_strings(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


STRINGS: Mapping[str, Mapping[str, str]] = _Strings()
