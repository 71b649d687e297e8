"""The learned figure reader: labels from gold pages, ranking of subjects, keep/drop, files and fallbacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bioatlas.extract.figures import extract_figures
from bioatlas.learn import figure_model as fm
from bioatlas.learn.align import align_entities
from bioatlas.learn.corpus import Page
from bioatlas.learn.models import using_models
from bioatlas.model import Document, Entity, Mention, Paragraph

Spec = dict[str, tuple[str, list[str]]]


def make_doc(text: str, lang: str, entities: Spec) -> Document:
    paragraphs = [Paragraph(m.start(), m.end(), lang) for m in re.finditer(r"[^\n]+", text)]
    ents = []
    for eid, (etype, forms) in entities.items():
        mentions = [
            Mention(form, m.start(), m.end(), "reference") for form in forms for m in re.finditer(re.escape(form), text)
        ]
        ents.append(Entity(id=eid, name=forms[0], type=etype, mentions=mentions))
    return Document(id="t", text=text, paragraphs=paragraphs, entities=ents)


# Three small pages: the figure is about the park named after the number, not the company before it.
PAGES: list[tuple[str, str, Spec, list[dict[str, object]]]] = [
    (
        "Acme Bio said 120 companies now work at Genopark.\nAcme Bio is a start-up.",
        "en",
        {"p1": ("company", ["Acme Bio"]), "p2": ("park", ["Genopark"])},
        [{"value": 120, "subject": "g2"}],
    ),
    (
        "森田製藥表示,目前共有300家企業進駐竹北生醫園區。",
        "zh-Hant",
        {"p1": ("company", ["森田製藥"]), "p2": ("park", ["竹北生醫園區"])},
        [{"value": 300, "subject": "g2"}],
    ),
    (
        "Die Firma Bioteq erklärte, dass 45 Unternehmen im Technologiepark Heidelberg arbeiten.",
        "de",
        {"p1": ("company", ["Bioteq"]), "p2": ("park", ["Technologiepark Heidelberg"])},
        [{"value": 45, "subject": "g2"}],
    ),
]


def gold_of(spec: Spec, figures: list[dict[str, object]]) -> dict[str, object]:
    ents = [
        {"id": "g" + eid[1:], "name": forms[0], "type": kind, "mentions": forms} for eid, (kind, forms) in spec.items()
    ]
    return {"entities": ents, "figures": figures}


def rows() -> tuple[list[fm._Row], int]:
    out: list[fm._Row] = []
    total = 0
    for i, (text, lang, spec, figures) in enumerate(PAGES):
        found, n = fm.page_rows(make_doc(text, lang, spec), gold_of(spec, figures), f"page-{i}")
        out += found
        total += n
    return out, total


def test_gold_subjects_align_to_predicted_entities_by_name() -> None:
    gold = [
        {"id": "g1", "name": "Liège", "type": "place", "mentions": ["列日", "Liège"]},
        {"id": "g2", "name": "AWEX", "type": "agency", "mentions": ["AWEX", "瓦隆尼亞外貿投資總署"]},
    ]
    predicted = [
        Entity("e7", "列日", "place", mentions=[Mention("列日", 0, 2, "reference")]),
        Entity("e8", "瓦隆尼亞外貿投資總署", "cluster", mentions=[Mention("瓦隆尼亞外貿投資總署", 5, 15, "pattern")]),
        Entity("e9", "Liege", "company", mentions=[]),
    ]
    assert align_entities(gold, predicted) == {"e7": "g1", "e8": "g2"}


def test_rows_are_labelled_by_value_and_subject() -> None:
    found, total = rows()
    assert total == 3
    assert [r.is_figure for r in found] == [True, True, True]
    assert all(r.right == {"p2"} for r in found)
    assert all({eid for eid, _ in r.options} == {"p1", "p2"} for r in found)


def test_training_is_deterministic_and_the_file_round_trips(tmp_path: Path) -> None:
    found, total = rows()
    model, stats = fm.fit(found, total)
    again, _ = fm.fit(*rows())
    fm.write_model(model, tmp_path / "a.json")
    fm.write_model(again, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert stats["subject_groups"] == 3
    loaded = fm.read_model(tmp_path / "a.json")
    assert loaded.subject.weights == json.loads((tmp_path / "a.json").read_text())["subject"]["weights"]


def test_a_trained_ranker_overrides_the_rules_only_by_a_margin(tmp_path: Path) -> None:
    text = "Acme Bio has 80 companies in its network near Biopark Lyon."
    spec: Spec = {"e1": ("company", ["Acme Bio"]), "e2": ("park", ["Biopark Lyon"])}
    with using_models(tmp_path / "none"):
        assert [f.subject for f in extract_figures(make_doc(text, "en", spec))] == ["e1"]  # the rules
    folder = tmp_path / "models"
    weak = fm.FigureModel(fm.Linear({"rel=after": 1.0}, 0.0), None, 0.0)
    fm.write_model(weak, folder / fm.MODEL_FILE)
    with using_models(folder):
        (fig,) = extract_figures(make_doc(text, "en", spec))
    assert fig.subject == "e1" and fig.method == "model"
    strong = fm.FigureModel(fm.Linear({"rel=after": 5.0}, 0.0), None, 0.0)
    folder = tmp_path / "strong"
    fm.write_model(strong, folder / fm.MODEL_FILE)
    with using_models(folder):
        assert [f.subject for f in extract_figures(make_doc(text, "en", spec))] == ["e2"]


def test_the_keep_model_can_drop_a_candidate(tmp_path: Path) -> None:
    model = fm.FigureModel(fm.Linear({}, 0.0), fm.Linear({"kind=things": -6.0}, 2.0), 0.5)
    fm.write_model(model, tmp_path / fm.MODEL_FILE)
    doc = make_doc("오송단지에는 기업 50곳이 입주했고 8개 연구소가 있다.", "ko", {"e1": ("park", ["오송단지"])})
    with using_models(tmp_path):
        found = extract_figures(doc)
    assert [(f.value, f.unit) for f in found] == [(50, "companies")]


def test_train_writes_a_model_from_pages(tmp_path: Path) -> None:
    pages = []
    for i, (text, _lang, spec, figures) in enumerate(PAGES):
        path = tmp_path / f"p{i}.txt"
        path.write_text(text, encoding="utf-8")
        pages.append(Page(f"p{i}", text, gold_of(spec, figures), path, real=False))
    out = tmp_path / "models"
    with using_models(out):
        stats = fm.train(pages, out)
        assert fm.current_model() is not None
    assert stats["pages"] == 3 and stats["candidates"] >= 3
    assert (out / fm.MODEL_FILE).exists()
