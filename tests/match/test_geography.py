"""Geography scenarios: the place hierarchy (bioatlas.geo) used by `land` and by the place filter of the events.

Over the example corpus and a few short pages written here in Simplified and Traditional Chinese, French and
German: an Australian radiopharma needing the EU gets EU places only; Liège's and Wallonia's support bodies are
Walloon or Belgian; Bavaria's are Bavarian or German; a company from Hong Kong (or China) is not told to land at
home unless it asks; only places, parks and clusters are ranked; a filter by Belgium lists Liège's events.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bioatlas.geo import geography, resolve_place
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.match.knowledge import Knowledge, load_knowledge
from bioatlas.match.land import CompanyProfile, is_location, profile_from_args, rank_locations, serving_bodies
from bioatlas.settings import Settings
from bioatlas.web.app import create_app

AU_RADIOPHARMA = ("radiopharma", "clinical", "AU", "gmp,clinical-trials,eu-market")
EU_CODES = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT"}
EU_CODES |= {"LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

PAGES = [  # short landings written for these tests, one per language and Chinese script
    {
        "id": "geo-zh-hans",
        "url": "https://geo-test.example/zh-hans/weilan",
        "published": "2024-03-05",
        "title": "维兰生物落户苏州工业园区",
        "text": "德国维兰生物科技有限公司正式落户苏州工业园区。新基地将生产放射性药物。",
    },
    {
        "id": "geo-zh-hant",
        "url": "https://geo-test.example/zh-hant/anbo",
        "published": "2024-04-08",
        "title": "安博生技落戶廣州",
        "text": "美國安博生技公司正式落戶廣州，將設立放射性藥物研發中心。",
    },
    {
        "id": "geo-zh-hant-hk",
        "url": "https://geo-test.example/zh-hant/ruifeng",
        "published": "2024-04-09",
        "title": "瑞峰醫藥落戶香港科學園",
        "text": "澳洲瑞峰醫藥公司正式落戶香港科學園，將設立放射性藥物研發中心。",
    },
    {
        "id": "geo-fr",
        "url": "https://geo-test.example/fr/huarui",
        "published": "2024-05-02",
        "title": "Huarui Biotech s'installe à Namur",
        "text": "La société chinoise Huarui Biotech, basée à Shanghai, s'installe à Namur avec le soutien de l'AWEX "
        "pour y produire des radiopharmaceutiques.",
    },
    {
        "id": "geo-fr-seneffe",
        "url": "https://geo-test.example/fr/ardentis",
        "published": "2024-05-20",
        "title": "Ardentis Pharma choisit Seneffe",
        "text": "La société australienne Ardentis Pharma, basée à Sydney, s'installe à Seneffe, en Wallonie, pour "
        "produire des radiopharmaceutiques.",
    },
    {
        "id": "geo-de",
        "url": "https://geo-test.example/de/lanxin",
        "published": "2024-06-12",
        "title": "Lanxin Biotech eröffnet Niederlassung in München",
        "text": "Die chinesische Lanxin Biotech GmbH aus Peking eröffnet ihre europäische Niederlassung in München.",
    },
]


@pytest.fixture(scope="module")
def pages_kb(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    folder = tmp_path_factory.mktemp("geo")
    feed = folder / "pages.jsonl"
    feed.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PAGES), encoding="utf-8")
    store = Store(f"sqlite:///{folder}/kb.db")
    report = ingest_paths(store, [str(feed)])
    assert not report.skipped
    return load_knowledge(store)


@pytest.fixture(scope="module")
def client(example_store: Store) -> Any:
    settings = Settings(tile_url="", public_read=True, allowed_hosts=("testserver",), secure_cookies=False)
    with TestClient(create_app(example_store.url, settings=settings)) as test_client:
        yield test_client


def _ids(result: dict[str, Any]) -> list[str]:
    return [r["id"] for r in result["results"]]


# ---------------------------------------------------------------------------------------------- the hierarchy


def test_every_reference_place_lies_in_its_own_country_and_every_link_is_a_row() -> None:
    geo = geography()
    assert geo.problems() == []
    for child, links in geo.up.items():
        for link in links:
            assert link.parent in geo.kind, f"{child} points at an unknown {link.parent}"
            assert link.reference.split(":", 1)[0] in ("places.csv", "organisations.csv")


def test_liege_is_in_wallonia_belgium_and_the_eu_with_the_rows_that_say_so() -> None:
    geo = geography()
    trail = geo.trail("ref:eu", "ref:liege")
    assert [(link.child, link.parent) for link in trail] == [
        ("ref:liege", "ref:wallonia"),
        ("ref:wallonia", "ref:be"),
        ("ref:be", "ref:eu"),
    ]
    assert [link.reference for link in trail] == ["places.csv:liege", "places.csv:wallonia", "places.csv:be"]
    assert geo.contains("ref:be", "ref:gosselies") and not geo.contains("ref:flanders", "ref:liege")
    assert geo.country_of("ref:liege-science-park") == "BE"
    assert geo.area_of("ref:awex") == "ref:wallonia"  # its office is in Brussels; it serves Wallonia
    assert geo.area_of("ref:fit") == "ref:flanders"


def test_market_areas_and_greater_china() -> None:
    geo = geography()
    assert {"ref:eu", "ref:nordics", "ref:europe"} <= set(geo.market_areas_of("DK"))
    assert "ref:eu" not in geo.market_areas_of("CH") and "ref:eu" not in geo.market_areas_of("US")
    for code in ("CN", "HK", "MO", "TW"):
        assert "ref:greater-china" in geo.market_areas_of(code)
    assert not geo.contains("ref:cn", "ref:hk"), "Hong Kong is its own country code, inside Greater China"
    assert geo.markets_of("ref:hkstp") == {"cn"} and geo.markets_of("ref:washington-dc") == {"us"}
    assert geo.country_of("ref:copenhagen") == "DK" and geo.contains("ref:medicon-valley", "ref:lund")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Wallonie", "ref:wallonia"),
        ("Wallonien", "ref:wallonia"),
        ("Bayern", "ref:bavaria"),
        ("Bavière", "ref:bavaria"),
        ("列日", "ref:liege"),
        ("Lüttich", "ref:liege"),
        ("比利时", "ref:be"),
        ("比利時", "ref:be"),
        ("香港", "ref:hk"),
        ("BE", "ref:be"),
        ("Atlantis", None),
    ],
)
def test_places_are_found_by_any_name(name: str, expected: str | None) -> None:
    assert resolve_place(name) == expected


# ---------------------------------------------------------------------------------------------- where to land


def test_an_australian_radiopharma_needing_the_eu_gets_eu_places_only(example_kb: Knowledge) -> None:
    result = rank_locations(example_kb, profile_from_args(*AU_RADIOPHARMA), limit=10)
    assert len(result["results"]) == 10
    for item in result["results"]:
        assert item["country"] in EU_CODES, item["name"]
        market = next(i for i in item["indicators"] if i["name"] == "market_access")
        assert market["value"] == 1.0
        assert market["evidence"] and all(e["kind"] in ("reference", "document") for e in market["evidence"])
    assert result["results"][0]["id"] in ("ref:wallonia", "ref:liege")
    left_out = next(e for e in result["excluded"] if e["reason"] == "outside_markets")
    assert left_out["markets"] == ["eu"] and left_out["count"] > 0
    everything = rank_locations(example_kb, profile_from_args(*AU_RADIOPHARMA), limit=500)
    assert "ref:washington-dc" not in _ids(everything)
    assert all(r["country"] in EU_CODES for r in everything["results"])


def test_the_market_access_of_liege_cites_the_places_rows(example_kb: Knowledge) -> None:
    result = rank_locations(example_kb, profile_from_args(*AU_RADIOPHARMA), limit=50)
    liege = next(r for r in result["results"] if r["id"] == "ref:liege")
    market = next(i for i in liege["indicators"] if i["name"] == "market_access")
    assert [e["reference"] for e in market["evidence"]] == [
        "places.csv:liege",
        "places.csv:wallonia",
        "places.csv:be",
    ]


def test_support_bodies_of_liege_and_wallonia_are_walloon_or_belgian(example_kb: Knowledge) -> None:
    geo = example_kb.geo
    for place in ("ref:liege", "ref:wallonia"):
        bodies = {b.id for b in serving_bodies(example_kb, example_kb.entities[place])}
        assert {"ref:awex", "ref:biowin"} <= bodies
        assert not bodies & {"ref:fit", "ref:vlaio", "ref:hub-brussels", "ref:flanders-bio", "ref:lifetech-brussels"}
        for body in bodies:
            area = geo.area_of(body) or body
            assert geo.contains(area, place) or geo.contains(place, area), (place, body, area)
    result = rank_locations(example_kb, profile_from_args(*AU_RADIOPHARMA), limit=50)
    for item in result["results"]:
        if item["id"] in ("ref:liege", "ref:wallonia"):
            support = next(i for i in item["indicators"] if i["name"] == "support")
            cited = {e.get("reference") for e in support["evidence"]}
            assert "organisations.csv:awex" in cited
            assert not cited & {"organisations.csv:fit", "organisations.csv:vlaio", "organisations.csv:hub-brussels"}


def test_support_bodies_of_bavaria_are_bavarian_or_german(example_kb: Knowledge) -> None:
    bodies = {b.id for b in serving_bodies(example_kb, example_kb.entities["ref:bavaria"])}
    assert {"ref:invest-in-bavaria", "ref:gtai", "ref:bio-m"} <= bodies
    assert not bodies & {"ref:berlin-partner", "ref:nrw-global-business", "ref:healthcapital", "ref:bio-nrw"}


def test_only_places_parks_and_clusters_are_ranked(example_kb: Knowledge) -> None:
    result = rank_locations(example_kb, CompanyProfile(sectors={"therapeutics"}), limit=500)
    assert result["results"]
    for item in result["results"]:
        assert item["type"] in ("place", "park", "cluster"), item
    ids = set(_ids(result))
    assert not ids & {"ref:bio", "ref:phrma", "ref:arm", "ref:awex", "ref:bio-deutschland"}
    assert not is_location(example_kb, example_kb.entities["ref:bio"]), "BIO serves the whole US: not a place"
    assert is_location(example_kb, example_kb.entities["ref:biowin"]), "BioWin serves Wallonia: a cluster"


def test_a_company_from_hong_kong_is_not_told_to_land_in_hong_kong(example_kb: Knowledge) -> None:
    home = {"ref:hk", "ref:hkstp", "ref:sha-tin", "ref:lok-ma-chau-loop", "ref:hk-sz-innovation-park"}
    asked = rank_locations(example_kb, profile_from_args("cell-and-gene-therapy", None, "HK", None), limit=500)
    assert asked["results"] and not set(_ids(asked)) & home
    assert all(r["country"] != "HK" for r in asked["results"])
    origin = next(e for e in asked["excluded"] if e["reason"] == "origin")
    assert origin["country"] == "HK" and origin["count"] >= 2
    assert asked["profile"]["include_origin"] is False
    with_home = rank_locations(
        example_kb, profile_from_args("cell-and-gene-therapy", None, "HK", None, include_origin=True), limit=500
    )
    assert {"ref:hk", "ref:hkstp"} <= set(_ids(with_home))
    assert not any(e["reason"] == "origin" for e in with_home["excluded"])


def test_a_chinese_company_is_not_sent_to_chinese_places_named_in_either_script(pages_kb: Knowledge) -> None:
    # 苏州工业园区 (Simplified) and 廣州 (Traditional) are in China; 香港科學園 is in Hong Kong, a market of its own
    assert pages_kb.country_of("ref:sip") == "CN" and pages_kb.country_of("ref:guangzhou") == "CN"
    plain = rank_locations(pages_kb, profile_from_args("radiopharma", None, "CN", None), limit=100)
    ranked = set(_ids(plain))
    assert not ranked & {"ref:sip", "ref:suzhou", "ref:jiangsu", "ref:guangzhou", "ref:guangdong"}
    assert all(r["country"] != "CN" for r in plain["results"])
    assert {"ref:namur", "ref:munich"} <= ranked  # the French and the German pages' landings
    assert "ref:hkstp" in ranked
    origin = next(e for e in plain["excluded"] if e["reason"] == "origin")
    assert origin["country"] == "CN" and origin["count"] >= 2
    asked = rank_locations(pages_kb, profile_from_args("radiopharma", None, "CN", None, include_origin=True), limit=100)
    assert {"ref:sip", "ref:guangzhou"} <= set(_ids(asked))


def test_namur_counts_its_own_landing_and_wallonia_counts_namurs(pages_kb: Knowledge) -> None:
    result = rank_locations(pages_kb, profile_from_args("radiopharma", None, "AU", "eu-market"), limit=100)
    by_id = {r["id"]: r for r in result["results"]}
    for place in ("ref:namur", "ref:wallonia"):
        track = next(i for i in by_id[place]["indicators"] if i["name"] == "track_record")
        assert any("Huarui" in e["label"] for e in track["evidence"]), place
    munich = next(i for i in by_id["ref:munich"]["indicators"] if i["name"] == "track_record")
    assert not any("Huarui" in e["label"] for e in munich["evidence"])
    assert set(by_id) <= {r for r in by_id if by_id[r]["country"] in EU_CODES}


def test_a_place_known_only_from_a_page_is_placed_by_the_sentence(pages_kb: Knowledge) -> None:
    seneffe = next(e.id for e in pages_kb.entities.values() if e.name == "Seneffe" and e.row is None)
    assert pages_kb.country_of(seneffe) == "BE" and pages_kb.contains("ref:wallonia", seneffe)
    link = pages_kb.geo.parents(seneffe)[0]
    assert link.parent == "ref:wallonia" and link.reference.startswith("document:")
    for_au = rank_locations(pages_kb, profile_from_args("radiopharma", None, "AU", "eu-market"), limit=100)
    assert seneffe in _ids(for_au)
    wallonia = next(r for r in for_au["results"] if r["id"] == "ref:wallonia")
    track = next(i for i in wallonia["indicators"] if i["name"] == "track_record")
    assert any("Ardentis" in e["label"] for e in track["evidence"])
    for_be = rank_locations(pages_kb, profile_from_args("radiopharma", None, "BE", None), limit=100)
    assert seneffe not in _ids(for_be) and "ref:wallonia" not in _ids(for_be)


# ---------------------------------------------------------------------------------------------- events by place


def _event_places(event: dict[str, Any]) -> set[str]:
    return {m["id"] for members in event["roles"].values() for m in members}


def test_events_of_belgium_include_those_in_liege_and_wallonia(client: TestClient) -> None:
    liege = client.get("/api/events", params={"place": "ref:liege"}).json()
    belgium = client.get("/api/events", params={"place": "ref:be"}).json()
    assert liege["count"] >= 1 and belgium["count"] >= liege["count"]
    liege_ids = {e["id"] for e in liege["events"]}
    assert liege_ids <= {e["id"] for e in belgium["events"]}
    assert any("ref:liege" in _event_places(e) for e in belgium["events"])
    for name in ("Belgique", "Belgien", "比利时", "比利時"):
        by_name = client.get("/api/events", params={"place": name}).json()
        assert {e["id"] for e in by_name["events"]} == {e["id"] for e in belgium["events"]}, name
    wallonie = client.get("/api/events", params={"place": "Wallonie"}).json()
    assert liege_ids <= {e["id"] for e in wallonie["events"]}
    flanders = client.get("/api/events", params={"place": "Vlaanderen"}).json()
    assert not liege_ids & {e["id"] for e in flanders["events"]}


def test_events_of_bayern_include_munichs_cluster(client: TestClient) -> None:
    bayern = client.get("/api/events", params={"place": "Bayern"}).json()
    assert bayern["count"] >= 1
    assert any("ref:bio-m" in _event_places(e) for e in bayern["events"])
    assert not any("ref:bio-nrw" in _event_places(e) for e in bayern["events"])


def test_an_unknown_place_lists_nothing(client: TestClient) -> None:
    assert client.get("/api/events", params={"place": "Atlantis"}).json()["count"] == 0


def test_the_map_counts_what_the_events_page_lists(client: TestClient) -> None:
    points = {p["id"]: p for p in client.get("/api/map").json()["points"]}
    for place in ("ref:be", "ref:wallonia", "ref:liege"):
        listed = client.get("/api/events", params={"place": place, "limit": 1000}).json()
        assert points[place]["events"] == listed["count"], place


def test_the_events_page_takes_a_place_name(client: TestClient) -> None:
    page = client.get("/events", params={"place": "Wallonie"})
    assert page.status_code == 200
    assert "Liège" in page.text or "Lüttich" in page.text or "列日" in page.text


@pytest.mark.parametrize(("lang", "words"), [("fr", "sont écartés"), ("de", "Herkunftsland"), ("zh-Hant", "來源國")])
def test_the_land_page_says_the_origin_was_left_out_and_can_include_it(
    client: TestClient, lang: str, words: str
) -> None:
    asked = {"sector": "cell-and-gene-therapy", "origin": "HK", "lang": lang}
    page = client.get("/land", params=asked)
    assert page.status_code == 200
    assert 'data-reason="origin"' in page.text and words in page.text
    api = client.get("/api/land", params={**asked, "limit": 100}).json()
    assert "ref:hkstp" not in _ids(api)
    both = client.get("/api/land", params={**asked, "limit": 100, "include_origin": "1"}).json()
    assert "ref:hkstp" in _ids(both) and both["profile"]["include_origin"] is True
    checked = client.get("/land", params={**asked, "include_origin": "true"})
    assert 'data-reason="origin"' not in checked.text and 'id="include_origin" value="true" checked' in checked.text


def test_a_place_lists_what_happened_there_not_where_companies_come_from(client: TestClient) -> None:
    """The Clarity landing in Liège names Sydney as the company's origin: Australia's events leave it out (by any name
    of the country), Liège's list it, and the map counts each place as its link lists."""
    liege = client.get("/api/events", params={"place": "ref:liege", "limit": 1000}).json()
    from_australia = [e for e in liege["events"] if "origin" in e["roles"]]
    assert from_australia, "the example kb should hold a landing in Liège by a company from elsewhere"
    points = {p["id"]: p for p in client.get("/api/map").json()["points"]}
    for name in ("ref:au", "Australie", "Australien", "澳大利亚", "澳洲"):
        listed = client.get("/api/events", params={"place": name, "limit": 1000}).json()
        assert not {e["id"] for e in from_australia} & {e["id"] for e in listed["events"]}, name
    for place in ("ref:au", "ref:sydney", "ref:liege"):
        listed = client.get("/api/events", params={"place": place, "limit": 1000}).json()
        assert points.get(place, {"events": 0})["events"] == listed["count"], place
