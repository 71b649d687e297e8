"""Entity mentions by a trained sequence tagger (a CRF), with the rules and the gazetteer as features.

Tokens are words in Latin script and single characters in Chinese, Japanese and Korean, so a name can
end before a particle (바이오랜드와, 同社は). Features: the token, its shape, affixes, neighbours, its
script and paragraph language, and where the rule layer (reference data and name patterns) put a
candidate name on it. The rule layer stays the high-precision part: the tagger adds names it missed.

Training labels come from the gold mentions found verbatim in the cleaned text. Reference data would
teach the tagger "in the gazetteer ⇒ a name" (the gazetteer was partly written from annotated pages), so
on each training page a reference row counts as a feature only when it also matches another page or is
a place: the rest of the gazetteer is what the tagger would have known without that page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bioatlas.learn.models import load
from bioatlas.model import ENTITY_TYPES, Document
from bioatlas.text.scripts import HAN, HANGUL, KANA, is_han, is_hangul, is_kana
from bioatlas.text.sentences import sentence_spans

MODEL_FILE = "entities.crfsuite"
_CJK = HAN + KANA + HANGUL
_TOKEN = re.compile(rf"[{_CJK}]|[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+|\d+(?:[.,]\d+)*|[^\s{_CJK}]")


@dataclass(slots=True)
class Span:
    start: int
    end: int
    type: str
    method: str = "model"
    confidence: float = 1.0


def tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _shape(tok: str) -> str:
    ch = tok[0]
    if is_han(ch):
        return "H"
    if is_kana(ch):
        return "K"
    if is_hangul(ch):
        return "G"
    if tok.isdigit() or tok[0].isdigit():
        return "d"
    if tok.isalpha():
        if tok.isupper():
            return "XX" if len(tok) > 1 else "X"
        if tok[0].isupper():
            return "Xx"
        return "x"
    return tok if len(tok) == 1 else "p"


def _token_features(text: str, toks: list[tuple[int, int]], rule_tags: list[str], lang: str) -> list[list[str]]:
    words = [text[a:b] for a, b in toks]
    lows = [w.lower() for w in words]
    shapes = [_shape(w) for w in words]
    n = len(words)
    feats: list[list[str]] = []
    for i in range(n):
        w, lw, sh = words[i], lows[i], shapes[i]
        f = [f"w={lw}", f"s={sh}", f"L={lang}", f"r={rule_tags[i]}"]
        if sh in ("H", "K", "G"):
            prev = lows[i - 1] if i > 0 else "<s>"
            nxt = lows[i + 1] if i + 1 < n else "</s>"
            f += [f"b-={prev}{lw}", f"b+={lw}{nxt}", f"t={prev}{lw}{nxt}"]
            if i + 2 < n:
                f.append(f"b++={lw}{nxt}{lows[i + 2]}")
            if i > 1:
                f.append(f"b--={lows[i - 2]}{prev}{lw}")
        else:
            f += [f"p3={lw[:3]}", f"x3={lw[-3:]}", f"x2={lw[-2:]}", f"n={min(len(w), 8)}"]
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d}={lows[j]}")
                f.append(f"s{d}={shapes[j]}")
                f.append(f"r{d}={rule_tags[j]}")
            else:
                f.append(f"w{d}=<edge>")
        if i > 0:
            f.append(f"ss={shapes[i - 1]}|{sh}")
        if i == 0:
            f.append("BOS")
        feats.append(f)
    return feats


def _rule_tags(toks: list[tuple[int, int]], spans: list[Span]) -> list[str]:
    """Where the rule layer put a name: B/I, its type and method, per token ('O' elsewhere)."""
    tags = ["O"] * len(toks)
    if not spans:
        return tags
    starts = [a for a, _ in toks]
    for sp in spans:
        first = True
        for i in range(_first_index(starts, sp.start), len(toks)):
            a, b = toks[i]
            if a >= sp.end:
                break
            if b <= sp.start:
                continue
            tags[i] = f"{'B' if first else 'I'}-{sp.type}-{sp.method}"
            first = False
    return tags


def _first_index(starts: list[int], pos: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, pos) - 1)


def _sequences(doc: Document) -> Iterable[tuple[str, list[tuple[int, int]]]]:
    for para in doc.paragraphs:
        lang = para.language or "?"
        for s, e in sentence_spans(doc.text, para.start, para.end):
            toks = tokens(doc.text, s, e)
            if toks:
                yield lang, toks


def _labels(toks: list[tuple[int, int]], gold: list[Span]) -> list[str]:
    labels = ["O"] * len(toks)
    starts = [a for a, _ in toks]
    for sp in gold:
        i = _first_index(starts, sp.start)
        covered = [j for j in range(i, len(toks)) if toks[j][0] < sp.end and toks[j][1] > sp.start]
        if not covered or toks[covered[0]][0] != sp.start or toks[covered[-1]][1] != sp.end:
            continue  # the mention does not fall on token boundaries here
        if any(labels[j] != "O" for j in covered):
            continue
        for k, j in enumerate(covered):
            labels[j] = f"{'B' if k == 0 else 'I'}-{sp.type}"
    return labels


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and ch.isascii()


def gold_spans(doc: Document, gold: dict[str, Any]) -> list[Span]:
    """Every verbatim occurrence of every gold mention in the cleaned text, longest first, no overlaps."""
    forms: list[tuple[str, str]] = []
    for ent in gold.get("entities") or []:
        if ent.get("type") not in ENTITY_TYPES:
            continue
        for m in {*(ent.get("mentions") or [])}:
            if m and m.strip():
                forms.append((m.strip(), ent["type"]))
    forms.sort(key=lambda f: -len(f[0]))
    taken: list[tuple[int, int]] = []
    out: list[Span] = []
    text = doc.text
    for form, kind in forms:
        for m in re.finditer(re.escape(form), text):
            a, b = m.start(), m.end()
            if form[0].isascii() and a > 0 and _is_word_char(text[a - 1]):
                continue
            if form[-1].isascii() and b < len(text) and _is_word_char(text[b]):
                continue
            if any(a < tb and b > ta for ta, tb in taken):
                continue
            taken.append((a, b))
            out.append(Span(a, b, kind, "gold"))
    return out


def rule_spans(doc: Document, keep_rows: set[str] | None = None) -> list[Span]:
    """Names the rule layer finds (reference data and patterns), before any model."""
    from bioatlas.extract.entities import rule_candidates

    out = []
    for c in rule_candidates(doc):
        if c.method == "reference" and keep_rows is not None and c.row is not None and c.row.id not in keep_rows:
            if c.type != "place":
                continue
        out.append(Span(c.start, c.end, c.type, c.method))
    return out


def features(doc: Document, spans: list[Span]) -> list[tuple[list[tuple[int, int]], list[list[str]]]]:
    out = []
    for lang, toks in _sequences(doc):
        tags = _rule_tags(toks, spans)
        out.append((toks, _token_features(doc.text, toks, tags, lang)))
    return out


def _decode(toks: list[tuple[int, int]], labels: list[str], probs: list[float]) -> list[Span]:
    """Spans of B-/I- labels; a span's confidence is its least sure token's marginal probability."""
    spans: list[Span] = []
    cur: Span | None = None
    for (a, b), lab, p in zip(toks, labels, probs, strict=True):
        if lab == "O":
            cur = None
            continue
        pos, kind = lab.split("-", 1)
        if pos == "B" or cur is None or cur.type != kind:
            cur = Span(a, b, kind, confidence=p)
            spans.append(cur)
        else:
            cur.end = b
            cur.confidence = min(cur.confidence, p)
    return spans


def _open_tagger(path: Path) -> Any:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def tag(doc: Document, spans: list[Span] | None = None) -> list[Span]:
    """Names the model finds in the document, each with its confidence; [] when no model is shipped."""
    tagger = load(MODEL_FILE, _open_tagger)
    if tagger is None:
        return []
    spans = rule_spans(doc) if spans is None else spans
    found: list[Span] = []
    for toks, feats in features(doc, spans):
        labels = tagger.tag(feats)
        found += _decode(toks, labels, [tagger.marginal(lab, t) for t, lab in enumerate(labels)])
    return found


def _rows_seen_elsewhere(docs: list[Document]) -> list[set[str]]:
    """Per page, the reference rows that also match some other page (leave-page-out gazetteer)."""
    from bioatlas.extract.reference import gazetteer

    gaz = gazetteer()
    per_page = [{h.row.id for h in gaz.find(doc.text)} for doc in docs]
    counts = Counter(r for rows in per_page for r in rows)
    return [{r for r in rows if counts[r] > 1} for rows in per_page]


def train(pages: list[Any], out: Path) -> dict[str, Any]:
    import pycrfsuite

    from bioatlas.learn.corpus import prepared

    docs, golds = [], []
    for page in pages:
        try:
            docs.append(prepared(page))
        except ValueError:
            continue
        golds.append(page.gold)
    keep = _rows_seen_elsewhere(docs)
    trainer = pycrfsuite.Trainer(verbose=False)
    n_seq = n_names = 0
    for doc, gold, rows in zip(docs, golds, keep, strict=True):
        gspans = gold_spans(doc, gold)
        n_names += len(gspans)
        for toks, feats in features(doc, rule_spans(doc, rows)):
            trainer.append(feats, _labels(toks, gspans))
            n_seq += 1
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 120, "feature.possible_transitions": True})
    out.mkdir(parents=True, exist_ok=True)
    path = out / MODEL_FILE
    trainer.train(str(path))
    return {"pages": len(docs), "sequences": n_seq, "names": n_names, "bytes": path.stat().st_size}
