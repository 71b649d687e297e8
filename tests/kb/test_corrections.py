"""Corrections override the extracted event or figure everywhere it is read — the lists, the entity pages, the map
counts, the answers' loaded kb — and undoing them brings back what was extracted; the claim rows never change. An
organisation's own corrections stay in its own view. On SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bioatlas.access import Viewer
from bioatlas.kb import correcting, queries
from bioatlas.kb import schema as t
from bioatlas.kb.corrections import BadCorrection
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.match.knowledge import load_knowledge

CLARITY, ROCHE, LIEGE, BASEL, AWEX = "ref:clarity-pharmaceuticals", "ref:roche", "ref:liege", "ref:basel", "ref:awex"

PAGES = [
    {  # French: a landing in Liège, dated by the page
        "id": "fr-clarity-2021",
        "url": "https://example.be/actu/clarity-filiale",
        "published": "2021-05-12",
        "title": "Clarity Pharmaceuticals choisit Liège",
        "text": "La biotech australienne Clarity Pharmaceuticals s'installe à Liège pour sa première filiale "
        "européenne. L'AWEX a accompagné le projet.",
    },
    {  # Simplified Chinese, the next day: the same landing
        "id": "zh-hans-clarity-2021",
        "url": "https://example.cn/news/clarity-liege",
        "published": "2021-05-13",
        "title": "Clarity Pharmaceuticals落户列日",
        "text": "澳大利亚放射性药物企业Clarity Pharmaceuticals宣布在比利时列日设立欧洲子公司，AWEX提供了协助。",
    },
    {  # German: an expansion in Basel, with a head count
        "id": "de-roche-2021",
        "url": "https://example.de/roche-basel",
        "published": "2021-09-01",
        "title": "Roche erweitert in Basel",
        "text": "Roche erweitert seinen Standort in Basel und baut dort ein neues Forschungszentrum. "
        "Roche beschäftigt in Basel 1200 Mitarbeitende.",
    },
]

ANALYST = Viewer(user="Jürgen Müller", role="analyst")  # the shared kb's analyst: corrects for everyone
WALLOON = Viewer(user="Amélie Dubois", role="analyst", org="org-wallonie", org_name="Agence wallonne")
SUZHOU = Viewer(user="王小明", role="analyst", org="org-suzhou", org_name="苏州生物园")
READER = Viewer(user=None, role="anonymous")


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Store:
    store = Store(db_url)
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PAGES), encoding="utf-8")
    report = ingest_paths(store, [str(path)])
    assert report.statuses["added"] == len(PAGES), report.summary()
    return store


def _event(store: Store, company: str, viewer: Viewer = READER) -> dict[str, Any]:
    [event] = [
        e
        for e in queries.events_list(store, viewer=viewer)["events"]
        if company in {m["id"] for m in e["roles"].get("company", [])}
    ]
    return event


def _map(store: Store, viewer: Viewer = READER) -> dict[str, int]:
    return {p["id"]: p["events"] for p in queries.map_points(store, viewer=viewer)}


def _claim_rows(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [
            *(tuple(r) for r in conn.execute(select(t.events).order_by(t.events.c.id))),
            *(tuple(r) for r in conn.execute(select(t.event_roles).order_by(*t.event_roles.primary_key.columns))),
            *(tuple(r) for r in conn.execute(select(t.figures).order_by(t.figures.c.id))),
        ]


def test_a_corrected_date_shows_everywhere_and_undo_restores_it(store: Store) -> None:
    before = _event(store, CLARITY)
    assert (before["date"], before["date_source"]) == ("2021-05-12", "published")
    claims = _claim_rows(store)
    made = correcting.correct(
        store, ANALYST, event=before["id"], field="date", value="2020-11", reason="Le communiqué date de novembre 2020"
    )
    [row] = made["corrections"]
    assert (row["old_value"], row["new_value"], row["by"], row["org_id"]) == (
        "2021-05-12",
        "2020-11",
        ANALYST.user,
        None,
    )
    # the list, its date filters and its order, the entity pages of every participant, and the answers' kb
    after = _event(store, CLARITY)
    assert (after["id"], after["date"], after["date_source"]) == (before["id"], "2020-11", "corrected")
    assert after["corrections"][0]["reason"] == "Le communiqué date de novembre 2020"
    assert [e["id"] for e in queries.events_list(store, date_from="2020-11", date_to="2020-11")["events"]] == [
        before["id"]
    ]
    assert queries.events_list(store, date_from="2021-05", date_to="2021-05")["count"] == 0
    for entity in (CLARITY, LIEGE, AWEX):
        [shown] = [e for e in queries.entity_page(store, entity)["events"] if e["id"] == before["id"]]
        assert shown["date"] == "2020-11"
    [kb_event] = [e for e in load_knowledge(store).events if e.id == before["id"]]
    assert (kb_event.date, kb_event.date_source) == ("2020-11", "corrected")
    assert _claim_rows(store) == claims  # the source claims are untouched
    # undo: recorded, and the extracted date is back everywhere
    undone = correcting.undo(store, ANALYST, row["id"])
    assert undone["undone_by"] == ANALYST.user and not undone["already_undone"]
    assert _event(store, CLARITY)["date"] == "2021-05-12"
    assert next(e for e in load_knowledge(store).events if e.id == before["id"]).date == "2021-05-12"
    assert correcting.undo(store, ANALYST, row["id"])["already_undone"]
    history = correcting.history(store, ANALYST, event=before["id"])["corrections"]
    assert [(h["field"], h["undone_by"]) for h in history] == [("date", ANALYST.user)]


def test_a_rejected_event_leaves_the_lists_the_counts_and_the_answers(store: Store) -> None:
    event = _event(store, ROCHE)
    assert _map(store)[BASEL] == 1
    total = queries.events_list(store)["count"]
    made = correcting.correct(store, ANALYST, event=event["id"], field="reject", reason="Meldung falsch gelesen")
    assert made["rejected"] and made["event"] is None
    assert queries.events_list(store)["count"] == total - 1
    assert event["id"] not in {e["id"] for e in queries.entity_page(store, ROCHE)["events"]}
    assert BASEL not in _map(store)  # no event left in Basel
    assert event["id"] not in {e.id for e in load_knowledge(store).events}
    with pytest.raises(BadCorrection, match=r"event: .*rejected"):
        correcting.correct(store, ANALYST, event=event["id"], field="date", value="2021")
    correcting.undo(store, ANALYST, made["corrections"][0]["id"])
    assert _map(store)[BASEL] == 1 and queries.events_list(store)["count"] == total


def test_a_participant_moved_to_another_role_place_counts_where_corrected(store: Store) -> None:
    event = _event(store, CLARITY)
    assert _map(store)[LIEGE] == 1 and _map(store)[BASEL] == 1
    correcting.correct(
        store, ANALYST, event=event["id"], field="role", role="location", remove=LIEGE, add="Basel", reason="地点有误"
    )
    shown = _event(store, CLARITY)
    assert [m["id"] for m in shown["roles"]["location"]] == [BASEL]
    assert LIEGE not in _map(store) and _map(store)[BASEL] == 2
    assert event["id"] in {e["id"] for e in queries.events_list(store, place=BASEL)["events"]}
    assert event["id"] not in {e["id"] for e in queries.events_list(store, place=LIEGE)["events"]}
    assert event["id"] not in {e["id"] for e in queries.entity_page(store, LIEGE)["events"]}
    assert event["id"] in {e["id"] for e in queries.entity_page(store, BASEL)["events"]}
    [kb_event] = [e for e in load_knowledge(store).events if e.id == event["id"]]
    assert kb_event.roles["location"] == [BASEL]


def test_a_figure_corrected_and_moved_to_another_entity(store: Store) -> None:
    [figure] = queries.entity_page(store, ROCHE)["figures"]
    assert (figure["value"], figure["unit"]) == (1200.0, "people")
    correcting.correct(store, ANALYST, figure=figure["id"], field="value", value="1 250,5", reason="Chiffre du rapport")
    correcting.correct(store, ANALYST, figure=figure["id"], field="unit", value="jobs")
    [shown] = queries.entity_page(store, ROCHE)["figures"]
    assert (shown["value"], shown["unit"], len(shown["corrections"])) == (1250.5, "jobs", 2)
    assert [(f.value, f.unit) for f in load_knowledge(store).figures if f.entity_id == ROCHE] == [(1250.5, "jobs")]
    correcting.correct(store, ANALYST, figure=figure["id"], field="entity", value=BASEL)
    assert queries.entity_page(store, ROCHE)["figures"] == []
    assert [f["id"] for f in queries.entity_page(store, BASEL)["figures"]] == [figure["id"]]
    with pytest.raises(BadCorrection, match=r"^value: 'zwölf' is not a number"):
        correcting.correct(store, ANALYST, figure=figure["id"], field="value", value="zwölf")


def test_an_organisations_correction_stays_in_its_own_view(store: Store) -> None:
    event = _event(store, CLARITY)
    mine = correcting.correct(
        store, WALLOON, event=event["id"], field="date", value="2021-04-30", reason="Date de la signature, selon l'AWEX"
    )
    assert mine["corrections"][0]["org_id"] == WALLOON.org
    assert _event(store, CLARITY, WALLOON)["date"] == "2021-04-30"
    for other in (READER, SUZHOU, ANALYST):  # the shared view and another organisation's: as extracted
        assert _event(store, CLARITY, other)["date"] == "2021-05-12"
        assert next(e for e in load_knowledge(store, other).events if e.id == event["id"]).date == "2021-05-12"
    assert next(e for e in load_knowledge(store, WALLOON).events if e.id == event["id"]).date == "2021-04-30"
    assert correcting.history(store, SUZHOU)["corrections"] == []
    with pytest.raises(LookupError):  # another organisation's correction: not found, not undoable
        correcting.undo(store, SUZHOU, mine["corrections"][0]["id"])
    # a shared correction applies to every organisation; the organisation's own one still wins in its view
    correcting.correct(store, ANALYST, event=event["id"], field="type", value="expansion", reason="扩建，非新设")
    assert _event(store, CLARITY, SUZHOU)["type"] == "expansion"
    assert (_event(store, CLARITY, WALLOON)["type"], _event(store, CLARITY, WALLOON)["date"]) == (
        "expansion",
        "2021-04-30",
    )
    with pytest.raises(PermissionError):  # an organisation's analyst cannot undo what applies to everyone
        shared = correcting.history(store, SUZHOU)["corrections"][0]
        correcting.undo(store, SUZHOU, shared["id"])
    with pytest.raises(PermissionError):  # nor make a correction for everyone
        correcting.correct(store, SUZHOU, event=event["id"], field="date", value="2021", everyone=True)
    admin = Viewer(user="李明", role="admin", org="org-suzhou")
    everyone = correcting.correct(store, admin, event=event["id"], field="date", value="2021-05", everyone=True)
    assert everyone["corrections"][0]["org_id"] is None
    assert _event(store, CLARITY, READER)["date"] == "2021-05"


@pytest.mark.parametrize(
    "request_,field",
    [
        ({"event": "0123456789abcdef", "field": "date", "value": "2021"}, "event"),
        ({"event": None, "field": "date", "value": "2021"}, "event"),
        ({"field": "date", "value": "2021-13"}, "value"),
        ({"field": "date", "value": "二〇二一年"}, "value"),
        ({"field": "type", "value": "merger"}, "value"),
        ({"field": "role", "role": "pilote", "add": LIEGE}, "role"),
        ({"field": "role", "role": "location", "add": "Nirgendwo-Stadt"}, "add"),
        ({"field": "role", "role": "location", "remove": BASEL}, "remove"),
        ({"field": "role", "role": "location"}, "add"),
        ({"field": "colour", "value": "red"}, "field"),
        ({"field": "date", "value": "2021", "reason": "理由" * 1001}, "reason"),
    ],
)
def test_bad_corrections_name_the_field_and_write_nothing(store: Store, request_: dict[str, Any], field: str) -> None:
    asked = {"event": _event(store, CLARITY)["id"], **request_}
    with pytest.raises(BadCorrection) as raised:
        correcting.correct(store, ANALYST, **asked)
    assert raised.value.field == field and str(raised.value).startswith(f"{field}: ")
    assert correcting.history(store, ANALYST)["corrections"] == []
