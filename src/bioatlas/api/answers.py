"""The four answers (`bioatlas.match`) as the API and the web pages ask them: one parser per question, shared.

Every parameter arrives as text, so the HTML pages and the JSON routes read a URL the same way and a wrong value
is one readable `BadInput` message (a 400 in the API, the form with the message on a page), never a bare 422.
Weights come as one field per indicator (`w_track_record=2`) or as the CLI's `weights=track_record=2,sector=0.5`.

The knowledge is loaded per request (it takes milliseconds), so an upload or a merge shows at once, and for the
viewer who asks: an answer is built only from the shared kb and the viewer's own organisation's uploads. Evidence in
the results gains `page` (the bioatlas page that shows it: a document with the span marked, or the entity of a
reference row) and, for reference rows with an entity, `entity_id`.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Query

from bioatlas.access import Viewer
from bioatlas.api.answer_pool import pool_of
from bioatlas.api.params import BadInput, blank_to_none, partial_date
from bioatlas.extract.reference import gazetteer
from bioatlas.kb.queries import NotFound
from bioatlas.kb.store import Store
from bioatlas.match import land, markets, prospects
from bioatlas.match import pathway as pathway_answer
from bioatlas.match.knowledge import Knowledge, load_knowledge
from bioatlas.match.ranking import parse_weights
from bioatlas.sectors import sector_tree

EVIDENCE_KEYS = ("evidence", "reports")
MAX_WEIGHT = 100.0  # a weight above this says nothing more than 100 does, and 1e308 overflows the scores


class AnswerNotFound(NotFound):
    """The place, park, cluster or alliance asked about is not in the knowledge base: a 404."""


# ------------------------------------------------------------------------------------------------------- parsing


_text = blank_to_none  # a blank form field is no value


def split_values(values: list[str] | None) -> list[str]:
    """Repeated parameters, each possibly a comma-separated list -> lower-case items, in order, once each."""
    out: dict[str, None] = {}
    for value in values or []:
        for part in value.split(","):
            if part.strip():
                out.setdefault(part.strip().lower(), None)
    return list(out)


def _limit(value: str | None, default: int, most: int) -> int:
    text = _text(value)
    if text is None:
        return default
    try:
        number = int(text)
    except ValueError:
        raise BadInput(f"limit: the number of results must be a whole number from 1 to {most}, not {text!r}") from None
    if not 1 <= number <= most:
        raise BadInput(f"limit: the number of results must be from 1 to {most}, not {number}")
    return number


def _unknown(parameter: str, what: str, odd: list[str], known: list[str]) -> BadInput:
    return BadInput(f"{parameter}: unknown {what} {', '.join(repr(o) for o in odd)}; choose from {', '.join(known)}")


def _sector(value: str | None) -> str | None:
    sector = _text(value)
    if sector is not None:
        sector = sector.lower()
        if sector not in sector_tree():
            raise _unknown("sector", "sector", [sector], sorted(sector_tree()))
    return sector


@cache
def known_countries() -> frozenset[str]:
    """Two-letter codes of the countries and territories (Hong Kong, Macao) in places.csv: the rows whose id is
    their own code."""
    return frozenset(
        row.country.upper()
        for row in gazetteer().rows.values()
        if row.type == "place" and row.country and row.id == row.country.lower()
    )


def _weight(parameter: str, name: str, number: float, typed: str) -> float:
    if not math.isfinite(number) or not 0 <= number <= MAX_WEIGHT:
        raise BadInput(f"{parameter}: the weight of {name} must be a number from 0 to {MAX_WEIGHT:g}, not {typed!r}")
    return number


def weights_from(defaults: dict[str, float], text: str | None, fields: dict[str, str | None]) -> dict[str, float]:
    """The CLI's `weights` text over the defaults, then one field per indicator over that."""
    try:
        weights = parse_weights(_text(text), defaults)
    except ValueError as exc:
        raise BadInput(f"weights: {exc}") from None
    for name, number in weights.items():
        _weight("weights", name, number, str(number))
    for name, raw in fields.items():
        value = _text(raw)
        if value is None:
            continue
        try:
            number = float(value.replace(",", "."))  # 1,5 as typed in French or German
        except ValueError:
            raise BadInput(f"w_{name}: the weight of {name} must be a number, not {value!r}") from None
        weights[name] = _weight(f"w_{name}", name, number, value)
    if not any(w > 0 for w in weights.values()):
        raise BadInput("weights: at least one weight must be more than 0")
    return weights


def weight_fields(defaults: dict[str, float], labels: dict[str, str]) -> Callable[..., dict[str, str | None]]:
    """A dependency reading `w_<indicator>` for each indicator (documented one by one in the OpenAPI schema)."""

    def dependency(**values: str | None) -> dict[str, str | None]:
        return {name: values.get(f"w_{name}") for name in defaults}

    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                f"w_{name}",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None,
                    Query(description=f"weight of “{labels[name]}”: a number ≥ 0 (default {defaults[name]:g})"),
                ],
            )
            for name in defaults
        ]
    )
    return dependency


WeightsText = Annotated[str | None, Query(description="all weights at once, e.g. `track_record=2,sector=0.5`")]


@dataclass(slots=True)
class LandForm:
    sectors: list[str] = field(default_factory=list)
    stage: str | None = None
    origin: str | None = None
    needs: list[str] = field(default_factory=list)
    weights: str | None = None
    weight_fields: dict[str, str | None] = field(default_factory=dict)
    limit: str | None = None
    include_origin: bool = False  # rank places in the origin country too

    def profile(self) -> land.CompanyProfile:
        """The company profile, each parameter checked on its own so the message names the one that is wrong."""
        origin = (_text(self.origin) or "").upper() or None
        if origin is not None and origin not in known_countries():
            raise BadInput(
                f"origin: unknown country {origin!r}; use a two-letter country code such as AU, BE, CN or US "
                f"({len(known_countries())} countries known: {', '.join(sorted(known_countries()))})"
            )
        tree = sector_tree()
        odd = [s for s in self.sectors if s not in tree]
        if odd:
            raise _unknown("sector", "sector(s)", odd, sorted(tree))
        stage = (_text(self.stage) or "").lower() or None
        if stage is not None and stage not in land.STAGES:
            raise _unknown("stage", "stage", [stage], list(land.STAGES))
        known_needs = set(land.NEED_SERVICES) | set(land.MARKET_NEEDS)
        odd = [n for n in self.needs if n not in known_needs]
        if odd:
            raise _unknown("need", "need(s)", odd, sorted(known_needs))
        profile = land.CompanyProfile(
            sectors=set(self.sectors),
            stage=stage,
            origin=origin,
            needs=set(self.needs),
            include_origin=self.include_origin,
        )
        try:
            profile.validate()
        except ValueError as exc:
            raise BadInput(str(exc)) from None
        return profile


def land_form(
    w: Annotated[dict[str, str | None], Depends(weight_fields(land.DEFAULT_WEIGHTS, land.LABELS))],
    sector: Annotated[
        list[str] | None, Query(description="sector ids (data/reference/sectors.csv); repeat or separate with commas")
    ] = None,
    stage: Annotated[str | None, Query(description=" | ".join(land.STAGES))] = None,
    origin: Annotated[str | None, Query(description="country of origin, two letters (AU, CN, US...)")] = None,
    need: Annotated[
        list[str] | None,
        Query(description="needs, e.g. gmp, clinical-trials, wet-lab, eu-market; repeat or separate with commas"),
    ] = None,
    weights: WeightsText = None,
    limit: Annotated[str | None, Query(description="how many locations, 1 to 100 (default 10)")] = None,
    include_origin: Annotated[
        bool, Query(description="also rank places in the country of origin (left out by default)")
    ] = False,
) -> LandForm:
    return LandForm(split_values(sector), stage, origin, split_values(need), weights, w, limit, include_origin)


@dataclass(slots=True)
class PathwayForm:
    location: str | None = None
    sector: str | None = None


def pathway_form(
    location: Annotated[str | None, Query(description="a place, park or cluster name in any language")] = None,
    sector: Annotated[str | None, Query(description="optional sector id: only providers in that sector")] = None,
) -> PathwayForm:
    return PathwayForm(location, sector)


@dataclass(slots=True)
class ProspectsForm:
    name: str | None = None
    since: str | None = None
    weights: str | None = None
    weight_fields: dict[str, str | None] = field(default_factory=dict)
    limit: str | None = None


def prospects_form(
    w: Annotated[dict[str, str | None], Depends(weight_fields(prospects.DEFAULT_WEIGHTS, prospects.LABELS))],
    name: Annotated[
        str | None, Query(alias="for", description="the park, cluster or agency looking for companies")
    ] = None,
    since: Annotated[
        str | None, Query(description="only events on or after this date: YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    weights: WeightsText = None,
    limit: Annotated[str | None, Query(description="how many companies, 1 to 200 (default 50)")] = None,
) -> ProspectsForm:
    return ProspectsForm(name, since, weights, w, limit)


@dataclass(slots=True)
class MarketsForm:
    alliance: str | None = None
    sector: str | None = None
    weights: str | None = None
    weight_fields: dict[str, str | None] = field(default_factory=dict)
    limit: str | None = None


def markets_form(
    w: Annotated[dict[str, str | None], Depends(weight_fields(markets.DEFAULT_WEIGHTS, markets.LABELS))],
    alliance: Annotated[str | None, Query(description="a cluster alliance (or one cluster), e.g. MAGIA")] = None,
    sector: Annotated[str | None, Query(description="optional sector id, e.g. medtech")] = None,
    weights: WeightsText = None,
    limit: Annotated[str | None, Query(description="how many countries, 1 to 100 (default 10)")] = None,
) -> MarketsForm:
    return MarketsForm(alliance, sector, weights, w, limit)


LandFormDep = Annotated[LandForm, Depends(land_form)]
PathwayFormDep = Annotated[PathwayForm, Depends(pathway_form)]
ProspectsFormDep = Annotated[ProspectsForm, Depends(prospects_form)]
MarketsFormDep = Annotated[MarketsForm, Depends(markets_form)]


# ------------------------------------------------------------------------------------------------------ evidence


def document_page(document_id: str, start: int | None = None, end: int | None = None) -> str:
    """The document page, with the evidence span marked and scrolled to when the span is known."""
    url = "/document/" + quote(document_id, safe=":")
    if start is not None and end is not None and 0 <= start < end:
        url += f"?mark={start}-{end}#evidence"
    return url


def reference_entity(kb: Knowledge, reference: str | None) -> str | None:
    """`organisations.csv:awex` -> `ref:awex` when that entity is in the knowledge base."""
    if not reference or ":" not in reference:
        return None
    entity_id = "ref:" + reference.split(":", 1)[1]
    return entity_id if entity_id in kb.entities else None


def _link(kb: Knowledge, evidence: dict[str, Any]) -> None:
    if evidence.get("kind") == "document" and evidence.get("document_id"):
        evidence["page"] = document_page(evidence["document_id"], evidence.get("start"), evidence.get("end"))
    elif evidence.get("kind") == "reference":
        entity_id = reference_entity(kb, evidence.get("reference"))
        if entity_id:
            evidence["entity_id"] = entity_id
            evidence["page"] = "/entity/" + quote(entity_id, safe=":")


def with_links(kb: Knowledge, value: Any) -> Any:
    """Add `page` (and `entity_id`) to every piece of evidence in an answer, wherever it is nested."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in EVIDENCE_KEYS and isinstance(item, list):
                for evidence in item:
                    if isinstance(evidence, dict):
                        _link(kb, evidence)
            else:
                with_links(kb, item)
    elif isinstance(value, list):
        for item in value:
            with_links(kb, item)
    return value


# ------------------------------------------------------------------------------------------------------ answers


def _not_found(exc: LookupError) -> AnswerNotFound:
    return AnswerNotFound(str(exc) or "not found")


def land_answer(store: Store, form: LandForm, kb: Knowledge | None = None, *, viewer: Viewer) -> dict[str, Any]:
    if kb is None and (pool := pool_of(store)) is not None:  # computed in a worker process
        return pool.run(land_answer, form, viewer)
    profile = form.profile()
    weights = weights_from(land.DEFAULT_WEIGHTS, form.weights, form.weight_fields)
    limit = _limit(form.limit, 10, 100)
    kb = kb or load_knowledge(store, viewer)
    return with_links(kb, land.rank_locations(kb, profile, weights, limit=limit))


def pathway_answer_for(
    store: Store, form: PathwayForm, kb: Knowledge | None = None, *, viewer: Viewer
) -> dict[str, Any]:
    if kb is None and (pool := pool_of(store)) is not None:  # computed in a worker process
        return pool.run(pathway_answer_for, form, viewer)
    location = _text(form.location)
    if location is None:
        raise BadInput("give the name of a place, park or cluster, e.g. Liège")
    sector = _sector(form.sector)
    kb = kb or load_knowledge(store, viewer)
    try:
        result = pathway_answer.pathway(kb, location, sector)
    except pathway_answer.LocationNotFound as exc:
        raise _not_found(exc) from None
    return with_links(kb, result)


def prospects_answer(
    store: Store, form: ProspectsForm, kb: Knowledge | None = None, *, viewer: Viewer
) -> dict[str, Any]:
    if kb is None and (pool := pool_of(store)) is not None:  # computed in a worker process
        return pool.run(prospects_answer, form, viewer)
    name = _text(form.name)
    if name is None:
        raise BadInput("give the name of a park, cluster or agency, e.g. Hong Kong Science Park")
    since = partial_date(form.since, "since")
    weights = weights_from(prospects.DEFAULT_WEIGHTS, form.weights, form.weight_fields)
    limit = _limit(form.limit, 50, 200)
    kb = kb or load_knowledge(store, viewer)
    try:
        result = prospects.prospects(kb, name, weights, limit=limit, since=since)
    except pathway_answer.LocationNotFound as exc:
        raise _not_found(exc) from None
    return with_links(kb, result)


def markets_answer(store: Store, form: MarketsForm, kb: Knowledge | None = None, *, viewer: Viewer) -> dict[str, Any]:
    if kb is None and (pool := pool_of(store)) is not None:  # computed in a worker process
        return pool.run(markets_answer, form, viewer)
    alliance = _text(form.alliance)
    if alliance is None:
        raise BadInput("give the name of a cluster alliance or a cluster, e.g. MAGIA")
    sector = _sector(form.sector)
    weights = weights_from(markets.DEFAULT_WEIGHTS, form.weights, form.weight_fields)
    limit = _limit(form.limit, 10, 100)
    kb = kb or load_knowledge(store, viewer)
    try:
        result = markets.markets(kb, alliance, sector, weights, limit=limit)
    except LookupError as exc:
        if isinstance(exc, KeyError | IndexError):
            raise  # a bug, not an answer
        raise _not_found(exc) from None
    for member in result["members"]:
        member["type"] = kb.entities[member["id"]].type if member["id"] in kb.entities else None
    for item in result["results"]:  # countries: link the country's entity when the reference data has it
        entity_id = "ref:" + str(item["id"]).lower()
        country = kb.entities.get(entity_id)
        if country is not None and country.type == "place":
            item["entity_id"] = entity_id
            item["name"] = country.name
    return with_links(kb, result)


# ------------------------------------------------------------------------------------------------------------ CSV
