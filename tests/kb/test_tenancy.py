"""Organisations at the query level: one organisation's uploads are invisible to every other, and the shared kb
looks to a reader without an organisation exactly as it did before anyone uploaded (SQLite and PostgreSQL).

Org "Agence wallonne" uploads a French and a Traditional Chinese page naming a made-up company (Zyphorax
Biologics / 澤弗拉斯生技公司) and a made-up project word (Quokkavax / 夸卡疫苗); org "苏州生物园" uploads a Simplified
Chinese page (云杉瑞生物科技) and a German one (Wolkenbeer Therapeutics, Glimmerfuchs). The shared kb is two pages of
our own. Every question is asked as each org's user, as an anonymous reader and as the command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bioatlas.access import ANONYMOUS, COMMAND_LINE, Viewer
from bioatlas.accounts import create_org
from bioatlas.api import answers
from bioatlas.kb import queries
from bioatlas.kb.ingest import ingest_records
from bioatlas.kb.queries import NotFound
from bioatlas.kb.store import Store
from bioatlas.kb.visibility import organisation_viewer
from bioatlas.match.knowledge import load_knowledge
from bioatlas.pipeline import read_inputs

SHARED = [
    {
        "id": "shared-en",
        "url": "https://shared.example/halvorsen",
        "published": "2024-05-02",
        "text": "Halvorsen Medical, a Norwegian medtech company, has settled in Liège with the support of AWEX. "
        "Liège counts 80 life-science companies.",
    },
    {
        "id": "shared-zh",
        "url": "https://shared.example/roche-hk",
        "published": "2024-06-11",
        "text": "香港科技園公司與羅氏簽署戰略合作協議，雙方將推動生命健康科技的發展。",
    },
]
ORG_A = [  # Agence wallonne
    {
        "id": "a-fr",
        "url": "https://agence.example/zyphorax",
        "title": "Zyphorax Biologics s'installe à Liège",
        "published": "2025-02-11",
        "text": "La société Zyphorax Biologics s'installe à Liège avec le soutien de l'AWEX. Son projet secret "
        "Quokkavax vise un vaccin contre la grippe aviaire. Zyphorax Biologics a levé 12 millions d'euros auprès "
        "de Noctavia Capital.",
    },
    {
        "id": "a-zh",
        "url": "https://agence.example/zyphorax-zh",
        "title": "澤弗拉斯生技進駐列日",
        "published": "2025-02-12",
        "text": "澤弗拉斯生技公司在瓦隆尼亞外貿投資總署協助下進駐列日，專注疫苗研發。該公司的秘密項目名為夸卡疫苗計畫。",
    },
]
ORG_B = [  # 苏州生物园
    {
        "id": "b-zh",
        "url": "https://park.example/yunshan",
        "title": "云杉瑞生物落户苏州工业园区",
        "published": "2025-03-01",
        "text": "云杉瑞生物科技有限公司正式落户苏州工业园区，将建设抗体药物研发中心。苏州工业园区管委会表示欢迎。",
    },
    {
        "id": "b-de",
        "url": "https://park.example/wolkenbeer",
        "title": "Wolkenbeer Therapeutics eröffnet in Suzhou",
        "published": "2025-03-02",
        "text": "Das Biotech-Unternehmen Wolkenbeer Therapeutics GmbH eröffnet ein Labor im Suzhou Industrial Park. "
        "Das Projekt heißt Glimmerfuchs.",
    },
]
A_WORDS = [
    "Quokkavax",
    "Zyphorax",
    "Zyphorax Biologics",
    "Noctavia",
    "澤弗拉斯",
    "泽弗拉斯",
    "夸卡疫苗",
    "夸卡疫苗计画",
]
B_WORDS = ["云杉瑞", "雲杉瑞", "Wolkenbeer", "Glimmerfuchs"]


def _feed(folder: Path, name: str, records: list[dict[str, Any]]) -> str:
    path = folder / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return str(path)


def _ingest(store: Store, folder: Path, name: str, records: list[dict[str, Any]], org: str | None = None) -> None:
    report = ingest_records(store, read_inputs([_feed(folder, name, records)]), org=org, user="tester" if org else None)
    assert report.statuses["added"] == len(records), report.summary()


def _anonymous_view(store: Store) -> dict[str, Any]:
    """What an anonymous reader gets from every read query (volatile timestamps left out)."""
    liege = queries.entity_page(store, "ref:liege")
    return {
        "search": [queries.search(store, q) for q in ("Liège", "羅氏", "罗氏", "Halvorsen")],
        "liege": liege,
        "events": queries.events_list(store),
        "events_liege": queries.events_list(store, place="ref:liege"),
        "map": queries.map_points(store),
        "knowledge_entities": sorted(load_knowledge(store).entities),
        "knowledge_events": [(e.id, e.type, e.roles, len(e.reports)) for e in load_knowledge(store).events],
        "documents": queries.ingest_log(store)["documents"],
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("tenancy")
    if request.param == "sqlite":
        url = f"sqlite:///{folder}/kb.db"
    else:
        url = request.getfixturevalue("postgres_server").create_database("tenancy")
    store = Store(url)
    _ingest(store, folder, "shared.jsonl", SHARED)
    before = _anonymous_view(store)
    org_a, org_b = create_org(store, "Agence wallonne"), create_org(store, "苏州生物园")
    _ingest(store, folder, "a.jsonl", ORG_A, org_a)
    _ingest(store, folder, "b.jsonl", ORG_B, org_b)
    a = Viewer(user="amelie", role="analyst", org=org_a, org_name="Agence wallonne")
    b = Viewer(user="bo", role="analyst", org=org_b, org_name="苏州生物园")
    found = [e for e in queries.search(store, "Zyphorax Biologics", viewer=a)["entities"] if e["type"] == "company"]
    assert found, "org A should find its own company"
    docs = {
        d["url"]: d["id"]
        for q in ("Quokkavax", "澤弗拉斯", "云杉瑞", "Wolkenbeer")
        for d in queries.search(store, q, viewer=COMMAND_LINE)["documents"]
    }
    return {"store": store, "a": a, "b": b, "before": before, "zyphorax": found[0]["id"], "docs": docs}


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _a_docs(kb: dict[str, Any]) -> set[str]:
    return {kb["docs"]["https://agence.example/zyphorax"], kb["docs"]["https://agence.example/zyphorax-zh"]}


def _leaks(text: str, kb: dict[str, Any]) -> list[str]:
    """Org A's words, names, addresses and document ids found in `text`."""
    marks = [*A_WORDS, "agence.example", "瓦隆尼亞外貿投資總署", "Agence wallonne", kb["zyphorax"], *_a_docs(kb)]
    return [m for m in marks if m in text]


def test_search_finds_an_organisations_words_only_for_that_organisation(kb: dict[str, Any]) -> None:
    store, a, b = kb["store"], kb["a"], kb["b"]
    for word in A_WORDS:
        for viewer in (b, ANONYMOUS):
            result = queries.search(store, word, viewer=viewer)
            assert result["total"] == 0 and not result["documents"], (word, viewer.org, result["documents"])
            assert not _leaks(_dump(result["entities"]) + _dump(result["expanded_with"]), kb), (word, result)
    for word in ("Quokkavax", "泽弗拉斯", "澤弗拉斯"):  # both scripts find the Traditional page of org A
        assert queries.search(store, word, viewer=a)["documents"], word
        assert queries.search(store, word, viewer=COMMAND_LINE)["documents"], word
    for word in B_WORDS:
        assert queries.search(store, word, viewer=b)["documents"], word
        assert not queries.search(store, word, viewer=a)["documents"], word
    shared = queries.search(store, "Liège", viewer=b)
    assert {d["url"] for d in shared["documents"]} == {"https://shared.example/halvorsen"}
    assert "瓦隆尼亞外貿投資總署" not in _dump(queries.search(store, "AWEX", viewer=b))
    assert {d["url"] for d in queries.search(store, "Liège", viewer=a)["documents"]} >= {
        "https://shared.example/halvorsen",
        "https://agence.example/zyphorax",
    }


def test_an_entity_known_only_from_another_organisation_is_not_found(kb: dict[str, Any]) -> None:
    store, a, b, zyphorax = kb["store"], kb["a"], kb["b"], kb["zyphorax"]
    page = queries.entity_page(store, zyphorax, viewer=a)
    assert page["events"] and page["figures"]
    assert queries.entity_page(store, zyphorax, viewer=COMMAND_LINE)["entity"]["id"] == zyphorax
    for viewer in (b, ANONYMOUS):
        with pytest.raises(NotFound) as hidden:
            queries.entity_page(store, zyphorax, viewer=viewer)
        with pytest.raises(NotFound) as missing:
            queries.entity_page(store, "ent:0000000000000000", viewer=viewer)
        assert str(hidden.value).replace(zyphorax, "ID") == str(missing.value).replace("ent:0000000000000000", "ID")


def test_a_shared_entity_shows_each_organisation_only_its_own_evidence(kb: dict[str, Any]) -> None:
    store, a, b = kb["store"], kb["a"], kb["b"]
    for viewer in (b, ANONYMOUS):
        page = queries.entity_page(store, "ref:liege", viewer=viewer)
        assert not _leaks(_dump(page), kb), _leaks(_dump(page), kb)
        assert page["events"], "the shared landing in Liège stays visible"
    seen_by_a = queries.entity_page(store, "ref:liege", viewer=a)
    assert {r["document_id"] for e in seen_by_a["events"] for r in e["reports"]} & _a_docs(kb)
    assert kb["zyphorax"] in {r["id"] for r in seen_by_a["related"]}


def test_documents_events_map_and_log_are_per_organisation(kb: dict[str, Any]) -> None:
    store, a, b = kb["store"], kb["a"], kb["b"]
    for doc_id in _a_docs(kb):
        assert queries.document_page(store, doc_id, viewer=a)["document"]["id"] == doc_id
        for viewer in (b, ANONYMOUS):
            with pytest.raises(NotFound):
                queries.document_page(store, doc_id, viewer=viewer)
    for viewer in (b, ANONYMOUS):
        for place in (None, "ref:liege", kb["zyphorax"]):
            listed = queries.events_list(store, place=place, viewer=viewer)["events"]  # (the filters echo the id)
            assert not _leaks(_dump(listed), kb), (place, _leaks(_dump(listed), kb))
        assert queries.events_list(store, place=kb["zyphorax"], viewer=viewer)["count"] == 0
        log = queries.ingest_log(store, viewer=viewer)
        assert not _leaks(_dump(log), kb) and "a.jsonl" not in _dump(log)
    assert queries.events_list(store, place=kb["zyphorax"], viewer=a)["count"] >= 2
    liege = {v: _count(queries.map_points(store, viewer=v), "ref:liege") for v in (a, b, ANONYMOUS)}
    assert liege[a] > liege[b] == liege[ANONYMOUS] >= 1
    documents = {v: queries.ingest_log(store, viewer=v)["documents"] for v in (a, b, ANONYMOUS, COMMAND_LINE)}
    assert documents == {a: 4, b: 4, ANONYMOUS: 2, COMMAND_LINE: 6}
    b_log = _dump(queries.ingest_log(store, viewer=b))
    assert "b.jsonl" in b_log and "shared.jsonl" in b_log
    assert "a.jsonl" in _dump(queries.ingest_log(store, viewer=COMMAND_LINE))


def _count(points: list[dict[str, Any]], entity_id: str) -> int:
    return next((p["events"] for p in points if p["id"] == entity_id), 0)


def test_the_answers_are_built_from_visible_documents_only(kb: dict[str, Any]) -> None:
    store, a, b = kb["store"], kb["a"], kb["b"]
    for viewer in (b, ANONYMOUS):
        knowledge = load_knowledge(store, viewer)
        assert kb["zyphorax"] not in knowledge.entities
        reports = {r.document_id for e in knowledge.events for r in e.reports}
        assert not reports & _a_docs(kb)
        asked = [
            answers.land_answer(store, answers.LandForm(sectors=["vaccines"]), viewer=viewer),
            answers.pathway_answer_for(store, answers.PathwayForm(location="Liège"), viewer=viewer),
            answers.prospects_answer(store, answers.ProspectsForm(name="Suzhou Industrial Park"), viewer=viewer),
            _not_found_message(answers.markets_answer, store, answers.MarketsForm(alliance="MAGIA"), viewer=viewer),
        ]
        assert not _leaks(_dump(asked), kb), _leaks(_dump(asked), kb)
        hidden, missing = (
            _not_found_message(answers.pathway_answer_for, store, answers.PathwayForm(location=name), viewer=viewer)
            for name in ("Zyphorax Biologics", "Nowhere Biologics")
        )
        assert hidden.replace("Zyphorax", "X") == missing.replace("Nowhere", "X")
    knowledge_a = load_knowledge(store, a)
    assert kb["zyphorax"] in knowledge_a.entities
    assert load_knowledge(store, b) is load_knowledge(store, b), "one cached kb per set of visible organisations"
    assert load_knowledge(store, b) is not knowledge_a
    prospects = answers.prospects_answer(store, answers.ProspectsForm(name="Suzhou Industrial Park"), viewer=a)
    assert "Zyphorax" in _dump(prospects)


def _not_found_message(ask: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return ask(*args, **kwargs)
    except NotFound as exc:  # the answer's 404: its message must not leak either
        return str(exc)


def test_merges_with_another_organisations_entity_stay_hidden_and_cannot_be_made(kb: dict[str, Any]) -> None:
    store, a, b = kb["store"], kb["a"], kb["b"]
    agency = [e for e in queries.search(store, "瓦隆尼亞外貿投資總署", viewer=a)["entities"] if e["type"] == "agency"]
    assert agency and agency[0]["id"] != "ref:awex"
    with pytest.raises(NotFound):
        queries.visible_entity(store, agency[0]["id"], viewer=b)
    queries.visible_entity(store, agency[0]["id"], viewer=a)
    queries.visible_entity(store, "ref:awex", viewer=b)
    row = queries.decide_merge(store, agency[0]["id"], "ref:awex", by=a.user or "amelie")
    try:
        queries.visible_merge(store, row["id"], viewer=a)
        with pytest.raises(NotFound):
            queries.visible_merge(store, row["id"], viewer=b)
        seen_by_a = queries.entity_page(store, agency[0]["id"], viewer=a)
        assert seen_by_a["entity"]["id"] == "ref:awex" and "瓦隆尼亞外貿投資總署" in _dump(seen_by_a["names"])
        for viewer in (b, ANONYMOUS):
            page = queries.entity_page(store, "ref:awex", viewer=viewer)
            assert "瓦隆尼亞外貿投資總署" not in _dump(page) and agency[0]["id"] not in _dump(page)
            with pytest.raises(NotFound):
                queries.entity_page(store, agency[0]["id"], viewer=viewer)
    finally:
        queries.undo_merge(store, row["id"])


def test_the_shared_kb_looks_as_before_to_a_reader_without_organisation(kb: dict[str, Any]) -> None:
    after = _anonymous_view(kb["store"])
    for key, value in kb["before"].items():
        if key == "search":  # bm25 weighs a word by the whole index, so only scores may move, never what is found
            for result in (*value, *after[key]):
                for document in result["documents"]:
                    document.pop("score")
        assert _dump(after[key]) == _dump(value), key


def test_the_command_line_can_read_as_one_organisation(kb: dict[str, Any]) -> None:
    store = kb["store"]
    with store.engine.connect() as conn:
        viewer = organisation_viewer(conn, "苏州生物园")
        assert viewer.org == kb["b"].org and not viewer.everything
        with pytest.raises(LookupError, match="no organisation called"):
            organisation_viewer(conn, "Nobody")
    assert not queries.search(store, "Quokkavax", viewer=viewer)["documents"]
    assert queries.search(store, "Glimmerfuchs", viewer=viewer)["documents"]


def test_the_command_line_reads_everything_or_as_one_organisation(
    kb: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from bioatlas.cli import main

    url = kb["store"].url
    assert main(["search", "Glimmerfuchs", "--db", url, "--json"]) == 0  # the command line sees every organisation
    assert json.loads(capsys.readouterr().out)["documents"]
    assert main(["search", "Glimmerfuchs", "--db", url, "--json", "--org", "Agence wallonne"]) == 0
    assert not json.loads(capsys.readouterr().out)["documents"]
    assert main(["prospects", "--for", "Suzhou Industrial Park", "--db", url, "--json", "--org", "苏州生物园"]) == 0
    assert "Zyphorax" not in capsys.readouterr().out
    assert (
        main(["prospects", "--for", "Suzhou Industrial Park", "--db", url, "--json", "--org", "Agence wallonne"]) == 0
    )
    assert "Zyphorax" in capsys.readouterr().out
    assert main(["pathway", "--location", "Liège", "--db", url, "--org", "Nobody"]) == 2
    assert "no organisation called 'Nobody'" in capsys.readouterr().err
