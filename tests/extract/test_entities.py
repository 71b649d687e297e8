"""Entities in every language: reference data, name patterns, roles, and merging within a document."""

from __future__ import annotations

from tests.extract.conftest import by_name


def _types(doc) -> dict[str, str]:
    return {e.name: e.type for e in doc.entities}


def test_traditional_chinese_with_english_names(read):
    doc = read(
        "列日一直努力吸引外國生技公司。如最新入駐的澳洲公司Clarity Pharmaceuticals，透過瓦隆尼亞外貿投資總署（AWEX）"
        "的協助落腳列日。香港科技園公司行政總裁黃克強表示歡迎。"
    )
    names = by_name(doc)
    assert names["Liège"].type == "place" and {"列日"} <= set(names["Liège"].surface_forms())
    assert names["Clarity Pharmaceuticals"].type == "company"
    awex = next(e for e in doc.entities if "AWEX" in e.surface_forms())
    assert awex.type == "agency" and "瓦隆尼亞外貿投資總署" in awex.surface_forms()
    person = next(e for e in doc.entities if e.type == "person")
    assert person.name == "黃克強" and person.role == "行政總裁"
    assert "澳洲公司" not in names  # a common noun, not a name


def test_simplified_chinese_organisations_and_people(read):
    doc = read(
        "7月18日，苏州生物医药产业园（BioBAY）三期正式开园。苏州工业园区管委会主任林小明出席活动。"
        "北京市经济和信息化局与天津市工业和信息化局签署合作协议。"
    )
    types = _types(doc)
    assert types.get("林小明") == "person"
    assert types.get("北京市经济和信息化局") == "agency"
    assert types.get("天津市工业和信息化局") == "agency"
    assert any(e.type == "park" and "BioBAY" in e.surface_forms() for e in doc.entities)
    assert any(e.name == "Beijing" and e.type == "place" for e in doc.entities)


def test_roche_in_both_scripts_is_one_entity(read):
    doc = read("罗氏在上海张江投资。羅氏與香港科技園合作。Roche is based in Basel.")
    roche = [e for e in doc.entities if e.name == "Roche"]
    assert len(roche) == 1 and {"罗氏", "羅氏", "Roche"} <= set(roche[0].surface_forms())


def test_french_names_roles_and_governments(read):
    doc = read(
        "La société australienne Clarity Pharmaceuticals, basée à Sydney, s'installe à Liège. "
        "Jean-Marc Grognet, directeur de Genopole, a rencontré la métropole de Lyon et le "
        "conseil départemental de l'Essonne."
    )
    types = _types(doc)
    assert types["Clarity Pharmaceuticals"] == "company" and types["Sydney"] == "place"
    grognet = by_name(doc)["Jean-Marc Grognet"]
    assert grognet.type == "person" and "directeur" in (grognet.role or "")
    assert any(e.type == "agency" and "métropole de Lyon" in e.surface_forms() for e in doc.entities)
    assert any(e.type == "agency" and "Essonne" in e.name for e in doc.entities)


def test_german_companies_with_legal_forms_and_cues(read):
    doc = read(
        "Die SciRhom GmbH erhielt 8 Millionen Euro. Besuch bei dem Biotech-Unternehmen Icon Genetics in Halle. "
        "Monika Singhofer-Wowra, künftige Geschäftsführerin des Technologieparks, begrüßte die Gäste."
    )
    types = _types(doc)
    assert types.get("SciRhom") == "company"  # the name without its legal form; the mention keeps it
    assert types.get("Icon Genetics") == "company"
    assert types.get("Monika Singhofer-Wowra") == "person"


def test_dutch_governments_and_companies(read):
    doc = read(
        "Dankzij de financiering van provincie Noord-Brabant en gemeente Oss start de bouw. "
        "Bilthoven Biologicals vestigt zich op het Utrecht Science Park."
    )
    types = _types(doc)
    assert any(t == "agency" and "Noord-Brabant" in n for n, t in types.items())
    assert any(t == "agency" and "Oss" in n for n, t in types.items())
    assert types.get("Bilthoven Biologicals") == "company"


def test_japanese_companies_investors_and_places(read):
    doc = read(
        "大阪大学発のルクサナバイオテク株式会社は、シリーズAで6.5億円を調達した。"
        "みずほキャピタル株式会社などが出資した。本社は大阪府吹田市にある。"
    )
    types = _types(doc)
    assert types.get("ルクサナバイオテク") == "company"
    assert types.get("みずほキャピタル") == "investor"
    assert any(t == "place" and "吹田市" in n for n, t in types.items())


def test_korean_company_and_place(read):
    doc = read("삼성바이오로직스가 인천 송도에 다섯 번째 공장을 짓는다. 존 림 대표는 투자를 발표했다.")
    assert any(e.type == "company" and "삼성바이오로직스" in e.surface_forms() for e in doc.entities)
    assert any(e.type == "place" for e in doc.entities)


def test_spelling_variants_merge_with_a_note(read):
    doc = read("Spin-offs such as Kitozyme and Mithra grew fast. Kytozyme, the chitosan company, found new markets.")
    kito = [e for e in doc.entities if "Kytozyme" in e.surface_forms()]
    assert len(kito) == 1 and "Kitozyme" in kito[0].surface_forms()
    assert kito[0].notes and "Kytozyme" in kito[0].notes[0]
    assert any(e.name.startswith("Mithra") for e in doc.entities)


def test_common_words_are_not_names(read):
    doc = read("The science park opened a flagship building. The University announced it. Island life is calm.")
    assert not [e for e in doc.entities if e.type != "place"]


def test_mentions_point_at_their_text(read):
    doc = read("列日(Liège)是生技重鎮。Clarity Pharmaceuticals s'installe à Liège.")
    for ent in doc.entities:
        for m in ent.mentions:
            assert doc.text[m.start : m.end] == m.text
            assert m.method in ("reference", "pattern", "model")


BILINGUAL = (
    "北京经济技术开发区工委副书记、管委会主任孔磊发布了国际医药创新公园的建设计划。孔磊主任表示，园区将聚焦前沿医药技术。\n\n"
    "The announcement was made by Liu Keng, Deputy Party Secretary and Director of the Beijing Economic and "
    "Technological Development Zone, during the investment promotion event. Liu Keng detailed the plan."
)


def test_person_named_differently_in_translation_stays_one_with_a_note(read):
    doc = read(BILINGUAL)
    people = [e for e in doc.entities if e.type == "person"]
    assert len(people) == 1
    assert {"孔磊", "Liu Keng"} <= set(people[0].surface_forms())
    assert people[0].name == "Kong Lei"  # the original's name, romanised
    assert people[0].notes and "differ" in people[0].notes[0]


def test_person_romanised_in_translation_joins_without_a_note(read):
    doc = read(
        "创新科技及工业局局长孙东教授出席签约仪式并致辞。\n\n"
        "Professor Sun Dong, Secretary for Innovation, Technology and Industry, attended the signing."
    )
    people = [e for e in doc.entities if e.type == "person"]
    assert len(people) == 1 and {"孙东", "Sun Dong"} <= set(people[0].surface_forms())
    assert not people[0].notes


def test_korean_names_particles_and_false_friends(read):
    doc = read(
        "삼성바이오로직스가 인천 송도에 공장을 짓는다. 인천시는 지난해 협약을 맺었다. "
        "김영환 지사와 존 림 대표가 참석했다. 회사는 공동 대표 체제이다."
    )
    names = {e.name for e in doc.entities}
    assert {"Samsung Biologics", "Songdo", "Incheon"} <= names
    assert "Jinan" not in names  # 지난해 is "last year", not 지난 (Jinan)
    people = {e.name for e in doc.entities if e.type == "person"}
    assert people == {"김영환", "존 림"}
