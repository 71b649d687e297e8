"""Directory latency on a large kb, opened read-only (the kb is neither migrated nor written).

    python bench/directory_latency.py [--db out/bench/kb-100000.sqlite] [--repeat 5]

Prints, for each directory question, the first answer's time (cold: for the sorts by events, latest event and
funding it includes the kb-wide activity aggregate, kept afterwards until the kb changes) and the median and
maximum of the repeats (warm), then the time to write a 5,000-row CSV export. Build the kb with
bench/generate_kb.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, func, select  # noqa: E402

from bioatlas.access import ANONYMOUS  # noqa: E402
from bioatlas.api.exports import DIRECTORY_COLUMNS, directory_rows  # noqa: E402
from bioatlas.kb import schema as t  # noqa: E402
from bioatlas.kb.directory import DirectoryFilters, directory  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402
from bioatlas.tabular import to_csv  # noqa: E402

QUESTIONS: list[tuple[str, DirectoryFilters]] = [
    ("everything, by name, page 1", DirectoryFilters()),
    ("companies, by name, page 200", DirectoryFilters(types=("company",), page=200)),
    ("companies by number of events", DirectoryFilters(types=("company",), sort="events")),
    ("companies by number of events, page 100", DirectoryFilters(types=("company",), sort="events", page=100)),
    ("companies by latest event", DirectoryFilters(types=("company",), sort="latest")),
    ("funded since 2022, by funding", DirectoryFilters(event_type="funding", since="2022", sort="funding")),
    ("place Belgium (with its regions and cities)", DirectoryFilters(place="Belgium")),
    ("place 列日 (Liège), companies", DirectoryFilters(place="列日", types=("company",))),
    ("country CN, companies", DirectoryFilters(country="CN", types=("company",))),
    (
        "parks and clusters in the EU, by events",
        DirectoryFilters(types=("park", "cluster"), place="European Union", sort="events"),
    ),
    ("sector radiopharma", DirectoryFilters(sector="radiopharma")),
    ("name contains 'bio'", DirectoryFilters(q="bio", types=("company",))),
]


def read_only_store(path: Path) -> Store:
    """A Store over a SQLite file opened read-only: no migration, no write, whatever the code asks."""
    store = Store.__new__(Store)
    store.url = f"sqlite:///{path}"
    store.engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    store._reference_loaded = True
    return store


def timed(store: Store, question: DirectoryFilters) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    result = directory(store, question, viewer=ANONYMOUS)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "out" / "bench" / "kb-100000.sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"no kb at {args.db}: build one with bench/generate_kb.py")
    store = read_only_store(args.db.resolve())
    with store.engine.connect() as conn:
        documents = conn.execute(select(func.count()).select_from(t.documents)).scalar()
        entities = conn.execute(select(func.count()).select_from(t.entities)).scalar()
    print(f"kb: {args.db} — {documents:,} documents, {entities:,} entities (read-only)")
    print(f"{'question':<48} {'matches':>8} {'first':>8} {'p50':>8} {'max':>8}")
    for label, question in QUESTIONS:
        first, result = timed(store, question)
        warm = [timed(store, question)[0] for _ in range(args.repeat)]
        print(
            f"{label:<48} {result['total']:>8,} {first * 1000:>6.0f}ms "
            f"{statistics.median(warm) * 1000:>6.0f}ms {max(warm) * 1000:>6.0f}ms"
        )
    start = time.perf_counter()
    result = directory(store, DirectoryFilters(types=("company",), sort="events", per_page=5000), viewer=ANONYMOUS)
    data = to_csv(directory_rows(result), DIRECTORY_COLUMNS)
    took = (time.perf_counter() - start) * 1000
    print(f"CSV export of 5,000 companies by events: {took:.0f} ms, {len(data):,} bytes")


if __name__ == "__main__":
    main()
