from __future__ import annotations

from pathlib import Path

from bioatlas.learn import entity_tagger
from bioatlas.learn.corpus import Page, prepared
from bioatlas.learn.models import using_models
from bioatlas.model import Document, Paragraph


def _doc(text: str, lang: str) -> Document:
    return Document(id="t", text=text, paragraphs=[Paragraph(0, len(text), lang)])


def test_tokens_are_words_in_latin_and_characters_in_cjk() -> None:
    text = "Roche罗氏落户。바이오랜드와 Liège-based"
    toks = [text[a:b] for a, b in entity_tagger.tokens(text, 0, len(text))]
    assert toks == ["Roche", "罗", "氏", "落", "户", "。", "바", "이", "오", "랜", "드", "와", "Liège", "-", "based"]


def test_gold_mentions_are_found_verbatim_longest_first_and_on_word_boundaries() -> None:
    text = "Medbio and Medbiotics met in Liège. 香港科技園公司與科技園公司。"
    gold = {
        "entities": [
            {"id": "e1", "type": "company", "mentions": ["Medbio"]},
            {"id": "e2", "type": "park", "mentions": ["香港科技園公司", "科技園公司"]},
            {"id": "e3", "type": "place", "mentions": ["Liège"]},
        ]
    }
    spans = entity_tagger.gold_spans(_doc(text, "en"), gold)
    found = sorted((text[s.start : s.end], s.type) for s in spans)
    # 'Medbio' inside 'Medbiotics' is no mention; the short park name inside the long one is not counted twice
    assert found == sorted(
        [("Medbio", "company"), ("Liège", "place"), ("香港科技園公司", "park"), ("科技園公司", "park")]
    )


def test_decoding_joins_inside_labels_and_keeps_the_least_sure_probability() -> None:
    toks = [(0, 3), (4, 8), (9, 12), (13, 16)]
    spans = entity_tagger._decode(toks, ["B-company", "I-company", "O", "B-place"], [0.9, 0.6, 0.99, 0.8])
    assert [(s.start, s.end, s.type, s.confidence) for s in spans] == [(0, 8, "company", 0.6), (13, 16, "place", 0.8)]


def _page(pid: str, text: str, entities: list[dict]) -> Page:
    gold = {"id": pid, "languages": [], "entities": entities, "events": [], "figures": []}
    return Page(pid, text, gold, Path(f"{pid}.txt"), real=False)


def test_a_trained_tagger_finds_names_the_rules_do_not_know(tmp_path: Path) -> None:
    pages = []
    names = ["Zorblax", "Quintara", "Velmoria", "Draxten", "Ostrivo", "Pelunar", "Kavrinta", "Tessaro"]
    for i, name in enumerate(names):
        text = (
            f"Die Firma {name} eröffnet ein neues Labor in Heidelberg, wie das Unternehmen am Montag mitteilte.\n\n"
            f"{name}生物科技公司昨日宣布落户苏州工业园区，计划在当地建设研发中心和生产基地。\n\n"
            f"{name}生物科技公司昨日宣佈落戶新竹生醫園區，計劃在當地建設研發中心和生產基地。\n\n"
            f"La société {name} s'installe à Liège, où elle ouvrira un laboratoire de recherche l'an prochain."
        )
        pages.append(_page(f"p{i}", text, [{"id": "e1", "type": "company", "mentions": [name]}]))
    stats = entity_tagger.train(pages, tmp_path)
    assert stats["names"] >= 8 * 4 and (tmp_path / entity_tagger.MODEL_FILE).exists()
    with using_models(tmp_path):
        text = (
            "La société Brimvane s'installe à Liège, où elle ouvrira un laboratoire de recherche l'an prochain.\n\n"
            "Brimvane生物科技公司昨日宣布落户苏州工业园区，计划在当地建设研发中心和生产基地。"
        )
        doc = prepared(_page("q", text, []))
        found = {doc.text[s.start : s.end] for s in entity_tagger.tag(doc)}
    assert "Brimvane" in found


def test_no_model_file_means_no_tagged_names(tmp_path: Path) -> None:
    with using_models(tmp_path):
        assert entity_tagger.tag(_doc("Die Firma Zorblax eröffnet ein Labor.", "de")) == []
