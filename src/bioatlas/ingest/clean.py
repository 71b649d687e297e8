"""Cleaning: page furniture and repeated text out, article paragraphs in, everything removed listed.

Works on plain text lines (the crawler's view of a page) in two layers:

1. Hand-written rules (`rule_pass`): the article body is the stretch of lines that read like prose;
   short lines around it are furniture unless they are the headline or a dated byline; inside it,
   furniture patterns and runs of link-like headlines are removed.
2. The trained line classifier (`bioatlas.learn.line_model`, when its model file exists) reads each
   line with its neighbours, its position and what the rules made of it, and decides which lines are
   furniture and which line is the headline. Furniture patterns (`furniture.py`) and the site's own
   repeated lines stay hard rules.

Repeats are removed sentence by sentence, which also catches a paragraph pasted inside another one.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from bioatlas.ingest.dates import find_dates
from bioatlas.ingest.furniture import furniture_reason
from bioatlas.ingest.language import weighted_length
from bioatlas.model import Paragraph, Removal
from bioatlas.text.sentences import sentence_spans

_TERMINAL = tuple('.。!！?？”"」』)）…:：;；»')
_DATE_ONLY = re.compile(
    r"^[\s\[(（【]*(\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?|\d{1,2}[/.]\d{1,2}[/.]\d{4})"
    r"([\sT]+\d{1,2}:\d{2}(:\d{2})?)?\s*(\w{2,4})?[\s\])）】]*$"
)
_BYLINE = re.compile(
    r"^(persbericht|communiqué( de presse)?|pressemitteilung|press release|新闻稿|新聞稿|"
    r"プレスリリース|보도자료|by|par|von|door|作者|记者|記者|文|来源|來源|発行|date|datum|publié|published|posted|"
    r"发布|發佈|發布|时间|時間|日期|公開日|掲載日|更新日|投稿日|입력|등록|수정|기사입력|更新|"
    r"updated|mis à jour|stand|veröffentlicht|gepubliceerd)(?![a-z])",
    re.I,
)
_PRESS = re.compile(
    r"^(persbericht|communiqué( de presse)?|pressemitteilung|press release|新闻稿|新聞稿|"
    r"プレスリリース|보도자료)\s*[:：]",
    re.I,
)
_SOURCE = re.compile(r"^(source|quelle|bron|fonte|fuente|来源|來源|出典|출처)\s*[:：]", re.I)
# A crawler's date field glued before the lead: "date 2021-02 Soutenir le développement ..."
_DATE_PREFIX = re.compile(r"^date\s+(\d{4}(?:-\d{2}){0,2})\s+(?=\S)")
_LIST_MARK = re.compile(r"^\s*([-•*·▪►]|\d{1,2}[.)、]|[一二三四五六七八九十]+、)\s*")
_MAX_FURNITURE_CHECK = 800
SITE_FURNITURE = "boilerplate: repeated across pages of the site"


@dataclass(slots=True)
class Line:
    index: int
    raw: str
    text: str  # trimmed
    size: int  # weighted length (CJK counts triple)
    prose: bool = False
    furniture: str | None = None
    date_only: bool = False


@dataclass(slots=True)
class Verdict:
    """What a layer decided for one line: keep it, drop it as furniture, or take it out as
    page metadata (a byline or date line, which feeds the publication date but is not furniture)."""

    action: str  # "keep" | "drop" | "meta" | "repeat"
    reason: str | None = None


@dataclass(slots=True)
class RuleView:
    """What the hand-written rules make of a page (also features of the line classifier)."""

    verdicts: list[Verdict]
    title_at: int | None
    date_lines: list[str]
    inside: list[set[int]] = field(default_factory=list)  # for each line, the other lines that contain it


@dataclass(slots=True)
class CleanResult:
    text: str
    paragraphs: list[Paragraph]
    boilerplate: list[str]
    removed: list[Removal]
    title: str | None = None
    date_lines: list[str] = field(default_factory=list)


def _is_prose(text: str, size: int) -> bool:
    if size >= 240:
        return True
    return size >= 90 and text.endswith(_TERMINAL) and not text.endswith(("?", "？"))


def _headline_like(line: Line) -> bool:
    table_row = line.text.endswith("|") or line.text.count("|") >= 2
    return not line.prose and 36 <= line.size < 400 and not line.date_only and not table_row


def title_candidate(line: Line) -> bool:
    """Long enough and shaped like a headline (four words, or ten CJK characters)."""
    if line.furniture or line.date_only or line.size > 450 or line.text.count("|") >= 2:
        return False
    text = line.text
    for found in reversed(find_dates(text)):
        text = text[: found.start] + text[found.end :]
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80 and ch.isalpha())
    return len(words) >= 4 or (len(words) == 3 and len(text) >= 25) or cjk >= 10


def strip_trailing_date(text: str) -> str:
    dates = find_dates(text)
    if dates and dates[-1].end >= len(text.rstrip()) - 1 and dates[-1].start > 10:
        return text[: dates[-1].start].rstrip(" ,|-–—·")
    return text


def is_byline(text: str) -> bool:
    return bool(_BYLINE.match(text))


def is_date_line(text: str) -> bool:
    """A byline or date line ("发布日期：2025年08月18日", "Publié le 18 janvier 2023", "2024-07-02")."""
    text = text.strip()
    return bool(_DATE_ONLY.match(text) or (_BYLINE.match(text) and len(text) < 200 and find_dates(text)))


def dedup_key(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).casefold())


def read_lines(raw: str) -> tuple[list[Line], list[Removal], list[str]]:
    """The page's non-empty lines, with a crawler's glued date prefix split off as a date line."""
    lines: list[Line] = []
    removed: list[Removal] = []
    date_lines: list[str] = []
    for i, raw_line in enumerate(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        text = raw_line.strip().replace("\u00a0", " ")
        if not text:
            continue
        prefix = _DATE_PREFIX.match(text) if not lines else None
        if prefix and weighted_length(text[prefix.end() :]) >= 90:
            date_lines.append(prefix.group(0).strip())
            removed.append(Removal(prefix.group(0).strip(), "metadata: date field before the text"))
            text = text[prefix.end() :]
        size = weighted_length(text)
        line = Line(i, raw_line, text, size)
        line.date_only = bool(_DATE_ONLY.match(text))
        if size < _MAX_FURNITURE_CHECK:
            line.furniture = furniture_reason(text)
        line.prose = line.furniture is None and _is_prose(text, size)
        lines.append(line)
    return lines, removed, date_lines


def rule_pass(lines: list[Line], extra_furniture: set[str] | None = None) -> RuleView:
    """The hand-written reading of a page: a verdict per line, the headline and the date lines."""
    extra = extra_furniture or set()
    verdicts = [Verdict("keep") for _ in lines]
    prose_at = [k for k, ln in enumerate(lines) if ln.prose]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (0, len(lines) - 1)
    title_at: int | None = None
    title = ""
    date_lines: list[str] = []
    source_lines: list[str] = []
    texts = [ln.text for ln in lines]
    inside = containers(texts)
    contains: list[set[int]] = [set() for _ in lines]
    for i, holders in enumerate(inside):
        for j in holders:
            contains[j].add(i)
    preferred = _repeated_headline(lines[:first], lines, inside)
    kept: list[int] = []
    for k, line in enumerate(lines):
        verdict = verdicts[k]
        if (
            k <= first + 2
            and _BYLINE.match(line.text)
            and line.size < 200
            and (find_dates(line.text) or _PRESS.match(line.text))
        ):
            date_lines.append(line.text)
            if not line.furniture:
                verdict.action, verdict.reason = "meta", "metadata: byline or date line"
                continue
        if line.furniture:
            verdict.action, verdict.reason = "drop", f"boilerplate: {line.furniture}"
            continue
        if (
            line.size < 400
            and len(line.text) >= 12
            and any(texts[j] != line.text for j in inside[k])
            and line is not preferred
            and k < first
        ):
            pass
        elif (
            not line.prose
            and line.size < 400
            and any(
                texts[i] != line.text and len(texts[i]) >= 12 and len(texts[i]) * 3 >= len(line.text)
                for i in contains[k]
            )
        ):
            verdict.action, verdict.reason = "drop", "boilerplate: headline with site furniture"
            continue
        if line.text in extra:
            verdict.action, verdict.reason = "drop", SITE_FURNITURE
            continue
        if k < first:  # header zone: headline, byline/date, or furniture
            if line.date_only or (
                find_dates(line.text) and (_BYLINE.match(line.text) or line.size < 160) and not title_candidate(line)
            ):
                date_lines.append(line.text)
                verdict.action, verdict.reason = "meta", "metadata: date line"
                continue
            if title_at is None and title_candidate(line) and (preferred is None or line is preferred):
                title_at, title = k, strip_trailing_date(line.text)
                if title != line.text:
                    date_lines.append(line.text[len(title) :])
                kept.append(k)
                continue
            if title_at is not None and line.size >= 30 and title_candidate(line):
                kept.append(k)  # a subtitle / standfirst
                continue
            if line.size >= 60 and line.text.endswith(_TERMINAL):
                kept.append(k)  # a caption or standfirst sentence
                continue
            verdict.action, verdict.reason = "drop", "boilerplate: outside the article"
            continue
        if k > last:  # footer zone
            if _SOURCE.match(line.text) and line.size < 200 and find_dates(line.text):
                source_lines.append(line.text)  # "Source: Yonhap News (Apr 14, 2021)"
                verdict.action, verdict.reason = "drop", "boilerplate: source line in page footer"
            elif line.date_only or (_BYLINE.match(line.text) and find_dates(line.text)):
                verdict.action, verdict.reason = "drop", "boilerplate: date in page footer"
            elif title and dedup_key(line.text) == dedup_key(title):
                verdict.action, verdict.reason = "repeat", "repeated headline"
            elif (
                line.size >= 100
                or line.text.startswith(("“", '"', "「", "«"))
                or (line.size >= 40 and line.text.endswith(_TERMINAL))
            ) and not _LIST_MARK.match(line.text):
                kept.append(k)
            else:
                verdict.action, verdict.reason = "drop", "boilerplate: after the article"
            continue
        kept.append(k)
    for k in _link_runs(lines, kept):
        verdicts[k].action, verdicts[k].reason = "drop", "boilerplate: list of links"
    # a source line at the foot of the page dates it only when the header does not
    return RuleView(verdicts, title_at, date_lines or source_lines, inside)


def clean_text(raw: str, extra_furniture: list[str] | None = None) -> CleanResult:
    lines, removed, date_lines = read_lines(raw)
    rules = rule_pass(lines, set(extra_furniture or []))
    date_lines += rules.date_lines
    from bioatlas.learn import line_model  # the classifier reads lines and rule verdicts from here

    model = line_model.current()
    verdicts, title_at = (rules.verdicts, rules.title_at) if model is None else model.decide(lines, rules)
    if not any(v.action == "keep" for v in verdicts):
        # the classifier never empties a page whose article the rules found (a one-paragraph note)
        verdicts, title_at = rules.verdicts, rules.title_at

    boilerplate: list[str] = []
    kept: list[Line] = []
    for line, verdict in zip(lines, verdicts, strict=True):
        if verdict.action == "keep":
            kept.append(line)
            continue
        removed.append(Removal(line.text, verdict.reason or verdict.action))
        if verdict.action == "drop" and line.text not in boilerplate:
            boilerplate.append(line.text)

    title: str | None = None
    if title_at is not None:
        title = strip_trailing_date(lines[title_at].text)
        if title != lines[title_at].text and rules.title_at != title_at:
            date_lines.append(lines[title_at].text[len(title) :])
    body = _dedup(kept, removed)
    text = "\n\n".join(body)
    spans: list[Paragraph] = []
    offset = 0
    for para in body:
        spans.append(Paragraph(offset, offset + len(para)))
        offset += len(para) + 2
    return CleanResult(text, spans, boilerplate, removed, title, date_lines)


def containers(texts: list[str], min_len: int = 8, max_len: int = 400) -> list[set[int]]:
    """For each line, the other lines that contain it (a repeat of it included), found by searching one
    joined string: linear in the page for each line, where comparing every pair was quadratic."""
    joined = "\x00".join(texts)
    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    found: dict[str, set[int]] = {}
    out: list[set[int]] = []
    for i, text in enumerate(texts):
        if not min_len <= len(text) <= max_len:
            out.append(set())
            continue
        if text not in found:
            where: set[int] = set()
            pos = joined.find(text)
            while pos != -1:
                where.add(bisect_right(starts, pos) - 1)
                pos = joined.find(text, pos + 1)
            found[text] = where
        out.append(found[text] - {i})
    return out


def _repeated_headline(header: list[Line], lines: list[Line], inside: list[set[int]]) -> Line | None:
    """A header line that the page repeats (in its <title>, a breadcrumb, or at the end) is the headline."""
    for k, line in enumerate(header):
        if line.furniture or not title_candidate(line):
            continue
        if len(line.text) < 8:  # too short to have been searched
            holders = {j for j, o in enumerate(lines) if j != k and line.text in o.text}
        else:
            holders = inside[k]
        if any(not lines[j].prose for j in holders):
            return line
    return None


def _link_runs(lines: list[Line], kept: list[int]) -> list[int]:
    """Runs of three or more headline-like lines (or headline/date pairs) inside the body are link lists."""
    out: list[int] = []
    k = 0
    while k < len(kept):
        j = k
        while j < len(kept) and (_headline_like(lines[kept[j]]) or lines[kept[j]].date_only):
            j += 1
        run = [lines[i] for i in kept[k:j]]
        headlines = [ln for ln in run if not ln.date_only]
        dated = any(ln.date_only for ln in run)
        if len(headlines) >= 3 or (len(headlines) >= 2 and dated):
            numbered = sum(1 for ln in headlines if _LIST_MARK.match(ln.text))
            if numbered < len(headlines) / 2:  # a numbered list inside an article stays
                out.extend(kept[k:j])
        k = max(j, k + 1)
    return out


def _dedup(kept: list[Line], removed: list[Removal]) -> list[str]:
    """The kept lines' text, without the paragraphs and sentences the page already said."""
    seen_sentences: set[str] = set()
    seen_lines: set[str] = set()
    body: list[str] = []
    for line in kept:
        key = dedup_key(line.text)
        if key in seen_lines and len(key) >= 4:
            removed.append(Removal(line.text, "repeated paragraph"))
            continue
        seen_lines.add(key)
        out = ""
        previous_end: int | None = None
        spans = sentence_spans(line.text)
        for n, (s, e) in enumerate(spans):
            sentence = line.text[s:e]
            skey = dedup_key(sentence)
            if len(skey) >= 24:
                if skey in seen_sentences:
                    removed.append(Removal(sentence, "repeated sentence"))
                    continue
                seen_sentences.add(skey)
            if previous_end is not None:
                own_gap = line.text[spans[n - 1][1] : s]
                out += own_gap if previous_end == spans[n - 1][1] else (" " if own_gap else "")
            out += sentence
            previous_end = e
        if out.strip():
            body.append(out.strip())
    return body
