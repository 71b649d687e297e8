from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioatlas.text.sentences import sentence_spans, sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It grew.Then it moved. 它成长了。然后搬家了！", ["It grew.", "Then it moved.", "它成长了。", "然后搬家了！"]),
        ("該公司昨日宣布落戶科學園。園區將擴建！", ["該公司昨日宣布落戶科學園。", "園區將擴建！"]),
        ("同社は2024年に設立された。東京に本社を置く。", ["同社は2024年に設立された。", "東京に本社を置く。"]),
        (
            "충청북도는 바이오랜드와 투자협약을 체결했다.이에 따라 바이오랜드는 본사를 이전한다.",
            ["충청북도는 바이오랜드와 투자협약을 체결했다.", "이에 따라 바이오랜드는 본사를 이전한다."],
        ),
        (
            "Am 18. Juli 2024 eröffnete die Firma z. B. ein Werk. Dort arbeiten 300 Menschen.",
            ["Am 18. Juli 2024 eröffnete die Firma z. B. ein Werk.", "Dort arbeiten 300 Menschen."],
        ),
        (
            "M. Dupont, directeur de la société, a signé. La société s'installe à Liège.",
            ["M. Dupont, directeur de la société, a signé.", "La société s'installe à Liège."],
        ),
        ("Dr. Smith of Acme Inc. said 3.5 percent. Next!", ["Dr. Smith of Acme Inc. said 3.5 percent.", "Next!"]),
        ("Line one\nLine two", ["Line one", "Line two"]),
    ],
)
def test_sentences_in_every_script(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_point_into_the_text_and_respect_bounds() -> None:
    text = "前文。  Roche opened a site. 罗氏落户。后文。"
    spans = sentence_spans(text, 3, text.index("后文"))
    assert [text[a:b] for a, b in spans] == ["Roche opened a site.", "罗氏落户。"]
    assert all(3 <= a < b <= text.index("后文") for a, b in spans)


def test_empty_and_blank_text_give_no_sentence() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n ") == []


def test_script_classes_cover_every_cjk_writing_system() -> None:
    from bioatlas.text.scripts import is_cjk, is_han, is_hangul, is_kana

    assert all(is_han(c) for c in "罗氏羅氏々")
    assert all(is_kana(c) for c in "リエージュかな")
    assert all(is_hangul(c) for c in "리에주")
    assert not any(is_han(c) or is_kana(c) or is_hangul(c) for c in "Liège Köln")
    assert is_cjk("。") and not is_cjk("é")


PIECES = [
    "AWEX soutient l'implantation à Liège. ",
    "Die Firma eröffnet am 18. Juli ein Werk in Bayern. ",
    "苏州工业园区引进了三家企业。",
    "香港科學園與羅氏簽署協議！",
    "株式会社は神戸に拠点を設けた。",
    "바이오 기업이 인천에 진출했다.다음 단계는 생산이다. ",
    "Dr. Smith met the U.S. team in Cambridge.",
    "\n\n",
    "  ",
    "Clarity Pharmaceuticals s'installe à Seneffe, en Wallonie.The company said so. ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8), st.data())
def test_the_sentence_at_a_position_is_the_one_sentence_spans_cuts(parts: list[str], data: st.DataObject) -> None:
    """`sentence_at` finds one sentence without cutting the whole text (what the answers do for every name of a
    large kb); it must agree with `sentence_spans` everywhere, between sentences too (None)."""
    from bioatlas.text.sentences import sentence_at

    text = "".join(parts)
    position = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    holding = [span for span in sentence_spans(text) if span[0] <= position < span[1]]
    assert sentence_at(text, position) == (holding[0] if holding else None)
