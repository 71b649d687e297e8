"""Numbers and money amounts in every language: parse_number, find_numbers, find_amounts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bioatlas.extract.numbers import find_amounts, find_numbers, fold_width, parse_number

# --------------------------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------------------------

PARSE_CASES = [
    # Arabic digits and separators
    ("8", None, 8),
    ("12000", None, 12000),
    ("12,000", None, 12000),
    ("12,000", "en", 12000),
    ("12.000", "de", 12000),
    ("12.000", None, 12000),
    ("1,5", "de", 1.5),
    ("1,5", None, 1.5),
    ("1.5", "en", 1.5),
    ("3,4", "fr", 3.4),
    ("12 000", "fr", 12000),
    ("12\u00a0000", "fr", 12000),
    ("12\u202f000", "fr", 12000),
    ("12'000", "de", 12000),
    ("1.234.567", "nl", 1234567),
    ("1,234,567", "en", 1234567),
    ("1.234,56", "de", 1234.56),
    ("1,234.56", "en", 1234.56),
    ("１２", None, 12),
    ("１２，０００", None, 12000),
    # scale words and suffixes
    ("1.2 million", "en", 1_200_000),
    ("€150m", None, 150_000_000),
    ("$3.5 million", "en", 3_500_000),
    ("HK$1.2bn", "en", 1_200_000_000),
    ("£4m", "en", 4_000_000),
    ("$180k", "en", 180_000),
    ("10 Mio.", "de", 10_000_000),
    ("5 Mrd.", "de", 5_000_000_000),
    ("150 Millionen", "de", 150_000_000),
    ("2 Milliarden", "de", 2_000_000_000),
    ("150 millions", "fr", 150_000_000),
    ("2 milliards", "fr", 2_000_000_000),
    ("4 miljoen", "nl", 4_000_000),
    ("3 miljard", "nl", 3_000_000_000),
    ("1,5 Mio.", "de", 1_500_000),
    ("1.500 Millionen", "de", 1_500_000_000),
    # CJK scales on Arabic digits
    ("1.2万", "zh-Hans", 12000),
    ("7.05万", "zh-Hans", 70500),
    ("118万", "zh-Hans", 1_180_000),
    ("5亿", "zh-Hans", 500_000_000),
    ("50亿", "zh-Hans", 5_000_000_000),
    ("6.5億", "ja", 650_000_000),
    ("4,400億", "ja", 440_000_000_000),
    ("1,000억", "ko", 100_000_000_000),
    ("3천", "ko", 3000),
    ("5천만", "ko", 50_000_000),
    ("3千万", "zh-Hans", 30_000_000),
    ("1亿2000万", "zh-Hans", 120_000_000),
    # Chinese / Japanese numerals
    ("八", None, 8),
    ("一万二千", None, 12000),
    ("一万二", None, 12000),
    ("三千五", None, 3500),
    ("五百億", None, 50_000_000_000),
    ("卅", None, 30),
    ("廿", None, 20),
    ("廿五", None, 25),
    ("两千", None, 2000),
    ("兩千", None, 2000),
    ("一百零五", None, 105),
    ("十万零一", None, 100_001),
    ("一亿二千万", None, 120_000_000),
    ("二〇二〇", None, 2020),
    ("壹佰", None, 100),
    # qualifiers are not part of the value
    ("逾三千", None, 3000),
    ("超过12,000", None, 12000),
    ("约11,000", None, 11000),
    ("more than one hundred", "en", 100),
    ("rund 163", "de", 163),
    ("550余", None, 550),
    # number words
    ("one hundred", "en", 100),
    ("forty", "en", 40),
    ("twenty-five", "en", 25),
    ("a hundred", "en", 100),
    ("one hundred and five", "en", 105),
    ("two thousand five hundred", "en", 2500),
    ("cent", "fr", 100),
    ("vingt", "fr", 20),
    ("deux cents", "fr", 200),
    ("quatre-vingt-dix", "fr", 90),
    ("soixante et onze", "fr", 71),
    ("mille", "fr", 1000),
    ("hundert", "de", 100),
    ("vierzig", "de", 40),
    ("zweihundertfünfzig", "de", 250),
    ("einundzwanzig", "de", 21),
    ("honderd", "nl", 100),
    ("vijfentwintig", "nl", 25),
    ("tweeduizend", "nl", 2000),
    ("tweeëntwintig", "nl", 22),
]


@pytest.mark.parametrize(("text", "lang", "expected"), PARSE_CASES)
def test_parse_number(text: str, lang: str | None, expected: float) -> None:
    assert parse_number(text, lang) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "hello world", "一起", "%", "€", "million"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_equivalent_spellings_agree() -> None:
    assert parse_number("1.2万") == parse_number("12,000") == parse_number("一万二千") == 12000
    assert parse_number("12.000", "de") == parse_number("12,000", "en") == parse_number("12 000", "fr")


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def _section(n: int) -> str:
    """0 < n < 10000 in Chinese numerals, with 零 for skipped places."""
    out = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[d] + unit)
    return "".join(out)


def to_chinese(n: int) -> str:
    """A small int -> Chinese numeral formatter (the standard written form, e.g. 10010 -> 一万零一十)."""
    if n == 0:
        return "零"
    parts = []
    units = ((10**8, "亿"), (10**4, "万"), (1, ""))
    pending_zero = False
    for value, unit in units:
        chunk = n // value % 10000 if value < 10**8 else n // value
        if chunk == 0:
            pending_zero = bool(parts)
            continue
        if parts and (pending_zero or chunk < 1000):
            parts.append("零")
        parts.append(_section(chunk) + unit)
        pending_zero = False
    return "".join(parts)


def test_to_chinese_formatter_itself() -> None:
    assert to_chinese(12000) == "一万二千"
    assert to_chinese(10010) == "一万零一十"
    assert to_chinese(105) == "一百零五"
    assert to_chinese(120000000) == "一亿二千万"


@given(st.integers(min_value=0, max_value=10**12))
def test_plain_and_grouped_integers_parse(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}", "en") == n
    assert parse_number(f"{n:,}".replace(",", "."), "de") == n
    assert parse_number(f"{n:,}".replace(",", "\u202f"), "fr") == n
    assert parse_number(f"{n:,}".replace(",", " "), "fr") == n


@given(st.integers(min_value=1, max_value=99_999_999_999))
def test_chinese_numerals_parse(n: int) -> None:
    assert parse_number(to_chinese(n)) == n


@given(st.integers(min_value=1, max_value=99_999))
def test_wan_with_one_decimal(k: int) -> None:
    n = k * 1000  # a whole number of thousands is exactly x.y万
    text = f"{k // 10}.{k % 10}万" if k % 10 else f"{k // 10}万"
    assert parse_number(text) == n


@given(st.integers(min_value=1000, max_value=10**9))
def test_thousand_separators_round_trip(n: int) -> None:
    grouped = f"{n:,}"
    found = find_numbers(f"There are {grouped} of them.", "en")
    assert [m.value for m in found] == [n]
    assert found[0].text == grouped


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["en", "fr", "de", "nl", "zh-Hans", "ja", "ko"]))
def test_find_numbers_spans_slice_the_number(n: int, lang: str) -> None:
    text = f"abc {n} xyz"
    found = find_numbers(text, lang)
    assert [m.value for m in found] == [n]
    assert text[found[0].start : found[0].end] == str(n)


def test_fold_width_keeps_length() -> None:
    text = "ＡＢＣ１２３，４５６　ｘ"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text) == "ABC123,456 x"


# --------------------------------------------------------------------------------------------
# find_numbers
# --------------------------------------------------------------------------------------------


def _found(text: str, lang: str | None) -> list[tuple[float, str | None, str]]:
    return [(m.value, m.qualifier, m.text) for m in find_numbers(text, lang)]


def test_find_numbers_english() -> None:
    text = "Liège has 72 companies creating more than one hundred new jobs in some 40 countries."
    assert _found(text, "en") == [
        (72, None, "72"),
        (100, "more than", "more than one hundred"),
        (40, "about", "some 40"),
    ]


def test_find_numbers_english_qualifiers() -> None:
    got = _found("up to 100 staff, nearly 30 firms, at least 15, fewer than 5, approximately 9", "en")
    assert [(v, q) for v, q, _ in got] == [
        (100, "up to"),
        (30, "nearly"),
        (15, "at least"),
        (5, "less than"),
        (9, "about"),
    ]


def test_find_numbers_french() -> None:
    got = _found("plus de 4 000 m², environ 200 chercheurs, près de 50 emplois, jusqu'à 100 millions", "fr")
    assert [(v, q) for v, q, _ in got] == [
        (4000, "more than"),
        (200, "about"),
        (50, "nearly"),
        (100_000_000, "up to"),
    ]


def test_find_numbers_german() -> None:
    got = _found("Mehr als 50 Start-ups, rund 163 Millionen Euro, etwa zwanzig Firmen, über 1.200 Mitarbeiter", "de")
    assert [(v, q) for v, q, _ in got] == [
        (50, "more than"),
        (163_000_000, "about"),
        (20, "about"),
        (1200, "more than"),
    ]


def test_find_numbers_dutch() -> None:
    got = _found("meer dan 80 bedrijven, ruim 2.500 banen, vijf huurders, verdeeld over acht verdiepingen", "nl")
    assert [(v, q) for v, q, _ in got] == [(80, "more than"), (2500, "more than"), (5, None), (8, None)]


def test_find_numbers_chinese() -> None:
    got = _found("逾三千名研究人员,1.2万平方米,占地八公顷,72家公司,入驻企业550余家,100多個新的工作機會", "zh-Hans")
    assert [(v, q) for v, q, _ in got] == [
        (3000, "more than"),
        (12000, None),
        (8, None),
        (72, None),
        (550, "more than"),
        (100, "more than"),
    ]
    assert _found("超过12,000名", "zh-Hant")[0][:2] == (12000, "more than")
    assert _found("近10年", "zh-Hans")[0][:2] == (10, "nearly")
    assert _found("约5亿元", "zh-Hans")[0][:2] == (500_000_000, "about")


def test_find_numbers_chinese_skips_words_ordinals_and_vague_counts() -> None:
    assert _found("第一批企业一起统一入驻,数十家企业,十几家公司,万一", "zh-Hans") == []
    assert _found("一带一路", "zh-Hans") == []


def test_find_numbers_japanese_and_korean() -> None:
    assert _found("雇用者数は約11,000人", "ja")[0][:2] == (11000, "about")
    assert _found("事業費は4,400億円", "ja")[0][:2] == (440_000_000_000, None)
    got = _found("일자리 80개, 100여 개 기업, 약 80명", "ko")
    assert [(v, q) for v, q, _ in got] == [(80, None), (100, "more than"), (80, "about")]


def test_find_numbers_skips_ordinals_codes_and_phone_numbers() -> None:
    assert _found("the 1st, 2nd and 3rd floors", "en") == []
    assert _found("le 2e étage et le 1er site", "fr") == []
    assert [v for v, _, _ in _found("COVID-19, E411, H1N1", "en")] == []
    values = [v for v, _, _ in _found("Tel. +32 4 123 45 67", "fr")]
    assert 4123 not in values


def test_find_numbers_articles_are_not_numbers() -> None:
    assert _found("ein Unternehmen und eine Firma", "de") == []
    assert _found("un bâtiment et une société", "fr") == []
    assert _found("een bedrijf", "nl") == []
    assert [v for v, _, _ in _found("één bedrijf", "nl")] == [1]


def test_find_numbers_dutch_over_is_not_a_qualifier() -> None:
    assert _found("over acht verdiepingen", "nl") == [(8, None, "acht")]
    assert _found("over 20 companies", "en") == [(20, "more than", "over 20")]


def test_find_numbers_full_width_digits_keep_offsets() -> None:
    text = "入驻企业１２０家"
    (m,) = find_numbers(text, "zh-Hans")
    assert m.value == 120
    assert text[m.start : m.end] == "１２０"


# --------------------------------------------------------------------------------------------
# find_amounts
# --------------------------------------------------------------------------------------------

AMOUNT_CASES = [
    ("Technimark will invest €26m in Longford", "en", 26_000_000, "EUR", "€26m"),
    ("Technimark will invest €26 million", "en", 26_000_000, "EUR", "€26 million"),
    ("mit € 150 Millionen gefördert", "de", 150_000_000, "EUR", "€ 150 Millionen"),
    ("il attend 150 millions d'euros", "fr", 150_000_000, "EUR", "150 millions d'euros"),
    ("il attend 150 millions d’euros", "fr", 150_000_000, "EUR", "150 millions d’euros"),
    ("la SERL a investi 4,5 M€", "fr", 4_500_000, "EUR", "4,5 M€"),
    ("raised US$20m", "en", 20_000_000, "USD", "US$20m"),
    ("invest $3.5 million", "en", 3_500_000, "USD", "$3.5 million"),
    ("rake in £4m", "en", 4_000_000, "GBP", "£4m"),
    ("a HK$1.2bn campus", "en", 1_200_000_000, "HKD", "HK$1.2bn"),
    ("总投资5亿元", "zh-Hans", 500_000_000, "CNY", "5亿元"),
    ("总投资额达50亿元人民币", "zh-Hans", 5_000_000_000, "CNY", "50亿元人民币"),
    ("投资10亿港元", "zh-Hant", 1_000_000_000, "HKD", "10亿港元"),
    ("投資3億港幣", "zh-Hant", 300_000_000, "HKD", "3億港幣"),
    ("投資3億新台幣", "zh-Hant", 300_000_000, "TWD", "3億新台幣"),
    ("6.5億円を調達", "ja", 650_000_000, "JPY", "6.5億円"),
    ("事業費は30億円", "ja", 3_000_000_000, "JPY", "30億円"),
    ("1,000억 원 투자", "ko", 100_000_000_000, "KRW", "1,000억 원"),
    ("CHF 10 Mio. investiert", "de", 10_000_000, "CHF", "CHF 10 Mio."),
    ("für 180.000 Euro", "de", 180_000, "EUR", "180.000 Euro"),
    ("苏州投资¥5bn", "zh-Hans", 5_000_000_000, "CNY", "¥5bn"),
    ("東京に¥5bn", "ja", 5_000_000_000, "JPY", "¥5bn"),
    ("a 500 million yuan park", "en", 500_000_000, "CNY", "500 million yuan"),
    ("5 miljoen euro", "nl", 5_000_000, "EUR", "5 miljoen euro"),
    ("200 millions de dollars", "fr", 200_000_000, "USD", "200 millions de dollars"),
    ("10亿美元", "zh-Hans", 1_000_000_000, "USD", "10亿美元"),
]


@pytest.mark.parametrize(("text", "lang", "value", "currency", "span"), AMOUNT_CASES)
def test_find_amounts(text: str, lang: str, value: float, currency: str, span: str) -> None:
    (a,) = find_amounts(text, lang)
    assert a.value == pytest.approx(value)
    assert a.currency == currency
    assert text[a.start : a.end] == span == a.text


def test_find_amounts_qualifier_before_currency() -> None:
    (a,) = find_amounts("more than €26m", "en")
    assert (a.value, a.qualifier, a.text) == (26_000_000, "more than", "more than €26m")
    (b,) = find_amounts("rund 163 Millionen Euro", "de")
    assert (b.value, b.qualifier) == (163_000_000, "about")


def test_traditional_chinese_yuan_follows_the_place() -> None:
    (hk,) = find_amounts("香港科技園投資5億元", "zh-Hant")
    assert hk.currency == "HKD"
    (tw,) = find_amounts("臺灣新竹投資5億元", "zh-Hant")
    assert tw.currency == "TWD"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("72 companies and 80 jobs", "en"),
        ("5 pounds of flour", "en"),
        ("they won 3 awards", "en"),
        ("in 2021 we grew 20%", "en"),
        ("72家公司", "zh-Hans"),
        ("연구원 120명", "ko"),
    ],
)
def test_find_amounts_negatives(text: str, lang: str) -> None:
    assert find_amounts(text, lang) == []


def test_glued_letters_are_scales_only_after_a_currency() -> None:
    assert [m.value for m in find_numbers("a Phase 2b trial and a 150m tower", "en")] == [2, 150]
    assert [m.value for m in find_numbers("€150m and $5k", "en")] == [150_000_000, 5000]
    assert parse_number("150m") == 150_000_000  # a lone number with a suffix: the suffix is a scale


_CHARS = "0123456789 ,.'’-+%€$£¥元円원万億亿千百十一二三四五六七八九零两家名人个間社명개第多余約逾超"
_WORDS = ["more than ", "about ", "million", "Mio.", "millions d'euros", "companies", "jobs", "\u202f", "\n"]
_ALPHABET = st.sampled_from([*_CHARS, *_WORDS])


@given(
    st.lists(_ALPHABET, max_size=40).map("".join),
    st.sampled_from([None, "en", "fr", "de", "nl", "zh-Hans", "ja", "ko"]),
)
def test_finders_never_fail_and_spans_are_valid(text: str, lang: str | None) -> None:
    for m in find_numbers(text, lang):
        assert 0 <= m.start <= m.value_start < m.value_end <= m.end <= len(text)
        assert m.text == text[m.start : m.end]
        assert m.value >= 0
    for a in find_amounts(text, lang):
        assert 0 <= a.start < a.end <= len(text)
        assert a.text == text[a.start : a.end]
        assert len(a.currency) == 3


# --------------------------------------------------------------------------------------------
# Huge numbers, Korean and Chinese big units, Italian words, approximate counts, more currencies
# --------------------------------------------------------------------------------------------


def test_a_309_digit_number_is_not_a_number() -> None:
    digits = "9" * 309
    for lang in ("en", "de", "zh-Hans", "ko", None):
        assert find_numbers(f"{digits} companies", lang) == []
        assert find_amounts(f"€{digits} million", lang) == []
    assert parse_number(digits) is None
    assert parse_number("九" * 400) is None


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("6만6000", "ko", 66000),
        ("27만4381", "ko", 274381),
        ("3만6천", "ko", 36000),
        ("2조1000억", "ko", 2_100_000_000_000),
        ("1億1000万", "ja", 110_000_000),
        ("1亿2000万", "zh-Hans", 120_000_000),
        ("ventitré", "it", 23),
        ("duecentocinquanta", "it", 250),
        ("tremila", "it", 3000),
    ],
)
def test_big_units_and_italian_words(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == value


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("une quinzaine d'entreprises", "fr", 15),
        ("una ventina di aziende", "it", 20),
        ("ein Dutzend Firmen", "de", 12),
        ("een tiental bedrijven", "nl", 10),
    ],
)
def test_approximate_counts_read_as_about(text: str, lang: str, value: float) -> None:
    (n,) = find_numbers(text, lang)
    assert (n.value, n.qualifier, n.kind) == (value, "about", "approx")


def test_plural_approximate_words_are_not_numbers() -> None:
    assert find_numbers("des dizaines d'entreprises et des centaines d'emplois", "fr") == []
    assert find_numbers("decine di aziende", "it") == []


@pytest.mark.parametrize(
    ("text", "lang", "value", "currency"),
    [
        ("SEK 500 million", "en", 500_000_000, "SEK"),
        ("NOK 2 billion", "en", 2_000_000_000, "NOK"),
        ("300 millions CHF", "fr", 300_000_000, "CHF"),
        ("12 milioni di euro", "it", 12_000_000, "EUR"),
        ("3백만불", "ko", 3_000_000, "USD"),
        ("新臺幣6.5億元", "zh-Hant", 650_000_000, "TWD"),
        ("40억원", "ko", 4_000_000_000, "KRW"),
    ],
)
def test_more_currencies(text: str, lang: str, value: float, currency: str) -> None:
    assert [(a.value, a.currency) for a in find_amounts(text, lang)] == [(value, currency)]
