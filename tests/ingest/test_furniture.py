"""Furniture patterns: each names its reason, and article sentences that merely share a word stay."""

from __future__ import annotations

import pytest

from bioatlas.ingest.furniture import furniture_reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("2. Zur Hauptnavigation springen", "skip link"),
        ("Skip to navigation", "skip link"),
        ("— Photo : Agence Durand", "photo credit"),
        ("JANE ROE/TIMES STAFF", "photo credit"),
        ("图片2", "photo credit"),
        ("댓글 0", "comment prompt"),
        ("Comments (12)", "comment prompt"),
        ("이 기사에 대해 어떻게 생각하시나요?", "comment prompt"),
        ("つづきは本紙をご覧ください", "newsletter or paywall"),
        ("#生技 #園區 #招商", "tags"),
        ("https://example.org/p/Ab12", "link"),
        ("首 页 区县招商 产业园区 企业选址", "menu"),
        ("ホーム ニュース 企業 採用", "menu"),
        ("Veuillez activer JavaScript pour afficher la page.", "browser or error notice"),
        ("404 Not Found", "browser or error notice"),
        ("EN | FR | DE", "language switch"),
        ("Reprint or redistribution without permission is prohibited.", "legal footer"),
        ("<저작권자 © 강원일보, 무단 전재-재배포 금지>", "legal footer"),
        ("未经授权，不得转载。", "legal footer"),
        ("中文版", "language switch"),
    ],
)
def test_furniture_lines(line: str, reason: str) -> None:
    assert furniture_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "It’s slated to open in 2025.",  # starts like the language tag "it"
        "From Chris Rivera – WBBA",  # "fr"
        "Entreprises exogènes",  # "en"
        "Deutschlands Biotech-Branche wächst",  # "deutsch"
        "404 companies moved to the park last year.",
        "Die Firma wird zum Marktführer springen",
        "夏季旅游旺季到来 景区客流创新高",  # a headline with one space, not a menu
        "백신산업 중심도시 안동 도약",  # Korean words are short and spaced
        "The comments of the minister were welcomed by the cluster.",
        "Reproduction of cells without permission is illegal, the court said.",
    ],
)
def test_article_lines_are_not_furniture(line: str) -> None:
    assert furniture_reason(line) is None
