"""The directory on SQLite and on PostgreSQL: filters by type, place (a region takes in its cities and the
companies settling there), country, sector and activity; sorts and pages; funding totals with their events;
an organisation's private upload listed for that organisation only.

Made-up companies, reported in French, German, Simplified and Traditional Chinese; one private French upload.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bioatlas.access import ANONYMOUS, COMMAND_LINE, Viewer
from bioatlas.accounts import create_org
from bioatlas.kb.directory import DirectoryError, DirectoryFilters, directory, profile
from bioatlas.kb.ingest import ingest_records
from bioatlas.kb.store import Store
from bioatlas.pipeline import read_inputs

SHARED = [
    {
        "id": "dir-fr",
        "url": "https://shared.example/brindlewood",
        "published": "2024-04-03",
        "title": "Brindlewood Therapeutics s'installe à Liège",
        "text": "La biotech Brindlewood Therapeutics s'installe à Liège avec le soutien de l'AWEX. "
        "Brindlewood Therapeutics a levé 8 millions d'euros pour ses anticorps.",
    },
    {
        "id": "dir-de",
        "url": "https://shared.example/kranichfeld",
        "published": "2023-09-14",
        "title": "Kranichfeld Diagnostik eröffnet in Gosselies",
        "text": "Das Münchner Unternehmen Kranichfeld Diagnostik GmbH eröffnet einen Standort im BioPark Charleroi. "
        "Kranichfeld Diagnostik hat 5 Millionen Euro eingesammelt.",
    },
    {
        "id": "dir-hans",
        "url": "https://shared.example/lanxin",
        "published": "2022-11-20",
        "title": "蓝芯生物完成融资",
        "text": "蓝芯生物科技有限公司宣布完成3000万元人民币A轮融资，将在苏州工业园区建设研发中心。",
    },
    {
        "id": "dir-hant",
        "url": "https://shared.example/yuchuan",
        "published": "2021-06-30",
        "title": "宇川生技進駐列日",
        "text": "宇川生技公司宣布進駐比利時列日，並完成2000萬歐元融資。",
    },
]
PRIVATE = [
    {
        "id": "dir-private",
        "url": "https://agence.example/velquor",
        "published": "2025-01-09",
        "title": "Velquor Pharma s'installe à Namur",
        "text": "La société Velquor Pharma s'installe à Namur. Velquor Pharma a levé 3 millions d'euros.",
    }
]


def _ingest(store: Store, folder: Path, name: str, records: list[dict[str, Any]], org: str | None = None) -> None:
    path = folder / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    report = ingest_records(store, read_inputs([str(path)]), org=org, user="tester" if org else None)
    assert report.statuses["added"] == len(records), report.summary()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("directory")
    if request.param == "sqlite":
        url = f"sqlite:///{folder}/kb.db"
    else:
        url = request.getfixturevalue("postgres_server").create_database("directory")
    store = Store(url)
    _ingest(store, folder, "shared.jsonl", SHARED)
    org = create_org(store, "Agence de Namur")
    _ingest(store, folder, "private.jsonl", PRIVATE, org)
    yield {"store": store, "org": Viewer(user="amélie", role="analyst", org=org, org_name="Agence de Namur")}
    store.engine.dispose()


def ask(kb: dict[str, Any], viewer: Viewer = ANONYMOUS, **filters: Any) -> dict[str, Any]:
    filters.setdefault("per_page", 200)
    return directory(kb["store"], DirectoryFilters(**filters), viewer=viewer)


def names(result: dict[str, Any]) -> list[str]:
    return [i["name"] for i in result["items"]]


def by_name(result: dict[str, Any], name: str) -> dict[str, Any]:
    found = [i for i in result["items"] if i["name"] == name]
    assert found, f"{name} not among {names(result)}"
    return found[0]


def test_types_are_filtered(kb: dict[str, Any]) -> None:
    parks = ask(kb, types=("park",))
    assert parks["total"] > 5 and {i["type"] for i in parks["items"]} == {"park"}
    both = ask(kb, types=("park", "cluster"), per_page=1000)
    assert {i["type"] for i in both["items"]} == {"park", "cluster"}
    assert both["total"] == parks["total"] + ask(kb, types=("cluster",))["total"]
    everything = ask(kb, per_page=1000)
    assert {i["type"] for i in everything["items"]} <= {"company", "park", "cluster", "agency", "research"} | {
        "alliance",
        "investor",
    }


def test_a_country_takes_in_its_regions_cities_and_the_companies_settling_there(kb: dict[str, Any]) -> None:
    belgium = ask(kb, place="Belgium", per_page=1000)
    listed = {i["id"] for i in belgium["items"]}
    assert {"ref:liege-science-park", "ref:mithra", "ref:biowin"} <= listed  # a Liège park and company, a cluster
    assert "Brindlewood Therapeutics" in names(belgium)  # settled in Liège (French report)
    assert "宇川生技公司" in names(belgium)  # settled in 列日 (Traditional Chinese report)
    assert "ref:biopolis" not in listed and "蓝芯生物科技" not in names(belgium)
    for place in ("Wallonie", "列日", "Lüttich", "ref:liege"):  # a region and a city, in other languages
        found = ask(kb, place=place, per_page=1000)
        assert "ref:liege-science-park" in {i["id"] for i in found["items"]}, place
        assert "Brindlewood Therapeutics" in names(found), place
        assert found["total"] <= belgium["total"], place
    assert "ref:liege-science-park" not in {i["id"] for i in ask(kb, place="Flanders")["items"]}


def test_country_filter(kb: dict[str, Any]) -> None:
    found = ask(kb, country="BE", per_page=1000)
    assert found["items"] and all(i["country"] in ("BE", None) for i in found["items"])
    assert {"ref:mithra", "ref:biowin"} <= {i["id"] for i in found["items"]}
    assert "ref:biopolis" not in {i["id"] for i in found["items"]}


def test_sector_filter(kb: dict[str, Any]) -> None:
    radiopharma = ask(kb, sector="radiopharma", per_page=1000)
    assert "ref:biowin" in {i["id"] for i in radiopharma["items"]}  # its reference row names radiopharma
    biologics = ask(kb, sector="biologics", types=("company",), per_page=1000)
    assert "Brindlewood Therapeutics" in names(biologics)  # its report speaks of anticorps
    assert "宇川生技公司" not in names(biologics)
    with pytest.raises(DirectoryError, match=r"^sector: "):
        ask(kb, sector="astrology")


def test_activity_filters(kb: dict[str, Any]) -> None:
    funded = ask(kb, event_type="funding", types=("company",))
    assert {"Brindlewood Therapeutics", "蓝芯生物科技", "宇川生技公司"} <= set(names(funded))
    assert all(i["events"] >= 1 for i in funded["items"])
    recent = ask(kb, since="2022", types=("company",))
    assert "Brindlewood Therapeutics" in names(recent) and "宇川生技公司" not in names(recent)
    assert all((i["latest_event"] or "") >= "2022" for i in recent["items"])


def test_funding_totals_per_currency_cite_their_events(kb: dict[str, Any]) -> None:
    companies = ask(kb, types=("company",), sort="funding", per_page=5)
    funded = [i for i in companies["items"] if i["funding"]]
    assert {(f["currency"], f["amount"]) for i in funded for f in i["funding"]} >= {
        ("EUR", 8_000_000.0),
        ("CNY", 30_000_000.0),
        ("EUR", 20_000_000.0),
    }
    brindlewood = by_name(companies, "Brindlewood Therapeutics")
    facts = profile(kb["store"], brindlewood["id"])
    assert facts["funding"] == [{"currency": "EUR", "amount": 8_000_000.0}]
    [event] = facts["funding_events"]
    assert event["amount"] == 8_000_000.0 and event["reports"][0]["document_id"]
    assert "levé 8 millions" in event["reports"][0]["evidence"]


def test_reference_facts_on_a_profile(kb: dict[str, Any]) -> None:
    biowin = profile(kb["store"], "ref:biowin")
    assert biowin["headquarters"] == {"id": "ref:wallonia", "name": "Wallonia"}
    assert biowin["website"] == "https://www.biowin.org" and biowin["founded"] == 2006
    assert biowin["member_count"] == 260 and biowin["reference"] == "organisations.csv:biowin"


@pytest.mark.parametrize("sort", ["name", "events", "latest", "funding"])
def test_sorts_and_pages_cover_the_list_once(kb: dict[str, Any], sort: str) -> None:
    whole = ask(kb, sort=sort, per_page=5000)
    paged: list[str] = []
    for page in range(1, whole["total"] // 40 + 2):
        part = ask(kb, sort=sort, per_page=40, page=page)
        assert part["total"] == whole["total"] and part["pages"] == -(-whole["total"] // 40)
        paged += [i["id"] for i in part["items"]]
    assert paged == [i["id"] for i in whole["items"]]
    items = whole["items"]
    if sort == "name" and kb["store"].engine.dialect.name == "sqlite":  # PostgreSQL sorts by its collation
        assert [i["name"] for i in items] == sorted(i["name"] for i in items)
    if sort == "events":
        assert [i["events"] for i in items] == sorted((i["events"] for i in items), reverse=True)
    if sort == "latest":
        dated = [i["latest_event"] for i in items if i["latest_event"]]
        assert dated == sorted(dated, reverse=True) and items[0]["latest_event"] == max(dated)
        assert all(i["latest_event"] is None for i in items[len(dated) :])
    if sort == "funding":
        ranks = [max((f["amount"] for f in i["funding"]), default=0) for i in items]
        assert ranks == sorted(ranks, reverse=True) and ranks[0] > 0


def test_a_page_past_the_end_is_empty_and_says_so(kb: dict[str, Any]) -> None:
    found = ask(kb, types=("company",), per_page=10, page=999)
    assert found["items"] == [] and found["total"] > 0
    assert found["note"] == f"page 999 is past the last page ({found['pages']})"


def test_an_unknown_place_is_an_error_naming_the_parameter(kb: dict[str, Any]) -> None:
    with pytest.raises(DirectoryError, match=r"^place: no place called 'Atlantis'"):
        ask(kb, place="Atlantis")


def test_a_private_upload_is_listed_for_its_organisation_only(kb: dict[str, Any]) -> None:
    for viewer in (ANONYMOUS, Viewer(user="bo", role="analyst", org="another-org")):
        assert "Velquor Pharma" not in names(ask(kb, viewer, types=("company",), per_page=5000, sort="funding"))
        assert not ask(kb, viewer, q="Velquor")["items"]
        assert "Velquor Pharma" not in names(ask(kb, viewer, place="Namur"))
    mine = ask(kb, kb["org"], q="Velquor")
    assert names(mine) == ["Velquor Pharma"] and mine["items"][0]["funding"] == [{"currency": "EUR", "amount": 3e6}]
    assert "Velquor Pharma" in names(ask(kb, kb["org"], place="Wallonia", per_page=1000))
    assert "Velquor Pharma" in names(ask(kb, COMMAND_LINE, q="Velquor"))
    assert profile(kb["store"], mine["items"][0]["id"], viewer=ANONYMOUS)["funding"] == []


def test_a_rejected_event_counts_for_no_one_and_an_undo_brings_it_back(kb: dict[str, Any]) -> None:
    from bioatlas.kb import correcting
    from bioatlas.kb.queries import events_list

    store = kb["store"]
    company = by_name(ask(kb, types=("company",), q="宇川"), "宇川生技公司")
    before = company["events"]
    [funding] = [e for e in events_list(store, types=["funding"], place=company["id"])["events"]]
    analyst = Viewer(user="analyste", role="analyst")  # the shared kb's analyst: a correction for everyone
    rows = correcting.correct(store, analyst, event=funding["id"], field="reject", reason="rapport erroné")
    assert rows["rejected"]
    correction = rows["corrections"][0]["id"]
    try:
        after = by_name(ask(kb, types=("company",), q="宇川"), "宇川生技公司")
        assert after["events"] == before - 1 and after["funding"] == []
        assert "宇川生技公司" not in names(ask(kb, types=("company",), event_type="funding"))
        assert by_name(ask(kb, types=("company",), sort="events", q="宇川"), "宇川生技公司")["events"] == before - 1
    finally:
        correcting.undo(store, analyst, correction)
    again = by_name(ask(kb, types=("company",), sort="events", q="宇川"), "宇川生技公司")
    assert again["events"] == before and again["funding"] == [{"currency": "EUR", "amount": 20_000_000.0}]
