"""Figures: quantities stated about an entity, in every language, with their subject."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bioatlas.extract.figures import extract_figures, figures_in_text
from bioatlas.learn.models import using_models
from bioatlas.model import FIGURE_UNITS, Document, Entity, Figure, Mention, Paragraph


@pytest.fixture(autouse=True)
def rules_only(tmp_path):
    """These tests check the rule layer: no learned figure model (an empty model folder)."""
    with using_models(tmp_path):
        yield


# An entity spec: id -> (type, [surface forms]); every occurrence of a form becomes a mention.
Spec = dict[str, tuple[str, list[str]]]


def make_doc(text: str, lang: str | None, entities: Spec | None = None) -> Document:
    """One document, one paragraph per line, entity mentions found by plain search."""
    paragraphs = [Paragraph(m.start(), m.end(), lang) for m in re.finditer(r"[^\n]+", text)]
    ents = []
    for eid, (etype, forms) in (entities or {}).items():
        mentions: list[Mention] = []
        for form in sorted(forms, key=len, reverse=True):
            for m in re.finditer(re.escape(form), text):
                if not any(x.start <= m.start() < x.end for x in mentions):
                    mentions.append(Mention(form, m.start(), m.end(), "reference"))
        ents.append(Entity(id=eid, name=forms[0], type=etype, mentions=mentions))
    return Document(id="t", text=text, paragraphs=paragraphs, entities=ents)


def figs(text: str, lang: str | None, entities: Spec | None = None) -> list[Figure]:
    return extract_figures(make_doc(text, lang, entities))


def triples(found: list[Figure]) -> list[tuple[float, str, str | None]]:
    return [(f.value, f.unit, f.subject) for f in found]


def check_spans(text: str, found: list[Figure]) -> None:
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert f.method == "pattern"
        assert len(f.evidence) <= 200
        assert text[f.start : f.end] in text
        assert f.what


# --------------------------------------------------------------------------------------------
# The example from the brief
# --------------------------------------------------------------------------------------------


def test_brief_example_zh_hans() -> None:
    text = "列日目前有72家生命科学领域公司,每年可创造100多个新的工作机会。"
    s = text.index("列日")
    doc = Document(
        id="t",
        text=text,
        paragraphs=[Paragraph(0, len(text), "zh-Hans")],
        entities=[Entity(id="e1", name="Liège", type="place", mentions=[Mention("列日", s, s + 2, "reference")])],
    )
    found = extract_figures(doc)
    assert triples(found) == [(72, "companies", "e1"), (100, "jobs", "e1")]
    assert found[0].what == "companies in Liège"
    assert text[found[0].start : found[0].end] == "72家生命科学领域公司"
    assert found[1].qualifier == "more than"
    assert found[0].evidence == text
    check_spans(text, found)


# --------------------------------------------------------------------------------------------
# Per language
# --------------------------------------------------------------------------------------------

LIEGE: Spec = {"e1": ("place", ["Liège", "列日"]), "e5": ("company", ["Mithra"])}


def test_english() -> None:
    text = (
        "Liège currently has 72 companies active in the life sciences that create more than one hundred "
        "new jobs per year. Mithra signed contracts in some 40 countries."
    )
    found = figs(text, "en", LIEGE)
    assert triples(found) == [(72, "companies", "e1"), (100, "jobs", "e1"), (40, "countries", "e5")]
    assert [f.qualifier for f in found] == [None, "more than", "about"]
    assert found[1].what == "new jobs in Liège"
    check_spans(text, found)


def test_english_money_area_and_pronoun_subject() -> None:
    text = (
        "US manufacturing company Technimark is to create 80 new jobs as it doubles the size of its "
        "50,000sq ft plant in Co Longford. Technimark will invest €26 million to expand the facility.\n"
        "Medbio is expected to invest $3.5 million for the expansion. It is projected to add 43 new jobs, "
        "continuing a trend of job growth in West Michigan."
    )
    ents: Spec = {
        "e1": ("company", ["Technimark"]),
        "e2": ("place", ["Co Longford", "US"]),
        "e3": ("company", ["Medbio"]),
        "e4": ("place", ["West Michigan"]),
    }
    found = figs(text, "en", ents)
    assert triples(found) == [
        (80, "jobs", "e1"),
        (4645, "m2", "e1"),  # 50,000 square feet
        (26_000_000, "EUR", "e1"),
        (3_500_000, "USD", "e3"),
        (43, "jobs", "e3"),
    ]
    assert "square feet" in found[1].what and found[1].unit == "m2"
    assert found[2].what == "investment (Technimark)"
    check_spans(text, found)


def test_english_entity_inside_the_phrase_and_after_area() -> None:
    text = (
        "The 29 West Michigan companies in that sector have grown.\n"
        "The 6,500 sq. ft. Business Innovation Centre North was set up by NUI Galway. "
        "The facility has room for up to 100 employees."
    )
    ents: Spec = {
        "e5": ("place", ["West Michigan"]),
        "e1": ("park", ["Business Innovation Centre North"]),
        "e2": ("research", ["NUI Galway"]),
    }
    found = figs(text, "en", ents)
    assert triples(found) == [(29, "companies", "e5"), (603.85, "m2", "e1"), (100, "people", "e1")]
    assert found[2].qualifier == "up to"


def test_english_locative_subject_after_the_number() -> None:
    text = (
        "At least 15 companies from Europe have set up shop in the Bay State over the past four years, "
        "according to the Massachusetts Life Sciences Center."
    )
    ents: Spec = {
        "e3": ("place", ["Bay State"]),
        "e4": ("place", ["Europe"]),
        "e5": ("agency", ["Massachusetts Life Sciences Center"]),
    }
    found = figs(text, "en", ents)
    assert triples(found) == [(15, "companies", "e3")]
    assert found[0].qualifier == "at least"


def test_french() -> None:
    text = (
        "Bioparc accueille quatre nouvelles entreprises.\n"
        "Le site de 3,4 hectares accueillera le pôle Bioserra, porté par Vaillance Immobilier pour "
        "20 M€ d'investissement. Il comptera plus de 4 000 m² et 80 emplois, où travailleront 200 chercheurs."
    )
    ents: Spec = {
        "e1": ("park", ["Bioparc"]),
        "e15": ("park", ["Bioserra"]),
        "e16": ("company", ["Vaillance Immobilier"]),
    }
    found = figs(text, "fr", ents)
    got = {(f.value, f.unit) for f in found}
    assert got == {
        (4, "companies"),
        (3.4, "hectares"),
        (20_000_000, "EUR"),
        (4000, "m2"),
        (80, "jobs"),
        (200, "researchers"),
    }
    assert found[0].subject == "e1"
    assert next(f for f in found if f.unit == "hectares").subject == "e1"  # 'Le site' -> Bioparc
    assert next(f for f in found if f.unit == "m2").qualifier == "more than"
    check_spans(text, found)


def test_german() -> None:
    text = (
        "Ende 2017 hatte Lyonbiopôle 208 Mitglieder: 6 Gründungsmitglieder des Zentrums, 4 Großunternehmen "
        "(Sanofi Pasteur, BioMérieux), die Mérieux-Stiftung, 12 Tochtergesellschaften von Großkonzernen und "
        "175 KMU. Das IZB schafft 80 Arbeitsplätze auf 11.000 m². Im Jahr 2021 haben die im IZB ansässigen "
        "Unternehmen rund 163 Millionen Euro eingeworben."
    )
    ents: Spec = {
        "e1": ("cluster", ["Lyonbiopôle"]),
        "e2": ("company", ["Sanofi Pasteur"]),
        "e3": ("company", ["BioMérieux"]),
        "e4": ("research", ["Mérieux-Stiftung"]),
        "e6": ("park", ["IZB"]),
    }
    found = figs(text, "de", ents)
    assert triples(found) == [
        (208, "members", "e1"),
        (6, "members", "e1"),
        (4, "companies", "e1"),
        (12, "companies", "e1"),
        (175, "companies", "e1"),
        (80, "jobs", "e6"),
        (11000, "m2", "e6"),
        (163_000_000, "EUR", "e6"),
    ]
    assert found[-1].qualifier == "about"


def test_dutch() -> None:
    text = (
        "Op 1 maart 2022 start de bouw van Grizzly. Met een oppervlakte van 11.000 m², verdeeld over acht "
        "verdiepingen, wordt Grizzly het grootste gebouw. Pivot Park telt ruim 60 bedrijven, 80 banen en "
        "meer dan 2.500 medewerkers."
    )
    ents: Spec = {"e1": ("park", ["Pivot Park"]), "e2": ("place", ["Grizzly"])}
    found = figs(text, "nl", ents)
    assert triples(found) == [
        (11000, "m2", "e2"),
        (8, "other", "e2"),  # eight floors
        (60, "companies", "e1"),
        (80, "jobs", "e1"),
        (2500, "people", "e1"),
    ]
    assert [f.qualifier for f in found] == [None, None, "more than", None, "more than"]


def test_chinese_simplified() -> None:
    text = (
        "7月18日上午,苏州生物医药产业园(BioBAY)三期B区正式开园,并迎来首批入驻的21家新企业。"
        "该项目占地3.11公顷,总建筑面积7.05万平方米,总投资额达50亿元人民币。"
        "苏州生物医药产业园是园区倾力打造的创新载体,载体总面积超118万平米,入驻高科技创新企业550余家,"
        "集聚各级领军人才超900人,逾三千名研究人员。整个园区占地八公顷。"
    )
    ents: Spec = {
        "e1": ("park", ["苏州生物医药产业园", "BioBAY"]),
        "e2": ("park", ["三期B区"]),
        "e3": ("park", ["园区"]),
    }
    found = figs(text, "zh-Hans", ents)
    assert triples(found) == [
        (21, "companies", "e2"),
        (3.11, "hectares", "e2"),
        (70500, "m2", "e2"),
        (5_000_000_000, "CNY", "e2"),
        (1_180_000, "m2", "e1"),
        (550, "companies", "e1"),
        (900, "people", "e1"),
        (3000, "researchers", "e1"),
        (8, "hectares", "e1"),
    ]
    assert [f.qualifier for f in found][4:8] == ["more than"] * 4
    check_spans(text, found)


def test_chinese_traditional() -> None:
    text = (
        "科技園公司在香港建立了蓬勃的創科生態圈,三間獨角獸企業經已落戶,亦匯聚超過12,000名研究人才,"
        "以及逾1,200間從事生物醫藥技術、人工智能及金融科技的科技公司。"
        "臺北市生物産業協會廣州經貿考察團一行12人來穗。該園區總投資10億港元。"
    )
    ents: Spec = {
        "e1": ("park", ["科技園公司"]),
        "e2": ("place", ["香港"]),
        "e3": ("cluster", ["臺北市生物産業協會"]),
        "e4": ("place", ["廣州"]),
    }
    found = figs(text, "zh-Hant", ents)
    assert triples(found) == [
        (3, "companies", "e1"),
        (12000, "researchers", "e1"),
        (1200, "companies", "e1"),
        (12, "people", "e3"),
        (1_000_000_000, "HKD", "e3"),
    ]


def test_japanese() -> None:
    text = (
        "これにより、神戸医療産業都市に進出した企業・団体は2020年1月末で368社となった。"
        "事業費は20年間で4,400億円(うち神戸市負担700億円)で、雇用者数は約11,000人となっている。"
        "同社は新工場で80人の雇用を生み出し、約40か国に製品を販売する。"
    )
    ents: Spec = {
        "e2": ("cluster", ["神戸医療産業都市"]),
        "e5": ("place", ["神戸市"]),
        "e1": ("company", ["日本特殊陶業"]),
    }
    text = "日本特殊陶業が神戸医療産業都市に進出する。" + text
    found = figs(text, "ja", ents)
    assert triples(found) == [
        (368, "companies", "e2"),
        (440_000_000_000, "other", "e2"),
        (70_000_000_000, "other", "e5"),
        (11000, "people", "e2"),
        (80, "jobs", "e1"),
        (40, "countries", "e1"),
    ]
    assert "JPY" in found[1].what


def test_korean() -> None:
    text = "오송생명과학단지에는 바이오 기업 50곳이 입주했으며 일자리 300개를 창출했다. 연구원 120명이 근무한다."
    ents: Spec = {"e1": ("park", ["오송생명과학단지"])}
    found = figs(text, "ko", ents)
    assert triples(found) == [(50, "companies", "e1"), (300, "jobs", "e1"), (120, "researchers", "e1")]


def test_ja_and_ko_jobs_wording() -> None:
    assert [(f.value, f.unit) for f in figures_in_text("新工場で80人の雇用を創出", "ja")] == [(80, "jobs")]
    assert [(f.value, f.unit) for f in figures_in_text("일자리 80개를 만든다", "ko")] == [(80, "jobs")]
    assert [(f.value, f.unit) for f in figures_in_text("80개의 일자리", "ko")] == [(80, "jobs")]


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("The site will create 80 jobs.", "en", 80, "jobs"),
        ("Le site créera 80 emplois.", "fr", 80, "jobs"),
        ("Es entstehen 80 Arbeitsplätze.", "de", 80, "jobs"),
        ("Er komen 80 banen bij.", "nl", 80, "jobs"),
        ("The cluster counts 12,000 researchers.", "en", 12000, "researchers"),
        ("Der Cluster hat 208 Mitglieder.", "de", 208, "members"),
        ("Le pôle compte 368 adhérents.", "fr", 368, "members"),
        ("The park hosts 368 organisations.", "en", 368, "companies"),
        ("The park hosts 40 start-ups.", "en", 40, "companies"),
        ("Het park telt 40 huurders.", "nl", 40, "companies"),
        ("a 25,000-square-foot building", "en", 2322.5, "m2"),
        ("11.000 m² vloeroppervlak", "nl", 11000, "m2"),
        ("sur 6000 m²", "fr", 6000, "m2"),
        ("园区占地8 公顷", "zh-Hans", 8, "hectares"),
        ("园区占地八公顷", "zh-Hans", 8, "hectares"),
        ("建筑面积1.2万平方米", "zh-Hans", 12000, "m2"),
        ("吸引40多个国家和地区的企业", "zh-Hans", 40, "countries"),
        ("带动就业3000人", "zh-Hans", 3000, "jobs"),
        ("The 50-hectare park", "en", 50, "hectares"),
        ("a staff of 50", "en", 50, "people"),
    ],
)
def test_unit_words(text: str, lang: str, value: float, unit: str) -> None:
    found = figures_in_text(text, lang)
    assert [(f.value, f.unit) for f in found] == [(value, unit)]


# --------------------------------------------------------------------------------------------
# Not figures
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("In 2019 the park opened on 18 January 2023 at 16:52.", "en"),
        ("Sales grew 20% and 45 percent of companies agreed.", "en"),
        ("It ranked 1st among the top 20 companies; Fortune 500 companies attended.", "en"),
        ("Call +32 4 123 45 67 or see Building 500 and the 10 point plan.", "en"),
        ("1. Introduction 2. Results 3. Outlook", "en"),
        ("The two companies signed an MoU with 5 board members and 30 members of parliament.", "en"),
        ("The global market will reach $5bn by 2025.", "en"),
        ("COVID-19 affected 2 million people.", "en"),
        ("En 2018, 45 % des sociétés ont levé des fonds.", "fr"),
        ("Les deux entreprises tablaient sur un succès.", "fr"),
        ("Op 1 maart 2022 start de bouw; 70 procent is verhuurd.", "nl"),
        ("2020年1月18日,第一批企业入驻,占比30%。前10名企业。", "zh-Hans"),
        ("数十家企业,十几家公司,一家新公司,两人会面,三地签约,一带一路。", "zh-Hans"),
        ("百分之二十的企业。", "zh-Hans"),
        ("第3四半期。2023년 5월 3일.", "ja"),
        ("Dozens of companies and des dizaines d'entreprises; decine di aziende.", "en"),
        ("The shares were priced at $12.50 per share, a 3:1 ratio.", "en"),
        ("The plant will produce 500 tonnes a year on 3 production lines.", "en"),
    ],
)
def test_not_figures(text: str, lang: str) -> None:
    assert figures_in_text(text, lang) == []


# --------------------------------------------------------------------------------------------
# Document-level behaviour
# --------------------------------------------------------------------------------------------


def test_repeated_and_translated_statements_are_one_figure() -> None:
    text = (
        "列日目前有72家生命科學領域公司。\n"
        "Liège currently has 72 companies active in the life sciences.\n"
        "Liège currently has 72 companies active in the life sciences."
    )
    doc = make_doc(text, None, LIEGE)
    doc.paragraphs[0].language = "zh-Hant"
    for p in doc.paragraphs[1:]:
        p.language = "en"
    found = extract_figures(doc)
    assert triples(found) == [(72, "companies", "e1")]


def test_no_entities_gives_no_subject() -> None:
    found = figures_in_text("The park has 72 companies.", "en")
    assert triples(found) == [(72, "companies", None)]
    assert found[0].what == "companies"


def test_subject_from_previous_sentence_and_paragraph() -> None:
    text = "Medbio expands in Cascade Township.\nThe company plans to renovate a 25,000-square-foot building."
    ents: Spec = {"e1": ("company", ["Medbio"]), "e2": ("place", ["Cascade Township"])}
    found = figs(text, "en", ents)
    assert triples(found) == [(2322.5, "m2", "e1")]


def test_cited_source_and_person_titles_are_not_subjects() -> None:
    text = "According to Reuters, the park now hosts 120 companies. BioWin CEO Jean Dupont said 30 jobs are open."
    ents: Spec = {
        "e1": ("company", ["Reuters"]),
        "e2": ("cluster", ["BioWin"]),
        "e3": ("person", ["Jean Dupont"]),
        "e4": ("park", ["the park"]),
    }
    found = figs(text, "en", {k: v for k, v in ents.items() if k != "e4"})
    assert triples(found) == [(120, "companies", None), (30, "jobs", None)]
    ents["e4"] = ("park", ["Genopole"])
    found = figs("Genopole opened a new wing. " + text, "en", ents)
    assert triples(found) == [(120, "companies", "e4"), (30, "jobs", "e4")]


def test_evidence_is_trimmed_to_the_clause() -> None:
    filler = ", ".join(f"clause number {w}" for w in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"] * 3)
    text = f"BioWin, {filler}, counts 208 members, {filler}."
    found = figs(text, "en", {"e1": ("cluster", ["BioWin"])})
    assert triples(found) == [(208, "members", "e1")]
    assert len(found[0].evidence) <= 200
    assert "208 members" in found[0].evidence


def test_paragraph_language_drives_separators() -> None:
    text = "Das Zentrum hat 1.500 Mitarbeiter.\nThe centre has 1,500 employees."
    doc = make_doc(text, None)
    doc.paragraphs[0].language = "de"
    doc.paragraphs[1].language = "en"
    assert [(f.value, f.unit) for f in extract_figures(doc)] == [(1500, "people")]


def test_figures_serialise() -> None:
    (f,) = figures_in_text("Het park telt 80 bedrijven.", "nl")
    data = f.to_json()
    assert data["value"] == 80 and data["unit"] == "companies" and data["method"] == "pattern"


def test_empty_document() -> None:
    assert extract_figures(Document(id="x")) == []


_PIECES = [
    "Liège has ",
    "72 ",
    "companies",
    " and ",
    "more than ",
    "one hundred ",
    "new jobs",
    ". ",
    "€26 million ",
    "invested",
    " in 2019",
    ", 11.000 m²",
    "列日",
    "有",
    "72家",
    "公司",
    "逾三千名研究人员",
    "。",
    "8公顷",
    "\n",
    "Mitglieder",
    "208 ",
    "일자리 80개",
    "1,000억 원",
    "(",
    ")",
    ": ",
    "12,000 researchers",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), st.sampled_from([None, "en", "zh-Hant", "de"]))
def test_extract_figures_never_fails(text: str, lang: str | None) -> None:
    found = figs(text, lang, LIEGE)
    check_spans(text, found)
    assert len({(f.unit, f.value) for f in found}) == len(found)
    for f in found:
        assert f.unit in FIGURE_UNITS
        assert f.subject in (None, "e1", "e5")


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit", "qualifier"),
    [
        ("社員100人以上が働く", "ja", 100, "people", "more than"),
        ("일자리 80개 이상", "ko", 80, "jobs", "more than"),
        ("员工300人左右", "zh-Hans", 300, "people", "about"),
        ("80 jobs or more", "en", 80, "jobs", "more than"),
        ("80 to 100 jobs", "en", 100, "jobs", "up to"),
        ("bis zu 200 Arbeitsplätze", "de", 200, "jobs", "up to"),
        ("près de 50 emplois", "fr", 50, "jobs", "nearly"),
        ("ruim 60 bedrijven", "nl", 60, "companies", "more than"),
    ],
)
def test_qualifiers_on_figures(text: str, lang: str, value: float, unit: str, qualifier: str) -> None:
    (f,) = figures_in_text(text, lang)
    assert (f.value, f.unit, f.qualifier) == (value, unit, qualifier)


# --------------------------------------------------------------------------------------------
# Money of every kind, areas in every unit, approximate counts, ranges
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("The firm raised $30m in a Series B round led by GV.", "en", 30_000_000, "USD"),
        ("SpyBiotech raked in £4 million in seed funding.", "en", 4_000_000, "other"),
        ("Am 8. November sammelte die Firma 15 Millionen Euro ein.", "de", 15_000_000, "EUR"),
        ("公司完成5000万元A轮融资。", "zh-Hans", 50_000_000, "CNY"),
        ("シリーズAで6.5億円を調達した。", "ja", 650_000_000, "other"),
        ("시리즈A로 40억원 규모의 투자를 유치했다.", "ko", 4_000_000_000, "other"),
        ("The group will invest KRW 120.7 billion in the centre.", "en", 120_700_000_000, "other"),
        ("Bolaget investerar SEK 500 million i anläggningen.", "en", 500_000_000, "other"),
        ("Lonza investit 300 millions CHF dans le site.", "fr", 300_000_000, "other"),
        ("Il progetto vale circa 12 milioni di euro.", "it", 12_000_000, "EUR"),
        ("該公司投資新臺幣6.5億元。", "zh-Hant", 650_000_000, "other"),
    ],
)
def test_money_in_every_currency(text: str, lang: str, value: float, unit: str) -> None:
    assert [(f.value, f.unit) for f in figures_in_text(text, lang)] == [(value, unit)]


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("The park covers 2.3 km² of land.", "en", 230, "hectares"),
        ("Le parc s'étend sur quelque 2,3 km².", "fr", 230, "hectares"),
        ("Das Gelände ist 30 km2 groß.", "de", 3000, "hectares"),
        ("规划面积约44平方公里。", "zh-Hans", 4400, "hectares"),
        ("新廠房樓地板面積約1,500坪。", "zh-Hant", 4959, "m2"),
        ("建築面積約1.2萬坪。", "zh-Hant", 39672, "m2"),
        ("부지 면적은 2만 평이다.", "ko", 66120, "m2"),
        ("about 100,000 square feet of lab space", "en", 9290, "m2"),
        ("占地面积90余亩", "zh-Hans", 6, "hectares"),
        ("L'area copre circa 35 ettari.", "it", 35, "hectares"),
    ],
)
def test_areas_are_converted(text: str, lang: str, value: float, unit: str) -> None:
    assert [(f.value, f.unit) for f in figures_in_text(text, lang)] == [(value, unit)]


def test_an_area_restated_in_brackets_is_one_figure() -> None:
    found = figures_in_text("6만6000m²(약 2만 평)의 터에 공장을 짓는다.", "ko")
    assert [(f.value, f.unit) for f in found] == [(66000, "m2")]
    found = figures_in_text("NT$100 billion [US$3.2 billion] a year", "en")
    assert [(f.value, f.unit) for f in found] == [(100_000_000_000, "other")]


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("Le parc accueille une quinzaine d'entreprises.", "fr", 15, "companies"),
        ("Il incubatore ospita una decina di società start-up.", "it", 10, "companies"),
        ("A dozen firms moved in.", "en", 12, "companies"),
        ("Er werken een tiental bedrijven.", "nl", 10, "companies"),
        ("Es entstehen ein Dutzend Arbeitsplätze.", "de", 12, "jobs"),
    ],
)
def test_approximate_counts(text: str, lang: str, value: float, unit: str) -> None:
    found = figures_in_text(text, lang)
    assert [(f.value, f.unit, f.qualifier) for f in found] == [(value, unit, "about")]


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("It will invest between €10m and €20m in the site.", "en", 20_000_000),
        ("分别给予30万至500万元的奖励。", "zh-Hans", 5_000_000),
        ("Das Unternehmen beschäftigt 70 bis 80 Mitarbeiter.", "de", 80),
        ("More than 100 companies are based there.", "en", 100),
        ("Ad oggi riunisce oltre cinquanta aziende.", "it", 50),
    ],
)
def test_ranges_give_the_upper_bound(text: str, lang: str, value: float) -> None:
    assert [f.value for f in figures_in_text(text, lang)] == [value]


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("南宁经开区共引进项目90个,其中78个项目入驻。", "zh-Hans", 78),
        ("ポーアイにはレンタルラボが10棟以上ある。", "ja", 10),
        ("대웅제약은 8개 현지법인을 두고 있다.", "ko", 8),
        ("De campus telt ruim 60 fabrieken.", "nl", 60),
        ("Tuttlingen hat rund 35.000 Einwohner.", "de", 35000),
    ],
)
def test_other_counts(text: str, lang: str, value: float) -> None:
    assert value in [f.value for f in figures_in_text(text, lang)]


def test_a_huge_number_never_crashes() -> None:
    digits = "9" * 309
    for lang in ("en", "de", "zh-Hans", None):
        assert figures_in_text(f"The park has {digits} companies and €{digits} million.", lang) == []
    assert figures_in_text("九" * 400 + "万家企业", "zh-Hans") == []


def test_money_given_for_someone_is_theirs() -> None:
    ents: Spec = {"e1": ("company", ["Bioventus"]), "e2": ("company", ["CartiHeal"]), "e3": ("company", ["Medicago"])}
    text = "Bioventus provided $2.5m in a $21m round for CartiHeal."
    assert triples(figs(text, "en", ents)) == [(2_500_000, "USD", "e1"), (21_000_000, "USD", "e2")]
    text = "Ottawa versera jusqu'à 173 millions de dollars à Medicago. Bioventus investit 5 millions d'euros pour CartiHeal."
    assert [(f.value, f.subject) for f in figs(text, "fr", ents)][1:] == [(5_000_000, "e2")]


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("台北市生技廠商家數已達364家。", "zh-Hant", 364, "companies"),
        ("园区已聚集百余家企业。", "zh-Hans", 100, "companies"),
        ("これまでに65の機関が進出した。", "ja", 65, "companies"),
        ("40여개 의료연구개발 기업과 지원기관이 입주해 있다.", "ko", 40, "companies"),
        ("Die 73 Esbatech-Mitarbeitenden bleiben.", "de", 73, "people"),
    ],
)
def test_counts_written_around_the_noun(text: str, lang: str, value: float, unit: str) -> None:
    assert [(f.value, f.unit) for f in figures_in_text(text, lang)] == [(value, unit)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kurz zuvor wurde das 1971 gegründete Familienunternehmen gekauft.", "de"),
        ("近兩年在硬體建設、促進項目落地等各項工作均取得了一定的進展。", "zh-Hant"),
    ],
)
def test_years_before_a_noun_are_not_counts(text: str, lang: str) -> None:
    assert figures_in_text(text, lang) == []


def test_a_currency_conversion_in_brackets_is_the_same_amount() -> None:
    found = figures_in_text("樂天醫藥宣布完成1億美元（約新台幣31.4億元）的F輪融資。", "zh-Hant")
    assert [(f.value, f.unit) for f in found] == [(100_000_000, "USD")]
