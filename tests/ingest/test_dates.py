"""Dates in every language, partial dates kept partial."""

from __future__ import annotations

import pytest

from bioatlas.ingest.dates import find_dates, parse_date
from bioatlas.ingest.metadata import normalise_published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布日期：2025年08月18日", "2025-08-18"),
        ("（香港，2023年1月18日）", "2023-01-18"),
        ("2024년 7월 2일 발표", "2024-07-02"),
        ("Publié le 18 janvier 2023", "2023-01-18"),
        ("am 18. Juli 2024 in München", "2024-07-18"),
        ("Op 1 maart 2022 start de bouw", "2022-03-01"),
        ("2023/03/31", "2023-03-31"),
        ("03/07/2020", "2020-07-03"),
        ("June 22, 2017", "2017-06-22"),
        ("Discovery Park 22 June, 2017", "2017-06-22"),
        ("date 2022-01 Anzeige", "2022-01"),
        ("en janvier 2023", "2023-01"),
        ("2024年7月", "2024-07"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_no_date_in_plain_numbers():
    assert find_dates("72 companies, 12,000 researchers and 2017 euros") == []


def test_impossible_dates_are_rejected():
    assert parse_date("2023-13-45") is None


@pytest.mark.parametrize(
    "text",
    ["2014-06-31", "2023-02-30", "31/06/2014", "30 février 2023", "2023年2月30日", "June 31, 2014", "2023. 2. 30."],
)
def test_days_that_do_not_exist_give_no_date(text: str) -> None:
    assert find_dates(text) == []
    assert parse_date(f"Publié le {text}") is None


def test_invalid_metadata_date_gives_no_date() -> None:
    assert normalise_published("2023-02-30") is None
    assert normalise_published("2014-06-31T08:00:00") is None
    assert normalise_published("2024-02-29") == "2024-02-29"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("이상헌 기자 2023. 8. 31. 18:15", "2023-08-31"),
        ("Fabian Christ15 November 2011", "2011-11-15"),
    ],
)
def test_byline_dates(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("bad", ["2014-06-31", "2023-02-30"])
def test_a_page_with_an_impossible_date_reads_without_a_date(bad: str) -> None:
    from bioatlas.model import Document
    from bioatlas.pipeline import prepare

    text = (
        f"Biopark opens a second building\nPublished {bad}\n"
        "The Biopark has opened a second laboratory building for forty start-up companies, the city said.\n"
    )
    doc = prepare(Document(id="t", raw=text, source="t.txt"))
    assert doc.published is None
    doc = prepare(Document(id="m", raw=text.replace(bad, "3 March 2020"), source="m.jsonl", meta={"published": bad}))
    assert doc.published == "2020-03-03"  # the invalid metadata date is ignored, the page's own date is used
