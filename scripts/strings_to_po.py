"""Write the UI's gettext catalogs (`src/bioatlas/locale/<lang>/LC_MESSAGES/bioatlas.po` and `bioatlas.pot`).

Sources, later ones winning key by key:
1. the catalogs already on disk (so re-running never loses a string that lives only in a catalog);
2. the Python string tables (`bioatlas.web.strings` and the `strings_*` modules it merges), while they exist;
3. `--merge FILE.json` files shaped `{"nl": {"key": "text", ...}, ...}` (translations written by hand).

The message id is the key (`nav_search`), not the English text: templates call `t("nav_search")`, an English
rewording changes no other catalog, and keys stay short. English is the master list: a key English lacks is dropped
(and reported). A key `k` with a singular `k_one` becomes one plural message whose forms follow the language's
plural rule from Babel (one form in Chinese, Japanese and Korean; French puts 0 and 1 in the singular).

Run from the repository root: `.venv/bin/python scripts/strings_to_po.py [--merge FILE.json ...]`. The output
depends only on the inputs (fixed dates, sorted keys), so running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import re
import sys
from gettext import c2py
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bioatlas.web.catalogs import DOMAIN, LANGUAGES, LOCALE_DIR, babel_locale, po_path  # noqa: E402

_LONE_ONE = re.compile(r"(?<![0-9])1(?![0-9])")
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # catalogs carry no run date, so re-runs are identical


def from_catalogs() -> dict[str, dict[str, str]]:
    """Each language's strings from the catalogs on disk, flat: a plural message gives `key` and `key_one`."""
    out: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        path = po_path(lang)
        table: dict[str, str] = {}
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=babel_locale(lang), domain=DOMAIN)
            one = get_plural(babel_locale(lang)).num_plurals > 1
            for message in catalog:
                if not message.id:
                    continue
                if isinstance(message.id, tuple):
                    key, forms = message.id[0], list(message.string)
                    singular_form = _singular_form(lang)
                    if forms and forms[-1]:
                        table[key] = forms[-1]
                    if one and forms[singular_form]:
                        table[f"{key}_one"] = forms[singular_form]
                elif message.string:
                    table[message.id] = message.string
        out[lang] = table
    return out


def from_modules() -> dict[str, dict[str, str]]:
    """The Python string tables, if they are still there (they are deleted once converted)."""
    try:
        module = importlib.import_module("bioatlas.web.strings")
    except ImportError:
        return {}
    tables = getattr(module, "STRINGS", None)
    return {lang: dict(table) for lang, table in tables.items()} if isinstance(tables, dict) else {}


def _singular_form(lang: str) -> int:
    """The plural form index that 1 falls in, by the language's rule."""
    rule = get_plural(babel_locale(lang))
    return int(c2py(rule.plural_expr)(1)) if rule.num_plurals > 1 else 0


def _counted(singular: str) -> str:
    """`1 report` -> `{n} report`: the singular form also serves 0 in French, so the count is a placeholder."""
    return singular if "{n}" in singular else _LONE_ONE.sub("{n}", singular, count=1)


def merged(merge_files: list[Path]) -> dict[str, dict[str, str]]:
    tables = from_catalogs()
    for source in [from_modules(), *(json.loads(p.read_text(encoding="utf-8")) for p in merge_files)]:
        for lang, table in source.items():
            if lang in tables:
                tables[lang].update({k: v for k, v in table.items() if isinstance(v, str) and v})
    return tables


def _catalog(lang: str, table: dict[str, str], english: dict[str, str], template: bool = False) -> Catalog:
    catalog = Catalog(
        locale=None if template else babel_locale(lang),
        domain=DOMAIN,
        project="bioatlas",
        version="1",
        copyright_holder="bioatlas",
        msgid_bugs_address="",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )
    rule = get_plural(babel_locale(lang))
    singular = _singular_form(lang)
    plurals = {k[: -len("_one")] for k in english if k.endswith("_one") and k[: -len("_one")] in english}
    for key in sorted(english):
        if key.endswith("_one") and key[: -len("_one")] in plurals:
            continue
        notes = [] if lang == "en" else [f"English: {english[key]}"]
        if key in plurals:
            other = "" if template else table.get(key, "")
            one = "" if template else _counted(table.get(f"{key}_one") or other)
            forms = [one if (rule.num_plurals > 1 and i == singular) else other for i in range(rule.num_plurals)]
            if not other:
                forms = ["" for _ in forms]
            catalog.add((key, key), tuple(forms) if not template else ("", ""), auto_comments=notes)
        else:
            catalog.add(key, "" if template else table.get(key, ""), auto_comments=notes)
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True, include_previous=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merge", type=Path, action="append", default=[], help="JSON {lang: {key: text}}")
    args = parser.parse_args(argv)
    tables = merged(args.merge)
    english = tables["en"]
    for lang in LANGUAGES:
        table = tables[lang]
        extra = sorted(set(table) - set(english))
        if extra:
            print(f"{lang}: dropped {len(extra)} keys English lacks: {', '.join(extra[:10])}", file=sys.stderr)
        write(_catalog(lang, table, english), po_path(lang))
        missing = [k for k in english if k not in table and not k.endswith("_one")]
        print(f"{lang}: {len(english) - len(missing)}/{len(english)} strings, {len(missing)} missing")
    write(_catalog("en", english, english, template=True), LOCALE_DIR / f"{DOMAIN}.pot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
