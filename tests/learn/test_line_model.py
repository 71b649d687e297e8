"""The line classifier: trains deterministically into a small plain file, reads pages it never saw,
and leaves cleaning to the rules when its file is missing or stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bioatlas.ingest.clean import clean_text
from bioatlas.learn import line_model
from bioatlas.learn.corpus import Page
from bioatlas.learn.models import using_models

# (language, menu, headline, date line, paragraphs, teasers, footer): pages written for these tests.
SITES = [
    (
        "en",
        "Home | News | Parks | Contact",
        "Harbourside park signs its first pharmaceutical tenant",
        "Published 3 May 2023",
        [
            "Harbourside Science Park has signed a ten-year lease with Calder Pharma, which will move 80 researchers into the park's new laboratory building this autumn.",
            "The company said the park's shared clean rooms and its link to the university hospital decided the move.",
        ],
        [
            "Mayor opens new ferry terminal",
            "Council election results at a glance",
            "Five restaurants to try this month",
        ],
        "© 2023 Harbourside News. All rights reserved.",
    ),
    (
        "fr",
        "Accueil | Actualités | Entreprises | Contact",
        "Un laboratoire belge s'installe au parc de Beaulieu",
        "Publié le 12 juin 2023",
        [
            "Le laboratoire belge Merval installe au parc de Beaulieu son centre de recherche européen, avec une quarantaine de chercheurs recrutés d'ici la fin de l'année.",
            "La région a accompagné le projet, qui représente un investissement de douze millions d'euros.",
        ],
        ["Travaux : la rocade fermée ce week-end", "Les résultats du marathon", "Fête de la musique : le programme"],
        "Mentions légales | Politique de confidentialité",
    ),
    (
        "de",
        "Startseite | Nachrichten | Wirtschaft | Kontakt",
        "Medizintechnikfirma eröffnet Werk im Technologiepark",
        "Veröffentlicht am 4. Juli 2023",
        [
            "Die Medizintechnikfirma Orvaline hat im Technologiepark ein neues Werk mit 150 Arbeitsplätzen eröffnet und investiert dort insgesamt 40 Millionen Euro.",
            "Die Stadt unterstützt die Ansiedlung mit einem Förderprogramm für Fachkräfte.",
        ],
        ["Neuer Radweg am Fluss freigegeben", "Wetter: Hitzewelle erwartet", "Stadtfest zieht tausende Besucher an"],
        "Impressum | Datenschutz",
    ),
    (
        "zh-Hans",
        "首页 | 新闻 | 园区 | 联系我们",
        "生物医药产业园迎来首家外资研发中心",
        "发布日期：2023年08月18日",
        [
            "8月16日，瑞士诺林制药在生物医药产业园设立亚太研发中心，首期投资三亿元，计划招聘二百名研究人员，重点开展抗体药物研究。",
            "园区管理委员会表示，将为企业提供实验室、中试平台和人才公寓等配套服务。",
        ],
        ["市民公园周末举办音乐节", "地铁新线路开通运营", "夏季高温天气提示"],
        "版权所有 © 产业园管理委员会",
    ),
    (
        "zh-Hant",
        "首頁 | 新聞 | 園區 | 聯絡我們",
        "科學園迎來首家歐洲生技公司",
        "發佈日期：2023年09月05日",
        [
            "歐洲生技公司北嶺宣布在科學園設立亞洲研發中心，預計投資港幣五億元，並招募一百名研究人員，主攻精準醫療。",
            "園區表示，將協助公司取得實驗室與臨床合作夥伴。",
        ],
        ["颱風動態 天文台發出警告", "書展明日開幕", "新巴士路線下月啟用"],
        "私隱政策 | 版權所有",
    ),
    (
        "ja",
        "ホーム | ニュース | 企業 | お問い合わせ",
        "医療産業都市に欧州製薬が研究拠点",
        "公開日：2023年10月02日",
        [
            "欧州の製薬会社ノルヴァは、医療産業都市に研究拠点を開設したと発表した。研究者六十人が抗体医薬の開発に取り組む。",
            "市は補助金で拠点の整備を支援した。",
        ],
        ["市民マラソンの参加者募集", "台風情報 週末の天気", "新しい図書館が開館"],
        "Copyright © 医療産業ニュース",
    ),
]


def page(n: int, site: tuple[str, str, str, str, list[str], list[str], str]) -> Page:
    language, menu, headline, date_line, paragraphs, teasers, footer = site
    headline = f"{headline} ({n})" if n else headline
    lines = [menu, headline, date_line, *paragraphs, *teasers, footer]
    gold = {"languages": [language], "title": headline, "boilerplate": [menu, date_line, *teasers, footer]}
    return Page(f"{language}-{n}", "\n".join(lines) + "\n", gold, Path(f"{language}-{n}.txt"), real=True)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lines")
    pages = [page(n, site) for n in range(1, 3) for site in SITES[1:]]  # English is held out
    line_model.train(pages, out)
    return out


def test_training_is_deterministic_and_small(trained: Path, tmp_path: Path) -> None:
    pages = [page(n, site) for n in range(1, 3) for site in SITES[1:]]
    stats = line_model.train(pages, tmp_path)
    assert stats["pages"] == len(pages) and stats["title_model"]
    assert (tmp_path / line_model.FILE).read_bytes() == (trained / line_model.FILE).read_bytes()
    assert (trained / line_model.FILE).stat().st_size < 1_000_000
    data = json.loads((trained / line_model.FILE).read_text(encoding="utf-8"))  # plain JSON, no pickle
    assert data["features"] and data["furniture"]["trees"]["trees"]


def test_reads_a_page_in_a_language_it_never_saw(trained: Path) -> None:
    unseen = page(0, SITES[0])
    with using_models(trained):
        assert line_model.current() is not None
        result = clean_text(unseen.text)
    assert result.title == "Harbourside park signs its first pharmaceutical tenant"
    assert "Calder Pharma" in result.text and "shared clean rooms" in result.text
    for teaser in SITES[0][5]:
        assert teaser in result.boilerplate
    assert "Mayor opens" not in result.text
    assert "Published 3 May 2023" in result.date_lines


def test_every_furniture_line_is_listed_with_a_reason(trained: Path) -> None:
    with using_models(trained):
        result = clean_text(page(0, SITES[3]).text)
    reasons = {r.text: r.reason for r in result.removed}
    assert result.boilerplate
    for line in result.boilerplate:
        assert reasons[line].startswith("boilerplate:")


def test_without_a_model_file_the_rules_clean(tmp_path: Path) -> None:
    with using_models(tmp_path):
        assert line_model.current() is None
        result = clean_text(page(0, SITES[4]).text)
    assert result.title == "科學園迎來首家歐洲生技公司"
    assert "颱風動態 天文台發出警告" in result.boilerplate
    assert "北嶺" in result.text


def test_a_model_trained_on_other_features_is_ignored(trained: Path, tmp_path: Path) -> None:
    data = json.loads((trained / line_model.FILE).read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    (tmp_path / line_model.FILE).write_text(json.dumps(data), encoding="utf-8")
    text = page(0, SITES[2]).text
    with using_models(tmp_path / "none"):
        by_rules = clean_text(text)
    with using_models(tmp_path):
        stale = clean_text(text)
    assert stale.boilerplate == by_rules.boilerplate and stale.title == by_rules.title
