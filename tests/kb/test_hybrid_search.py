"""Search by meaning fused with the words (kb/search.py, kb/vectors.py), on SQLite and on a real PostgreSQL server.

The kb is the bundled example corpus (eight languages) plus one page private to an organisation: a German page of
our own about a made-up company (Quellmoos Impfstoffe) building a flu-vaccine factory, which no other page
resembles. Queries in one language must find pages in another by meaning; queries about nothing in the kb find
nothing; names and their variants find what they found before; nobody finds another organisation's page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.accounts import create_org
from bioatlas.kb import vectors
from bioatlas.kb.ingest import ingest_paths, ingest_records
from bioatlas.kb.queries import search
from bioatlas.kb.store import Store
from bioatlas.pipeline import read_inputs
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "corpus"
PRIVATE = {
    "url": "https://example.org/quellmoos-impfstoffwerk",
    "title": "Quellmoos Impfstoffe baut ein Grippeimpfstoffwerk in Rostock",
    "text": (
        "Die Quellmoos Impfstoffe GmbH errichtet in Rostock ein neues Werk für Grippeimpfstoffe. In der Fabrik sollen "
        "ab 2027 jedes Jahr mehrere Millionen Impfdosen gegen die saisonale Influenza abgefüllt werden. "
        "Für die Produktion der Impfstoffe werden 120 Fachkräfte eingestellt."
    ),
    "published": "2026-05-04",
}
CYCLING = {
    "url": "https://example.org/radrennen",
    "title": "Le club cycliste organise sa course annuelle",
    "text": "Le club cycliste de la vallée organise dimanche sa course annuelle de 80 kilomètres. Les coureurs "
    "partiront de la place du marché à neuf heures.",
}
FLU_VACCINE_QUERY = "インフルエンザワクチン工場の建設"  # Japanese: building a flu-vaccine factory


def _name(doc: dict[str, Any]) -> str:
    return Path(doc["source"] or doc["url"] or "").name


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hybrid")
    if request.param == "sqlite":
        url = f"sqlite:///{folder}/kb.db"
    else:
        url = request.getfixturevalue("postgres_server").create_database("hybrid")
    store = Store(url)
    pages = [str(p) for p in sorted(EXAMPLES.iterdir()) if p.suffix in (".txt", ".html", ".jsonl")]
    assert ingest_paths(store, pages).statuses["added"] >= 20
    org_a, org_b = create_org(store, "Landesagentur Nord"), create_org(store, "神戸の団体")
    feed = folder / "private.jsonl"
    feed.write_text(json.dumps(PRIVATE, ensure_ascii=False), encoding="utf-8")
    report = ingest_records(store, read_inputs([str(feed)]), org=org_a, user="tester")
    assert report.statuses["added"] == 1, report.summary()
    return {
        "store": store,
        "a": Viewer(user="anna", role="analyst", org=org_a, org_name="Landesagentur Nord"),
        "b": Viewer(user="ken", role="analyst", org=org_b, org_name="神戸の団体"),
    }


def test_a_french_query_finds_the_chinese_page_by_meaning(kb: dict[str, Any]) -> None:
    found = search(kb["store"], "Pékin annonce un parc international d'innovation en biotechnologie")["documents"]
    first = found[0]
    assert _name(first) == "zh-hans-yizhuang-biopark.txt", [_name(d) for d in found]
    assert first["matched"] == ["meaning"] and first["similarity"] > 0.3


def test_a_traditional_chinese_query_finds_the_english_page(kb: dict[str, Any]) -> None:
    found = search(kb["store"], "新加坡的生物醫學研究園區")["documents"]
    assert _name(found[0]) == "en-biopolis-singapore.txt", [_name(d) for d in found]
    assert found[0]["matched"] == ["meaning"]


@pytest.mark.parametrize("query", ["football transfer news", "明天天氣預報", "recette de tarte aux pommes"])
def test_a_query_about_nothing_in_the_kb_finds_nothing(kb: dict[str, Any], query: str) -> None:
    result = search(kb["store"], query)
    assert result["documents"] == [] and result["total"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Liège", {"zh-hant-en-liege-bilingual.txt", "fr-clarity-liege.txt", "en-clarity-wallonia-radiopharma.txt"}),
        ("列日", {"zh-hant-en-liege-bilingual.txt", "fr-clarity-liege.txt", "en-clarity-wallonia-radiopharma.txt"}),
        ("罗氏", {"zh-hans-zhangjiang-roche.txt", "zh-hant-hkstp-roche.txt"}),
        ("羅氏", {"zh-hans-zhangjiang-roche.txt", "zh-hant-hkstp-roche.txt"}),
    ],
)
def test_names_and_their_variants_still_find_the_pages_that_name_them_first(
    kb: dict[str, Any], query: str, expected: set[str]
) -> None:
    found = search(kb["store"], query)["documents"]
    by_words = [_name(d) for d in found if "words" in d["matched"]]
    assert expected <= set(by_words), by_words
    # every page naming it comes before any page found only by meaning
    first_meaning_only = next((i for i, d in enumerate(found) if d["matched"] == ["meaning"]), len(found))
    assert all(i < first_meaning_only for i, d in enumerate(found) if _name(d) in expected)


def test_an_organisations_page_is_found_by_meaning_only_by_that_organisation(kb: dict[str, Any]) -> None:
    own = search(kb["store"], FLU_VACCINE_QUERY, viewer=kb["a"])["documents"]
    assert own and own[0]["url"] == PRIVATE["url"] and own[0]["matched"] == ["meaning"], own[:3]
    for viewer in (kb["b"], ANONYMOUS):
        others = search(kb["store"], FLU_VACCINE_QUERY, viewer=viewer)["documents"]
        assert PRIVATE["url"] not in {d["url"] for d in others}


def test_every_document_has_one_vector_and_a_reingest_keeps_it_at_one(kb: dict[str, Any]) -> None:
    store = kb["store"]
    with store.engine.connect() as conn:
        docs = conn.execute(select(func.count()).select_from(vectors.t.documents)).scalar_one()
        stored = conn.execute(select(func.count()).select_from(vectors.document_vectors)).scalar_one()
    assert stored == docs


def test_documents_stored_before_vectors_get_them_on_the_first_search(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/old.db")
    assert ingest_paths(store, [str(EXAMPLES / "zh-hans-yizhuang-biopark.txt")]).statuses["added"] == 1
    with store.engine.begin() as conn:  # as if stored before migration 0006
        conn.execute(delete(vectors.document_vectors))
    found = search(store, "Pékin annonce un parc international d'innovation en biotechnologie")["documents"]
    assert [_name(d) for d in found] == ["zh-hans-yizhuang-biopark.txt"]
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(vectors.document_vectors)).scalar_one() == 1
    assert vectors.backfill(store.engine) == 0  # nothing left to embed


def test_the_static_document_encoder_agrees_with_the_full_encoder_across_languages() -> None:
    """The same sentence in four languages, embedded by the document encoder, is closer to the full encoder's
    vector of its English version than an unrelated sentence is."""
    texts = [
        "The company opens a vaccine factory with 300 new jobs.",
        "L'entreprise ouvre une usine de vaccins et crée 300 emplois.",
        "該公司開設一座疫苗工廠，創造300個新職位。",
        "该公司开设一座疫苗工厂，创造300个新岗位。",
    ]
    unrelated = "Der Verein gewann das Fußballspiel am Samstag mit drei zu null."
    docs = vectors.document_encoder().embed([*texts, unrelated])
    query = vectors.query_encoder().embed(texts[0])
    scores = docs @ query
    assert min(scores[:4]) > scores[4] + 0.1, scores


def test_a_page_added_or_changed_after_a_search_is_found_by_meaning_at_once(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/growing.db")
    feed = tmp_path / "new.jsonl"
    feed.write_text(json.dumps(CYCLING, ensure_ascii=False), encoding="utf-8")
    assert ingest_records(store, read_inputs([str(feed)])).statuses["added"] == 1
    assert search(store, FLU_VACCINE_QUERY)["documents"] == []  # loads the matrix: nothing about flu vaccines
    feed.write_text(json.dumps(PRIVATE, ensure_ascii=False), encoding="utf-8")
    assert ingest_records(store, read_inputs([str(feed)])).statuses["added"] == 1
    assert [d["url"] for d in search(store, FLU_VACCINE_QUERY)["documents"]] == [PRIVATE["url"]]
    changed = {**PRIVATE, "text": PRIVATE["text"] + " Der Bau beginnt im Herbst."}
    feed.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    assert ingest_records(store, read_inputs([str(feed)])).statuses["updated"] == 1
    assert [d["url"] for d in search(store, FLU_VACCINE_QUERY)["documents"]] == [PRIVATE["url"]]


def test_the_two_pass_search_of_a_large_kb_finds_what_the_full_pass_finds(
    kb: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over EXACT_UP_TO documents a first pass on a few dimensions picks the candidates; made to run here."""
    query = "Pékin annonce un parc international d'innovation en biotechnologie"
    full = search(kb["store"], query)["documents"]
    monkeypatch.setattr(vectors, "EXACT_UP_TO", 0)
    monkeypatch.setattr(vectors, "COARSE_CANDIDATES", 8)
    two_pass = search(kb["store"], query)["documents"]
    assert two_pass[0]["id"] == full[0]["id"] and len(two_pass) <= 8
    private = search(kb["store"], FLU_VACCINE_QUERY, viewer=kb["b"])["documents"]
    assert PRIVATE["url"] not in {d["url"] for d in private}
