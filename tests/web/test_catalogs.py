"""The gettext catalogs: complete in every UI language with the same placeholders, plural forms by each language's
rule, Accept-Language negotiation, numbers and dates per locale, and a fresh install that ships them."""

from __future__ import annotations

import datetime as dt
import string
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bioatlas.web.catalogs import LANGUAGES, LOCALE_DIR, STRINGS, english_keys, plural_keys, po_path, read_catalog
from bioatlas.web.formats import format_day, format_number
from bioatlas.web.i18n import Translator, choose_language, parse_accept_language

ROOT = Path(__file__).resolve().parents[2]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _strings(message_string: object) -> list[str]:
    return [message_string] if isinstance(message_string, str) else [str(s) for s in message_string]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_english_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    english = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_catalog("en") if m.id}
    own = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_catalog(lang) if m.id}
    assert set(own) == set(english)
    untranslated = sorted(key for key, m in own.items() if not all(_strings(m.string)))
    assert not untranslated, f"{lang}: {untranslated[:20]}"
    for key, message in own.items():
        wanted = set().union(*(_placeholders(s) for s in _strings(english[key].string)))
        for text in _strings(message.string):
            assert _placeholders(text) <= wanted, (lang, key, text)
            assert _placeholders(text) >= wanted - {"n"} or key in plural_keys(), (lang, key, text)


def test_the_template_lists_every_message_untranslated() -> None:
    with (LOCALE_DIR / "bioatlas.pot").open("rb") as handle:
        template = read_po(handle)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert ids == set(english_keys())
    assert not any(any(_strings(m.string)) for m in template if m.id)


def test_the_converter_is_idempotent(tmp_path: Path) -> None:
    before = {lang: po_path(lang).read_bytes() for lang in LANGUAGES}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "strings_to_po.py")], check=True, capture_output=True)
    assert {lang: po_path(lang).read_bytes() for lang in LANGUAGES} == before


def test_plural_forms_follow_each_language() -> None:
    en, fr, de, hans, hant, ja = (Translator(x) for x in ("en", "fr", "de", "zh-Hans", "zh-Hant", "ja"))
    assert en.plural("reports", 1) == "1 report" and en.plural("reports", 0) == "0 reports"
    assert en.plural("reports", 2) == "2 reports"
    assert fr.plural("events_count", 0) == "0 événement" and fr.plural("events_count", 1) == "1 événement"
    assert fr.plural("events_count", 2) == "2 événements"
    assert de.plural("events_count", 1) == "1 Ereignis" and de.plural("events_count", 0) == "0 Ereignisse"
    for t in (hans, hant, ja):  # one form whatever the count
        assert t.plural("events_count", 1).replace("1", "2") == t.plural("events_count", 2)
    assert hans.plural("results_count", 1) == "找到 1 篇文档"
    assert "1,234" in en.plural("results_count", 1234) and "1\u202f234" in fr.plural("results_count", 1234)
    assert en("events_n", n=1) == "1 event" and en("events_n", n=3) == "3 events"  # t("key", n=...) picks the form too


def test_accept_language_negotiation() -> None:
    assert choose_language(None, None, "zh-TW,zh;q=0.8") == "zh-Hant"
    assert choose_language(None, None, "zh-HK") == "zh-Hant"
    assert choose_language(None, None, "zh-CN,en;q=0.5") == "zh-Hans"
    assert choose_language(None, None, "fr-BE,fr;q=0.9,en;q=0.5") == "fr"
    assert choose_language(None, None, "pt-BR,de;q=0.7") == "de"
    assert choose_language(None, None, "xx, ;q=abc") == "en"
    assert parse_accept_language("en;q=0.1, ko;q=0.9, nl") == ["nl", "ko", "en"]


def test_numbers_and_dates_per_locale() -> None:
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1234.5, "fr") == "1\u202f234,5"  # narrow no-break space, decimal comma
    assert format_number(1234.5, "de") == "1.234,5"
    assert format_number(875000.0, "zh-Hant") == "875,000"
    assert format_number(None, "fr") == "" and format_number("n/a", "fr") == "n/a"
    assert format_day("2024-03-05", "en") == "Mar 5, 2024"
    assert format_day(dt.date(2024, 3, 5), "fr") == "5 mars 2024"
    assert format_day("2024-03", "zh-Hans") == "2024年3月"
    assert format_day("2024", "de") == "2024" and format_day("2024-13", "de") == "2024-13"


def test_strings_view_and_fallback() -> None:
    assert STRINGS["ko"]["nav_search"] == "검색" and STRINGS["nl"]["nav_search"] == "Zoeken"
    assert Translator("zz")("nav_search") == "Search"  # unknown language: English
    assert Translator("fr")("no-such-key") == "no-such-key"
    assert Translator("zh-Hant").label("event", "funding") != "funding"


def test_catalogs_are_package_data() -> None:
    """A fresh `pip install` carries every catalog: the package-data patterns of pyproject.toml take in each `.po`
    and the `.pot` (setuptools globs them relative to the package folder, as here)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bioatlas"]
    package = ROOT / "src" / "bioatlas"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    for lang in LANGUAGES:
        assert po_path(lang) in shipped, lang
    assert LOCALE_DIR / "bioatlas.pot" in shipped
    assert any(dep.lower().startswith("babel==") for dep in config["project"]["dependencies"])
