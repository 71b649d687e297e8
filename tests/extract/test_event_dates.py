"""The date an event's own sentence gives: years that date the happening, and years that do not."""

from __future__ import annotations

import pytest

from bioatlas.extract.event_dates import event_date
from bioatlas.model import Document

PUBLISHED = "2023-05-10"


def _date(sentence: str, language: str, kind: str | None = "landing", published: str | None = PUBLISHED) -> str | None:
    return event_date(Document(id="t", text=sentence, published=published), sentence, language, kind)


@pytest.mark.parametrize(
    ("sentence", "language", "kind", "expected"),
    [
        ("2021年5月，阿斯利康代表团访问了北京亦庄。", "zh-Hans", "visit", "2021-05"),
        ("罗氏制药于1994年在上海张江落户。", "zh-Hans", "landing", "1994"),
        ("BioBAY 2007年开园，目前已有500家企业。", "zh-Hans", "launch", "2007"),
        ("新竹生物醫學園區於2012年正式啟用。", "zh-Hant", "launch", "2012"),
        ("Der BioCampus Cologne wurde 2002 eröffnet.", "de", "launch", "2002"),
        ("Das 2002 eröffnete Zentrum beherbergt heute 30 Firmen.", "de", "launch", "2002"),
        ("En 2019, la société australienne s'est implantée à Liège.", "fr", "landing", "2019"),
        ("In 2015 opende het bedrijf een vestiging in Leiden.", "nl", "landing", "2015"),
        ("2012년 안동시 바이오산업단지에 백신공장을 설립했다.", "ko", "expansion", "2012"),
    ],
)
def test_a_year_in_the_sentence_dates_the_event(sentence: str, language: str, kind: str, expected: str) -> None:
    assert _date(sentence, language, kind) == expected


@pytest.mark.parametrize(
    ("sentence", "language", "kind"),
    [
        # a founding year is not the landing's date
        (
            "Clarity Pharmaceuticals, founded in Sydney in 2010, has set up its first subsidiary in Liège.",
            "en",
            "landing",
        ),
        ("Créée en 2010, la société australienne s'installe à Liège.", "fr", "landing"),
        ("該公司成立於2010年，宣布在列日設立歐洲子公司。", "zh-Hant", "landing"),
        ("Das 1971 gegründete Familienunternehmen wurde von Merck übernommen.", "de", "acquisition"),
        # a plan's target
        ("The park aims to host 200 companies by 2030.", "en", "launch"),
        ("园区计划到2030年引进200家企业。", "zh-Hans", "launch"),
        ("Le campus accueillera 50 entreprises d'ici 2030.", "fr", "launch"),
        ("预计2029年建成，2031年正式投产。", "zh-Hans", "expansion"),
        # the start of a state, a name, an amount
        ("Das seit 1982 in Heidelberg ansässige Werk geht an Glycotope.", "de", "acquisition"),
        ("Geneart, Gewinner des European Biotechnica Awards 2008, wurde übernommen.", "de", "acquisition"),
        ("Die Firma beschäftigt 2000 Mitarbeiter am neuen Standort in Köln.", "de", "expansion"),
        # two years: the sentence does not say which one
        ("Nach 2015 und 2019 eröffnet die Firma ein drittes Werk.", "de", "expansion"),
    ],
)
def test_years_that_do_not_date_the_event(sentence: str, language: str, kind: str) -> None:
    assert _date(sentence, language, kind) is None


def test_a_founding_year_dates_a_park_launch() -> None:
    assert _date("Le parc scientifique, fondé en 1971, accueille 200 entreprises.", "fr", "launch") == "1971"


def test_a_later_year_is_a_plan_but_a_named_month_is_kept() -> None:
    assert _date("Die Firma eröffnet 2025 ein Werk in Köln.", "de", "expansion") is None
    assert _date("L'entreprise ouvrira en septembre 2024 son premier site.", "fr", "landing") == "2024-09"


def test_without_a_publication_date_a_single_year_is_kept() -> None:
    assert _date("苏州生物医药产业园于2007年开园。", "zh-Hans", "launch", published=None) == "2007"
