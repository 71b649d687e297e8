"""Search over documents (every language, CJK included) and over entity aliases."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from sqlalchemy import Connection, select, text

from bioatlas.folding import fold, query_terms
from bioatlas.kb import schema as t
from bioatlas.kb import vectors
from bioatlas.kb.visibility import Scope
from bioatlas.sources import public_source

RANK_ALL_UP_TO = 5000
CANDIDATES = 1000
# Search by meaning (kb/vectors.py), fused with the words' ranking by reciprocal rank fusion.
MEANING_MIN = 0.19  # cosine below which a page is not about the query (queries about nothing in the kb: none)
MEANING_MIN_SHORT = 0.30  # for one or two words (or up to 4 CJK characters): a name alone says little by meaning
MEANING_CANDIDATES = 200
NAMED_MEANING_WEIGHT = 0.5  # the meaning ranking's weight when the query is exactly an entity's name
FUSION_K = 60  # reciprocal rank fusion: score = sum of 1 / (FUSION_K + rank) over the rankings that found the page


class QueryError(ValueError):
    """A search query that cannot be run; the message says why, in words a user understands."""


def _fts_query(terms: list[str]) -> str:
    parts = []
    for term in terms:
        if any(ord(c) >= 0x2E80 for c in term):
            parts.append('"' + " ".join(term) + '"')  # CJK: a phrase of single characters
        else:
            parts.append('"' + term.replace('"', "") + '"')
    return " AND ".join(parts)


def _notice(query: str) -> str | None:
    notes = []
    if query.count('"') % 2:
        notes.append("an unbalanced quote was ignored")
    if re.search(r"\b(AND|OR|NOT|NEAR)\b|[*^():]", query):
        notes.append("search operators are not supported and were treated as plain words")
    return "; ".join(notes) or None


def snippet(body: str, terms: list[str], width: int = 90) -> str:
    """An HTML-escaped excerpt around the first match, matches wrapped in <mark>."""
    folded = fold(body)
    spans = []
    for term in terms:
        for m in re.finditer(re.escape(term), folded):
            spans.append((m.start(), m.end()))
    if not spans:
        return html.escape(body[: 2 * width]) + ("…" if len(body) > 2 * width else "")
    spans.sort()
    first = spans[0][0]
    start, end = max(0, first - width), min(len(body), first + width)
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out.append(html.escape(body[pos:s]))
        out.append("<mark>" + html.escape(body[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(body[pos:end]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(body) else "")


def entity_matches(conn: Connection, terms: list[str], scope: Scope, limit: int = 20) -> list[dict[str, Any]]:
    """Entities with an alias containing the query; an alias or entity known only from documents the viewer
    cannot see is no match."""
    from bioatlas.extract.entities import name_key

    phrase = name_key(" ".join(terms))
    if not phrase:
        return []
    rows = conn.execute(
        select(
            t.aliases.c.entity_id,
            t.aliases.c.alias,
            t.aliases.c.folded,
            t.entities.c.name,
            t.entities.c.type,
            t.entities.c.country,
        )
        .join(t.entities, t.entities.c.id == t.aliases.c.entity_id)
        .where(t.aliases.c.folded.like(f"%{phrase}%"))
        .limit(500)
    ).all()
    hidden = scope.hidden(conn, {r.entity_id for r in rows})
    hidden_names = scope.hidden_aliases(conn, {(r.entity_id, r.alias) for r in rows})
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.entity_id in hidden or (r.entity_id, r.alias) in hidden_names:
            continue
        score = 2 if r.folded == phrase else 1
        if r.entity_id not in best or score > best[r.entity_id]["score"]:
            best[r.entity_id] = {
                "id": r.entity_id,
                "name": r.name,
                "type": r.type,
                "country": r.country,
                "matched": r.alias,
                "score": score,
            }
    return sorted(best.values(), key=lambda x: (-x["score"], len(x["name"])))[:limit]


def aliases_of(conn: Connection, entity_ids: list[str], scope: Scope) -> list[str]:
    if not entity_ids:
        return []
    rows = conn.execute(
        select(t.aliases.c.entity_id, t.aliases.c.alias).where(t.aliases.c.entity_id.in_(entity_ids))
    ).all()
    hidden = scope.hidden_aliases(conn, {(r.entity_id, r.alias) for r in rows})
    return sorted({r.alias for r in rows if (r.entity_id, r.alias) not in hidden})


def search_documents(conn: Connection, query: str, scope: Scope, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Documents and entities matching `query`, among those `scope` lets the viewer see."""
    if len(query) > 500:
        raise QueryError("the search is too long (500 characters at most)")
    terms = query_terms(query)
    if not terms:
        raise QueryError("type at least one word or character to search for")
    entities = entity_matches(conn, terms, scope)
    exact = [e["id"] for e in entities if e["score"] == 2]
    # A search for an entity also finds the pages that name it in other languages (Liège -> 列日).
    alternatives = [a for a in aliases_of(conn, exact, scope) if query_terms(a)]
    groups = [terms] + [query_terms(a) for a in alternatives if query_terms(a) != terms]
    ranked: dict[str, float] = {}
    total: int | None = None
    notice_extra = None
    # Only the documents the viewer sees: joined on the document's primary key, filtered on its indexed org_id.
    join, visible, org = _visible_sql(scope, "search_fts" if conn.dialect.name == "sqlite" else "search_index")
    if conn.dialect.name == "sqlite":
        match = " OR ".join(f"({_fts_query(g)})" for g in groups[:30])
        total = conn.execute(
            text(f"SELECT count(*) FROM search_fts{join} WHERE search_fts MATCH :q{visible}"), {"q": match, **org}
        ).scalar()
        # Ranking every match of a very common word costs more than it tells: rank the newest ones.
        order = "score" if (total or 0) <= RANK_ALL_UP_TO else "search_fts.rowid DESC"
        rows = conn.execute(
            text(
                "SELECT search_fts.document_id, bm25(search_fts, 5.0, 1.0) AS score "
                f"FROM search_fts{join} WHERE search_fts MATCH :q{visible} ORDER BY {order} LIMIT :n"
            ),
            {"q": match, "n": CANDIDATES, **org},
        ).all()
        ranked = {r.document_id: -float(r.score) for r in rows}
        if order != "score":
            notice_extra = f"{total:,} documents match; showing the most relevant of the {CANDIDATES:,} newest"
    else:
        for g in groups[:30]:
            clauses = " AND ".join(f"body ILIKE :t{i}" for i in range(len(g)))
            params: dict[str, Any] = {f"t{i}": "%" + _pg_term(term) + "%" for i, term in enumerate(g)}
            rows = conn.execute(
                text(f"SELECT search_index.document_id FROM search_index{join} WHERE {clauses}{visible} LIMIT 1000"),
                {**params, **org},
            ).all()
            for r in rows:
                ranked[r.document_id] = ranked.get(r.document_id, 0.0) + 1.0
    words = sorted(ranked, key=lambda d: -ranked[d])
    meaning = meaning_matches(conn, query, scope)
    # A query naming an entity is answered first by the pages that name it; pages about it come after.
    fused = fuse((words, 1.0), ([d for d, _ in meaning], NAMED_MEANING_WEIGHT if exact else 1.0))
    ids = sorted(fused, key=lambda d: -fused[d])
    found_by_words, similarity = set(words), dict(meaning)
    page_ids = ids[offset : offset + limit]
    docs = {r.id: r for r in conn.execute(select(t.documents).where(t.documents.c.id.in_(page_ids)))}
    highlight = list(dict.fromkeys(terms + [fold(a) for a in alternatives]))
    results = []
    for did in page_ids:
        d = docs.get(did)
        if d is None:
            continue
        results.append(
            {
                "id": did,
                "title": d.title,
                "url": d.url,
                "source": public_source(d.url or d.source),
                "published": d.published,
                "languages": json.loads(d.languages or "[]"),
                "score": round(fused[did], 4),
                "matched": [k for k, hit in (("words", did in found_by_words), ("meaning", did in similarity)) if hit],
                "similarity": round(similarity[did], 3) if did in similarity else None,
                "snippet": snippet(d.text, highlight),
            }
        )
    notice = "; ".join(n for n in (_notice(query), notice_extra) if n) or None
    return {
        "query": query,
        "notice": notice,
        "total": len(ids) if total is None else total + len(set(similarity) - found_by_words),
        "documents": results,
        "entities": [{k: v for k, v in e.items() if k != "score"} for e in entities],
        "expanded_with": alternatives[:20],
    }


def meaning_matches(conn: Connection, query: str, scope: Scope) -> list[tuple[str, float]]:
    """Documents the viewer sees whose vector is close to the query's (cosine >= MEANING_MIN), best first.

    The first search of a process over a kb gives a vector to documents stored before vectors existed."""
    index = vectors.index_for(conn)
    if not index.complete:
        if vectors.missing(conn, 1):
            vectors.backfill(conn.engine)
        index.complete = True
    vector = vectors.query_encoder().embed(query)
    minimum = max(MEANING_MIN, MEANING_MIN_SHORT) if _words(query_terms(query)) <= 2 else MEANING_MIN
    return index.nearest(conn, vector, scope.viewer.org, not scope.filtered, minimum, MEANING_CANDIDATES)


def _words(terms: list[str]) -> int:
    """About how many words a query has: a Chinese or Japanese term counts one per two characters."""
    return sum(max(1, len(term) // 2) if any(ord(c) >= 0x2E80 for c in term) else 1 for term in terms)


def fuse(*rankings: tuple[list[str], float]) -> dict[str, float]:
    """Weighted reciprocal rank fusion of (ranking, weight) pairs: a page found high by either ranking, or by
    both, comes first."""
    scores: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, did in enumerate(ranking, start=1):
            scores[did] = scores.get(did, 0.0) + weight / (FUSION_K + rank)
    return scores


def _visible_sql(scope: Scope, table: str) -> tuple[str, str, dict[str, Any]]:
    """(join, condition, parameters) restricting a search table to the documents the viewer sees."""
    if not scope.filtered:
        return "", "", {}
    org = scope.viewer.org
    condition = " AND (documents.org_id IS NULL" + (" OR documents.org_id = :viewer_org)" if org else ")")
    # CROSS JOIN: SQLite reads the search table first, then each match's document by its key (never the reverse)
    joining = "CROSS JOIN" if table == "search_fts" else "JOIN"
    params = {"viewer_org": org} if org else {}
    return f" {joining} documents ON documents.id = {table}.document_id", condition, params


def _pg_term(term: str) -> str:
    body = " ".join(term) if any(ord(c) >= 0x2E80 for c in term) else term
    return body.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
