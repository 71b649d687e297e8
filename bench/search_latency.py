"""Search latency and kb ingest speed on a generated multilingual corpus (SQLite).

    python bench/search_latency.py [--docs 100000] [--db /tmp/bench.db] [--queries 200]

Documents are built from templates in eight languages, with their entities, events and figures filled by
the template (extraction has its own benchmark, bench/extract_speed.py), and stored through the same
`Store.ingest` the CLI uses. Prints ingest documents/s, then p50/p95/max latency of searches in every
script (Latin words, Chinese and Japanese characters, accents folded, alias expansion).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bioatlas.kb.queries import search  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402
from bioatlas.model import Document, Entity, Event, Figure, Mention, Paragraph  # noqa: E402

COMPANIES = [
    "Clarity Pharmaceuticals",
    "Mithra",
    "KitoZyme",
    "Diagenode",
    "Roche",
    "Novartis",
    "Sanofi",
    "IBA",
    "Samsung Biologics",
    "WuXi Biologics",
    "BeiGene",
    "Takeda",
    "Astellas",
    "Lonza",
    "Genmab",
]
PLACES = [
    ("Liège", "列日", "リエージュ"),
    ("Lyon", "里昂", "リヨン"),
    ("Munich", "慕尼黑", "ミュンヘン"),
    ("Suzhou", "苏州", "蘇州"),
    ("Hong Kong", "香港", "香港"),
    ("Kobe", "神户", "神戸"),
    ("Boston", "波士顿", "ボストン"),
    ("Leiden", "莱顿", "ライデン"),
    ("Singapore", "新加坡", "シンガポール"),
    ("Songdo", "松岛", "松島"),
]
TEMPLATES = {
    "en": "{c} opens a new research centre in {p} with {n} jobs. The biotech company said the site will host "
    "clinical trials and GMP production for the European market. Local officials welcomed the landing.",
    "fr": "{c} s'installe à {p} et crée {n} emplois. La société de biotechnologie prépare des essais cliniques "
    "et une production GMP pour le marché européen, avec le soutien de l'agence régionale.",
    "de": "{c} eröffnet einen neuen Standort in {p} mit {n} Arbeitsplätzen. Das Biotech-Unternehmen plant "
    "klinische Studien und eine GMP-Produktion für den europäischen Markt.",
    "nl": "{c} vestigt zich in {p} met {n} banen. Het biotechbedrijf plant klinische studies en GMP-productie "
    "voor de Europese markt.",
    "zh-Hans": "{c}宣布在{pz}设立新的研发中心，预计创造{n}个就业岗位。该生物科技公司将在当地开展临床试验和GMP生产。",
    "zh-Hant": "{c}宣布在{pz}設立新的研發中心，預計創造{n}個就業崗位。該生物科技公司將在當地開展臨床試驗和GMP生產。",
    "ja": "{c}は{pj}に新たな研究拠点を開設し、{n}人を雇用する。同社は臨床試験とGMP製造を現地で進める。",
    "ko": "{c}가 {p}에 새 연구센터를 열고 {n}명을 고용한다. 회사는 임상시험과 GMP 생산을 진행한다.",
}


def make_document(i: int, rng: random.Random) -> Document:
    lang = list(TEMPLATES)[i % len(TEMPLATES)]
    company = rng.choice(COMPANIES)
    place, place_zh, place_ja = rng.choice(PLACES)
    n = rng.randint(10, 900)
    text = TEMPLATES[lang].format(c=company, p=place, pz=place_zh, pj=place_ja, n=n) + f" (Ref. {i})"
    title = text.split(".")[0].split("。")[0][:80]
    cs = text.index(company)
    shown = place_zh if lang.startswith("zh") else place_ja if lang == "ja" else place
    ps = text.index(shown)
    ents = [
        Entity("e1", company, "company", mentions=[Mention(company, cs, cs + len(company), "reference", lang)]),
        Entity("e2", place, "place", mentions=[Mention(shown, ps, ps + len(shown), "reference", lang)]),
    ]
    ns = text.index(str(n))
    return Document(
        id=f"gen-{i}",
        source=f"generated/{i}.txt",
        url=f"https://bench.example/{lang}/{i}",
        title=title,
        published=f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        languages=[lang],
        text=text,
        paragraphs=[Paragraph(0, len(text), lang)],
        entities=ents,
        events=[Event("landing", {"company": "e1", "location": "e2"}, text[:120], 0, len(text), method="pattern")],
        figures=[Figure("e2", float(n), "jobs", "jobs", text[:120], ns, ns + len(str(n)))],
    )


QUERIES = [
    "Liège",
    "liege",
    "列日",
    "罗氏",
    "Roche",
    "clinical trials",
    "essais cliniques",
    "klinische Studien",
    "神戸",
    "新的研发中心",
    "GMP",
    "biotech company",
    "Samsung Biologics",
    "松岛",
    "Boston research centre",
    "研究拠点",
    "임상시험",
    "Munich",
    "香港",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/bioatlas-bench.db")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    Path(args.db).unlink(missing_ok=True)
    store = Store(f"sqlite:///{args.db}")
    store.load_reference()
    rng = random.Random(7)
    start = time.perf_counter()
    for i in range(args.docs):
        store.ingest(make_document(i, rng), "bench")
        if i and i % 10_000 == 0:
            rate = i / (time.perf_counter() - start)
            print(f"  {i:,} documents, {rate:,.0f}/s", flush=True)
    seconds = time.perf_counter() - start
    print(f"ingest: {args.docs:,} documents in {seconds:,.0f} s = {args.docs / seconds:,.0f} documents/s")
    latencies: dict[str, list[float]] = {}
    for k in range(args.queries):
        query = QUERIES[k % len(QUERIES)]
        t0 = time.perf_counter()
        result = search(store, query, limit=20)
        latencies.setdefault(query, []).append((time.perf_counter() - t0) * 1000)
        if k < len(QUERIES):
            print(f"  {query!r}: {result['total']:,} documents")
    everything = [v for vs in latencies.values() for v in vs]
    print(
        f"search over {args.docs:,} documents, {len(everything)} queries: p50 {statistics.median(everything):.1f} ms, "
        f"p95 {percentile(everything, 0.95):.1f} ms, max {max(everything):.1f} ms"
    )


if __name__ == "__main__":
    main()
