"""Everything the answers read that does not depend on the question, worked out once per loaded kb.

`land`, `prospects` and `markets` each lay out their aggregates on first use and keep them with the loaded kb
(`Knowledge.once`); `prepare` builds them all at once, so a server can do it ahead of the first question after the
kb changed (`api.answer_pool.AnswerPool.warm`) instead of making that user wait.
"""

from __future__ import annotations

from bioatlas.match import land, markets, prospects
from bioatlas.match.knowledge import Knowledge


def prepare(kb: Knowledge) -> Knowledge:
    land.all_location_facts(kb)
    prospects.prepare(kb)
    markets.prepare(kb)
    return kb
