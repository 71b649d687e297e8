"""Numbers and money amounts in running text, in every language bioatlas reads.

Three layers:

- `parse_number(text)` reads one number written any way we meet it: Arabic digits with the
  local thousands/decimal separators ('12,000', '12.000', '1,5', '12 000'), scale words and
  suffixes ('1.2 million', '€150m', '10 Mio.', '5亿', '1,000억'), Chinese/Japanese numerals
  ('一万二千', '五百億', '卅', '两千'), full-width digits, and English/French/German/Dutch
  number words ('one hundred', 'quatre-vingt-dix', 'zweihundertfünfzig', 'vijfentwintig').
- `find_numbers(text, lang)` finds every number in a text, with its span and the qualifier
  written next to it ('more than', 'about', 'up to', ...).
- `find_amounts(text, lang)` keeps the numbers that carry a currency and says which one.

Offsets are always offsets into the text given (full-width characters are folded with a
length-preserving table, never with NFKC, so spans stay valid).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

__all__ = [
    "Amount",
    "NumberMatch",
    "find_amounts",
    "find_numbers",
    "fold_width",
    "lang_key",
    "parse_number",
]


@dataclass(slots=True)
class NumberMatch:
    """A number found in text.

    `start`/`end` cover the whole number phrase, qualifier words included ('more than 80',
    '550余'); `value_start`/`value_end` cover the numeral itself ('80', '550').
    """

    value: float
    start: int
    end: int
    qualifier: str | None = None
    text: str = ""
    value_start: int = -1
    value_end: int = -1
    kind: str = "digits"  # "digits" | "cjk" | "word" | "approx" ('une quinzaine')

    def __post_init__(self) -> None:
        if self.value_start < 0:
            self.value_start = self.start
        if self.value_end < 0:
            self.value_end = self.end


@dataclass(slots=True)
class Amount:
    """A sum of money: `value` in units of `currency` (ISO 4217), e.g. '€26m' -> 26000000, 'EUR'."""

    value: float
    currency: str
    start: int
    end: int
    qualifier: str | None = None
    text: str = ""


# --------------------------------------------------------------------------------------------
# Character folding and language keys
# --------------------------------------------------------------------------------------------

_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20  # ideographic space
_WIDTH_TABLE[0xFFE5] = 0xA5  # full-width yen sign
_WIDTH_TABLE[0xFFE1] = 0xA3  # full-width pound sign
_WIDTH_TRANS = str.maketrans(_WIDTH_TABLE)


def fold_width(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one character (spans are unchanged)."""
    return text.translate(_WIDTH_TRANS)


def lang_key(lang: str | None) -> str | None:
    """'zh-Hans' -> 'zh', 'de-CH' -> 'de', None -> None."""
    if not lang:
        return None
    return lang.split("-")[0].split("_")[0].lower()


# Languages that write 1.234,5 (dot thousands, comma decimal).
_COMMA_DECIMAL = frozenset(
    {"fr", "de", "nl", "it", "es", "pt", "da", "sv", "nb", "no", "fi", "pl", "cs", "ru"},
)
# Languages where '12 000' (plain space between digit groups) is a normal way to write a number.
_SPACE_GROUPS = _COMMA_DECIMAL | {None}

# --------------------------------------------------------------------------------------------
# Arabic digits, separators and scales
# --------------------------------------------------------------------------------------------

# Nothing a page states about an organisation comes near 10^15 (a thousand trillion); longer digit strings
# are codes or garbage, and their float value may not even exist (a 309-digit number is 'inf').
MAX_VALUE = 1e15
MAX_DIGITS = 24
_THIN = "\u00a0\u202f\u2009\u2007"
_DIGITS_CORE = (
    r"[0-9]{1,3}(?:(?:[,.'’SEP])[0-9]{3})+(?:[.,][0-9]+)?"  # 12,000 / 1.234.567,89 / 12 000
    r"|[0-9]+(?:[.,][0-9]+)?"  # 12000 / 1.5 / 1,5
)
# Scale words written after a number, Latin script.
_LATIN_SCALE_WORDS = {
    "thousand": 1e3,
    "thousands": 1e3,
    "tausend": 1e3,
    "tsd": 1e3,
    "tsd.": 1e3,
    "duizend": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "mio.": 1e6,
    "mln": 1e6,
    "mln.": 1e6,
    "mn": 1e6,
    "miljoen": 1e6,
    "miljoenen": 1e6,
    "milioni": 1e6,
    "milione": 1e6,
    "miliardi": 1e9,
    "miliardo": 1e9,
    "millones": 1e6,
    "milhões": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd": 1e9,
    "mrd.": 1e9,
    "mld": 1e9,
    "mld.": 1e9,
    "miljard": 1e9,
    "miljarden": 1e9,
    "trillion": 1e12,
    # short forms glued to the number or put before a currency sign
    "m": 1e6,
    "k": 1e3,
    "b": 1e9,
    "md": 1e9,
    "mds": 1e9,
}
_LATIN_SCALE = (
    r"(?:[ \u00a0-]?(?:thousands?|tausend|tsd\.?|duizend|millions?|millionen|mio\.?|mln\.?|mn|miljoen(?:en)?"
    r"|milion[ei]|miliard[io]|millones|milhões|billions?|bn|milliards?|milliarden?|mrd\.?|mld\.?|miljard(?:en)?|trillion)"
    r"(?![^\W\d_])"
    r"|(?:m|k|b)(?![^\W_]|[²³])"  # €150m, $5k, $2b  (glued: never '150 m' = metres, never 'm²')
    r"|[ \u00a0]?(?:m|md|mds|k)(?=[ \u00a0]?[€$£]))"  # 4,5 M€ / 2 Md€ / 500 k€
)
# Scale characters after Arabic digits: 1.2万, 5亿, 4,400億, 3千万, 1,000억, 3천, 1亿2000万.
_CJK_SMALL_SCALE = r"(?:[千百](?![米克瓦分])|[천백](?![신화안연]))"
# '1.2万', '5亿', '3千万', '1亿2000万', '6만6000', '3만6천', '2조1000억': big units with digits between them,
# then at most one trailing group of digits (and a small unit) after the last big unit.
_CJK_SCALE = (
    rf"(?:(?:[0-9]{{1,4}})?{_CJK_SMALL_SCALE}?[万萬亿億兆만억조])+"
    rf"(?:[0-9]{{1,4}}{_CJK_SMALL_SCALE}?(?![0-9]))?"
    rf"|{_CJK_SMALL_SCALE}"
)
_DIGITS_LOOKBEHIND = r"(?<![0-9A-Za-z_/+#:第제])(?<![0-9][.,])(?<![A-Za-z_]-)"


@cache
def _digits_re(space_groups: bool) -> re.Pattern[str]:
    sep = _THIN + (" " if space_groups else "")
    core = _DIGITS_CORE.replace("SEP", sep)
    return re.compile(
        rf"{_DIGITS_LOOKBEHIND}(?P<num>{core})(?!:[0-9])(?P<scale>{_CJK_SCALE}|{_LATIN_SCALE})?",
        re.IGNORECASE,
    )


def _decimal_of_digits(raw: str, lang: str | None, scaled: bool) -> Decimal | None:
    """'12,000' -> 12000, '1,5' -> 1.5, '1.234,5' -> 1234.5; the language decides ambiguous cases."""
    s = raw
    for ch in _THIN + " '’":
        s = s.replace(ch, "\x00")
    s = s.replace("\x00", "")  # spaces and apostrophes only ever group thousands
    seps = [(i, ch) for i, ch in enumerate(s) if ch in ",."]
    if not seps:
        return _dec(s)
    key = lang_key(lang)
    thousands = "." if key in _COMMA_DECIMAL else ","
    if len(seps) == 1:
        i, ch = seps[0]
        tail = s[i + 1 :]
        if len(tail) != 3:
            return _dec(s[:i] + "." + tail)
        if ch == thousands:
            return _dec(s[:i] + tail)
        # The language's decimal mark followed by exactly three digits: '1.500 employees' is 1500,
        # '1.500 million' is 1.5 million.
        return _dec(s[:i] + "." + tail) if scaled else _dec(s[:i] + tail)
    chars = {ch for _, ch in seps}
    last_i, last_ch = seps[-1]
    if len(chars) == 1 and len(s) - last_i - 1 == 3:
        return _dec(s.replace(last_ch, ""))
    head = s[:last_i].replace(",", "").replace(".", "")
    return _dec(head + "." + s[last_i + 1 :])


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------------------------
# Chinese / Japanese / Korean numerals
# --------------------------------------------------------------------------------------------

_CJK_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "叄": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CJK_SMALL = {
    "十": 10,
    "拾": 10,
    "百": 100,
    "佰": 100,
    "千": 1000,
    "仟": 1000,
    "십": 10,
    "백": 100,
    "천": 1000,
}
_CJK_BIG = {
    "万": 10**4,
    "萬": 10**4,
    "亿": 10**8,
    "億": 10**8,
    "兆": 10**12,
    "만": 10**4,
    "억": 10**8,
    "조": 10**12,
}
_CJK_TENS = {"廿": 20, "卅": 30, "卌": 40}
_CJK_NUMERAL_CHARS = (
    "".join([*_CJK_DIGITS, *_CJK_SMALL, *_CJK_BIG, *_CJK_TENS])
    .replace("십", "")
    .replace("백", "")
    .replace("천", "")
    .replace("만", "")
    .replace("억", "")
    .replace("조", "")
)
_CJK_START = "".join(_CJK_DIGITS) + "十拾廿卅卌"
# What may follow a bare CJK numeral for it to count as a number: classifiers and measure words.
_CJK_CLASSIFIERS = (
    "家间間个個名位人项項所座公平万萬亿億千百倍年月日号號期次种種类類岁歲届屆条條批款台栋棟幢层層"
    "つ社件かカヶヵケ国國亩畝元円多余餘成回枚本章节節部周週天场場轮輪轮间組组大"
)
# never start inside a numeral, after an ordinal mark (第) or a vague one (数十, 几百, 上百, 成千)
_CJK_NOT_AFTER = "第数數几幾上成若好" + _CJK_NUMERAL_CHARS
# '百余家' (a hundred-odd): a bare 百 is a number only with 余/多 after it
_CJK_RE = re.compile(rf"(?<![{_CJK_NOT_AFTER}])(?P<num>[{_CJK_START}][{_CJK_NUMERAL_CHARS}]*|百(?=[余餘多]))")
_CJK_TOKEN_RE = re.compile(r"[0-9][0-9,.'’\u00a0\u202f\u2009]*|\S")


def _cjk_value(text: str, lang: str | None = None) -> Decimal | None:
    """Value of a Chinese/Japanese/Korean numeral, Arabic digits allowed inside ('1.2万', '一万二千')."""
    tokens: list[tuple[str, Decimal]] = []
    for tok in _CJK_TOKEN_RE.findall(text):
        if tok[0].isdigit():
            value = _decimal_of_digits(tok, lang, scaled=True)
            if value is None:
                return None
            tokens.append(("num", value))
        elif tok in _CJK_DIGITS:
            tokens.append(("zero" if _CJK_DIGITS[tok] == 0 else "num", Decimal(_CJK_DIGITS[tok])))
        elif tok in _CJK_SMALL:
            tokens.append(("small", Decimal(_CJK_SMALL[tok])))
        elif tok in _CJK_BIG:
            tokens.append(("big", Decimal(_CJK_BIG[tok])))
        elif tok in _CJK_TENS:
            tokens.append(("tens", Decimal(_CJK_TENS[tok])))
        else:
            return None
    if not tokens:
        return None
    if all(kind in ("num", "zero") for kind, _ in tokens):
        if len(tokens) == 1:
            return tokens[0][1]
        # '二〇二〇': digit by digit
        if any(v >= 10 or v != v.to_integral_value() for _, v in tokens):
            return None
        return Decimal("".join(str(int(v)) for _, v in tokens))
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    last_unit = Decimal(0)
    prev_kind = ""
    after_zero = False
    for kind, value in tokens:
        if kind == "num":
            if prev_kind == "num":
                return None
            number = value
        elif kind == "zero":
            after_zero = True
            number = None
        elif kind == "tens":
            section += value
            number = None
            last_unit = Decimal(10)
        elif kind == "small":
            section += (number if number is not None else Decimal(1)) * value
            number = None
            last_unit = value
            after_zero = False
        else:  # big
            chunk = section + (number if number is not None else Decimal(0))
            if chunk == 0:
                chunk = Decimal(1)
            if total and total < value:
                total = (total + chunk) * value
            else:
                total += chunk * value
            section = Decimal(0)
            number = None
            last_unit = value
            after_zero = False
        prev_kind = kind
    if number is not None:
        # '一万二' = 12000, '三千五' = 3500: a trailing digit right after a unit of a hundred or more
        # counts in the next lower unit.
        if prev_kind == "num" and last_unit >= 100 and not after_zero and len(tokens) > 1 and number < 10:
            previous = tokens[-2][0]
            if previous in ("small", "big"):
                number *= last_unit / 10
        section += number
    return total + section


# --------------------------------------------------------------------------------------------
# Number words
# --------------------------------------------------------------------------------------------

_EN_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
}
_FR_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,
    "huitante": 80,
    "octante": 80,
    "nonante": 90,
    "quatre-vingt": 80,
    "quatre-vingts": 80,
    "cent": 100,
    "cents": 100,
    "mille": 1000,
    "million": 10**6,
    "millions": 10**6,
    "milliard": 10**9,
    "milliards": 10**9,
}
_DE_WORDS = {
    "ein": 1,
    "eins": 1,
    "zwei": 2,
    "zwo": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
    "zwanzig": 20,
    "dreißig": 30,
    "dreissig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
    "hundert": 100,
    "tausend": 1000,
    "million": 10**6,
    "millionen": 10**6,
    "milliarde": 10**9,
    "milliarden": 10**9,
}
_NL_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
    "honderd": 100,
    "duizend": 1000,
    "miljoen": 10**6,
    "miljard": 10**9,
}
_IT_WORDS = {
    "uno": 1,
    "una": 1,
    "due": 2,
    "tre": 3,
    "tré": 3,
    "quattro": 4,
    "cinque": 5,
    "sei": 6,
    "sette": 7,
    "otto": 8,
    "nove": 9,
    "dieci": 10,
    "undici": 11,
    "dodici": 12,
    "tredici": 13,
    "quattordici": 14,
    "quindici": 15,
    "sedici": 16,
    "diciassette": 17,
    "diciotto": 18,
    "diciannove": 19,
    "venti": 20,
    "trenta": 30,
    "quaranta": 40,
    "cinquanta": 50,
    "sessanta": 60,
    "settanta": 70,
    "ottanta": 80,
    "novanta": 90,
    "cento": 100,
    "mille": 1000,
    "mila": 1000,
    "milione": 10**6,
    "milioni": 10**6,
    "miliardo": 10**9,
    "miliardi": 10**9,
}
_WORD_TABLES: dict[str, dict[str, int]] = {
    "en": _EN_WORDS,
    "fr": _FR_WORDS,
    "de": _DE_WORDS,
    "nl": _NL_WORDS,
    "it": _IT_WORDS,
}
# A word number made of just one of these is an article, not a number ('ein Unternehmen', 'une société').
_ARTICLES = frozenset({"un", "une", "ein", "een", "uno", "una"})
_BIG_WORDS = frozenset(
    {
        "million",
        "millions",
        "millionen",
        "milliard",
        "milliards",
        "milliarde",
        "milliarden",
        "miljoen",
        "miljard",
        "billion",
        "milione",
        "milioni",
        "miliardo",
        "miliardi",
    }
)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _word_re(key: str) -> re.Pattern[str]:
    table = _WORD_TABLES[key]
    small = [w for w in table if w not in _BIG_WORDS]
    big = [w for w in table if w in _BIG_WORDS]
    m, b = _alt(small), _alt(big)
    if key == "en":
        pattern = (
            rf"\b(?:a\s+(?=(?:hundred|thousand|million|billion)\b))?(?:{m}|{b})"
            rf"(?:(?:\s+and\s+|[\s-]+)(?:{m}|{b}))*\b"
        )
    elif key == "fr":
        pattern = rf"\b(?:{m})(?:(?:[\s-]+et[\s-]+|[\s-]+)(?:{m}|{b}))*\b"
    elif key == "de":
        pattern = rf"\b(?:{m})(?:(?:und)?(?:{m}))*(?:\s+(?:{b}))?\b"
    elif key == "it":  # compounds written as one word ('duecento', 'tremila')
        pattern = rf"\b(?:{m})(?:{m})*(?:\s+(?:{b}))?\b"
    else:  # nl: compounds written as one word ('vijfentwintig', 'tweeduizend')
        pattern = rf"\b(?:{m})(?:(?:en|ën)?(?:{m}))*(?:\s+(?:{b}))?\b"
    return re.compile(pattern, re.IGNORECASE)


@cache
def _word_token_re(key: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{_alt(list(_WORD_TABLES[key]))})", re.IGNORECASE)


def _word_value(text: str, key: str) -> int | None:
    table = _WORD_TABLES[key]
    tokens = [t.lower() for t in _word_token_re(key).findall(text)]
    if key == "en" and re.match(r"a\s", text, re.IGNORECASE):
        tokens.insert(0, "one")
    if not tokens:
        return None
    total = 0
    current = 0
    seen = False
    for tok in tokens:
        value = table[tok]
        if value == 100:
            current = (current or 1) * 100
        elif value >= 1000:
            total += (current or 1) * value
            current = 0
        else:
            current += value
        seen = True
    return total + current if seen else None


# --------------------------------------------------------------------------------------------
# Qualifiers
# --------------------------------------------------------------------------------------------

# Qualifier phrases by language; the canonical forms are the English keys.
_QUALIFIERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "more than": ("more than", "over", "upwards of", "in excess of", "just over", "well over"),
        "about": (
            "about",
            "around",
            "some",
            "approximately",
            "approx.",
            "roughly",
            "an estimated",
            "circa",
            "ca.",
        ),
        "nearly": ("nearly", "almost", "close to", "just under"),
        "up to": ("up to", "as many as"),
        "at least": ("at least",),
        "less than": ("less than", "fewer than", "under"),
    },
    "fr": {
        "more than": ("plus de", "plus d'", "au-delà de"),
        "about": ("environ", "quelque", "quelques", "près d'une", "autour de", "approximativement"),
        "nearly": ("près de", "près d'", "presque", "pratiquement"),
        "up to": ("jusqu'à", "jusqu'a"),
        "at least": ("au moins",),
        "less than": ("moins de", "moins d'"),
    },
    "de": {
        "more than": ("mehr als", "über", "ueber", "gut", "weit über"),
        "about": ("rund", "etwa", "ungefähr", "zirka", "circa", "ca.", "annähernd"),
        "nearly": ("fast", "knapp", "beinahe", "nahezu"),
        "up to": ("bis zu",),
        "at least": ("mindestens",),
        "less than": ("weniger als", "unter"),
    },
    "nl": {
        "more than": ("meer dan", "ruim", "bijna ruim"),
        "about": ("ongeveer", "circa", "ca.", "zo'n", "rond de"),
        "nearly": ("bijna", "nagenoeg"),
        "up to": ("tot", "tot wel", "maximaal"),
        "at least": ("minstens", "ten minste", "tenminste"),
        "less than": ("minder dan",),
    },
    "it": {
        "more than": ("oltre", "più di", "piu di", "oltre a"),
        "about": ("circa", "intorno a", "quasi circa"),
        "nearly": ("quasi", "poco meno di"),
        "up to": ("fino a",),
        "at least": ("almeno",),
        "less than": ("meno di",),
    },
    "zh": {
        "more than": ("逾", "超过", "超過", "超", "多于", "多於"),
        "about": ("约", "約", "大约", "大約"),
        "nearly": ("近", "将近", "將近", "接近"),
        "up to": ("最多", "多达", "多達", "高达", "高達"),
        "at least": ("至少",),
        "less than": ("不到", "不足"),
    },
    "ja": {
        "more than": ("超",),
        "about": ("約", "およそ"),
        "up to": ("最大",),
        "at least": ("最低",),
    },
    "ko": {
        "about": ("약", "대략"),
        "up to": ("최대",),
        "at least": ("최소",),
    },
}


def _qual_pattern(phrases: list[str]) -> str:
    out = []
    for p in sorted(set(phrases), key=len, reverse=True):
        out.append(r"\s+".join(re.escape(w).replace("'", "['’]") for w in p.split()))
    return "|".join(out)


def _norm_phrase(p: str) -> str:
    return " ".join(p.replace("’", "'").lower().split())


@cache
def _qualifier_table(key: str | None) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """(phrase-before-number regex, phrase-at-start regex, phrase -> canonical) for a language."""
    keys = list(_QUALIFIERS) if key is None or key not in _QUALIFIERS else [key]
    if key in ("ja",):
        keys.append("zh")  # Japanese text uses the Chinese-style prefixes too (約, 超)
    canon: dict[str, str] = {}
    for k in keys:
        for c, phrases in _QUALIFIERS[k].items():
            for p in phrases:
                canon.setdefault(_norm_phrase(p), c)
    latin = [p for p in canon if ord(p[0]) < 0x2E80]
    cjk = [p for p in canon if ord(p[0]) >= 0x2E80]
    parts = []
    if latin:
        parts.append(rf"(?<![^\W\d_])(?P<latin>{_qual_pattern(latin)})")
    if cjk:
        parts.append(rf"(?P<cjk>{_qual_pattern(cjk)})")
    body = "|".join(parts)
    before = re.compile(rf"(?:{body})[ \u00a0\t]*$", re.IGNORECASE)
    start = re.compile(rf"(?:{body})[ \u00a0\t]*", re.IGNORECASE)
    return before, start, canon


# After the numeral: '550余家', '100多个', '100여 개', '100+', '100以上', '80 이상'.
_QUAL_AFTER_RE = re.compile(r"(?:多|余|餘|여|\+|以上|\s?이상)(?![0-9])")
_QUAL_AFTER_SCALE_RE = re.compile(r"(?:多|余|餘)(?P<scale>[万萬亿億千百])")


def qualifier_before(text: str, pos: int, lang: str | None = None) -> tuple[str, int] | None:
    """The qualifier written just before `pos` ('more than ', '逾'), as (canonical, start)."""
    before_re, _, table = _qualifier_table(lang_key(lang))
    window = text[max(0, pos - 24) : pos]
    m = before_re.search(window)
    if not m:
        return None
    groups = m.groupdict()
    phrase = groups.get("latin") or groups.get("cjk") or ""
    canon = table.get(_norm_phrase(phrase))
    if canon is None:
        return None
    return canon, pos - len(window) + m.start()


# --------------------------------------------------------------------------------------------
# find_numbers
# --------------------------------------------------------------------------------------------

_ORDINAL_AFTER_RE = re.compile(r"(?:st|nd|rd|th|er|ère|re|e|ème|eme|de|ste|te|ten|sten)\b", re.IGNORECASE)


def _word_keys(lang: str | None) -> tuple[str, ...]:
    key = lang_key(lang)
    if key is None:
        return ("en", "fr", "de", "nl", "it")
    return (key,) if key in _WORD_TABLES else ()


# 'une quinzaine de', 'una decina di', 'a dozen', 'ein Dutzend', 'een tiental': an approximate count (the
# plural forms, 'des dizaines', 'dozens', 'decine', 'tientallen', are vague and never a number).
_APPROX_NOUNS = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
    "decina": 10,
    "dozzina": 12,
    "quindicina": 15,
    "ventina": 20,
    "trentina": 30,
    "quarantina": 40,
    "cinquantina": 50,
    "centinaio": 100,
    "migliaio": 1000,
    "dozen": 12,
    "dutzend": 12,
    "tiental": 10,
    "twintigtal": 20,
    "dertigtal": 30,
    "veertigtal": 40,
    "vijftigtal": 50,
    "honderdtal": 100,
    "dozijn": 12,
}
_APPROX_RE = re.compile(
    rf"\b(?:une|un|una|uno|a|ein|een)\s+(?P<noun>{_alt(list(_APPROX_NOUNS))})\b"
    r"(?P<of>\s+(?:de|d['’]|di|of|van)\s*|\s+d['’]|\s+)?",
    re.IGNORECASE,
)


def _approximate_counts(t: str) -> list[NumberMatch]:
    out = []
    for m in _APPROX_RE.finditer(t):
        value = _APPROX_NOUNS[m.group("noun").lower()]
        end = m.end("noun")
        out.append(
            NumberMatch(float(value), m.start(), end, "about", kind="approx", value_start=m.start(), value_end=end)
        )
    return out


def find_numbers(text: str, lang: str | None = None) -> list[NumberMatch]:
    """Every number in `text`, left to right, with spans into `text`.

    Skips ordinals ('1st', '第一', '2e'), numerals inside codes ('E411', 'COVID-19'), and lone
    Chinese numerals that are part of a word rather than a count ('一起', '统一').
    """
    t = fold_width(text)
    key = lang_key(lang)
    found: list[NumberMatch] = []
    for m in _digits_re(key in _SPACE_GROUPS).finditer(t):
        n = _from_digits_match(t, m, lang)
        if n is not None:
            found.append(n)
    if key in (None, "zh", "ja"):
        for m in _CJK_RE.finditer(t):
            n = _from_cjk_match(t, m, lang)
            if n is not None:
                found.append(n)
    for wkey in _word_keys(lang):
        for m in _word_re(wkey).finditer(t):
            n = _from_word_match(t, m, wkey)
            if n is not None:
                found.append(n)
    if key not in ("zh", "ja", "ko"):
        found.extend(_approximate_counts(t))
    found.sort(key=lambda n: (n.value_start, -(n.value_end - n.value_start)))
    out: list[NumberMatch] = []
    last_end = -1
    for n in found:
        if n.value_start < last_end:
            continue
        last_end = n.value_end
        out.append(n)
    for n in out:
        _attach_qualifiers(t, n, lang)
        n.text = text[n.start : n.end]
    return out


def _from_digits_match(
    t: str,
    m: re.Match[str],
    lang: str | None,
    glued_ok: bool = False,
) -> NumberMatch | None:
    raw = m.group("num")
    if sum(ch.isdigit() for ch in raw) > MAX_DIGITS:
        return None
    scale_txt = m.group("scale") or ""
    end = m.end()
    after = t[end : end + 5]
    if not scale_txt and _ORDINAL_AFTER_RE.match(after) and raw.isdigit():
        return None
    if len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
        return None  # phone numbers, codes, zero-padded dates
    if " " in raw and re.match(r"[ \u00a0][0-9]", t[end : end + 2]):
        return None  # '4 123 45 67' is a phone number, not 4123
    if scale_txt and scale_txt.strip()[0] in "千百万萬亿億兆천백만억조":
        value = _cjk_value(raw + scale_txt.strip(), lang)
    else:
        base = _decimal_of_digits(raw, lang, scaled=bool(scale_txt))
        if base is None:
            return None
        value = base
        glued = scale_txt.lower() in ("m", "k", "b")
        if glued and not glued_ok and not _PREFIX_CURRENCY_RE.search(t, max(0, m.start() - 8), m.start()):
            # in running text a letter glued to a bare number is a unit or a code ('150m tall',
            # 'Phase 2b'); it is a scale only after a currency ('€150m')
            scale_txt = ""
            end = m.start("scale")
        if scale_txt:
            word = scale_txt.strip(" \u00a0-").lower()
            factor = _LATIN_SCALE_WORDS.get(word) or _LATIN_SCALE_WORDS.get(word.rstrip("."))
            if factor is None:
                return None
            value = base * Decimal(str(factor))
    if value is None or not _plausible(value):
        return None
    return NumberMatch(float(value), m.start(), end, kind="digits", value_start=m.start(), value_end=end)


def _plausible(value: Decimal | int | float) -> bool:
    """A finite number below MAX_VALUE (huge digit strings are codes, and overflow a float)."""
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return False
    return math.isfinite(number) and abs(number) < MAX_VALUE


def _from_cjk_match(t: str, m: re.Match[str], lang: str | None) -> NumberMatch | None:
    raw = m.group("num")
    end = m.end()
    nxt = t[end : end + 1]
    # a bare numeral needs a classifier after it: '八公顷', '三間', not '一起', '统一'
    if (len(raw) == 1 or raw[-1] in _CJK_DIGITS) and (not nxt or nxt not in _CJK_CLASSIFIERS):
        return None
    if nxt in "几幾":
        return None  # '十几家' is vague
    value = _cjk_value(raw, lang)
    if value is None or not _plausible(value):
        return None
    return NumberMatch(float(value), m.start(), end, kind="cjk", value_start=m.start(), value_end=end)


def _from_word_match(t: str, m: re.Match[str], key: str) -> NumberMatch | None:
    raw = m.group(0)
    low = raw.lower()
    if low in _ARTICLES or low in _BIG_WORDS:
        return None
    if key == "fr" and re.search(r"(?:pour|per)\s+$", t[max(0, m.start() - 6) : m.start()], re.IGNORECASE):
        return None  # 'pour cent'
    value = _word_value(raw, key)
    if value is None or not _plausible(value):
        return None
    return NumberMatch(
        float(value),
        m.start(),
        m.end(),
        kind="word",
        value_start=m.start(),
        value_end=m.end(),
    )


def _attach_qualifiers(t: str, n: NumberMatch, lang: str | None) -> None:
    if n.kind == "approx":
        return
    q = qualifier_before(t, n.value_start, lang)
    if q is not None:
        canon, qstart = q
        n.qualifier, n.start = canon, qstart
    ms = _QUAL_AFTER_SCALE_RE.match(t, n.value_end)
    if ms and n.kind != "word":
        n.value *= float(_CJK_BIG.get(ms.group("scale")) or _CJK_SMALL[ms.group("scale")])
        n.qualifier = n.qualifier or "more than"
        n.end = n.value_end = ms.end()
        return
    ma = _QUAL_AFTER_RE.match(t, n.value_end)
    if ma and n.kind != "word":
        n.qualifier = n.qualifier or "more than"
        n.end = ma.end()


# --------------------------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------------------------

_CURRENCY_STRIP_RE = re.compile(
    r"^(?:US\$|HK\$|NT\$|A\$|AU\$|S\$|C\$|NZ\$|[€$£¥₩]|EUR|USD|GBP|CHF|JPY|CNY|RMB|HKD|KRW|AUD|SGD|TWD)\s*"
    r"|\s*(?:[€$£¥₩]|EUR|USD|GBP|CHF|JPY|CNY|RMB|HKD|KRW|AUD|SGD|TWD|euros?|dollars?|d['’]euros|de dollars"
    r"|元|円|원|人民币|人民幣|港元|港币|港幣|美元|欧元|歐元|日元|新台币|新台幣)$",
    re.IGNORECASE,
)
_TRAILING_QUAL_RE = re.compile(r"(?:多|余|餘|以上|이상|여|\+)$")


def parse_number(text: str, lang: str | None = None) -> float | None:
    """The value of one number written any way ('12,000', '1,5', '1.2万', '逾三千', 'forty', '€150m').

    A qualifier written with it is ignored ('逾三千' -> 3000); use `find_numbers` to get it.
    Returns None when the text is not one number.
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        return None
    m = _qualifier_table(None)[1].match(s)
    if m and m.end() < len(s):
        s = s[m.end() :]
    for _ in range(2):
        s = _CURRENCY_STRIP_RE.sub("", s).strip()
        s = _TRAILING_QUAL_RE.sub("", s).strip()
    if not s:
        return None
    space_groups = lang_key(lang) in _SPACE_GROUPS or lang is None
    m = _digits_re(space_groups).fullmatch(s)
    if m:
        n = _from_digits_match(s, m, lang, glued_ok=True)
        return n.value if n else None
    if all(ch in _CJK_NUMERAL_CHARS or ch.isdigit() or ch in ",.'’ 천백만억조" for ch in s):
        value = _cjk_value(s, lang)
        return float(value) if value is not None and _plausible(value) else None
    for wkey in _word_keys(lang) or ("en", "fr", "de", "nl", "it"):
        wm = _word_re(wkey).fullmatch(s)
        if wm:
            low = s.lower()
            if low in _BIG_WORDS:
                continue
            words_value = _word_value(s, wkey)
            if words_value is not None and _plausible(words_value):
                return float(words_value)
    return None


# --------------------------------------------------------------------------------------------
# find_amounts
# --------------------------------------------------------------------------------------------

_PREFIX_CURRENCY_RE = re.compile(
    r"(?P<cur>US\s?\$|U\.S\.\s?\$|HK\$|NT\$|A\$|AU\$|AUD|S\$|SGD|C\$|NZ\$|R\$|\$|€|£|¥|₩|"
    r"USD|EUR|GBP|CHF|SFr\.?|JPY|CNY|RMB|Rmb|HKD|KRW|TWD|CAD|SEK|NOK|DKK|Fr\.)[ \u00a0]?$"
)
_SUFFIX_CURRENCY_RE = re.compile(
    r"[ \u00a0]?(?:(?:de\s+|di\s+|d['’]\s?)?(?P<latin>"
    r"euros?|euro|eur\b|€|us\$|us[\s-]?dollars?|us-dollar|u\.s\.\s+dollars|dollars?|usd\b|\$"
    r"|pounds?\s+sterling|sterling|gbp\b|£|yuan|renminbi|rmb\b|cny\b|yen\b|jpy\b|won\b|krw\b"
    r"|swiss\s+francs|francs\s+suisses|schweizer\s+franken|franken|chf\b"
    r"|hong\s+kong\s+dollars|hk\s+dollars|hkd\b|singapore\s+dollars|sgd\b|australian\s+dollars|aud\b"
    r"|new\s+taiwan\s+dollars|nt\s+dollars|twd\b|pounds?|sek\b|nok\b|dkk\b|kronor\b|kroner\b|kronen\b"
    r"|couronnes\b|kr\b\.?|yens?\b)"
    r"|(?P<cjk>元人民币|元人民幣|人民币|人民幣|港元|港币|港幣|港圓|美元|美金|欧元|歐元|日元|日圓|日币|日幣|新臺幣|臺幣"
    r"|英镑|英鎊|瑞士法郎|瑞郎|澳元|澳币|澳幣|新加坡元|新元|新台币|新台幣|台币|台幣|韩元|韓元|元|円|ドル|米ドル"
    r"|ユーロ|ポンド|원|달러|유로|엔화|엔|위안|불(?![가-힣])))",
    re.IGNORECASE,
)
_CURRENCY_CODES = {
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "€": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "$": "USD",
    "us-dollar": "USD",
    "sterling": "GBP",
    "gbp": "GBP",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yen": "JPY",
    "jpy": "JPY",
    "won": "KRW",
    "krw": "KRW",
    "franken": "CHF",
    "chf": "CHF",
    "hkd": "HKD",
    "sgd": "SGD",
    "aud": "AUD",
    "twd": "TWD",
    "人民币": "CNY",
    "人民幣": "CNY",
    "元人民币": "CNY",
    "元人民幣": "CNY",
    "港元": "HKD",
    "港币": "HKD",
    "港幣": "HKD",
    "港圓": "HKD",
    "美元": "USD",
    "美金": "USD",
    "欧元": "EUR",
    "歐元": "EUR",
    "日元": "JPY",
    "日圓": "JPY",
    "日币": "JPY",
    "日幣": "JPY",
    "英镑": "GBP",
    "英鎊": "GBP",
    "瑞士法郎": "CHF",
    "瑞郎": "CHF",
    "澳元": "AUD",
    "澳币": "AUD",
    "澳幣": "AUD",
    "新加坡元": "SGD",
    "新元": "SGD",
    "新台币": "TWD",
    "新台幣": "TWD",
    "台币": "TWD",
    "台幣": "TWD",
    "韩元": "KRW",
    "韓元": "KRW",
    "円": "JPY",
    "ドル": "USD",
    "米ドル": "USD",
    "ユーロ": "EUR",
    "ポンド": "GBP",
    "원": "KRW",
    "달러": "USD",
    "유로": "EUR",
    "엔": "JPY",
    "엔화": "JPY",
    "위안": "CNY",
    "us$": "USD",
    "u.s.$": "USD",
    "hk$": "HKD",
    "nt$": "TWD",
    "a$": "AUD",
    "au$": "AUD",
    "s$": "SGD",
    "c$": "CAD",
    "nz$": "NZD",
    "r$": "BRL",
    "¥": "JPY",
    "₩": "KRW",
    "sfr": "CHF",
    "sfr.": "CHF",
    "fr.": "CHF",
    "cad": "CAD",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "kronor": "SEK",
    "kroner": "NOK",
    "kronen": "DKK",
    "couronnes": "SEK",
    "kr": "SEK",
    "kr.": "DKK",
    "yens": "JPY",
    "新臺幣": "TWD",
    "臺幣": "TWD",
    "불": "USD",
}
_HONG_KONG_HINT = re.compile(r"香港|港元|港幣|港币|HK\$")
_TAIWAN_HINT = re.compile(r"台灣|臺灣|台北|臺北|新台|台幣|臺幣|NT\$")
_CHINA_HINT = re.compile(r"yuan|RMB|renminbi|Chin(?:a|ese)|人民币|人民幣", re.IGNORECASE)
_KANA = re.compile(r"[\u3040-\u30ff]")


def _currency_code(token: str, text: str, pos: int, lang: str | None) -> str | None:
    tok = " ".join(token.lower().split())
    key = lang_key(lang)
    if tok == "¥":
        if key == "zh":
            return "CNY"
        if key == "ja":
            return "JPY"
        window = text[max(0, pos - 200) : pos + 200]
        if _CHINA_HINT.search(window) and not _KANA.search(window):
            return "CNY"
        return "JPY"
    if tok == "元":
        if key == "ja":
            return "CNY"
        if key == "zh" and (lang or "").lower().endswith(("hant", "tw", "hk")):
            if _HONG_KONG_HINT.search(text):
                return "HKD"
            if _TAIWAN_HINT.search(text):
                return "TWD"
        return "CNY"
    if (tok.startswith("us") and "dollar" in tok) or tok.startswith("u.s."):
        return "USD"
    if "swiss" in tok or "suisses" in tok or "schweizer" in tok:
        return "CHF"
    if "hong kong" in tok or tok.startswith("hk "):
        return "HKD"
    if "singapore" in tok:
        return "SGD"
    if "australian" in tok:
        return "AUD"
    if "taiwan" in tok or tok.startswith("nt "):
        return "TWD"
    if tok.startswith("pound"):
        return "GBP"
    if tok.startswith("us") and tok.endswith("$"):
        return "USD"
    return _CURRENCY_CODES.get(tok) or _CURRENCY_CODES.get(tok.replace(" ", ""))


def find_amounts(
    text: str,
    lang: str | None = None,
    numbers: list[NumberMatch] | None = None,
) -> list[Amount]:
    """Sums of money in `text`: '€26m', '150 millions d'euros', 'US$20m', '5亿元', '6.5億円', '1,000억 원'.

    `numbers` may pass the result of `find_numbers(text, lang)` to avoid finding them twice.
    """
    t = fold_width(text)
    key = lang_key(lang)
    nums = numbers if numbers is not None else find_numbers(text, lang)
    out: list[Amount] = []
    for n in nums:
        start, end = n.start, n.end
        qualifier = n.qualifier
        currency: str | None = None
        pm = _PREFIX_CURRENCY_RE.search(t, max(0, n.value_start - 8), n.value_start)
        if pm and pm.end() == n.value_start and n.start == n.value_start:
            currency = _currency_code(pm.group("cur"), t, n.value_start, lang)
            start = pm.start()
            q = qualifier_before(t, start, lang)
            if q is not None:
                qualifier, start = q
        sm = _SUFFIX_CURRENCY_RE.match(t, n.end)
        if sm:
            token = sm.group("latin") or sm.group("cjk")
            low = token.lower()
            scaled = n.kind == "word" or n.value >= 1e6 or _has_scale(t[n.value_start : n.value_end])
            weak = (low.startswith("pound") and "sterling" not in low) or low in ("won", "$")
            if not (weak and not scaled):
                code = _currency_code(token, t, n.end, lang)
                if currency is None and code is not None:
                    currency = code
                    end = sm.end()
                    if low == "元" and t.startswith(("人民币", "人民幣"), end):
                        end += 3
                elif currency is not None and code == currency:
                    end = sm.end()
        if currency is None and key == "ko" and _KO_UNSTATED_WON_RE.match(t, n.end) and _KO_BIG_RE.search(n.text):
            currency = "KRW"  # '44억을 투자해': hundreds of millions in a Korean text are won
        if currency is None:
            continue
        out.append(Amount(n.value, currency, start, end, qualifier, text[start:end]))
    return out


_KO_BIG_RE = re.compile(r"[억조]$")
_KO_UNSTATED_WON_RE = re.compile(r"(?:을|를|의|이|\s*규모|\s*가량)(?![가-힣]{2})|(?:을|를)\s")
_SCALE_HINT_RE = re.compile(
    r"[万萬亿億兆만억조千천]|[0-9]\s?(?:m|bn|k|b|mn|mio|mrd|million|billion|milliard)",
    re.IGNORECASE,
)


def _has_scale(numeral: str) -> bool:
    return bool(_SCALE_HINT_RE.search(numeral))
