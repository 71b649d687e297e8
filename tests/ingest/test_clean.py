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


EN_SHORT_PARAGRAPHS = """Skip to main content
Northvale to build vaccine plant in Brightwater Valley
March 4, 2024
Northvale Biologics will invest 400 million euros in a vaccine plant in Brightwater Valley, the regional development agency announced on Monday after two years of negotiations with the company.
The plant will employ 350 people.
Construction starts this summer.
The company chose Brightwater Valley over two other regions because of its university hospital, its port and the grant offered by the regional government, according to the agency.
Northvale already runs a research centre in the valley, where 120 scientists work on mRNA vaccines for animal health.
Related stories
Harbour city opens new marine research hub
Local council approves budget for cycling lanes
Why coffee prices keep going up this winter
0 Comments
"""

ZH_HANS_NAV_TITLE = """首页 新闻中心 园区动态 招商政策 联系我们
滨江生物医药港迎来首家外资研发中心
来源：滨江日报 2024-05-12 09:30
5月10日，德国远岭制药在滨江生物医药港设立亚太研发中心，首期投资两亿元，将招聘一百五十名研究人员，重点开展抗体药物和细胞治疗研究。
园区管理委员会表示，将为入驻企业提供实验室租赁、中试平台和人才公寓等配套服务，帮助企业尽快投入研发。
该中心预计明年投入使用。
远岭制药亚太区负责人表示，滨江的人才储备和产业配套是公司选择在此落户的主要原因，未来还将考虑在园区建设生产基地。
热门推荐
滨江区举办青年创业大赛决赛
夏季旅游旺季到来 景区客流创新高
市民中心周末开放时间调整
"""

ZH_HANT_BYLINE = """記者陳大文／新竹報導
生醫園區迎來首家歐洲藥廠
2024-06-03 14:22
歐洲藥廠北嶺生技宣布在新竹生醫園區設立亞洲研發中心，預計投資新台幣十億元，並招募八十名研究人員，主攻抗體藥物與精準醫療。
園區管理局表示，將協助廠商取得實驗室與人才，並媒合在地醫院進行臨床試驗，盼吸引更多國際藥廠進駐。
北嶺生技執行長指出，台灣的半導體與資通訊產業基礎，有助公司發展數位醫療與人工智慧新藥開發。
延伸閱讀
台北國際書展明日開幕
颱風動態 氣象局發布海上警報
"""

FR_ERROR_BANNER = """Veuillez activer JavaScript pour profiter de toutes les fonctionnalités du site.
Page introuvable
Genoria ouvre un centre de recherche à Lyon
Publié le 14 février 2024
La biotech suisse Genoria ouvre à Lyon un centre de recherche consacré aux vaccins à ARN messager, avec une cinquantaine de chercheurs recrutés d'ici la fin de l'année.
L'entreprise a choisi le biodistrict de Gerland pour la proximité des laboratoires publics et de l'hôpital, a indiqué sa directrice générale.
La région a accordé une subvention de deux millions d'euros au projet, qui doit ouvrir ses portes en septembre.
"""


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


def test_short_article_sentences_stay_and_teasers_go():
    result = clean_text(EN_SHORT_PARAGRAPHS)
    assert result.title == "Northvale to build vaccine plant in Brightwater Valley"
    for sentence in ("The plant will employ 350 people.", "Construction starts this summer."):
        assert sentence in result.text and sentence not in result.boilerplate
    for teaser in ("Harbour city opens new marine research hub", "Why coffee prices keep going up this winter"):
        assert teaser in result.boilerplate
    assert "0 Comments" in result.boilerplate
    assert result.date_lines == ["March 4, 2024"]


def test_menu_bar_is_not_the_title():
    result = clean_text(ZH_HANS_NAV_TITLE)
    assert result.title == "滨江生物医药港迎来首家外资研发中心"
    assert "首页 新闻中心 园区动态 招商政策 联系我们" in result.boilerplate
    assert "市民中心周末开放时间调整" in result.boilerplate
    assert "该中心预计明年投入使用。" in result.text
    assert "来源：滨江日报 2024-05-12 09:30" in result.date_lines


def test_reporter_byline_and_further_reading_are_furniture():
    result = clean_text(ZH_HANT_BYLINE)
    assert result.title == "生醫園區迎來首家歐洲藥廠"
    assert "記者陳大文／新竹報導" in result.boilerplate
    assert {"延伸閱讀", "台北國際書展明日開幕"} <= set(result.boilerplate)
    assert "臨床試驗" in result.text and "記者" not in result.text


def test_browser_and_error_notices_are_neither_title_nor_text():
    result = clean_text(FR_ERROR_BANNER)
    assert result.title == "Genoria ouvre un centre de recherche à Lyon"
    assert "Page introuvable" in result.boilerplate
    assert not any("JavaScript" in p for p in result.text.split("\n\n"))
    reasons = {r.text: r.reason for r in result.removed}
    assert reasons["Page introuvable"] == "boilerplate: browser or error notice"


def test_every_removed_line_has_a_reason():
    for page in (EN_SHORT_PARAGRAPHS, ZH_HANS_NAV_TITLE, ZH_HANT_BYLINE, FR_ERROR_BANNER, DE_PAGE, JA_PAGE):
        result = clean_text(page)
        reasons = {r.text: r.reason for r in result.removed}
        for line in result.boilerplate:
            assert reasons[line].startswith("boilerplate:")


def test_source_line_at_the_foot_dates_a_page_without_a_byline():
    page = (
        "Gangwon signs bio-health pact with Kobe\n"
        "Gangwon Province and the Kobe Biomedical Innovation Cluster signed an agreement on Tuesday to exchange "
        "companies and researchers, the province said, adding that five firms would visit Kobe next month.\n"
        "Source: Yonhap News (Apr 14, 2021)\n"
    )
    result = clean_text(page)
    assert result.date_lines == ["Source: Yonhap News (Apr 14, 2021)"]
    assert "Source: Yonhap News (Apr 14, 2021)" in result.boilerplate
    with_byline = clean_text(page.replace("\n", "\nPublished 2 March 2021\n", 1))
    assert with_byline.date_lines == ["Published 2 March 2021"]  # the header's date comes first


def test_a_page_of_one_short_paragraph_is_never_emptied():
    for raw in (
        "罗氏在上海张江投资。羅氏與香港科技園合作。Roche is based in Basel.",
        "Die Firma Zorblax eröffnet ein Labor in Heidelberg.",
    ):
        result = clean_text(raw)
        assert result.text.strip() == raw
