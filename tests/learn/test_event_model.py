"""The learned event reader: trains deterministically into plain weight files, labels candidates from gold
evidence, and scores the key participant of a told event over a bystander in sentences it never saw."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bioatlas.extract.events import extract_events, rule_events
from bioatlas.learn import event_model
from bioatlas.learn.corpus import Page
from bioatlas.learn.models import using_models
from bioatlas.model import Document, Entity, Mention, Paragraph

# (company, city, partner): pages written for these tests.
COMPANIES = [
    ("Calder Pharma", "Leeds", "Harrow Bank"),
    ("Norvik Bio", "Bergen", "Tessel Capital"),
    ("Ostara Medical", "Porto", "Lumen Ventures"),
    ("Brightwell Labs", "Cork", "Fenwick Trust"),
    ("Quillon Therapeutics", "Ghent", "Marlow Partners"),
    ("Sarnen Diagnostics", "Basel", "Alder Finance"),
    ("Velora Biotech", "Lyon", "Cobalt Holdings"),
    ("Merrow Genomics", "Aarhus", "Stanway Fund"),
]


def _doc(text: str, names: list[tuple[str, str]]) -> Document:
    """A prepared document whose entities are the given (name, type) pairs, wherever they occur."""
    doc = Document(id="t", raw=text)
    doc.text = text
    doc.paragraphs = [Paragraph(0, len(text), "en")]
    doc.languages = ["en"]
    for i, (name, kind) in enumerate(names):
        ent = Entity(id=f"e{i + 1}", name=name, type=kind)
        at = text.find(name)
        while at >= 0:
            ent.mentions.append(Mention(name, at, at + len(name), "reference", "en"))
            at = text.find(name, at + 1)
        doc.entities.append(ent)
    return doc


def _page(i: int, company: str, city: str, partner: str) -> tuple[Page, Document]:
    landing = f"{company} opens its first office in {city}."
    text = f"{landing} The firm met {partner} last spring. {partner} praised the weather in {city}."
    gold = {
        "entities": [
            {"id": "g1", "name": company, "type": "company", "mentions": [company]},
            {"id": "g2", "name": city, "type": "place", "mentions": [city]},
            {"id": "g3", "name": partner, "type": "company", "mentions": [partner]},
        ],
        "events": [{"type": "landing", "roles": {"company": "g1", "location": "g2"}, "evidence": landing}],
    }
    page = Page(f"p{i}", text, gold, Path(f"p{i}.txt"), real=True)
    return page, _doc(text, [(company, "company"), (city, "place"), (partner, "company")])


def _rows() -> event_model.Rows:
    rows = event_model.Rows()
    for i, names in enumerate(COMPANIES):
        page, doc = _page(i, *names)
        rows.extend(event_model.page_rows(page, doc))
    return rows


def test_labels_come_from_the_gold_evidence():
    page, doc = _page(0, *COMPANIES[0])
    rows = event_model.page_rows(page, doc)
    positives = [(slot, eid, unit) for slot, _, y, _, eid, unit, _ in rows.pairs if y]
    assert positives == [("landing.company", "e1", 0)]  # the company, in the first sentence only
    told = {unit for kind, _, y, _, unit in rows.clauses if kind == "landing" and y}
    assert told == {0}


def test_evidence_parts_joined_with_dots_are_found_in_cleaned_text():
    text = "Velora Biotech   grows fast.\nIt will open\na plant in Lyon next year."
    spans = event_model._evidence_spans(text, "Velora Biotech grows fast. ... It will open a plant in Lyon")
    assert [text[s:e] for s, e in spans] == ["Velora Biotech   grows fast.", "It will open\na plant in Lyon"]


def test_alignment_folds_case_accents_and_script_like_the_scorer():
    found = [Entity("p1", "Liege", "place"), Entity("p2", "ROCHE", "company"), Entity("p3", "Roche", "person")]
    gold = [
        {"id": "g1", "name": "Liège", "type": "place", "mentions": ["Liège", "列日"]},
        {"id": "g2", "name": "Roche", "type": "research", "mentions": ["Roche"]},
    ]
    assert event_model.align(gold, found) == {"p1": "g1", "p2": "g2"}  # a person is never an organisation


def test_training_is_deterministic_and_writes_plain_small_files(tmp_path: Path):
    first, _ = event_model.fit(_rows())
    second, _ = event_model.fit(_rows())
    assert np.array_equal(first.weights, second.weights) and first.thresholds == second.thresholds
    pages = [_page(i, *names)[0] for i, names in enumerate(COMPANIES)]
    with using_models(tmp_path):
        assert event_model.train(pages, tmp_path)["pages"] == len(pages)
    meta = json.loads((tmp_path / "event_model.json").read_text(encoding="utf-8"))
    assert set(meta["thresholds"]) == set(event_model.SLOT_NAMES)
    with np.load(tmp_path / "event_model.npz", allow_pickle=False) as data:
        assert data["weights"].dtype == np.float16
    assert (tmp_path / "event_model.npz").stat().st_size < 20_000_000


def test_the_company_that_lands_outscores_a_bystander_on_an_unseen_page():
    model, _ = event_model.fit(_rows())
    text = "Tarsis Health opens its first office in Turin. The firm met Orlan Capital last spring."
    doc = _doc(text, [("Tarsis Health", "company"), ("Turin", "place"), ("Orlan Capital", "company")])
    units, cands = event_model.candidates(doc, rule_events(doc))
    scores = model.scores(cands, units)
    landing = {c.entity.name: s for c, s in zip(cands, scores, strict=True) if c.slot == "landing.company"}
    assert landing["Tarsis Health"] > 2 * landing["Orlan Capital"]


def test_a_reference_to_the_company_reaches_back_to_an_earlier_sentence():
    text = "Velora Biotech was founded by two chemists. The company will open a plant in Lyon."
    doc = _doc(text, [("Velora Biotech", "company"), ("Lyon", "place")])
    _, cands = event_model.candidates(doc, [])
    second = [c for c in cands if c.unit == 1 and c.slot == "landing.company"]
    assert [(c.entity.name, c.features[1]) for c in second] == [("Velora Biotech", "where=prev1")]


@pytest.mark.parametrize("folder_has_model", [False, True])
def test_without_a_model_file_the_rules_read_events(tmp_path: Path, folder_has_model: bool):
    text = "Calder Pharma opens its first office in Leeds."
    if folder_has_model:
        with using_models(tmp_path):
            event_model.train([_page(i, *names)[0] for i, names in enumerate(COMPANIES)], tmp_path)
    with using_models(tmp_path):
        doc = _doc(text, [("Calder Pharma", "company"), ("Leeds", "place")])
        events = extract_events(doc)
    assert [(e.type, e.roles["company"]) for e in events] == [("landing", "e1")]
    assert events[0].method == ("model" if folder_has_model else "pattern") or folder_has_model
