"""One event, one view: reports of one happening in several languages are one event, shown identically on the
company's, the agency's and the place's pages, in /api/events, on the map and in the answers; an event is dated by
its own sentence when it gives a date. On SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bioatlas.kb import queries
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.match.knowledge import forget_loaded, load_knowledge
from bioatlas.settings import Settings
from bioatlas.web.app import create_app

CLARITY, AWEX, LIEGE = "ref:clarity-pharmaceuticals", "ref:awex", "ref:liege"

PAGES = [
    {  # French, the day of the announcement: "s'installe" (a landing)
        "id": "fr-clarity",
        "url": "https://example.be/eco/clarity-liege",
        "published": "2017-03-07",
        "title": "Clarity Pharmaceuticals s'installe à Liège",
        "text": "La société australienne Clarity Pharmaceuticals, spécialiste des produits radiopharmaceutiques, "
        "s'installe à Liège. L'Agence wallonne à l'exportation et aux investissements étrangers (AWEX) a "
        "accompagné son implantation.",
    },
    {  # Traditional Chinese, a day later, naming the agency that helped
        "id": "zh-hant-clarity",
        "url": "https://example.tw/news/clarity",
        "published": "2017-03-08",
        "title": "澳洲Clarity Pharmaceuticals進駐比利時列日",
        "text": "澳洲放射性藥物公司Clarity Pharmaceuticals宣布在比利時列日設立其第一家歐洲子公司，"
        "瓦隆出口暨外人投資署（AWEX）協助其落腳。",
    },
    {  # German, two days later, calling it an expansion
        "id": "de-clarity",
        "url": "https://example.de/clarity-luettich",
        "published": "2017-03-09",
        "title": "Clarity Pharmaceuticals erweitert in Lüttich",
        "text": "Das australische Unternehmen Clarity Pharmaceuticals erweitert seine Präsenz in Lüttich und baut "
        "dort ein Labor für Radiopharmaka aus.",
    },
    {  # Simplified Chinese, 2022: a park that opened in 2007
        "id": "zh-hans-biobay",
        "url": "https://example.cn/biobay",
        "published": "2022-07-19",
        "title": "苏州生物医药产业园介绍",
        "text": "苏州生物医药产业园（BioBAY）于2007年开园，是苏州工业园区培育生物医药产业的核心载体。",
    },
    {  # German, 2022: a campus opened in 2002
        "id": "de-biocampus",
        "url": "https://example.de/biocampus",
        "published": "2022-12-09",
        "title": "BioCampus Cologne wächst",
        "text": "Der BioCampus Cologne liegt auf dem früheren Nattermann-Gelände und wurde 2002 eröffnet.",
    },
]


def _ingest(store: Store, folder: Path, pages: list[dict[str, Any]], name: str = "feed.jsonl") -> None:
    path = folder / name
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pages), encoding="utf-8")
    report = ingest_paths(store, [str(path)])
    assert report.statuses["added"] == len(pages), report.summary()


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Store:
    store = Store(db_url)
    _ingest(store, tmp_path, PAGES)
    return store


@pytest.fixture
def client(store: Store) -> Any:
    settings = Settings(tile_url="", public_read=True, allowed_hosts=("testserver",), secure_cookies=False)
    with TestClient(create_app(store.url, settings=settings)) as test_client:
        yield test_client


def _clarity(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if CLARITY in {m["id"] for m in e["roles"].get("company", [])}]


def test_three_reports_in_three_languages_are_one_event(store: Store) -> None:
    [event] = _clarity(queries.events_list(store)["events"])
    assert event["type"] == "landing"  # the German "expansion" two days later is the same happening
    assert event["report_count"] == 3
    assert sorted(r["language"] for r in event["reports"]) == ["de", "fr", "zh-Hant"]
    assert (event["date"], event["date_source"]) == ("2017-03-07", "published")  # no sentence gives a date
    assert {m["id"] for m in event["roles"]["location"]} == {LIEGE}  # Liège, 列日 and Lüttich
    assert {m["id"] for m in event["roles"]["facilitator"]} == {AWEX}  # from the Chinese report only


def test_the_event_is_shown_identically_everywhere(store: Store, client: TestClient) -> None:
    [event] = _clarity(queries.events_list(store)["events"])
    for entity_id in (CLARITY, AWEX, LIEGE):  # the company's, the agency's and the place's pages
        page = queries.entity_page(store, entity_id)
        assert [e for e in page["events"] if e["id"] == event["id"]] == [event], entity_id
        api = client.get(f"/api/entity/{entity_id}").json()
        assert [e for e in api["events"] if e["id"] == event["id"]] == [event], entity_id
    assert _clarity(client.get("/api/events").json()["events"]) == [event]
    page = client.get("/events", headers={"Accept-Language": "de"}).text  # the report's date is marked as such
    assert '<time class="date published" title="Datum des Berichts: der Satz nennt keines">2017-03-07*</time>' in page
    for report in event["reports"]:  # each report's document page shows the whole event
        shown = queries.document_page(store, report["document_id"])["events"]
        assert [e for e in shown if e["id"] == event["id"]] == [event], report["language"]


def test_the_map_counts_what_its_link_lists(store: Store, client: TestClient) -> None:
    points = {p["id"]: p for p in client.get("/api/map").json()["points"]}
    assert points[LIEGE]["events"] == 1  # one landing, not three reports nor a landing and an expansion
    for point in points.values():
        listed = client.get("/api/events", params={"place": point["id"]}).json()
        assert listed["count"] == point["events"] == len(listed["events"]), point["name"]
    [event] = _clarity(queries.events_list(store)["events"])
    assert client.get("/api/events", params={"place": LIEGE}).json()["events"] == [event]


def test_the_answers_read_the_same_event(store: Store, client: TestClient) -> None:
    [event] = _clarity(queries.events_list(store)["events"])
    forget_loaded()
    [kb_event] = [e for e in load_knowledge(store).events if CLARITY in e.roles.get("company", [])]
    assert (kb_event.id, kb_event.type, kb_event.date, kb_event.date_source) == (
        event["id"],
        event["type"],
        event["date"],
        event["date_source"],
    )
    assert len(kb_event.reports) == event["report_count"] == 3
    assert kb_event.roles == {role: [m["id"] for m in members] for role, members in event["roles"].items()}
    answer = client.get("/api/land", params={"sector": "radiopharma", "origin": "AU", "limit": "50"})
    assert answer.status_code == 200, answer.text
    liege = next(r for r in answer.json()["results"] if r["id"] == LIEGE)
    track = next(i for i in liege["indicators"] if i["name"] == "track_record")
    assert track["detail"].startswith("1 landing"), track  # counted once in the track record
    cited = {e["document_id"] for e in track["evidence"]}
    assert cited and cited <= {r["document_id"] for r in event["reports"]}


@pytest.mark.parametrize(("subject", "year"), [("ref:biobay", "2007"), ("ref:biocampus-cologne", "2002")])
def test_a_year_in_the_sentence_dates_the_event_not_the_page(store: Store, subject: str, year: str) -> None:
    events = queries.entity_page(store, subject)["events"]
    launches = [e for e in events if e["type"] == "launch" and subject in {m["id"] for m in e["roles"]["subject"]}]
    assert [(e["date"], e["date_source"]) for e in launches] == [(year, "text")]


def test_a_merge_joins_the_reports_of_a_merged_entity(store: Store, tmp_path: Path) -> None:
    """A fourth report names the company so that it is read as another entity; once a user merges the two, its
    report joins the same event (the group is re-keyed on the entity it was merged into), and undoing splits it."""
    odd = {
        "id": "fr-clarity-2",
        "url": "https://example.be/eco/clarity-bis",
        "published": "2017-03-10",
        "title": "Radiopharmacie",
        "text": "La start-up australienne Clarity Radiopharma Belgium s'installe à Liège, au Sart Tilman.",
    }
    _ingest(store, tmp_path, [odd], "more.jsonl")
    [other] = [
        e
        for e in queries.events_list(store)["events"]
        if any("Belgium" in m["name"] for m in e["roles"].get("company", []))
    ]
    assert other["report_count"] == 1  # another company as far as the kb knows
    stray = other["roles"]["company"][0]["id"]
    decision = queries.decide_merge(store, stray, CLARITY, by="Müller")
    [event] = _clarity(queries.events_list(store)["events"])
    assert event["report_count"] == 4
    assert queries.entity_page(store, LIEGE)["events"].count(event) == 1
    queries.undo_merge(store, decision["id"], by="Müller")
    [event] = _clarity(queries.events_list(store)["events"])
    assert event["report_count"] == 3


def test_a_kb_grouped_by_the_older_rule_is_regrouped(store: Store) -> None:
    """Reports stored with older group keys (one per report here) are regrouped by `rekey_events` (migration 0004)."""
    from bioatlas.kb import schema as t
    from bioatlas.kb.event_view import rekey_events

    with store.write() as conn:
        conn.execute(t.events.update().values(event_key=t.events.c.id))
    assert len(_clarity(queries.events_list(store)["events"])) == 3
    with store.write() as conn:
        assert rekey_events(conn, batch=2) > 0
    [event] = _clarity(queries.events_list(store)["events"])
    assert event["report_count"] == 3
    with store.write() as conn:
        assert rekey_events(conn) == 0


DATED_DECEMBER = {
    "id": "zh-hans-clarity-2016",
    "url": "https://example.cn/clarity-2016",
    "published": "2016-12-28",
    "title": "Clarity Pharmaceuticals落户列日",
    "text": "2016年12月20日，澳大利亚放射性药物公司Clarity Pharmaceuticals在比利时列日设立欧洲子公司。",
}
UNDATED_JANUARY = {
    "id": "de-clarity-2017",
    "url": "https://example.de/clarity-januar",
    "published": "2017-01-05",
    "title": "Radiopharmaka aus Lüttich",
    "text": "Das australische Unternehmen Clarity Pharmaceuticals erweitert seine Präsenz in Lüttich.",
}


@pytest.mark.parametrize("order", ["dated first", "undated first"])
def test_a_report_of_the_next_year_without_a_date_joins_the_dated_event(
    db_url: str, tmp_path: Path, order: str
) -> None:
    """A report published on 5 January that gives no date joins the landing its sentence-dated report of
    20 December tells of, whichever page arrives first: the report's own date never splits a group."""
    store = Store(db_url)
    pages = [DATED_DECEMBER, UNDATED_JANUARY] if order == "dated first" else [UNDATED_JANUARY, DATED_DECEMBER]
    for i, page in enumerate(pages):
        _ingest(store, tmp_path, [page], f"page{i}.jsonl")
    [event] = _clarity(queries.events_list(store)["events"])
    assert (event["date"], event["date_source"], event["report_count"]) == ("2016-12-20", "text", 2)
    assert [e["id"] for e in _clarity(queries.entity_page(store, LIEGE)["events"])] == [event["id"]]
