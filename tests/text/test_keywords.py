"""One-pass word lists (Aho-Corasick): what the answers use to tell which sectors and services a sentence names."""

from __future__ import annotations

from bioatlas.match.services import _services_said
from bioatlas.sectors import sectors_said
from bioatlas.text.keywords import WordLists


def test_overlapping_words_and_every_list_are_found_in_one_pass() -> None:
    lists = WordLists({"cgt": ["cell therapy", "gene therapy"], "therapeutics": ["therapy"], "zh": ["细胞治疗"]})
    assert lists.names_in("a cell therapy plant") == {"cgt", "therapeutics"}
    assert lists.names_in("苏州的细胞治疗工厂") == {"zh"}
    assert lists.names_in("nothing here") == frozenset()
    assert WordLists({}).names_in("anything") == frozenset()


def test_short_latin_words_must_start_a_word_longer_stems_need_not() -> None:
    lists = WordLists({"imaging": ["irm"], "vaccines": ["vaccin"]}, short_word_start=4)
    assert lists.names_in("la firme a confirmé") == frozenset()  # 'irm' inside 'firme' and 'confirmé'
    assert lists.names_in("un centre d'irm à liège") == {"imaging"}
    assert lists.names_in("les vaccins et la vaccination") == {"vaccines"}


def test_sectors_said_ignores_a_short_word_inside_another_in_french_and_german() -> None:
    assert "medical-imaging" not in sectors_said("Die Firma bestätigte den Standort in Lüttich.")
    assert "medical-imaging" not in sectors_said("La firme a confirmé son implantation à Liège.")
    assert sectors_said("L'entreprise développe des radiopharmaceutiques à Liège.")  # a long stem inside a word


def test_services_need_a_word_start_in_latin_scripts_and_not_in_chinese() -> None:
    assert "wet-lab" not in _services_said("the collaborations were signed")
    assert "wet-lab" in _services_said("Das neue Labor in München")
    assert "clinical-trials" in _services_said("该公司在苏州开展临床试验")
    assert "clinical-trials" in _services_said("該公司在台北進行臨床試驗")
