"""Entity names in the UI language, from the reference data's name columns (`data/reference/*.csv`).

An entity that comes from a reference row (id `ref:<row>`) has a name per language there: Liège is 列日 in
Simplified and Traditional Chinese, リエージュ in Japanese. Other entities keep the name the kb gives them.
"""

from __future__ import annotations

from bioatlas.extract.reference import gazetteer

NAME_COLUMN = {
    "en": "name_en",
    "fr": "name_fr",
    "de": "name_de",
    "nl": "name_nl",
    "zh-Hans": "name_zh_hans",
    "zh-Hant": "name_zh_hant",
    "ja": "name_ja",
    "ko": "name_ko",
}


def local_name(entity_id: str | None, default: str, lang: str) -> str:
    """The name of `entity_id` in `lang` if its reference row has one, else `default`."""
    if not entity_id or not entity_id.startswith("ref:"):
        return default
    row = gazetteer().rows.get(entity_id.split(":", 1)[1])
    if row is None:
        return default
    return row.names.get(NAME_COLUMN.get(lang, "name_en")) or default
