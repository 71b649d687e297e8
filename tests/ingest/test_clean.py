"""Cleaning: furniture out and listed, repeats out, article text kept, in every language."""

from __future__ import annotations

from bioatlas.ingest.clean import clean_text

ZH_HANS_PAGE = """您的位置：首页 > 新闻中心 > 园区动态
苏州生物医药产业园三期正式开园
发布日期：2022年07月18日
7月18日上午，苏州生物医药产业园三期B区正式开园，首批二十一家企业签约入驻，涵盖细胞治疗、核酸药物和高端医疗器械等领域，园区总投资五十亿元人民币。
园区负责人表示，将继续为入驻企业提供实验室、中试平台和临床资源对接等全链条服务，帮助创新成果更快走向市场。
相关新闻
园区举办生物医药人才招聘会
2022-07-10
独墅湖科教创新区迎来新项目
2022-07-08
东沙湖基金小镇新增三家基金
2022-07-01
版权所有 © 苏州工业园区管理委员会 苏ICP备05012345号
微信 微博
"""

ZH_HANT_REPEATED = """zh
香港科技園公司與羅氏簽署戰略合作協議
（香港，2023年1月18日）— 香港科技園公司宣布與羅氏簽署戰略合作協議，雙方將在數據協作、聯合孵化及人才培訓方面展開合作，推動大灣區成為亞太區生命健康科技的先行示範區。
科技園公司行政總裁表示，是次合作將為園區內的生物科技初創企業帶來更多臨床及市場資源，加快創新藥物和診斷技術的商品化。
（香港，2023年1月18日）— 香港科技園公司宣布與羅氏簽署戰略合作協議，雙方將在數據協作、聯合孵化及人才培訓方面展開合作，推動大灣區成為亞太區生命健康科技的先行示範區。
私隱聲明 法律聲明 © 羅氏大藥廠香港有限公司
"""

FR_PAGE = """Vous êtes ici : Accueil > Actualités
Clarity Pharmaceuticals s'installe à Liège
Publié le 18 janvier 2023
La société australienne Clarity Pharmaceuticals, spécialisée en médecine nucléaire, ouvre une filiale à Liège avec le soutien de l'AWEX. Elle y prépare des essais cliniques européens.
Vues : 12
Partager sur Facebook Twitter LinkedIn
Mentions légales | Politique de confidentialité | Cookies
"""

DE_PAGE = """Sie sind hier: Startseite > Presse
BioM und Osaka Bio Headquarters vertiefen ihre Zusammenarbeit
am 18. Juli 2024
Die Münchner Clusterorganisation BioM und die Osaka Bio Headquarters haben am Rande der BIO-Europe eine Kooperationsvereinbarung unterzeichnet. Beide Regionen wollen den Austausch von Start-ups fördern.
Foto: BioM
Anzeige
Impressum Datenschutz
"""

JA_PAGE = """ホーム > ニュース
神戸医療産業都市に新拠点を開設
日本特殊陶業は、神戸医療産業都市に医療事業の新たな拠点を開設したと発表した。人工骨などの開発を進め、進出企業・団体は三百を超えた。
コメント
Copyright © 2020 Kansai Sanpo All Rights Reserved.
"""

EN_INLINE_REPEAT = (
    "Liège keeps attracting foreign biotech companies from all over the world. "
    "The latest is Clarity Pharmaceuticals, a young Australian radiopharmaceutical company.\n"
    "Regional development since the 1990s has been impressive for the whole province."
    "Liège keeps attracting foreign biotech companies from all over the world. "
    "The latest is Clarity Pharmaceuticals, a young Australian radiopharmaceutical company.\n"
)


def test_simplified_chinese_page():
    result = clean_text(ZH_HANS_PAGE)
    assert result.title == "苏州生物医药产业园三期正式开园"
    assert "二十一家企业" in result.text and "全链条服务" in result.text
    assert "您的位置：首页 > 新闻中心 > 园区动态" in result.boilerplate
    assert "园区举办生物医药人才招聘会" in result.boilerplate and "2022-07-10" in result.boilerplate
    assert any(b.startswith("版权所有") for b in result.boilerplate)
    assert "微信 微博" in result.boilerplate
    assert "发布日期：2022年07月18日" in result.date_lines
    assert "相关新闻" not in result.text and "ICP" not in result.text


def test_traditional_chinese_repeat_and_language_tag():
    result = clean_text(ZH_HANT_REPEATED)
    assert result.title == "香港科技園公司與羅氏簽署戰略合作協議"
    assert result.text.count("雙方將在數據協作") == 1
    assert "zh" in result.boilerplate
    assert any(r.reason.startswith("repeated") for r in result.removed)
    assert not any("羅氏簽署戰略合作協議，雙方" in b for b in result.boilerplate)  # repeats are not furniture


def test_french_page():
    result = clean_text(FR_PAGE)
    assert result.title == "Clarity Pharmaceuticals s'installe à Liège"
    assert "médecine nucléaire" in result.text
    for line in (
        "Vous êtes ici : Accueil > Actualités",
        "Vues : 12",
        "Partager sur Facebook Twitter LinkedIn",
        "Mentions légales | Politique de confidentialité | Cookies",
    ):
        assert line in result.boilerplate
    assert result.date_lines == ["Publié le 18 janvier 2023"]


def test_german_page():
    result = clean_text(DE_PAGE)
    assert "Kooperationsvereinbarung" in result.text
    assert {"Foto: BioM", "Anzeige", "Impressum Datenschutz"} <= set(result.boilerplate)
    assert result.title == "BioM und Osaka Bio Headquarters vertiefen ihre Zusammenarbeit"


def test_japanese_page():
    result = clean_text(JA_PAGE)
    assert result.title == "神戸医療産業都市に新拠点を開設"
    assert "人工骨" in result.text
    assert "ホーム > ニュース" in result.boilerplate
    assert any("Copyright" in b for b in result.boilerplate)


def test_paragraph_repeated_inside_another():
    result = clean_text(EN_INLINE_REPEAT)
    assert result.text.count("Liège keeps attracting") == 1
    assert "Regional development since the 1990s" in result.text
    assert result.boilerplate == []
    assert sum(1 for r in result.removed if r.reason == "repeated sentence") == 2


def test_paragraph_spans_point_into_text():
    result = clean_text(ZH_HANS_PAGE)
    for para in result.paragraphs:
        assert result.text[para.start : para.end].strip() == result.text[para.start : para.end]
        assert para.end > para.start
