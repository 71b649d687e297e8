"""Events in every language, with roles, amounts and dates: the pipeline with the shipped event model
(`read`), and the rule layer alone, as it runs when no event model file is there (`read_by_rules`). Other
steps run on their rules in both, so these tests judge events only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bioatlas.learn.models import PACKAGE_MODELS, using_models
from bioatlas.model import Document
from bioatlas.pipeline import extract, prepare


def _reading_with(folder: Path):
    def _read(text: str, published: str | None = None) -> Document:
        doc = Document(id="t", raw=text, meta={"format": "text"})
        if published:
            doc.meta["published"] = published
        with using_models(folder):
            return extract(prepare(doc))

    return _read


@pytest.fixture
def read(tmp_path: Path):
    """The pipeline with the shipped event model as the only model."""
    folder = tmp_path / "events"
    folder.mkdir()
    for path in PACKAGE_MODELS.glob("event_model.*"):
        shutil.copy(path, folder / path.name)
    return _reading_with(folder)


@pytest.fixture
def read_by_rules(tmp_path: Path):
    """The pipeline with an empty model folder: every step falls back to its rules."""
    folder = tmp_path / "none"
    folder.mkdir()
    return _reading_with(folder)


def _events(doc, kind: str) -> list:
    return [e for e in doc.events if e.type == kind]


def _name(doc, entity_id) -> str:
    return doc.entity(entity_id).name


def test_landing_french_with_origin_and_location(read):
    doc = read(
        "La société australienne Clarity Pharmaceuticals, basée à Sydney, s'installe à Liège avec le soutien de l'AWEX."
    )
    [landing] = _events(doc, "landing")
    assert _name(doc, landing.roles["company"]) == "Clarity Pharmaceuticals"
    assert _name(doc, landing.roles["location"]) == "Liège"
    assert _name(doc, landing.roles["origin"]) == "Sydney"
    assert doc.entity(landing.roles["facilitator"]).type == "agency"


def test_landing_traditional_chinese(read):
    doc = read("澳洲公司Clarity Pharmaceuticals透過瓦隆尼亞外貿投資總署（AWEX）的協助，進駐列日。")
    [landing] = _events(doc, "landing")
    assert _name(doc, landing.roles["company"]) == "Clarity Pharmaceuticals"
    assert _name(doc, landing.roles["location"]) == "Liège"


def test_launch_simplified_chinese_with_date_from_publication_year(read):
    doc = read("7月18日上午，苏州生物医药产业园（BioBAY）三期B区正式开园。", published="2022-07-19")
    launches = _events(doc, "launch")
    assert launches and all(e.date == "2022-07-18" for e in launches)
    assert "三期B区" in {_name(doc, e.roles["subject"]) for e in launches}


def test_rules_launch_the_phase_not_the_park(read_by_rules):
    doc = read_by_rules("7月18日上午，苏州生物医药产业园（BioBAY）三期B区正式开园。", published="2022-07-19")
    [launch] = _events(doc, "launch")
    assert launch.date == "2022-07-18"
    assert doc.entity(launch.roles["subject"]).surface_forms() == ["三期B区"]  # the phase that opened
    assert any("BioBAY" in e.surface_forms() for e in doc.entities)


def test_partnership_german(read):
    doc = read(
        "Die Münchner Clusterorganisation BioM und die Osaka Bio Headquarters haben eine "
        "Kooperationsvereinbarung unterzeichnet."
    )
    [deal] = _events(doc, "partnership")
    names = {_name(doc, m) for m in deal.roles["members"]}
    assert any("BioM" in n for n in names) and "Osaka Bio Headquarters" in names


def test_funding_english_with_amount_and_investors(read):
    doc = read("Oxford spinout SpyBiotech has raised £4m in seed funding from GV and Oxford Sciences Innovation.")
    [funding] = _events(doc, "funding")
    assert funding.amount == 4_000_000 and funding.currency == "GBP"
    assert len(funding.roles.get("investors", [])) == 2


def test_funding_japanese_amount(read):
    doc = read("ルクサナバイオテク株式会社は、シリーズAで6.5億円を調達した。")
    [funding] = _events(doc, "funding")
    assert funding.amount == 650_000_000 and funding.currency == "JPY"


def test_listed_companies_each_get_the_event(read):
    doc = read("Tech Hub is now home to CPR Pharma Services Pty Ltd, GeneWorks Pty Ltd and Austofix Pty Ltd.")
    companies = {_name(doc, e.roles["company"]) for e in _events(doc, "landing")}
    assert len(companies) == 3


def test_visit_dutch_and_relative_date(read):
    doc = read("Gisteren bracht een delegatie uit Wuhan een bezoek aan Genopole.", published="2019-05-10")
    [visit] = _events(doc, "visit")
    assert _name(doc, visit.roles["host"]) == "Genopole"
    assert _name(doc, visit.roles["visitor"]) == "Wuhan"
    assert visit.date == "2019-05-09"


def test_no_funding_without_amount_or_investor(read):
    doc = read("香港融資方便，阿斯利康表示看好香港。")
    assert not _events(doc, "funding")


def test_acquisition_german(read):
    doc = read("Die Glycotope GmbH übernimmt die Produktionsanlage der Orpegen Pharma GmbH in Heidelberg.")
    [deal] = _events(doc, "acquisition")
    assert "Glycotope" in _name(doc, deal.roles["acquirer"]) and "Orpegen" in _name(doc, deal.roles["target"])


def test_hier_is_yesterday_in_french_only(read_by_rules):
    french = read_by_rules(
        "Hier, la société Calder Pharma a signé un accord de partenariat avec l'Université de Liège.",
        published="2024-03-12",
    )
    [deal] = _events(french, "partnership")
    assert deal.date == "2024-03-11"
    german = read_by_rules(
        "Die Calder Pharma GmbH hat hier eine Kooperationsvereinbarung mit der Universität Heidelberg unterzeichnet.",
        published="2024-03-12",
    )
    [deal] = _events(german, "partnership")
    assert deal.date is None  # "hier" is "here" in German


def test_a_year_of_the_past_dates_background_history(read_by_rules):
    doc = read_by_rules("苏州生物医药产业园于2007年正式开园。", published="2023-05-04")
    [launch] = _events(doc, "launch")
    assert launch.date == "2007"
    traditional = read_by_rules("新竹生物醫學園區於2012年正式啟用。", published="2023-05-04")
    assert [e.date for e in _events(traditional, "launch")] == ["2012"]


def test_a_year_of_the_publication_year_dates_the_event(read_by_rules):
    """The sentence's own year dates the event even when the page appeared that year (the corpus's convention: a
    date the text gives); a later year is a plan, not a happening."""
    doc = read_by_rules(
        "Die BioM und die Osaka Bio Headquarters haben 2024 ein Abkommen unterzeichnet.", published="2024-06-01"
    )
    assert [e.date for e in _events(doc, "partnership")] == ["2024"]
    later = read_by_rules(
        "Die BioM und die Osaka Bio Headquarters wollen 2026 ein Abkommen unterzeichnen.", published="2024-06-01"
    )
    assert [e.date for e in _events(later, "partnership")] == [None]


def test_the_model_reads_a_landing_it_never_saw(read):
    doc = read("The Norwegian diagnostics company Norvik Bio has opened its first European office in Ghent.")
    landings = _events(doc, "landing")
    assert [_name(doc, e.roles["company"]) for e in landings] == ["Norvik Bio"]
