"""A kb of N realistic documents for the answer benchmarks, made by varying real extracted pages.

    python bench/generate_kb.py --docs 100000 [--base 300] [--out out/bench]

Extraction runs at about 50 documents/s, too slow for 100k pages, so the pages are extracted once and then varied:

1. *Base pages*: the example corpus (`examples/corpus`) and a sample of the training pages
   (`data/training/*/*.txt`), extracted by the real pipeline once and cached as JSONL (`base-pages.jsonl`).
2. *Variants*: document i is base page i mod B with, consistently in its text, entities, events and figures:
   companies renamed (a pool of about N/4 invented names, drawn unevenly so that some companies are in many
   reports; names in the page's script), places swapped for other reference places of the same kind (any
   country; each mention written in its paragraph's language from `places.csv`), parks/clusters/agencies swapped
   for reference organisations of the same type half of the time, years shifted (text, publication date, event
   and figure dates) and the digits of every figure redrawn (value scaled to match). Spans are moved with the text.
3. Each variant is stored with `Store.ingest`, as the CLI does (about 500 documents/s on SQLite).

The kb for N documents is cached as `kb-N.sqlite`; a larger kb starts from a copy of the largest smaller one
(document i is the same in every size), so 10k, 100k and 1M share their first documents.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bioatlas.extract.reference import ReferenceRow, gazetteer  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402
from bioatlas.model import Document, Figure  # noqa: E402

OUT = ROOT / "out" / "bench"
PLACE_KINDS = ("city", "region", "district")
SWAPPED_ORG_TYPES = ("park", "cluster", "agency", "research")
LATIN_HEADS = (
    "Nova", "Aqua", "Bel", "Cor", "Dyna", "Evo", "Fila", "Gen", "Helio", "Imu", "Kine", "Lumi", "Medi", "Neuro",
    "Onco", "Pep", "Quanta", "Rhea", "Sana", "Thera", "Uni", "Vita", "Xeno", "Zymo", "Arte", "Bio", "Cyto", "Derma",
)  # fmt: skip
LATIN_TAILS = (
    "gen", "tix", "cure", "vance", "thera", "zyme", "cell", "mab", "nostics", "medix", "phage", "vax", "lytics",
    "sera", "nova", "path", "core", "bright", "sphere", "gene",
)  # fmt: skip
LATIN_FORMS = (
    "Therapeutics", "Pharma", "Biosciences", "SA", "GmbH", "BV", "Bio", "Medical", "Biologics", "Diagnostics",
    "Pharmaceuticals", "AG", "Ltd", "Inc.", "SAS", "NV",
)  # fmt: skip
CJK_CHARS = "华康瑞恒泰嘉信诺和达成安博远创君盛明新天宏昊睿百济丰"
CJK_FORMS = {"zh-Hans": ("生物", "医药", "制药", "药业"), "zh-Hant": ("生技", "醫藥", "製藥"), "ja": ("製薬", "バイオ")}
KO_FORMS = ("바이오", "제약", "파마")
KO_SYLLABLES = "한미셀트리온녹십자대웅종근당보령유한동아"
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-2]\d)(?!\d)")
DIGITS = re.compile(r"\d+")
LANG_COLUMNS = {"zh-Hans": "name_zh_hans", "zh-Hant": "name_zh_hant"}


def base_paths(per_folder: int) -> list[Path]:
    corpus = sorted(p for p in (ROOT / "examples" / "corpus").iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    training: list[Path] = []
    for folder in sorted((ROOT / "data" / "training").iterdir()):
        if folder.is_dir():
            training += sorted(folder.glob("*.txt"))[:per_folder]
    return corpus + training


def base_documents(out: Path, count: int) -> list[Document]:
    """The extracted base pages (cached: extraction runs once)."""
    cache = out / f"base-pages-{count}.jsonl"
    if cache.exists():
        return [Document.from_json(json.loads(line)) for line in cache.open(encoding="utf-8")]
    from bioatlas.pipeline import process, read_inputs

    folders = sum(1 for p in (ROOT / "data" / "training").iterdir() if p.is_dir())
    paths = base_paths(max(1, count // max(folders, 1)))
    start = time.perf_counter()
    docs = []
    for result in read_inputs([str(p) for p in paths]):
        doc = process(result)
        if isinstance(doc, Document) and (doc.entities or doc.events):
            docs.append(doc)
    print(f"extracted {len(docs)} base pages in {time.perf_counter() - start:.0f} s", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    with cache.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
    return docs


@dataclass(slots=True)
class Pools:
    places: dict[str, list[ReferenceRow]]  # kind -> rows
    orgs: dict[str, list[ReferenceRow]]  # type -> rows
    companies: int


def pools(docs: int) -> Pools:
    gaz = gazetteer()
    places: dict[str, list[ReferenceRow]] = {k: [] for k in PLACE_KINDS}
    orgs: dict[str, list[ReferenceRow]] = {k: [] for k in SWAPPED_ORG_TYPES}
    for row in sorted(gaz.rows.values(), key=lambda r: r.id):
        kind = row.data.get("kind")
        if row.type == "place" and kind in places and row.country:
            places[kind].append(row)
        elif row.type in orgs:
            orgs[row.type].append(row)
    return Pools(places, orgs, max(200, docs // 4))


def company_name(k: int, script: str) -> str:
    """The k-th invented company, written in `script` (the same k gives the same company in every document)."""
    rng = random.Random(k)
    if script in CJK_FORMS:
        return "".join(rng.sample(CJK_CHARS, 2)) + rng.choice(CJK_FORMS[script]) + (str(k) if k >= 400 else "")
    if script == "ko":
        return "".join(rng.sample(KO_SYLLABLES, 2)) + rng.choice(KO_FORMS) + (str(k) if k >= 400 else "")
    name = f"{rng.choice(LATIN_HEADS)}{rng.choice(LATIN_TAILS)} {rng.choice(LATIN_FORMS)}"
    return name if k < 6000 else f"{name} {k}"  # past a few thousand the combinations run out


def row_name(row: ReferenceRow, language: str | None) -> str:
    column = LANG_COLUMNS.get(language or "", f"name_{language}")
    return row.names.get(column) or row.name


def _script(language: str | None) -> str:
    return language if language in ("zh-Hans", "zh-Hant", "ja", "ko") else "latin"


class Spans:
    """Maps offsets of the old text to the new one after replacing some (sorted, non-overlapping) spans."""

    def __init__(self, edits: list[tuple[int, int, str]]):
        self.edits = edits
        self.starts = [s for s, _, _ in edits]
        self.before: list[int] = []
        shift = 0
        for s, e, new in edits:
            self.before.append(shift)
            shift += len(new) - (e - s)

    def move(self, pos: int, end: bool = False) -> int:
        """A start inside a replaced span goes to the replacement's start, an end to its end."""
        i = bisect_right(self.starts, pos - 1 if end else pos) - 1
        if i < 0:
            return pos
        s, e, new = self.edits[i]
        if pos >= e:
            return pos + self.before[i] + len(new) - (e - s)
        return s + self.before[i] + (len(new) if end else 0)


def _shift_year(text: str | None, delta: int) -> str | None:
    if not text:
        return text
    return YEAR.sub(lambda m: str(min(2026, int(m.group(1)) + delta)), text)


def vary(base: Document, i: int, pool: Pools) -> Document:
    """Document i: `base` with companies, places, organisations, years and figures varied consistently."""
    rng = random.Random(i * 7919 + 1)
    doc = Document.from_json(base.to_json())
    old_text = doc.text
    lang = doc.languages[0] if doc.languages else "en"
    edits: list[tuple[int, int, str]] = []
    renames: dict[str, str] = {}
    for ent in doc.entities:
        langs = [m.language or doc.language_at(m.start) or lang for m in ent.mentions]
        if ent.type == "company" and (ent.reference is None or rng.random() < 0.7):
            k = int(pool.companies * rng.random() ** 2.5)  # a few companies in many reports, most in few
            script = _script(langs[0] if langs else lang)
            new_name = company_name(k, script)
            ent.name, ent.reference, ent.country = new_name, None, None
            forms = {m.text: new_name for m in ent.mentions}
        elif ent.type == "place" and ent.reference and ent.reference.startswith("places.csv:"):
            row = gazetteer().rows.get(ent.reference.split(":", 1)[1])
            kind = row.data.get("kind") if row else None
            if not row or kind not in pool.places or rng.random() < 0.25:
                continue
            new = rng.choice(pool.places[kind])
            ent.name, ent.reference, ent.country = new.name, f"{new.file}:{new.id}", new.country
            forms = {}
            for m, language in zip(ent.mentions, langs, strict=True):
                forms.setdefault(m.text, row_name(new, language))
        elif ent.type in pool.orgs and ent.reference and rng.random() < 0.5:
            new = rng.choice(pool.orgs[ent.type])
            ent.name, ent.reference, ent.country = new.name, f"{new.file}:{new.id}", new.country
            forms = {}
            for m, language in zip(ent.mentions, langs, strict=True):
                forms.setdefault(m.text, row_name(new, language))
        else:
            continue
        for m in ent.mentions:
            if old_text[m.start : m.end] == m.text:
                edits.append((m.start, m.end, forms[m.text]))
            renames.setdefault(m.text, forms[m.text])
            m.text = forms[m.text]
    scaled: dict[tuple[int, int, str], tuple[Figure, float]] = {}
    for fig in doc.figures:  # redraw the digits of the number, keep its length; scale the value to match
        number = old_text[fig.start : fig.end]
        old_digits = "".join(DIGITS.findall(number))
        if not old_digits or int(old_digits) == 0:
            continue
        new_number = DIGITS.sub(lambda m: _redraw(m.group(), rng), number)
        edit = (fig.start, fig.end, new_number)
        scaled[edit] = (fig, fig.value * int("".join(DIGITS.findall(new_number))) / int(old_digits))
        edits.append(edit)
    edits = _without_overlaps(edits)
    for edit in edits:
        if edit in scaled:
            fig, value = scaled[edit]
            fig.value = value
    spans = Spans(edits)
    delta = rng.randint(-8, 2)
    shifted = _shift_year(old_text, delta) or ""  # same length: spans unchanged; before names that may hold digits
    pieces, last = [], 0
    for s, e, new in edits:
        pieces += [shifted[last:s], new]
        last = e
    pieces.append(shifted[last:])
    doc.text = "".join(pieces)
    for p in doc.paragraphs:
        p.start, p.end = spans.move(p.start), spans.move(p.end, end=True)
    for ent in doc.entities:
        for m in ent.mentions:
            m.start, m.end = spans.move(m.start), spans.move(m.end, end=True)
            m.text = doc.text[m.start : m.end]  # a mention nested in a replaced one takes the new surface
        ent.mentions = [m for m in ent.mentions if m.text.strip()]
    for ev in doc.events:
        exact = old_text[ev.start : ev.end] == ev.evidence
        ev.start, ev.end = spans.move(ev.start), spans.move(ev.end, end=True)
        ev.evidence = doc.text[ev.start : ev.end] if exact else _renamed(ev.evidence, renames, delta)
        ev.date = _shift_year(ev.date, delta)
    for fig in doc.figures:
        fig.start, fig.end = spans.move(fig.start), spans.move(fig.end, end=True)
        fig.evidence = _renamed(fig.evidence, renames, delta)
        fig.date = _shift_year(fig.date, delta)
    doc.title = _renamed(doc.title or "", renames, delta) or None
    doc.published = _shift_year(doc.published, delta)
    doc.id = f"bench-{i}"
    doc.url = f"https://bench.bioatlas.example/{lang.lower()}/{i}"
    doc.source = f"generated/{i}-{Path(base.source or base.id).name}"
    return doc


def _renamed(text: str, renames: dict[str, str], delta: int) -> str:
    text = _shift_year(text, delta) or ""
    for old in sorted(renames, key=len, reverse=True):
        text = text.replace(old, renames[old])
    return text


def _redraw(digits: str, rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in digits[1:])


def _without_overlaps(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for edit in sorted(set(edits), key=lambda x: (x[0], x[0] - x[1])):  # the outer of nested spans wins
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


def documents(base: list[Document], start: int, stop: int, docs: int) -> Iterator[Document]:
    pool = pools(docs)
    for i in range(start, stop):
        yield vary(base[i % len(base)], i, pool)


def build_kb(docs: int, out: Path = OUT, base_count: int = 300) -> Path:
    """`out/kb-<docs>.sqlite`, built (or grown from a smaller one) when missing."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"kb-{docs}.sqlite"
    if target.exists():
        return target
    base = base_documents(out, base_count)
    smaller = sorted(
        (int(p.stem.split("-")[1]), p) for p in out.glob("kb-*.sqlite") if int(p.stem.split("-")[1]) < docs
    )
    start = 0
    partial = out / f"kb-{docs}.partial.sqlite"
    partial.unlink(missing_ok=True)
    if smaller:
        start, source = smaller[-1]
        shutil.copyfile(source, partial)
    store = Store(f"sqlite:///{partial}")
    store.load_reference()
    began = time.perf_counter()
    # The company pool depends on the size, so a grown kb keeps the names of the smaller one for its first
    # documents and draws the rest from its own (larger) pool.
    for n, doc in enumerate(documents(base, start, docs, docs), start=1):
        store.ingest(doc, "bench")
        if n % 10_000 == 0:
            print(f"  {start + n:,} documents, {n / (time.perf_counter() - began):,.0f}/s", flush=True)
    seconds = time.perf_counter() - began
    print(
        f"stored documents {start:,}..{docs:,} in {seconds:,.0f} s ({(docs - start) / max(seconds, 1e-9):,.0f}/s)",
        flush=True,
    )
    store.engine.dispose()
    partial.rename(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--base", type=int, default=300, help="about how many training pages to extract")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    print(build_kb(args.docs, args.out, args.base))


if __name__ == "__main__":
    main()
