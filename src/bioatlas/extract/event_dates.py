"""The date an event's own sentence gives it, or None (the kb then dates it by its report, marked as such).

A sentence often names several years, and not all of them date the happening it reports: a founding year
("founded in Sydney in 2010, has set up…", "das 1971 gegründete…"), a plan's target ("by 2030", "到2030年",
"2011년까지"), the start of a state ("seit 1982", "depuis 2015"), a year that is part of a name ("Biotechnica
Awards 2008", "Horizon 2020") or of an amount ("2000 Mitarbeiter"). Those are set aside; what remains dates the
event when it is not after the page's publication (a later date is a plan, not a happening). The word lists are
data, by what they mark, all languages together (the year's neighbours decide, whatever the paragraph's language).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from bioatlas.ingest.dates import find_dates
from bioatlas.model import Document

YEAR = re.compile(r"(?<![\d.,€$£¥])(?:19|20)\d{2}(?=\s*[年년]|(?!\d)\b)")
_CJK_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]")

# Relative day words by paragraph language: "hier" is yesterday in French only.
_RELATIVE_DAYS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    lang: (re.compile(yesterday, re.I), re.compile(today, re.I))
    for lang, yesterday, today in (
        ("en", r"\byesterday\b", r"\btoday\b"),
        ("fr", r"\bhier\b", r"\baujourd'hui\b|\baujourd’hui\b"),
        ("de", r"\bgestern\b", r"\bheute\b"),
        ("nl", r"\bgisteren\b", r"\bvandaag\b"),
        ("it", r"\bieri\b", r"\boggi\b"),
        ("es", r"\bayer\b", r"\bhoy\b"),
        ("pt", r"\bontem\b", r"\bhoje\b"),
        ("zh-Hans", r"昨日|昨天", r"今日|今天"),
        ("zh-Hant", r"昨日|昨天", r"今日|今天"),
        ("ja", r"昨日", r"本日|今日"),
        ("ko", r"어제", r"오늘"),
    )
}

# Words just before a date that make it a plan's target or the start of a state, not the happening's date.
_TARGET_BEFORE = re.compile(
    r"(?:\b(?:by|until|till|through|bis(?: zum| Ende| spätestens)?|spätestens|d['’]ici(?: à| fin)?|"
    r"jusqu['’](?:en|à)|tegen|uiterlijk|entro(?: il)?|since|seit|depuis|sinds|dal|desde)\s+"
    r"(?:(?:the )?(?:end|fin|Ende|eind) (?:of |de |van )?)?"
    r"|到|至|预计|預計|计划|計劃|将于|將於|将在|將在|预期|預期|目标|目標|自|从|從|始于|始於|明)\s*$",
    re.IGNORECASE,
)
# Words just after a year that do the same: 2030年前, 2011년까지, 2030年までに, 2010年以来, 2012 jusqu'à…
_TARGET_AFTER = re.compile(r"^\s*(?:年|년)?\s*(?:前|以前|までに|まで|까지|以来|以來|起|から|부터|이후)")
# A founding next to the year: a company's founding dates no landing, expansion, funding or deal of it.
_FOUNDED_BEFORE = re.compile(
    r"(?:\b(?:founded|incorporated|gegründet|fondée?s?|créée?s?|opgericht|fundada|fondata|"
    r"成立|创立|創立|创办|創辦|创建|創建)\b[^,;，；。]{0,25}$)|(?:成立|创立|創立|创办|創辦|创建|創建)(?:于|於)?\s*$",
    re.IGNORECASE,
)
_FOUNDED_AFTER = re.compile(
    r"^\s*(?:年|년)?\s*(?:gegründet\w*|founded|opgerichte?|fondée?|créée?|成立|创立|創立|创办|創辦|创建|創建|設立|창립|창업)",
    re.IGNORECASE,
)
# A name right before a bare year makes it part of the name (Biotechnica Awards 2008, BIO 2019): two capitalised
# words, or one in capitals, unless the last is a word that introduces a time (In 2015, Anfang 2019).
_NAME_BEFORE = re.compile(r"(?:\b(?P<prev>[A-ZÀ-Þ][\w&-]*)\s+|\b)(?P<word>[A-ZÀ-Þ][\w&-]*)\s+$")
_TIME_WORDS = frozenset(
    "in im en dans au à a on op nel nell dal del no na em since seit depuis sinds ab vanaf until bis tot by vers "
    "around circa about early late mid end ende anfang mitte fin début eind begin spring summer autumn fall winter "
    "frühjahr frühling sommer herbst printemps été automne hiver voorjaar zomer najaar herfst het year jahr année "
    "jaar anno".split()
)
# A count or amount right after the number: 2000 Mitarbeiter, 2019 m², 2020 家, 2000万.
_AMOUNT_AFTER = re.compile(
    r"^\s*(?:%|m²|m2|sq|€|\$|euros?|dollars?|yuan|francs?|jobs|employees|people|staff|companies|firms|members|"
    r"Mitarbeiter\w*|Beschäftigte\w*|Arbeitspl\w*|Unternehmen|Firmen|emplois|salariés|entreprises|sociétés|"
    r"banen|medewerkers|bedrijven|家|名|人|万|萬|亿|億|平方|ha\b|hectares?|Hektar)",
    re.IGNORECASE,
)


def _set_aside(sentence: str, start: int, end: int, kind: str | None, bare_year: bool) -> bool:
    """A date mention that does not date the happening the sentence reports (see the module's docstring)."""
    before, after = sentence[max(0, start - 40) : start], sentence[end : end + 16]
    if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
        return True
    if kind != "launch" and (_FOUNDED_BEFORE.search(before) or _FOUNDED_AFTER.match(after)):
        return True
    if bare_year:
        if _AMOUNT_AFTER.match(after):
            return True
        name = _NAME_BEFORE.search(before)
        if name is not None and not after.lstrip().startswith(("年", "년")):
            word = name["word"]
            named = name["prev"] is not None or (word.isupper() and len(word) >= 2)
            if named and word.lower() not in _TIME_WORDS:
                return True
    return False


def _not_after(value: str, published: str | None) -> bool:
    """The date is not later than the publication (compared at the precision both have)."""
    if not published:
        return True
    n = min(len(value), len(published))
    return value[:n] <= published[:n]


def event_date(doc: Document, sentence: str, language: str | None = None, kind: str | None = None) -> str | None:
    """The date `sentence` gives the `kind` of event it reports: an absolute date, a day of the publication's
    year (7月18日), a single year of the past ('BioBAY opened in 2007', '1994年…落户', '2002 eröffnet') or a
    relative day in the paragraph's own language; None when it gives none."""
    sentence = unicodedata.normalize("NFKC", sentence)  # find_dates gives positions in the normalised text
    published = doc.published if doc.published and len(doc.published) >= 4 else None
    dates = find_dates(sentence, language)
    for d in dates:  # a month or day named in full dates the event even when it is announced ahead
        if not _set_aside(sentence, d.start, d.end, kind, bare_year=False):
            return d.value
    day = dt.date.fromisoformat(published) if published and len(published) == 10 else None
    m = _CJK_MONTH_DAY.search(sentence)
    if m and day is not None:
        try:
            return dt.date(day.year, int(m.group(1)), int(m.group(2))).isoformat()
        except ValueError:
            return None
    taken = [(d.start, d.end) for d in dates]
    years = {
        m.group(0)
        for m in YEAR.finditer(sentence)
        if not any(s <= m.start() < e for s, e in taken)
        and not _set_aside(sentence, m.start(), m.end(), kind, bare_year=True)
        and _not_after(m.group(0), published)
    }
    if len(years) == 1:  # a single year of the past wins over "heute" (nowadays) in a sentence of history
        return years.pop()
    if day is not None:
        yesterday, today = _RELATIVE_DAYS.get(language or "", (None, None))
        if yesterday is not None and yesterday.search(sentence):
            return (day - dt.timedelta(days=1)).isoformat()
        if today is not None and today.search(sentence):
            return day.isoformat()
    return None
