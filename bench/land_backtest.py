"""Backtest of `land`: real landings hidden, and the ranking asked where a company like that should land.

    python bench/land_backtest.py [--limit N] [--corpus DIR ...] [--no-examples] [--json FILE]

The truth comes from the analysts' gold files of ../shared/corpus/train and dev (read at run time, never copied):
every `landing` and `expansion` event with a company and a location is a case. The pages are ingested once
(extraction included) into a temporary SQLite kb together with examples/corpus; for each case, the pages that
report it (its own page, and every other page naming both the company and the destination) are removed from a
copy of that kb the way the store removes a page (`Store._delete_document`, then orphaned entities), and
`rank_locations` is asked, on what is left, for a company of the case's sectors and origin:

- sectors: the company's `sectors` in data/reference/organisations.csv when it is listed there, else the sector
  words (sectors.csv keywords; `sector_words`) of the event's evidence sentence, else of the page;
- origin: the country of the event's `origin` place, else the company's country (gold);
- needs: the market of the destination's country (`eu-market` for an EU country, `cn-market` for China, Hong Kong
  or Macao, `us-market`, `asean-market`; none elsewhere). This leaks a little of the answer (a need of EU access
  already excludes every non-EU place), so the same question is also asked with no needs at all, and with no
  needs and the origin country allowed (`include_origin`, as a company choosing a site at home would ask: most
  cases of the corpus are domestic, and `land` leaves the origin country out by default).

A ranked location is a hit when it is the destination, contains it (Wallonia for Liège, the city for a park in
it) or lies inside it (a park in the destination city), by `Knowledge.geo` (reference rows plus links learned
from the remaining reports); the exact-only figures are printed too. A destination that is not ranked gets a
reason: unknown place (neither a reference row nor a kb entity by any of its names), excluded as origin (in the
origin country, which `land` leaves out unless asked), outside markets, or not a candidate (known, but with no
event or figure left inside it once its pages are hidden, or not a place, park or cluster).

The naive baseline ranks the same candidates (after the same exclusions) by the number of kb events inside
each, ties by name: if `land` does no better, its indicators add nothing to counting events.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import select  # noqa: E402

from bioatlas.extract.reference import gazetteer  # noqa: E402
from bioatlas.folding import fold  # noqa: E402
from bioatlas.geo import MARKET_AREAS, geography  # noqa: E402
from bioatlas.ingest.readers import Skipped  # noqa: E402
from bioatlas.kb import schema as t  # noqa: E402
from bioatlas.kb.store import Store, delete_orphan_entities, document_key  # noqa: E402
from bioatlas.match.knowledge import Knowledge, forget_loaded, load_knowledge  # noqa: E402
from bioatlas.match.land import CompanyProfile, all_location_facts, rank_locations  # noqa: E402
from bioatlas.model import Document  # noqa: E402
from bioatlas.pipeline import process, read_inputs  # noqa: E402
from bioatlas.sectors import sector_tree  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples" / "corpus"
# The questions asked for every case: needs = the market of the destination's country, or no needs; and no needs
# with places in the origin country allowed (`include_origin`), as a company staying at home would ask.
VARIANTS = ("market", "no-market", "home")
VARIANT_NAMES = {
    "market": "needs: market of the destination country",
    "no-market": "no needs",
    "home": "no needs, origin country included",
}
LOCATION_TYPES = ("place", "park", "cluster")
SHORT_KEYWORD = 4  # Latin sector keywords this short must start a word (`sector_words`)
MARKET_NEED = {"eu": "eu-market", "cn": "cn-market", "us": "us-market", "asean": "asean-market"}


# ---------------------------------------------------------------------------------------------- pages and cases


@dataclass(slots=True)
class Page:
    """One ingested document: its kb key, folded text (to find the pages naming a case) and gold, if any."""

    key: str
    name: str
    text: str
    gold: dict[str, Any] | None
    doc: Document


@dataclass(slots=True)
class Case:
    """One real landing or expansion read from a gold file, with the pages to hide before asking."""

    kind: str  # landing | expansion
    page: str  # page name (gold file stem)
    company: str
    company_names: list[str]
    company_country: str | None
    origin: str | None
    destination: str
    destination_names: list[str]
    destination_type: str
    destination_country: str | None
    evidence: str
    hidden: frozenset[str] = field(default_factory=frozenset)  # kb keys of the pages removed before asking


@dataclass(slots=True)
class Outcome:
    """The answer to one case in one variant: the rank of the true destination (1-based) or why it has none."""

    case: Case
    variant: str
    sectors: list[str]
    sectors_from: str  # reference | evidence | page | none
    needs: list[str]
    rank: int | None
    exact_rank: int | None
    baseline_rank: int | None
    reason: str | None
    hit: str | None  # the ranked id counted as the hit
    candidates: int
    targets: list[str]
    top: str | None = None  # the name of the location ranked first


def read_pages(paths: Sequence[Path]) -> list[Page]:
    """Every readable input under `paths`, extracted once; a page's gold is `<stem>.gold.json` beside it."""
    pages: list[Page] = []
    for record in read_inputs([str(p) for p in paths]):
        result = process(record)
        if isinstance(result, Skipped) or not isinstance(result, Document):
            print(f"skipped {getattr(result, 'source', '?')}: {getattr(result, 'reason', '')}", file=sys.stderr)
            continue
        source = Path(result.source or result.id)
        gold_path = source.with_name(source.stem + ".gold.json")
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else None
        name = source.stem if gold is not None else f"{source.stem}:{result.id}"
        pages.append(Page(document_key(result), name, fold(f"{result.title or ''}\n{result.text}"), gold, result))
    return pages


def _one(value: Any) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value if isinstance(value, str) else None


def _names(entity: dict[str, Any]) -> list[str]:
    names = [entity.get("name") or "", *entity.get("mentions", [])]
    return sorted({n for n in names if len(n.strip()) >= 2})


def cases_of(page: Page) -> list[Case]:
    """The landings and expansions of a page's gold that name both a company and a location."""
    gold = page.gold or {}
    entities = {e["id"]: e for e in gold.get("entities", [])}
    out = []
    for event in gold.get("events", []):
        if event.get("type") not in ("landing", "expansion"):
            continue
        roles = event.get("roles", {})
        company = entities.get(_one(roles.get("company")) or "")
        location = entities.get(_one(roles.get("location")) or "")
        if company is None or location is None:
            continue
        origin_place = entities.get(_one(roles.get("origin")) or "")
        origin = (origin_place or {}).get("country") or company.get("country")
        out.append(
            Case(
                kind=event["type"],
                page=page.name,
                company=company["name"],
                company_names=_names(company),
                company_country=company.get("country"),
                origin=origin,
                destination=location["name"],
                destination_names=_names(location),
                destination_type=location.get("type", ""),
                destination_country=location.get("country"),
                evidence=event.get("evidence") or "",
            )
        )
    return out


def _named(folded_text: str, names: Iterable[str]) -> bool:
    return any(fold(n) in folded_text for n in names)


def pages_to_hide(case: Case, own: Page, pages: Sequence[Page]) -> frozenset[str]:
    """The case's own page, and every page naming both the company and the destination (any gold name): another
    report of the same landing would otherwise tell the ranking the answer. Over-hiding only makes it harder."""
    hidden = {own.key}
    for page in pages:
        if _named(page.text, case.company_names) and _named(page.text, case.destination_names):
            hidden.add(page.key)
    return frozenset(hidden)


def collect_cases(pages: Sequence[Page]) -> list[Case]:
    cases = []
    for page in pages:
        for case in cases_of(page):
            case.hidden = pages_to_hide(case, page, pages)
            cases.append(case)
    return cases


# ---------------------------------------------------------------------------------------------- the kbs


def build_full_kb(pages: Sequence[Page], path: Path) -> Store:
    """Every page in one SQLite kb: the copy each held-out kb starts from."""
    store = Store(f"sqlite:///{path}")
    store.load_reference()
    run = uuid.uuid4().hex[:12]
    for page in pages:
        store.ingest(page.doc, run)
    store.engine.dispose()
    return store


def held_out_kb(full: Path, hidden: Iterable[str], path: Path) -> Store:
    """A copy of the full kb without the hidden pages, removed as the store removes an old version of a page:
    the document, its claims, events, figures and search index, then the entities nothing else names."""
    with sqlite3.connect(full) as source, sqlite3.connect(path) as target:
        source.backup(target)
    store = Store(f"sqlite:///{path}")
    with store.write() as conn:
        named: set[str] = set()
        for key in sorted(hidden):
            named |= store._delete_document(conn, key)
        delete_orphan_entities(conn, named)
    return store


def stored_documents(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(t.documents.c.id)).scalars())


# ---------------------------------------------------------------------------------------------- one question


def company_sectors(case: Case, page_text: str) -> tuple[set[str], str]:
    """The company's sectors and where they come from (see the module docstring)."""
    tree = sector_tree()
    listed: set[str] = set()
    for name in case.company_names:
        for row in gazetteer().lookup(name):
            if row.type == "company":
                listed |= {s.strip() for s in (row.data.get("sectors") or "").split("|") if s.strip() in tree}
    if listed:
        return listed, "reference"
    said = sector_words(case.evidence)
    if said:
        return said, "evidence"
    said = sector_words(page_text)
    return (said, "page") if said else (set(), "none")


def sector_words(text: str) -> set[str]:
    """The sectors whose keywords (sectors.csv) the text uses, as `sectors.sectors_said` reads them (inside words:
    'vaccin' in 'vaccines', 'pharma' in 'Biopharmaunternehmen') except that a Latin keyword of four letters or
    fewer must start a word: `sectors_said` reads the French 'IRM' (MRI) in the German 'Firma', so every German
    company would be a medical-imaging one, and the profile must not inherit that."""
    low = text.lower()
    found = set()
    for sid, info in sector_tree().items():
        for word in info["keywords"]:
            if len(word) > SHORT_KEYWORD or any(ord(ch) >= 0x2E80 for ch in word):
                hit = word in low
            else:
                hit = re.search(rf"(?<!\w){re.escape(word)}", low) is not None
            if hit:
                found.add(sid)
                break
    return found


def market_needs(country: str | None) -> set[str]:
    """The target market a company landing in `country` evidently wanted: the market areas the country is in."""
    geo = geography()
    place = geo.country_place(country)
    if place is None:
        return set()
    return {MARKET_NEED[m] for m in MARKET_AREAS if geo.in_market(place, m) is not None}


def destination_ids(kb: Knowledge, case: Case) -> set[str]:
    """The kb ids the true destination goes by: reference rows named by any of its gold names, and kb places,
    parks or clusters called by one of them (a place known only from the remaining reports)."""
    found: set[str] = set()
    for name in case.destination_names:
        for row in gazetteer().lookup(name):
            if row.type in (*LOCATION_TYPES, "research") and f"ref:{row.id}" in kb.entities:
                found.add(f"ref:{row.id}")
        for eid in kb.named(name):
            ent = kb.entities.get(eid)
            if ent is not None and ent.type in (*LOCATION_TYPES, "research"):
                found.add(eid)
    return found


def is_hit(kb: Knowledge, ranked_id: str, targets: set[str]) -> bool:
    """The destination itself, a location containing it, or a location inside it."""
    return any(ranked_id == d or kb.geo.contains(ranked_id, d) or kb.geo.contains(d, ranked_id) for d in targets)


def first_hit(kb: Knowledge, ids: Sequence[str], targets: set[str], exact: bool = False) -> int | None:
    for position, eid in enumerate(ids, 1):
        if (eid in targets) if exact else is_hit(kb, eid, targets):
            return position
    return None


def profile_for(case: Case, variant: str, page_text: str) -> tuple[CompanyProfile, str]:
    """The question asked for a case in a variant, and where its sectors come from."""
    sectors, sectors_from = company_sectors(case, page_text)
    needs = market_needs(case.destination_country) if variant == "market" else set()
    profile = CompanyProfile(sectors=sectors, origin=case.origin, needs=needs, include_origin=variant == "home")
    return profile, sectors_from


def ask(kb: Knowledge, case: Case, variant: str, page_text: str) -> Outcome:
    """Rank the locations for the case's company on a kb without its pages; find the destination's rank."""
    profile, sectors_from = profile_for(case, variant, page_text)
    sectors, needs = profile.sectors, profile.needs
    facts = all_location_facts(kb)
    answer = rank_locations(kb, profile, limit=len(facts) + 1)
    ids = [item["id"] for item in answer["results"]]
    targets = destination_ids(kb, case)
    events = {f.ent.id: f.events for f in facts}
    baseline = sorted(ids, key=lambda eid: (-events.get(eid, 0), kb.name(eid), eid))
    rank = first_hit(kb, ids, targets)
    reason = None
    hit = ids[rank - 1] if rank else None
    if rank is None:
        reason = _why_not(kb, case, profile, targets, [f.ent.id for f in facts], set(ids))
    return Outcome(
        case=case,
        variant=variant,
        sectors=sorted(sectors),
        sectors_from=sectors_from,
        needs=sorted(needs),
        rank=rank,
        exact_rank=first_hit(kb, ids, targets, exact=True),
        baseline_rank=first_hit(kb, baseline, targets),
        reason=reason,
        hit=hit,
        candidates=len(ids),
        targets=sorted(targets),
        top=kb.name(ids[0]) if ids else None,
    )


def _why_not(
    kb: Knowledge, case: Case, profile: CompanyProfile, targets: set[str], candidates: list[str], ranked: set[str]
) -> str:
    if not targets:
        return "unknown place"
    hitting = [c for c in candidates if is_hit(kb, c, targets)]
    if not hitting:
        return "not a candidate"
    left_out = [c for c in hitting if c not in ranked]
    if profile.origin and any(kb.country_of(c) == profile.origin for c in left_out):
        return "excluded as origin"
    return "outside markets"


# ---------------------------------------------------------------------------------------------- the run


Inspect = Callable[[frozenset[str], Store, Knowledge, list[Outcome]], None]


def run(pages: Sequence[Page], cases: Sequence[Case], workdir: Path, inspect: Inspect | None = None) -> list[Outcome]:
    """One held-out kb per set of hidden pages (cases of one page share it), every case asked in each variant;
    `inspect(hidden, store, kb, outcomes)` sees each held-out kb and its answers before the kb is thrown away."""
    full = workdir / "full.sqlite"
    started = time.perf_counter()
    build_full_kb(pages, full)
    print(f"full kb built in {time.perf_counter() - started:.0f} s")
    text_of = {p.name: p.doc.text for p in pages}
    groups: dict[frozenset[str], list[Case]] = {}
    for case in cases:
        groups.setdefault(case.hidden, []).append(case)
    outcomes = []
    for number, (hidden, members) in enumerate(groups.items()):
        path = workdir / f"held-{number}.sqlite"
        store = held_out_kb(full, hidden, path)
        assert not stored_documents(store) & hidden, "a hidden page is still in the kb"
        kb = load_knowledge(store)
        asked = [ask(kb, case, variant, text_of.get(case.page, "")) for case in members for variant in VARIANTS]
        if inspect is not None:
            inspect(hidden, store, kb, asked)
        outcomes += asked
        if (number + 1) % 20 == 0:
            print(f"{number + 1}/{len(groups)} held-out kbs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        store.engine.dispose()
        forget_loaded()  # removing pages does not change the kb's stamp: never reuse a loaded copy
        path.unlink()
    return outcomes


def summary(outcomes: Sequence[Outcome], attr: str = "rank") -> dict[str, Any]:
    ranks = [getattr(o, attr) for o in outcomes]
    n = len(ranks)
    got = sorted(r for r in ranks if r is not None)
    hit = lambda k: sum(1 for r in got if r <= k) / n if n else 0.0  # noqa: E731
    return {
        "cases": n,
        "ranked": len(got),
        "hit@1": round(hit(1), 3),
        "hit@5": round(hit(5), 3),
        "hit@10": round(hit(10), 3),
        "mrr": round(sum(1 / r for r in got) / n, 3) if n else 0.0,
        "median_rank": statistics.median(got) if got else None,  # of the ranked cases
    }


SHORT_REASONS = {
    "unknown place": "unknown",
    "not a candidate": "no-cand",
    "excluded as origin": "origin",
    "outside markets": "markets",
}


def _rank(rank: int | None, reason: str | None = None) -> str:
    return f"#{rank}" if rank else SHORT_REASONS.get(reason or "", "-")


def _rows(outcomes: Sequence[Outcome]) -> None:
    """One line per case: the rank in each variant (or why not ranked), the baseline's, what was asked."""
    by_case: dict[int, dict[str, Outcome]] = {}
    for o in outcomes:
        by_case.setdefault(id(o.case), {})[o.variant] = o
    print(
        "page       kind      company                      from -> destination                    | "
        + " ".join(f"{v:>9}" for v in VARIANTS)
        + " | baseline (no needs) | hit; first (no needs) | sectors asked"
    )
    for asked in by_case.values():
        first = asked[VARIANTS[0]]
        case, plain = first.case, asked.get("no-market", first)
        ranks = " ".join(f"{_rank(asked[v].rank, asked[v].reason):>9}" for v in VARIANTS if v in asked)
        print(
            f"{case.page:<10} {case.kind:<9} {case.company[:28]:<28} {case.origin or '??':<4} -> "
            f"{case.destination[:28]:<28} {case.destination_country or '??':<2} | {ranks} | "
            f"{_rank(plain.baseline_rank, plain.reason):>19} | {plain.hit or '-'}; {plain.top or '-'} | "
            f"{','.join(plain.sectors) or '-'} ({plain.sectors_from}), {len(case.hidden)} page(s) hidden"
        )


def _figures_line(label: str, values: dict[str, Any]) -> str:
    return (
        f"  {label:<34} {values['cases']:>5} {values['ranked']:>6} {values['hit@1']:>6.3f} {values['hit@5']:>6.3f}"
        f" {values['hit@10']:>6.3f} {values['mrr']:>6.3f} {values['median_rank'] if values['median_rank'] else '-':>7}"
    )


def report(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Per-case rows, then the figures per variant and kind: all cases, cross-border cases (origin known and not
    the destination's country), exact hits only, and the baseline on the same candidates."""
    _rows(outcomes)
    figures: dict[str, Any] = {}
    header = f"  {'':<34} {'cases':>5} {'ranked':>6} {'hit@1':>6} {'hit@5':>6} {'hit@10':>6} {'MRR':>6} {'median':>7}"
    for variant in VARIANTS:
        for kind in ("landing", "expansion"):
            chosen = [o for o in outcomes if o.variant == variant and o.case.kind == kind]
            abroad = [o for o in chosen if o.case.origin and o.case.origin != o.case.destination_country]
            reasons: dict[str, int] = {}
            for o in chosen:
                if o.reason:
                    reasons[o.reason] = reasons.get(o.reason, 0) + 1
            block = {
                "land": summary(chosen),
                "land, exact place only": summary(chosen, "exact_rank"),
                "baseline (events inside)": summary(chosen, "baseline_rank"),
                "land, cross-border": summary(abroad),
                "land, cross-border, exact only": summary(abroad, "exact_rank"),
                "baseline, cross-border": summary(abroad, "baseline_rank"),
            }
            figures[f"{variant}/{kind}"] = {**block, "not ranked": reasons}
            print(f"\n{kind}s, {VARIANT_NAMES[variant]} (median rank of the ranked cases)")
            print(header)
            for label, values in block.items():
                print(_figures_line(label, values))
            print("  not ranked: " + (", ".join(f"{r} {n}" for r, n in sorted(reasons.items())) or "none"))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=[CORPUS / "train", CORPUS / "dev"])
    parser.add_argument("--no-examples", action="store_true", help="leave examples/corpus out of the kb")
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N cases (a quick run)")
    parser.add_argument("--json", type=Path, help="write every outcome and the figures to this file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = [*args.corpus, *([] if args.no_examples else [EXAMPLES])]
    pages = read_pages(paths)
    cases = collect_cases(pages)
    if args.limit:
        cases = cases[: args.limit]
    print(f"{len(pages)} pages read in {time.perf_counter() - started:.0f} s; {len(cases)} cases")
    with tempfile.TemporaryDirectory(prefix="land-backtest-") as folder:
        outcomes = run(pages, cases, Path(folder))
    figures = report(outcomes)
    elapsed = time.perf_counter() - started
    print(f"\nrun time {elapsed:.0f} s ({len({c.hidden for c in cases})} held-out kbs)")
    if args.json:
        rows = [{**asdict(o), "case": {**asdict(o.case), "hidden": sorted(o.case.hidden)}} for o in outcomes]
        args.json.write_text(json.dumps({"figures": figures, "outcomes": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
