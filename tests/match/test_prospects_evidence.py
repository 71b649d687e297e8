"""Prospects that leave out who is already there, evidence that answers the question, pathway from reports too.

Scenarios over the example corpus (examples/corpus, ingested once): the Roche agreement with Hong Kong Science Park
(a Traditional Chinese page), AstraZeneca's centre in Beijing E-Town (Simplified Chinese), Clarity's landing in Liège
(English, French and a bilingual Traditional Chinese page); askers and places named in Chinese, French and German.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.match.knowledge import Knowledge, load_knowledge, lookup_keys
from bioatlas.match.markets import ECOSYSTEM_TYPES, alliance_members, markets
from bioatlas.match.pathway import LocationNotFound, pathway
from bioatlas.match.prospects import prospects
from bioatlas.match.services import services_in


def _here(result: dict, name: str) -> dict | None:
    return next((a for a in result["already_here"] if a["name"] == name), None)


def _ranked(result: dict) -> list[str]:
    return [r["name"] for r in result["results"]]


# ------------------------------------------------------------------------------------------------ already here


@pytest.mark.parametrize("asked", ["Hong Kong Science Park", "香港科學園", "香港科技园", "HKSTP"])
def test_roche_is_already_here_for_hong_kong_science_park(example_kb: Knowledge, asked: str) -> None:
    result = prospects(example_kb, asked, limit=200)
    assert result["for"]["id"] == "ref:hkstp"
    roche = _here(result, "Roche")
    assert roche is not None, [a["name"] for a in result["already_here"]]
    assert "partner" in roche["reasons"]
    assert "Roche" not in _ranked(result)
    sentences = [e["label"] for e in roche["evidence"] if e["kind"] == "document"]
    assert sentences and all(example_kb.mentioned_in(s, "ref:roche") for s in sentences)  # 羅氏 in the sentence
    assert any("羅氏" in s for s in sentences)
    assert all(e["document_id"] and e["start"] is not None for e in roche["evidence"])


@pytest.mark.parametrize("asked", ["Beijing E-Town", "北京经济技术开发区", "亦庄", "北京經濟技術開發區"])
def test_astrazeneca_is_already_here_for_beijing_etown(example_kb: Knowledge, asked: str) -> None:
    result = prospects(example_kb, asked, limit=200)
    assert result["for"]["id"] == "ref:beijing-etown"
    astrazeneca = _here(result, "AstraZeneca")
    assert astrazeneca is not None
    assert "AstraZeneca" not in _ranked(result)
    assert any("阿斯利康" in e["label"] for e in astrazeneca["evidence"])


@pytest.mark.parametrize(
    "asked", ["AWEX", "Invest in Wallonia", "awex", "Agence wallonne à l'Exportation et aux Investissements étrangers"]
)
def test_an_agency_asks_for_its_area_and_clarity_is_already_there(example_kb: Knowledge, asked: str) -> None:
    result = prospects(example_kb, asked, limit=200)
    assert result["for"]["id"] == "ref:awex" and result["for"]["type"] == "agency"
    assert "ref:wallonia" in result["area"]  # what AWEX covers, not Brussels where its office is
    clarity = _here(result, "Clarity Pharmaceuticals")
    assert clarity is not None and "landed" in clarity["reasons"]
    assert "Clarity Pharmaceuticals" not in _ranked(result)
    landed = [p for p in clarity["presence"] if p["reason"] == "landed"]
    assert landed and all(
        example_kb.mentioned_in(e["label"], "ref:clarity-pharmaceuticals") for p in landed for e in p["evidence"]
    )
    listed = [a for a in result["already_here"] if a["reasons"] == ["listed"]]
    assert listed and all(e["kind"] == "reference" for a in listed for e in a["evidence"])  # e.g. Liège companies


def test_a_place_asks_too_and_a_company_cannot(example_kb: Knowledge) -> None:
    liege = prospects(example_kb, "Lüttich", limit=200)
    assert liege["for"]["id"] == "ref:liege"
    assert _here(liege, "Clarity Pharmaceuticals") is not None
    with pytest.raises(LocationNotFound, match="park, cluster or agency"):
        prospects(example_kb, "AstraZeneca")
    with pytest.raises(LocationNotFound):
        prospects(example_kb, "Atlantis Science Park")


def test_only_companies_are_prospects_never_a_town_or_a_person(example_kb: Knowledge) -> None:
    place_or_person = set()
    for ent in example_kb.entities.values():
        if ent.type in ("place", "person"):
            for name in example_kb.names_of(ent.id):
                place_or_person |= lookup_keys(name)
    for asked in ("Hong Kong Science Park", "AWEX", "Liège", "亦庄"):
        result = prospects(example_kb, asked, limit=200)
        assert result["results"]
        for r in result["results"]:
            ent = example_kb.entities[r["id"]]
            assert ent.type == "company"
            assert ent.row is not None or not (lookup_keys(ent.name) & place_or_person), r["name"]
        assert "Fleurus" not in _ranked(result)  # the town of the IRE, typed a company by the extraction


def test_since_filters_the_evidence_and_a_future_since_gives_nothing_with_a_notice(example_kb: Knowledge) -> None:
    everything = prospects(example_kb, "AWEX", limit=200)
    recent = prospects(example_kb, "AWEX", limit=200, since="2020")
    assert 0 < recent["count"] < everything["count"]
    for r in recent["results"]:  # each is there for an event dated 2020 or later
        assert any(ev.date and ev.date >= "2020" for ev in example_kb.events_of([r["id"]])), r["name"]
    old = [r["name"] for r in everything["results"] if r["name"] not in _ranked(recent)]
    assert old and all(
        not any(ev.date and ev.date >= "2020" for ev in example_kb.events_of([r["id"]]))
        for r in everything["results"]
        if r["name"] in old
    )
    future = prospects(example_kb, "AWEX", limit=200, since="2099")
    assert future["results"] == [] and future["count"] == 0
    assert future["notice"]["code"] == "since_in_future" and "2099" in future["notice"]["message"]
    assert future["already_here"]  # who is already here does not depend on the date asked
    tomorrow = prospects(example_kb, "AWEX", since="2024-06-02", today=dt.date(2024, 6, 1))
    assert tomorrow["notice"]["code"] == "since_in_future" and tomorrow["results"] == []
    assert prospects(example_kb, "AWEX", since="2024-06", today=dt.date(2024, 6, 1))["notice"] is None


@pytest.mark.parametrize("asked", ["AWEX", "香港科學園", "香港科技园", "Genopole"])
@pytest.mark.parametrize("since", [None, "2020"])
def test_the_whole_kb_is_ranked_from_numbers_that_agree_with_each_companys_explanation(
    example_kb: Knowledge, asked: str, since: str | None
) -> None:
    """Companies are ranked from arrays over the whole kb and only those shown are explained one by one: the shown
    explanations must give the scores the ranking used, so scores never rise down the list and every rank range
    holds its rank; a short list is the top of the long one."""
    result = prospects(example_kb, asked, limit=500, since=since)
    scores = [r["score"] for r in result["results"]]
    assert result["count"] == len(result["results"]) > 0
    assert scores == sorted(scores, reverse=True)
    for position, r in enumerate(result["results"], start=1):
        assert r["rank"] == position and r["rank_range"][0] <= position <= r["rank_range"][1]
        assert any(i["evidence"] for i in r["indicators"]), r["name"]
    short = prospects(example_kb, asked, limit=3, since=since)
    assert [r["id"] for r in short["results"]] == [r["id"] for r in result["results"][:3]]
    assert short["count"] == result["count"]


@pytest.mark.parametrize("asked", ["AWEX", "香港科學園", "北京经济技术开发区", "Genopole", "Wallonie"])
def test_who_is_already_here_is_found_from_the_events_there_as_presence_finds_it_company_by_company(
    example_kb: Knowledge, asked: str
) -> None:
    from bioatlas.match import prospects as p

    host = p.find_named(example_kb, asked, p.ASKER_TYPES)
    area = p.asker_area(example_kb, host)
    not_companies = p._not_a_company_keys(example_kb)
    all_events = p._company_events(example_kb, not_companies)
    for eid in area:
        ent = example_kb.entities.get(eid)
        if ent is not None and p.is_prospect(example_kb, ent, not_companies):
            all_events.setdefault(eid, [])
    one_by_one = {cid for cid, events in all_events.items() if p.presence(example_kb, host, area, cid, events)}
    assert one_by_one or asked == "Genopole"
    assert p._here(example_kb, host, area, all_events) == one_by_one


# ------------------------------------------------------------------------------------------------------ markets


def test_markets_cite_only_the_members_partnerships(example_kb: Knowledge) -> None:
    result = markets(example_kb, "MAGIA", "medtech")
    members = alliance_members(example_kb, "ref:magia")
    assert {example_kb.name(m) for m in members} >= {"BioWin", "Life Science Nord"}
    side = members | {"ref:magia"}
    for r in result["results"]:
        for ind in r["indicators"]:
            if ind["name"] == "partnerships":
                for e in ind["evidence"]:
                    assert any(example_kb.mentioned_in(e["label"], m) for m in side), e["label"]
    japan = next((r for r in result["results"] if r["id"] == "JP"), None)
    if japan is not None:  # BioM (Munich) and Osaka: not a MAGIA member's partnership
        assert not next(i for i in japan["indicators"] if i["name"] == "partnerships")["evidence"]


def test_markets_ecosystem_figures_are_sizes_of_a_place_named_in_their_sentence(example_kb: Knowledge) -> None:
    for sector in ("medtech", None):
        result = markets(example_kb, "MAGIA", sector)
        cited = [
            (r["id"], e["label"])
            for r in result["results"]
            for i in r["indicators"]
            if i["name"] == "ecosystem"
            for e in i["evidence"]
        ]
        for country, sentence in cited:
            subjects = [
                f.entity_id
                for f in example_kb.figures
                if f.evidence.label == sentence and example_kb.country_of(f.entity_id) == country
            ]
            assert any(
                example_kb.entities[s].type in ECOSYSTEM_TYPES and example_kb.mentioned_in(sentence, s)
                for s in subjects
            ), sentence
        assert not any("残る4社" in s for _, s in cited)  # investors' portfolio, not an ecosystem


# ------------------------------------------------------------------------------------------------------ pathway


@pytest.mark.parametrize("asked", ["Liège", "Lüttich", "列日", "Luik"])
def test_pathway_for_liege_covers_gmp_and_clinical_trials_from_the_reports(example_kb: Knowledge, asked: str) -> None:
    result = pathway(example_kb, asked, "radiopharma")
    assert result["location"]["id"] == "ref:liege"
    stages = {s["stage"]: s for s in result["stages"]}
    for stage, service in (("production", "gmp-production"), ("clinical", "clinical-trials")):
        assert stages[stage]["covered"], stage
        sentences = [e for p in stages[stage]["providers"] for e in p["evidence"] if e["kind"] == "document"] + stages[
            stage
        ]["reports"]
        assert sentences, stage
        for e in sentences:
            assert service in services_in(e["label"], {service}) and e["document_id"] and e["start"] is not None
        assert any(p["entity"]["id"] == "ref:uliege" and p["from_reports"] for p in stages[stage]["providers"])
    assert "Clinical trials" not in result["uncovered"] and "Production (GMP)" not in result["uncovered"]


def test_pathway_reads_reports_in_german_and_chinese(tmp_path: Path) -> None:
    """A place known only from the reference data, and two reports saying who offers what there."""
    feed = tmp_path / "feed.jsonl"
    records = [
        {
            "id": "de-gmp",
            "url": "https://example.de/lsp-gmp",
            "published": "2024-02-01",
            "text": "Der Liège Science Park bietet neue Reinräume für die GMP-Produktion von Radiopharmaka an.",
        },
        {
            "id": "zh-trial",
            "url": "https://example.cn/liege-trial",
            "published": "2024-03-01",
            "text": "列日大学在列日开展放射性药物的临床试验。",
        },
    ]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path}/kb.db")
    ingest_paths(store, [str(feed)])
    kb = load_knowledge(store)
    result = pathway(kb, "列日")
    stages = {s["stage"]: s for s in result["stages"]}
    gmp = [e["label"] for e in stages["production"]["reports"]]
    assert any("GMP-Produktion" in s for s in gmp), stages["production"]
    trials = [e["label"] for e in stages["clinical"]["reports"]]
    assert any("临床试验" in s for s in trials), stages["clinical"]
    assert all(p["local"] for p in stages["clinical"]["providers"] if p["from_reports"])


# ------------------------------------------------------------------------------------------------ command line


@pytest.mark.parametrize(
    ("argv", "parameter"),
    [
        (["land", "--sector", "radiopharma", "--origin", "XX"], "origin"),
        (["land", "--sector", "radiopharma", "--weights", "sector=1e308"], "weights"),
        (["land", "--sector", "astrologie"], "sector"),
        (["land", "--needs", "strand"], "need"),
        (["land", "--stage", "rentner"], "stage"),
        (["prospects", "--for", "香港科學園", "--since", "2017-13"], "since"),
        (["markets", "--alliance", "MAGIA", "--sector", "astrologie"], "sector"),
        (["pathway", "--location", "Lüttich", "--sector", "astrologie"], "sector"),
    ],
)
def test_the_command_line_exits_2_naming_the_bad_parameter(
    example_store: Store, capsys: pytest.CaptureFixture[str], argv: list[str], parameter: str
) -> None:
    from bioatlas.cli import main

    assert main([*argv, "--db", example_store.url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{argv[0]}: {parameter}:"), err


def test_the_command_line_prospects_for_awex_lists_clarity_as_already_here(
    example_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from bioatlas.cli import main

    assert main(["prospects", "--for", "AWEX", "--json", "--db", example_store.url]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "Clarity Pharmaceuticals" in {a["name"] for a in result["already_here"]}
    assert main(["prospects", "--for", "AWEX", "--db", example_store.url]) == 0
    out = capsys.readouterr().out
    assert "Already here" in out and "Clarity Pharmaceuticals [landed]" in out


def test_the_command_line_writes_the_same_prospects_file_as_the_web(
    example_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bioatlas prospects --csv` (here for 香港科學園) writes the web download's file: BOM, the same columns."""
    import csv

    from bioatlas.api.exports import PROSPECT_COLUMNS
    from bioatlas.cli import main

    path = tmp_path / "prospects.csv"
    assert main(["prospects", "--for", "香港科學園", "--csv", str(path), "--db", example_store.url]) == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows and list(rows[0]) == list(PROSPECT_COLUMNS)
    assert f"wrote {len(rows)} prospects" in capsys.readouterr().err


def test_a_much_named_entity_is_read_from_its_most_recent_reports_only(example_store: Store, monkeypatch) -> None:
    """The answers read at most MENTIONS_PER_ENTITY name claims of an entity, the most recently published first:
    the work stays bounded for a place named in thousands of reports, and what is read is the latest news."""
    from sqlalchemy import select

    from bioatlas.kb import schema as t
    from bioatlas.kb.visibility import scope_for
    from bioatlas.match import knowledge

    kb = load_knowledge(example_store)
    liege = sorted(kb.named("Liège"))[0]
    with example_store.engine.connect() as conn:
        scope = scope_for(conn, knowledge.ANONYMOUS)
        claims = conn.execute(
            select(t.documents.c.id, t.documents.c.published)
            .select_from(t.claims.join(t.documents, t.documents.c.id == t.claims.c.document_id))
            .where(t.claims.c.entity_id == liege, t.claims.c.prop == "name", t.claims.c.start.is_not(None))
        ).all()
    assert len({doc for doc, _ in claims}) >= 2, "Liège is named in several example pages"
    everything = knowledge.MentionIndex(example_store, scope, {}).of([liege])
    monkeypatch.setattr(knowledge, "MENTIONS_PER_ENTITY", 1)
    capped = knowledge.MentionIndex(example_store, scope, {}).of([liege])
    assert len(everything) > 1 and len(capped) == 1
    latest = max(published or "" for _, published in claims)
    assert dict(claims)[capped[0].evidence.document_id] == latest
