"""Property tests of the ranking every question uses: deterministic, order-free, monotone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bioatlas.match.ranking import Indicator, Scored, parse_weights, rank

NAMES = ["a", "b", "c"]
values = st.one_of(st.none(), st.floats(min_value=0, max_value=1, allow_nan=False))
tables = st.lists(st.tuples(*(values for _ in NAMES)), min_size=2, max_size=8)
weights_st = st.fixed_dictionaries({n: st.floats(min_value=0.1, max_value=3) for n in NAMES})


def _items(table) -> list[Scored]:
    return [
        Scored(f"loc{i}", {"name": f"loc{i}"}, [Indicator(n, v, "") for n, v in zip(NAMES, row, strict=True)])
        for i, row in enumerate(table)
    ]


@settings(max_examples=150, deadline=None)
@given(tables, weights_st)
def test_ranking_is_deterministic_and_ignores_input_order(table, weights):
    first = [s.id for s in rank(_items(table), weights)]
    again = [s.id for s in rank(_items(table), weights)]
    backwards = [s.id for s in rank(list(reversed(_items(table))), weights)]
    assert first == again == backwards


@settings(max_examples=200, deadline=None)
@given(tables, weights_st, st.data())
def test_lowering_own_indicator_never_gains_rank(table, weights, data):
    i = data.draw(st.integers(0, len(table) - 1))
    j = data.draw(st.integers(0, len(NAMES) - 1))
    if table[i][j] is None:
        return
    lower = data.draw(st.floats(min_value=0, max_value=table[i][j], allow_nan=False))
    before = {s.id: s.rank for s in rank(_items(table), weights)}
    changed = [list(row) for row in table]
    changed[i][j] = lower
    after = {s.id: s.rank for s in rank(_items([tuple(r) for r in changed]), weights)}
    assert after[f"loc{i}"] >= before[f"loc{i}"]


@settings(max_examples=80, deadline=None)
@given(tables, weights_st)
def test_rank_range_contains_the_rank(table, weights):
    for item in rank(_items(table), weights):
        low, high = item.rank_range
        assert low <= item.rank <= high


def test_missing_is_not_zero():
    items = [
        Scored("x", {}, [Indicator("a", 1.0, ""), Indicator("b", None, "")]),
        Scored("y", {}, [Indicator("a", 1.0, ""), Indicator("b", 0.0, "")]),
    ]
    ranked = {s.id: s for s in rank(items, {"a": 1, "b": 1})}
    assert ranked["x"].raw == 1.0 and ranked["y"].raw == 0.5
    assert ranked["x"].coverage == 0.5 and ranked["y"].coverage == 1.0


def test_parse_weights_errors_are_readable():
    assert parse_weights("a=2", {"a": 1, "b": 1}) == {"a": 2.0, "b": 1}
    for bad in ("zzz=1", "a=x", "a=-1"):
        try:
            parse_weights(bad, {"a": 1})
        except ValueError as exc:
            assert str(exc)
        else:
            raise AssertionError(bad)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(*(st.one_of(st.none(), st.sampled_from([0.0, 0.25, 0.5, 1.0])) for _ in NAMES)), max_size=12),
    weights_st,
    st.integers(min_value=1, max_value=12),
)
def test_rank_table_ranks_as_rank_does(table, weights, limit):
    """The array ranking the prospects use gives the same order, ranks and rank ranges as `rank` (ties included:
    values are drawn from a few levels so equal scores are frequent)."""
    import numpy as np

    from bioatlas.match.ranking import rank_table

    expected = [(s.id, s.rank, s.rank_range) for s in rank(_items(table), weights)][:limit]
    ids = [f"loc{i}" for i in range(len(table))]
    values = np.array([[np.nan if v is None else v for v in row] for row in table], dtype=float).reshape(-1, 3)
    count, placed = rank_table(ids, NAMES, values, weights, limit)
    assert count == len(table)
    assert [(ids[p.row], p.rank, p.rank_range) for p in placed] == expected
    # ids already in order (the prospects' table): ties broken by position, the same as by id
    ordered = [f"loc{i:02d}" for i in range(len(table))]
    items = [
        Scored(i, {"name": i}, [Indicator(n, v, "") for n, v in zip(NAMES, row, strict=True)])
        for i, row in zip(ordered, table, strict=True)
    ]
    expected = [(s.id, s.rank, s.rank_range) for s in rank(items, weights)][:limit]
    _, placed = rank_table(ordered, NAMES, values, weights, limit, ids_sorted=True)
    assert [(ordered[p.row], p.rank, p.rank_range) for p in placed] == expected
