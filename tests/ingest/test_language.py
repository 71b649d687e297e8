"""Language per paragraph and per document, both Chinese scripts told apart."""

from __future__ import annotations

import pytest

from bioatlas.ingest.language import detect_language, document_languages, tag_paragraphs
from bioatlas.model import Paragraph


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北京亦庄这座位于中国首都的高科技产业园区即将迎来医药产业的革新", "zh-Hans"),
        ("列日一直努力吸引外國生技醫療技術公司入駐，現今已有來自各地的公司在此設點", "zh-Hant"),
        ("香港科技園公司與羅氏簽署戰略合作協議", "zh-Hant"),
        ("神戸医療産業都市に新しい拠点を開設した", "ja"),
        ("삼성바이오로직스가 송도에 제5공장을 짓는다", "ko"),
        ("Lyonbiopôle schließt sich mit drei anderen europäischen Clustern zusammen", "de"),
        ("Le Bioparc accueille quatre nouvelles entreprises dans le numérique et la santé", "fr"),
        ("Pivot Park is klaar voor de start van de bouw van een nieuw gebouw", "nl"),
        ("The company will open a new research centre in the science park next year", "en"),
        ("Il Piemonte ospita un grande polo di biotecnologie e ricerca medica", "it"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_kangxi_radical_is_normalised():
    # U+2F12 KANGXI RADICAL POWER stands for 力 in some crawled pages.
    assert detect_language("列日一直努⼒吸引外國生技醫療技術公司入駐") == "zh-Hant"


def test_short_paragraph_takes_neighbour_language():
    text = "AWEX\n\n瓦隆尼亞外貿投資總署協助澳洲公司在列日設點，並提供市場拓展服務。"
    paragraphs = [Paragraph(0, 4), Paragraph(6, len(text))]
    tag_paragraphs(text, paragraphs)
    assert [p.language for p in paragraphs] == ["zh-Hant", "zh-Hant"]


def test_bilingual_page_lists_original_first():
    zh = "列日目前有七十二家生命科學公司，每年創造一百多個新的工作機會，吸引了來自世界各地的生技企業。"
    en = (
        "Liège currently has 72 companies active in the life sciences that create more than one hundred "
        "new jobs per year, and attracts biotech firms from all over the world. "
    ) * 2
    text = zh + "\n\n" + en
    paragraphs = [Paragraph(0, len(zh)), Paragraph(len(zh) + 2, len(text))]
    tag_paragraphs(text, paragraphs)
    assert document_languages(text, paragraphs) == ["zh-Hant", "en"]


def test_minor_language_below_share_is_left_out():
    de = "Die Clusterorganisation BioM unterstützt Start-ups in München und vernetzt sie international. " * 5
    text = de + "\n\nSee also"
    paragraphs = [Paragraph(0, len(de)), Paragraph(len(de) + 2, len(text))]
    tag_paragraphs(text, paragraphs)
    assert document_languages(text, paragraphs) == ["de"]
