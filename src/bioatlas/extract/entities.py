"""Entities: reference data, per-language name patterns and role patterns, merged within a document.

Reads `Document.text` and `paragraphs`; writes `Document.entities`. Each mention keeps its span and the
method that found it; entities named in several languages or spellings in one document become one
(列日 = Liège; 羅氏 (Roche); Kitozyme ~ Kytozyme, with the spelling difference noted).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from bioatlas.extract.lang import cjk, latin, zh
from bioatlas.extract.reference import Gazetteer, ReferenceRow, gazetteer
from bioatlas.extract.scripts import to_simplified
from bioatlas.model import Document, Entity, Mention

LATIN_LANGS = {"en", "fr", "de", "nl", "it", "es", "pt"}
_METHOD_RANK = {"reference": 3, "pattern": 2, "model": 1, "rule": 0}
# A name only the tagger found is kept when its least sure token is at least this likely (cross-validated:
# entity F1 0.64 with every tagged span, 0.66 from 0.6 to 0.9).
MODEL_MIN_CONFIDENCE = 0.75


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    text: str
    type: str
    method: str
    row: ReferenceRow | None = None
    role: str | None = None
    language: str | None = None

    @property
    def size(self) -> int:
        return self.end - self.start


_LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]+(?:Inc|Ltd|LLC|plc|GmbH|AG|SA|S\.A|SAS|NV|N\.V|BV|B\.V|Pty(?: Ltd)?|Corp|Co|KG|SE|SpA|AB|Oy|A/S)\.?"
    r"|株式会社|有限公司|股份有限公司|有限責任公司|有限责任公司|\(주\)|㈜)$"
)


def strip_legal_form(name: str) -> str:
    """'Luxna Biotech Co., Ltd.' and 'ルクサナバイオテク株式会社' are the company without their legal form."""
    stripped = re.sub(r"^株式会社|^\(주\)\s*|^㈜\s*", "", name.strip())
    for _ in range(2):
        stripped = _LEGAL_SUFFIX.sub("", stripped).strip(" ,.")
    return stripped or name


def name_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    text = to_simplified(text)
    return re.sub(r"[\W_]+", "", text)


# ---------------------------------------------------------------- Latin-script names


def _strip_leading(text: str, start: int) -> tuple[str, int]:
    while True:
        elided = re.match(r"(?:[LlDd]|[Qq]u)['’](?=\w)", text)
        if elided:  # "L'australien Clarity", "d'Anmi"
            text, start = text[elided.end() :], start + elided.end()
            continue
        noun = re.match(r"[A-ZÄÖÜ][a-zäöüß]+(?:ung|ungen)\s+(?:für|der|des|von|zur|zum|über)\s+(?=[A-ZÀ-ÖØ-Þ])", text)
        if noun and not noun.group(0).lower().startswith(("stiftung", "forschung")):
            text, start = text[noun.end() :], start + noun.end()  # "Kooperationsvereinbarung für …": a German noun
            continue
        role = re.match(rf"{latin.ROLE_WORDS}\s+(?:(?:der|des|de|du|of|van|von)\s+)?(?=[A-ZÀ-ÖØ-Þ])", text)
        if role:  # "Geschäftsführerin der Glycotope Biotechnology": the role is not part of the name
            text, start = text[role.end() :], start + role.end()
            continue
        word = re.match(r"([\w'’]+)\s+(?=[A-ZÀ-ÖØ-Þ])", text)
        if word and word.group(1).lower() in latin.DEMONYMS:
            text, start = text[word.end() :], start + word.end()
            continue
        m = re.match(r"([\w'’]+)[\s'’]+", text)
        if not m or m.group(1).lower().strip("'’") not in latin.LEADING_STOP:
            return text, start
        text, start = text[m.end() :], start + m.end()


_GENERIC_FIRST = {
    "life",
    "health",
    "digital",
    "global",
    "public",
    "mental",
    "human",
    "animal",
    "one",
    "bio",
    "medical",
    "clinical",
    "data",
    "bereichen",
    "bereich",
    "sciences",
    "women's",
    "personalised",
    "personalized",
    "precision",
    "connected",
    "smart",
    "industrial",
    "computational",
}
_GENERIC_FIRST |= {"biotechnologie", "biotechnology", "biotechnologies", "medizintechnik", "pharma"}


def _latin_type(name: str, before: str, after: str) -> str | None:
    tokens = name.split()
    if not tokens:
        return None
    head = tokens[-1].lower().rstrip(".,")
    lead = tokens[0].lower()
    if (
        lead in latin.DIRECTIONS
        and len(tokens) >= 2
        and any(r.type == "place" for r in gazetteer().lookup(" ".join(tokens[1:])))
    ):
        return "place"  # "West Michigan", "Greater Boston"
    if head in _LEGAL_FORMS and len(tokens) >= 2:
        return "company"  # "Poonawalla Science Park B.V." is a firm, whatever its name says
    if lead in latin.LEAD_TYPES and len(tokens) >= 2:
        return latin.LEAD_TYPES[lead]
    lowered = name.lower()
    for needle, kind in latin.STRONG_PHRASES:
        if needle in lowered:
            return kind
    if head in ("sciences", "health", "healthcare") and lead in _GENERIC_FIRST:
        return None  # "Digital Health", "Life Sciences": a field, not a firm
    if head in latin.HEAD_TYPES and len(tokens) >= 2:
        return latin.HEAD_TYPES[head]
    for token in reversed(tokens[:-1]):  # "Osaka Bio Headquarters", "Galway University Hospital"
        if token.lower() in ("university", "universität", "université", "institute", "hospital"):
            return "research"
    if latin.COMPANY_BEFORE.search(before) or latin.COMPANY_AFTER.match(after):
        return "company"
    return None


_CAMPUS = re.compile(r" at [A-ZÀ-Þ][a-zà-ÿ]+(?: [A-ZÀ-Þ][a-zà-ÿ]+)?")
_SENTENCE_BREAK = re.compile(
    r"(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bDr)(?<!\bSt)(?<!\bMr)(?<!\bMs)(?<!\bMrs)"
    r"(?<!\bProf)(?<!\bCorp)(?<![A-Z])\.\s+(?=[A-Z])"
)
_SPLIT_WORDS = re.compile(r"\s+(?:and|und|et|en|or|oder|ou|sowie)\s+")
_LEGAL_FORMS = {
    "inc",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "s.a",
    "sas",
    "nv",
    "n.v",
    "bv",
    "b.v",
    "pty",
    "corp",
    "co",
    "kg",
    "se",
    "spa",
    "ab",
    "oy",
    "a/s",
}
_BASED = re.compile(r"^[\w\-]+-(?:based|basierte|based)\s+", re.I)


def _name_pieces(raw: str, s: int) -> list[tuple[str, int]]:
    """One regex match may hold several names: split at sentence ends and at 'and' between two typed names."""
    pieces: list[tuple[str, int]] = []
    offset = 0
    for part in _SENTENCE_BREAK.split(raw):
        at = raw.index(part, offset)
        offset = at + len(part)
        pieces.append((part, s + at))
    out: list[tuple[str, int]] = []
    for part, ps in pieces:
        m = _SPLIT_WORDS.search(part)
        if m:
            left, right = part[: m.start()], part[m.end() :]
            left_head = left.split()[-1].lower().rstrip(".") if left.split() else ""
            right_head = right.split()[-1].lower().rstrip(".") if right.split() else ""
            same_head = left_head == right_head and left_head in latin.HEAD_TYPES
            if right[:1].isupper() and (same_head or (left_head in _LEGAL_FORMS and right_head in _LEGAL_FORMS)):
                out += [(left, ps), (right, ps + m.end())]
                continue
        out.append((part, ps))
    return out


def latin_candidates(text: str, start: int, end: int, language: str | None, in_cjk: bool) -> list[Candidate]:
    out: list[Candidate] = []
    segment = text[start:end]
    for m in latin.NAME.finditer(segment):
        for piece, piece_start in _name_pieces(m.group(0), start + m.start()):
            raw, s = _strip_leading(piece, piece_start)
            cue = latin.LEADING_CUES.match(raw)
            if cue:  # "Biotech-Unternehmen Icon Genetics": the cue says company, the rest is the name
                raw, s = raw[cue.end() :], s + cue.end()
            based = _BASED.match(raw)
            if based:
                raw, s = raw[based.end() :], s + based.end()
            raw = raw.rstrip(" -–.,'’")
            campus = _CAMPUS.match(text, s + len(raw))
            if campus and raw.split()[0].lower() in ("university", "université", "universidad", "universität"):
                raw = raw + campus.group(0)  # "University of Texas at San Antonio"
            legal = raw.split()[-1].lower().rstrip(".") if raw.split() else ""
            inner = list(re.finditer(r"\s(?:der|des|den|dem|de|du|van|of)\s", raw))
            if legal in _LEGAL_FORMS and inner:  # "Produktionsanlage der Orpegen Pharma GmbH"
                cut = inner[-1].end()
                raw, s = raw[cut:], s + cut
            if not raw or not raw[0].isupper() or len(raw) < 2 or raw.lower() in latin.NOT_NAMES:
                continue
            words = raw.lower().replace("’", "'").split()
            own_kind_name = (
                len(words) == 1
                and latin.PARK_WORD.match(raw) is not None
                and len(raw) > 6
                and s > start
                and text[s - 2 : s].strip() not in (".", "")
            )
            if (
                len(words) == 1
                and not own_kind_name
                and (
                    words[0].split("'")[0] in latin.HEAD_TYPES
                    or words[0] in latin.LEAD_TYPES
                    or words[0].startswith(("universit", "klinik", "hochschul", "institut"))
                )
            ):
                continue  # "University", "University's": a head word alone names nothing
            e = s + len(raw)
            kind = "company" if cue else _latin_type(raw, text[max(0, s - 40) : s], text[e : e + 60])
            if kind is None and own_kind_name:
                kind = "park"
            if kind is None and latin.BUILDING_AFTER.match(text[e : e + 90]):
                kind = "place"  # "au sein de Bioparc": a park named by its own kind, mid-sentence
            if kind is None and in_cjk and len(raw) >= 3 and not raw.isupper() and not raw.isdigit():
                kind = "company"  # a Latin-script name inside Chinese/Japanese text is nearly always an organisation
            out.append(Candidate(s, e, raw, kind or "", "pattern", language=language))
    for m in latin.GOVERNMENT.finditer(segment):
        s = start + m.start()
        out.append(Candidate(s, start + m.end(), m.group(0), "agency", "pattern", language=language))
    out = _type_enumerations(text, out)
    out = [c for c in out if c.type]
    for pattern in latin.PERSON_PATTERNS:
        for m in pattern.finditer(segment):
            name, s = m.group("name"), start + m.start("name")
            first = name.split()[0]
            if re.fullmatch(latin.ROLE_WORDS, first):  # "Minister Gago": the role is not part of the name
                name, s = (
                    name[len(first) :].lstrip(),
                    s + len(first) + (len(name[len(first) :]) - len(name[len(first) :].lstrip())),
                )
                if len(name.split()) < 2:
                    continue
            hyphen = re.search(r"([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)-$", text[max(start, s - 20) : s])
            if hyphen:  # "Jean-Marc Grognet" matched from "Marc"
                s -= len(hyphen.group(0))
                name = text[s : s + len(name) + len(hyphen.group(0))]
            tokens = name.split()
            if tokens[0].lower() in latin.LEADING_STOP or any(t.lower() in latin.HEAD_TYPES for t in tokens):
                continue
            if any(gazetteer().lookup(t) for t in tokens[1:]):  # "Technimark Ireland" is not a person
                continue
            role = m.groupdict().get("role")
            out.append(
                Candidate(
                    s, s + len(name), name, "person", "pattern", role=role.strip() if role else None, language=language
                )
            )
    return out


def _type_enumerations(text: str, cands: list[Candidate]) -> list[Candidate]:
    """In 'A, B, C and D' where some are companies, the untyped single names are companies too."""
    cands.sort(key=lambda c: c.start)
    groups: list[list[Candidate]] = []
    for cand in cands:
        if groups:
            gap = text[groups[-1][-1].end : cand.start]
            if re.fullmatch(r"\s*(?:,|、|，|;)?\s*(?:(?:and|und|et|en|or|oder|ou|of|as well as|sowie)\s+)?", gap):
                groups[-1].append(cand)
                continue
        groups.append([cand])
    for group in groups:
        if len(group) >= 2 and any(c.type == "company" for c in group):
            for c in group:
                if not c.type and len(c.text.split()) <= 3:
                    c.type = "company"
    return cands


# ---------------------------------------------------------------- Chinese, Japanese, Korean


def _zh_candidates(text: str, start: int, end: int, language: str | None) -> list[Candidate]:
    segment = text[start:end]
    out = [
        Candidate(n.start, n.end, text[n.start : n.end], n.type, "pattern", language=language)
        for n in zh.organisations(segment, start)
    ]
    out += [
        Candidate(n.start, n.end, text[n.start : n.end], "person", "pattern", role=n.role, language=language)
        for n in zh.persons(segment, start)
    ]
    out += [
        Candidate(n.start, n.end, text[n.start : n.end], "place", "pattern", language=language)
        for n in zh.places(segment, start)
    ]
    out += [
        Candidate(n.start, n.end, text[n.start : n.end], "park", "pattern", language=language)
        for n in zh.park_phases(segment, start)
    ]
    for m in _LATIN_PERSON_IN_CJK.finditer(segment):
        s = start + m.start("name")
        out.append(
            Candidate(
                s,
                s + len(m.group("name")),
                m.group("name"),
                "person",
                "pattern",
                role=m.group("role"),
                language=language,
            )
        )
    return out


_LATIN_PERSON_IN_CJK = re.compile(
    r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\s?(?P<role>博士|教授|女士|先生|医生|醫生|氏|社長|대표|박사)"
)


_INVESTOR_WORDS = re.compile(r"キャピタル|ベンチャーズ|投資|ファンド|캐피탈|벤처스|투자|Capital|Ventures")


def _regex_candidates(
    patterns: list[tuple[re.Pattern[str], str]], text: str, start: int, end: int, language: str | None
) -> list[Candidate]:
    out = []
    for pattern, kind in patterns:
        for m in pattern.finditer(text, start, end):
            name, at = m.group(0), m.start()
            if name[0] in "同当當本該该其":  # 同機構 "the said organisation" refers back, it names nothing
                continue
            if name[0] in "元前現现" and len(name) > 3:  # 元京都大学: "formerly of" Kyoto University
                name, at = name[1:], at + 1
            kind_here = "investor" if kind == "company" and _INVESTOR_WORDS.search(name) else kind
            out.append(Candidate(at, at + len(name), name, kind_here, "pattern", language=language))
    return out


def _person_regex(pattern: re.Pattern[str], text: str, start: int, end: int, language: str | None) -> list[Candidate]:
    return [
        Candidate(m.start("name"), m.end("name"), m.group("name"), "person", "pattern", language=language)
        for m in pattern.finditer(text, start, end)
        if m.group("name") not in cjk.KO_NOT_NAMES
    ]


def pattern_candidates(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    for para in doc.paragraphs:
        lang = para.language
        if lang in ("zh-Hans", "zh-Hant"):
            out += _zh_candidates(doc.text, para.start, para.end, lang)
            out += latin_candidates(doc.text, para.start, para.end, lang, in_cjk=True)
        elif lang == "ja":
            out += _regex_candidates(cjk.JA_ORG, doc.text, para.start, para.end, lang)
            out += _person_regex(cjk.JA_PERSON, doc.text, para.start, para.end, lang)
            out += _regex_candidates([(cjk.JA_PLACE, "place")], doc.text, para.start, para.end, lang)
            out += latin_candidates(doc.text, para.start, para.end, lang, in_cjk=True)
        elif lang == "ko":
            out += _regex_candidates(cjk.KO_ORG, doc.text, para.start, para.end, lang)
            out += _person_regex(cjk.KO_PERSON, doc.text, para.start, para.end, lang)
            out += _regex_candidates([(cjk.KO_PLACE, "place")], doc.text, para.start, para.end, lang)
            out += latin_candidates(doc.text, para.start, para.end, lang, in_cjk=True)
        else:
            out += latin_candidates(doc.text, para.start, para.end, lang, in_cjk=False)
    return out


# ---------------------------------------------------------------- assembling entities


def _choose(cands: list[Candidate]) -> list[Candidate]:
    """Overlapping candidates: persons from role patterns first, then longest, then by method."""

    def rank(c: Candidate) -> tuple[int, int, int]:
        return (1 if c.type == "person" and c.role else 0, c.size, _METHOD_RANK[c.method])

    taken: list[Candidate] = []
    for cand in sorted(cands, key=rank, reverse=True):
        clash = [t for t in taken if not (cand.end <= t.start or cand.start >= t.end)]
        if clash and cand.type != "person" and cand.method == "pattern" and all(t.type == "person" for t in clash):
            cand = _trim_before(cand, min(t.start for t in clash)) or cand  # "AlgaeCytes and Steve Trim"
            clash = [t for t in taken if not (cand.end <= t.start or cand.start >= t.end)]
        if not clash:
            taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


def _trim_before(cand: Candidate, limit: int) -> Candidate | None:
    """The part of a name before a person that a connector separates from it."""
    head = cand.text[: limit - cand.start]
    m = re.search(r"\s*(?:,|\band\b|\bund\b|\bet\b|\ben\b|&)\s*$", head)
    if not m or m.start() < 2:
        return None
    text = head[: m.start()]
    return Candidate(
        cand.start, cand.start + len(text), text, cand.type, cand.method, cand.row, cand.role, cand.language
    )


def _places_inside_cjk_names(chosen: list[Candidate], cands: list[Candidate]) -> list[Candidate]:
    """北京市经济和信息化局 names a Beijing body, and names Beijing too: keep the place as its own mention."""
    extra = []
    for org in chosen:
        if org.type in ("place", "person") or not any(ord(c) >= 0x2E80 for c in org.text):
            continue
        for cand in cands:
            if cand.type == "place" and cand.method == "reference" and cand.start == org.start and cand.end < org.end:
                extra.append(cand)
    return extra


_TYPE_PREFIXES = {
    "cluster",
    "stichting",
    "verein",
    "association",
    "fondation",
    "stiftung",
    "the",
    "le",
    "la",
    "die",
    "der",
    "das",
    "de",
    "het",
    "ceo",
    "pôle",
    "pole",
    "kompetenzcluster",
    "biocluster",
    "agentur",
    "agence",
    "agency",
    "firma",
    "company",
    "société",
    "unternehmen",
    "park",
}

_CONNECTOR = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\ben\b|\bor\b|\boder\b|\bou\b|&|/|、|和|与|與|及)\s*")


def _split_around_references(cands: list[Candidate], text: str) -> list[Candidate]:
    """'Kitozyme and Mithra' found as one pattern name is two names when a reference name sits inside it."""
    refs = [c for c in cands if c.method == "reference"]
    out: list[Candidate] = []
    for cand in cands:
        if cand.method != "pattern" or cand.type == "person" or any(ord(c) >= 0x2E80 for c in cand.text):
            out.append(cand)
            continue
        inside = [r for r in refs if cand.start <= r.start and r.end <= cand.end and r.size < cand.size]
        if not inside:
            out.append(cand)
            continue
        pos, rest = cand.start, []
        for r in sorted(inside, key=lambda r: r.start):
            rest.append((pos, r.start))
            pos = r.end
        rest.append((pos, cand.end))
        gaps = [text[a:b] for a, b in rest]
        if all(not g.strip() or all(w.lower() in _TYPE_PREFIXES for w in g.split()) for g in gaps):
            continue  # "Cluster Life Science Nord", "Stichting Utrecht Science Park": the known name stands
        if not any(
            _CONNECTOR.fullmatch(g) or _CONNECTOR.match(g) or _CONNECTOR.search(g[-6:] if g else "")
            for g in gaps
            if g.strip()
        ):
            out.append(cand)  # "Université de Liège": the place is part of the name
            continue
        kind = next((r.type for r in inside if r.type not in ("place", "person")), cand.type)
        hit_ends = {r.end for r in inside}
        for a, b in rest:
            piece = text[a:b]
            for m in re.finditer(r"[^,;&/、和与與及]+", piece):
                word = _CONNECTOR.sub(" ", m.group(0)).strip()
                if a + m.start() in hit_ends and m.group(0)[:1] == " " and len(word.split()) == 1:
                    continue  # "Discovery Park House": the tail of a known name is no name of its own
                if len(word) >= 3 and word[:1].isupper():
                    s = a + m.start() + m.group(0).find(word.split()[0])
                    out.append(Candidate(s, s + len(word), word, kind, "pattern", language=cand.language))
    return out


def _canonical(ent: Entity, row: ReferenceRow | None) -> str:
    if row is not None:
        return row.name
    forms = ent.surface_forms()
    latin_forms = [f for f in forms if f.isascii() or all(ord(c) < 0x2E80 for c in f)]
    best = max(latin_forms, key=len) if latin_forms else forms[0]
    return strip_legal_form(best) if ent.type in ("company", "investor") else best  # "Leukocare AG" is Leukocare


def _paren_aliases(doc: Document, cands: list[Candidate]) -> dict[int, int]:
    """`A (B)` / `A（B）`: B names A (羅氏(Roche), Walloon Agency ... (AWEX)). Returns index of B -> index of A."""
    links: dict[int, int] = {}
    by_start = {c.start: i for i, c in enumerate(cands)}
    for i, cand in enumerate(cands):
        m = re.match(r"\s*[(（]\s*", doc.text[cand.end : cand.end + 4])
        if not m:
            continue
        j = by_start.get(cand.end + m.end())
        closes = j is not None and doc.text[cands[j].end : cands[j].end + 2].lstrip()[:1] in (")", "）")
        if not (closes and j is not None) or "person" in (cands[j].type, cand.type):
            continue
        a, b = cand, cands[j]
        if a.row is not None and b.row is not None and a.row.id != b.row.id:
            continue  # "Osaka (Japan)": two different known things
        if (a.type == "place") != (b.type == "place") and (a.row is not None or b.row is not None):
            continue  # a place in brackets after an organisation says where it is
        links[j] = i
    return links


_PAREN_ALIAS = re.compile(r"\s*[(（]\s*([A-Z][A-Za-z0-9&\-]{1,12}|[\u4e00-\u9fff]{2,8})\s*[)）]")


def _add_paren_acronyms(doc: Document, cands: list[Candidate]) -> list[Candidate]:
    """An unknown acronym in brackets after a name is a mention of it: 'Walloon Agency ... (AWEX)'."""
    extra: list[Candidate] = []
    starts = {c.start for c in cands}
    for cand in cands:
        if cand.type == "person":
            continue
        m = re.match(
            r"\s*[(（]\s*([A-Z][A-Za-z0-9&\-]{1,12}|[\u4e00-\u9fff]{2,8})\s*[)）]", doc.text[cand.end : cand.end + 20]
        )
        if m and cand.end + m.start(1) not in starts:
            s = cand.end + m.start(1)
            extra.append(Candidate(s, s + len(m.group(1)), m.group(1), cand.type, "pattern", language=cand.language))
    return cands + extra


def rule_candidates(doc: Document, gaz: Gazetteer | None = None) -> list[Candidate]:
    """Names from reference data and the per-language patterns, overlapping, before any choice."""
    gaz = gaz or gazetteer()
    cands: list[Candidate] = []
    for hit in gaz.find(doc.text):
        cands.append(
            Candidate(
                hit.start,
                hit.end,
                hit.alias,
                hit.row.type,
                "reference",
                row=hit.row,
                language=doc.language_at(hit.start),
            )
        )
    return _split_around_references(cands + pattern_candidates(doc), doc.text)


def with_model(doc: Document, cands: list[Candidate]) -> list[Candidate]:
    """The trained tagger decides where names are; the rule layer keeps what the tagger left untouched.

    A tagged span that a rule candidate covers exactly keeps the rule candidate; a tagged span never
    overrides a reference-data name or a person named with a role; any other tagged span the tagger is sure
    enough of replaces the pattern candidates it overlaps. (Dropping pattern guesses the tagger is sure are
    no name did not help in cross-validation.)"""
    from bioatlas.learn.entity_tagger import Span, tag

    spans = tag(doc, [Span(c.start, c.end, c.type, c.method) for c in cands])
    exact = {(c.start, c.end) for c in cands}
    # reference rows and persons named with their role are the high-precision layer
    firm = [c for c in cands if c.method == "reference" or c.role]
    added = [
        sp
        for sp in spans
        if (sp.start, sp.end) not in exact
        and sp.confidence >= MODEL_MIN_CONFIDENCE
        and not any(sp.start < c.end and sp.end > c.start for c in firm)
    ]
    kept = [c for c in cands if not any(sp.start < c.end and sp.end > c.start for sp in added)]
    for sp in added:
        text = doc.text[sp.start : sp.end]
        kept.append(Candidate(sp.start, sp.end, text, sp.type, "model", language=doc.language_at(sp.start)))
    return kept


def extract_entities(doc: Document, gaz: Gazetteer | None = None) -> list[Entity]:
    gaz = gaz or gazetteer()
    cands = with_model(doc, rule_candidates(doc, gaz))
    chosen = _choose(cands)
    chosen += _places_inside_cjk_names(chosen, cands)
    chosen = sorted(_add_paren_acronyms(doc, chosen), key=lambda c: c.start)
    # A pattern name that matches a reference alias exactly takes the reference row.
    for cand in chosen:
        if cand.row is None and cand.type != "person":
            rows = gaz.lookup(cand.text)
            if rows:
                cand.row, cand.type = rows[0], rows[0].type
    links = _paren_aliases(doc, chosen)

    groups: dict[str, list[Candidate]] = {}
    key_of: list[str] = []
    for cand in chosen:
        key = f"ref:{cand.row.id}" if cand.row else f"{cand.type}:{name_key(strip_legal_form(cand.text))}"
        key_of.append(key)
    for j, i in links.items():  # B in brackets joins A's group
        root = key_of[i]
        old = key_of[j]
        key_of = [root if k == old else k for k in key_of]
    # The same name found as reference and by pattern: one group.
    by_name: dict[str, str] = {}
    for i, cand in enumerate(chosen):
        nk = name_key(strip_legal_form(cand.text))
        if cand.type == "person":
            continue
        if nk in by_name and by_name[nk] != key_of[i]:
            old = key_of[i]
            key_of = [by_name[nk] if k == old else k for k in key_of]
        else:
            by_name.setdefault(nk, key_of[i])
    for i, cand in enumerate(chosen):
        groups.setdefault(key_of[i], []).append(cand)

    entities: list[Entity] = []
    for members in groups.values():
        row = next((c.row for c in members if c.row), None)
        kind = row.type if row else _majority_type(members)
        ent = Entity(
            id="",
            name="",
            type=kind,
            country=row.country if row else None,
            reference=row.source if row else None,
            confidence=0.9 if row else 0.6,
        )
        ent.mentions = [Mention(c.text, c.start, c.end, c.method, c.language) for c in members]
        ent.role = next((c.role for c in members if c.role), None)
        ent.name = _canonical(ent, row)
        entities.append(ent)
    entities = _merge_spelling_variants(entities)
    entities = _merge_short_forms(entities)
    entities = align_translated_persons(doc, entities)
    _propagate_mentions(doc, entities)
    entities.sort(key=lambda e: min(m.start for m in e.mentions))
    for n, ent in enumerate(entities, 1):
        ent.id = f"e{n}"
    return entities


def _merge_short_forms(entities: list[Entity]) -> list[Entity]:
    """'Bio Science Park' after 'Leiden Bio Science Park', 科技園公司 after 香港科技園公司: the end of a longer name
    used alone names the same organisation."""
    orgs = [e for e in entities if e.type not in ("person", "place")]
    gone: set[int] = set()
    for short in orgs:
        if short.reference is not None:
            continue
        key = name_key(short.name)
        if len(key) < 4 or (short.name.isascii() and len(short.name.split()) < 2):
            continue
        longer = [
            o
            for o in orgs
            if o is not short
            and id(o) not in gone
            and any(name_key(f).endswith(key) and len(name_key(f)) > len(key) for f in [o.name, *o.surface_forms()])
        ]
        if len(longer) == 1:
            longer[0].mentions += short.mentions
            gone.add(id(short))
    return [e for e in entities if id(e) not in gone]


def _propagate_mentions(doc: Document, entities: list[Entity]) -> None:
    """A name recognised once in a page names the same thing wherever else it appears there ('Medbio is
    expected to invest…' after 'Medbio president and CEO')."""
    taken = sorted((m.start, m.end) for e in entities for m in e.mentions)
    starts = [a for a, _ in taken]

    def free(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, b)
        return all(end <= a or start >= b for start, end in taken[max(0, i - 8) : i])

    for ent in entities:
        forms = {m.text for m in ent.mentions if len(m.text) >= 3 and not m.text.isdigit()}
        if ent.type == "person":
            forms = {f for f in forms if len(f.split()) >= 2 or not f.isascii()}
        for form in sorted(forms, key=len, reverse=True):
            latin_form = form.isascii() or all(ord(c) < 0x2E80 for c in form)
            pattern = rf"(?<![\w]){re.escape(form)}(?![\w])" if latin_form else re.escape(form)
            for m in re.finditer(pattern, doc.text):
                if free(m.start(), m.end()):
                    ent.mentions.append(
                        Mention(form, m.start(), m.end(), ent.mentions[0].method, doc.language_at(m.start()))
                    )
                    bisect.insort(taken, (m.start(), m.end()))
                    starts = [a for a, _ in taken]


def _majority_type(members: list[Candidate]) -> str:
    counts: dict[str, int] = {}
    for c in members:
        counts[c.type] = counts.get(c.type, 0) + 1
    return max(counts, key=lambda k: counts[k])


def _merge_spelling_variants(entities: list[Entity]) -> list[Entity]:
    """Kitozyme and Kytozyme on one page are one company: close Latin spellings of the same type merge."""
    merged: list[Entity] = []
    for ent in entities:
        target = None
        if ent.reference is None and ent.type != "person":
            for other in merged:
                if other.type != ent.type or (other.reference is not None and ent.reference is not None):
                    continue
                a, b = ent.name, other.name
                if (
                    len(a) >= 6
                    and len(b) >= 6
                    and a.isascii()
                    and b.isascii()
                    and a.lower() != b.lower()
                    and a[0].lower() == b[0].lower()
                    and fuzz.ratio(a.lower(), b.lower()) >= 85
                ):
                    target = other
                    break
        if target is None:
            merged.append(ent)
        else:
            target.mentions += ent.mentions
            target.notes.append(
                f"spelled both '{target.name}' and '{ent.name}' in this document "
                f"(similarity {fuzz.ratio(target.name.lower(), ent.name.lower()):.0f}%)"
            )
    return merged


# Role words of a Chinese title and the English/French/German words a translation uses for them.
_ROLE_EQUIVALENTS = {
    "主任": ("director", "directeur", "direktor", "leiter"),
    "书记": ("secretary", "secrétaire", "sekretär"),
    "总裁": ("president", "ceo", "chief executive", "président"),
    "董事长": ("chairman", "chair", "président"),
    "局长": ("director", "secretary", "commissioner", "head"),
    "司长": ("secretary",),
    "署长": ("director", "commissioner"),
    "院长": ("president", "dean", "director"),
    "教授": ("professor", "prof"),
    "博士": ("dr", "doctor"),
    "市长": ("mayor", "maire", "bürgermeister"),
    "省长": ("governor",),
    "总经理": ("general manager", "ceo"),
    "负责人": ("head", "director", "responsable"),
    "主席": ("chairman", "president", "chair"),
}


def _romanise(name: str) -> str:
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(to_simplified(name)))


def _role_keys(role: str | None) -> set[str]:
    if not role:
        return set()
    simple = to_simplified(role).lower()
    keys = {k for k in _ROLE_EQUIVALENTS if k in simple}
    keys |= {k for k, words in _ROLE_EQUIVALENTS.items() if any(re.search(rf"\b{w}\b", simple) for w in words)}
    return keys


def align_translated_persons(doc: Document, entities: list[Entity]) -> list[Entity]:
    """A person named in a Chinese original and in its English translation is one person. When the
    translation's name is not the romanisation of the original (孔磊 rendered 'Liu Keng'), they are joined
    on their role and the discrepancy is kept as a note."""
    cjk_people = [
        e for e in entities if e.type == "person" and all(m.language in ("zh-Hans", "zh-Hant") for m in e.mentions)
    ]
    latin_people = [e for e in entities if e.type == "person" and all(m.language in LATIN_LANGS for m in e.mentions)]
    if not cjk_people or not latin_people:
        return entities
    gone: set[int] = set()  # python ids: entity ids are given after this step
    for person in cjk_people:
        romanised = _romanise(person.name)
        spelled = {romanised, " ".join(reversed(romanised.split()))}
        same_name = [q for q in latin_people if id(q) not in gone and q.name.lower() in spelled]
        match: Entity | None = same_name[0] if same_name else None
        note: str | None = None
        if match is None:
            keys = _role_keys(person.role)
            by_role = [q for q in latin_people if id(q) not in gone and keys & _role_keys(q.role)]
            rivals = [p for p in cjk_people if p is not person and keys & _role_keys(p.role)]
            if len(by_role) == 1 and not rivals:
                match = by_role[0]
                note = (
                    f"named {person.name} ({romanised.title()}) in the {person.mentions[0].language} text and "
                    f"'{match.name}' in the {match.mentions[0].language} translation: the names differ; joined "
                    f"on the same role ({', '.join(sorted(keys))})"
                )
        if match is None:
            continue
        person.mentions += match.mentions
        person.role = person.role or match.role
        if doc.languages and doc.languages[0] in ("zh-Hans", "zh-Hant"):
            person.name = romanised.title()
        else:
            person.name = match.name
        if note:
            person.notes.append(note)
        gone.add(id(match))
    return [e for e in entities if id(e) not in gone]
