"""Where things are: place ⊂ region ⊂ country ⊂ market area, and the organisations located in or serving them.

Every link is read from one reference row, so any "Liège is in the EU" can be shown with the rows behind it:
a place's `parent` and `country` columns (`places.csv:liege`), an area's `members` column (`places.csv:nordics`
lists DK, SE, FI, NO, IS) and an organisation's `covers` (the area it serves: AWEX covers Wallonia though its
office is in Brussels) or else its `place` (`organisations.csv:awex`). Links learned from documents (a place
named only in a report, placed by the report) can be added on top with `Geography.extend`.

Ids are kb entity ids: `ref:<reference id>` for reference rows, the kb's own ids for the rest.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bioatlas.extract.reference import ReferenceRow, gazetteer
from bioatlas.folding import fold

REF = "ref:"
# Market needs and the areas whose places give access to them (places.csv ids).
MARKET_AREAS: dict[str, tuple[str, ...]] = {
    "eu": ("eu",),
    "us": ("us",),
    "asean": ("asean",),
    "cn": ("cn", "hk", "mo"),  # Hong Kong and Macao reach the mainland market through CEPA
}
_KIND_ORDER = {"country": 0, "region": 1, "city": 2, "district": 3}


@dataclass(frozen=True, slots=True)
class Link:
    """`child` lies in `parent`, as stated by `reference` (a reference row such as `places.csv:liege`)."""

    child: str
    parent: str
    why: str  # parent | country | member | covers | place | document
    reference: str


def _ref(row_id: str) -> str:
    return REF + row_id


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


class Geography:
    """The containment graph over places and organisations (a DAG: a country can be in the EU and the Nordics)."""

    def __init__(self, rows: Iterable[ReferenceRow] = ()) -> None:
        self.up: dict[str, list[Link]] = {}
        self.down: dict[str, set[str]] = {}
        self.kind: dict[str, str] = {}  # place kind (country, region, city, district) or organisation type
        self.country: dict[str, str] = {}  # own ISO code from the row
        self._ancestors: dict[str, list[str]] = {}
        rows = list(rows)
        places = [r for r in rows if r.type == "place"]
        orgs = [r for r in rows if r.type != "place"]
        rows_by_id = {r.id: r for r in places}
        for row in [*places, *orgs]:
            rid = _ref(row.id)
            self.kind[rid] = row.data.get("kind", "") if row.type == "place" else row.type
            if row.country:
                self.country[rid] = row.country
        for row in places:
            parent = row.data.get("parent")
            if parent:
                self._link(Link(_ref(row.id), _ref(parent), "parent", row.source))
            for member in _split(row.data.get("members")):
                self._link(Link(_ref(member), _ref(row.id), "member", row.source))
        for row in places:  # a place is in its country even when its parent chain goes elsewhere (Medicon Valley)
            code = (row.country or "").lower()
            if code and code != row.id and code in rows_by_id and _ref(code) not in self.ancestors(_ref(row.id)):
                self._link(Link(_ref(row.id), _ref(code), "country", row.source))
        for row in orgs:
            area = row.data.get("covers") or row.data.get("place")
            if area:
                why = "covers" if row.data.get("covers") else "place"
                self._link(Link(_ref(row.id), _ref(area), why, row.source))

    # ------------------------------------------------------------------ building

    def _link(self, link: Link) -> None:
        if link.child == link.parent or link.parent in self.inside(link.child):
            return  # never a cycle
        self.up.setdefault(link.child, []).append(link)
        self.down.setdefault(link.parent, set()).add(link.child)
        self._ancestors.clear()

    def extend(self, links: Iterable[Link], countries: dict[str, str] | None = None) -> Geography:
        """A copy with links (and countries) learned from documents added; the reference graph is unchanged."""
        copy = Geography()
        copy.up = {k: list(v) for k, v in self.up.items()}
        copy.down = {k: set(v) for k, v in self.down.items()}
        copy.kind = dict(self.kind)
        copy.country = {**self.country, **(countries or {})}
        for link in links:
            copy._link(link)
        return copy

    # ------------------------------------------------------------------ questions

    def parents(self, entity_id: str) -> list[Link]:
        return self.up.get(entity_id, [])

    def ancestors(self, entity_id: str) -> list[str]:
        """Everything that contains `entity_id`, nearest first (breadth first over every link)."""
        cached = self._ancestors.get(entity_id)
        if cached is not None:
            return cached
        out: list[str] = []
        seen = {entity_id}
        todo = deque([entity_id])
        while todo:
            for link in self.up.get(todo.popleft(), []):
                if link.parent not in seen:
                    seen.add(link.parent)
                    out.append(link.parent)
                    todo.append(link.parent)
        self._ancestors[entity_id] = out
        return out

    def contains(self, area_id: str, entity_id: str) -> bool:
        """True when `entity_id` is `area_id` or lies inside it."""
        return area_id == entity_id or area_id in self.ancestors(entity_id)

    def inside(self, area_id: str) -> set[str]:
        """`area_id` and everything inside it: places, and organisations located in or serving them."""
        out = {area_id}
        todo = [area_id]
        while todo:
            for child in self.down.get(todo.pop(), ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def trail(self, area_id: str, entity_id: str) -> list[Link]:
        """The links that put `entity_id` inside `area_id` (shortest chain), empty when it is not inside."""
        back: dict[str, Link] = {}
        todo = deque([entity_id])
        seen = {entity_id}
        while todo:
            current = todo.popleft()
            if current == area_id:
                chain = []
                while current != entity_id:
                    chain.append(back[current])
                    current = back[current].child
                return chain[::-1]
            for link in self.up.get(current, []):
                if link.parent not in seen:
                    seen.add(link.parent)
                    back[link.parent] = link
                    todo.append(link.parent)
        return []

    def country_of(self, entity_id: str) -> str | None:
        """The entity's own country code, else the nearest container's."""
        own = self.country.get(entity_id)
        if own:
            return own
        for ancestor in self.ancestors(entity_id):
            if self.country.get(ancestor):
                return self.country[ancestor]
        return None

    def country_place(self, code: str | None) -> str | None:
        """`BE` -> `ref:be`, when places.csv has the country (or territory, such as Hong Kong) row."""
        if not code:
            return None
        place = _ref(code.lower())
        return place if self.country.get(place) == code.upper() else None

    def is_area(self, entity_id: str) -> bool:
        """A region spanning countries (the EU, ASEAN, Greater China, Medicon Valley): no country of its own."""
        return self.kind.get(entity_id) == "region" and not self.country.get(entity_id)

    def market_areas_of(self, code: str) -> list[str]:
        """The multi-country areas a country belongs to (EU, Europe, Nordics...), nearest first."""
        place = self.country_place(code)
        return [a for a in self.ancestors(place) if self.is_area(a)] if place else []

    def area_of(self, org_id: str) -> str | None:
        """The place an organisation serves (`covers`), else where it is (`place`)."""
        links = self.up.get(org_id, [])
        return links[0].parent if links else None

    def in_market(self, entity_id: str, market: str) -> list[Link] | None:
        """The links that put `entity_id` in a market's area (`eu`, `us`, `cn`, `asean`): empty when it is the
        area itself, None when it lies outside."""
        for area in MARKET_AREAS.get(market, ()):
            if entity_id == _ref(area):
                return []
            chain = self.trail(_ref(area), entity_id)
            if chain:
                return chain
        return None

    def markets_of(self, entity_id: str) -> set[str]:
        return {m for m in MARKET_AREAS if self.in_market(entity_id, m) is not None}

    def problems(self) -> list[str]:
        """Places whose chain misses their own country (a wrong parent), for the data checks."""
        out = []
        for place, kind in self.kind.items():
            code = self.country.get(place)
            if kind in _KIND_ORDER and code and kind != "country":
                home = self.country_place(code)
                if home and not self.contains(home, place):
                    out.append(f"{place} is not inside {home}")
                wrong = [a for a in self.ancestors(place) if self.country.get(a) not in (None, code)]
                if wrong:
                    out.append(f"{place} ({code}) lies inside {', '.join(wrong)} of another country")
        return out


@cache
def geography() -> Geography:
    """The hierarchy from the reference data (built once per process)."""
    return Geography(gazetteer().rows.values())


def resolve_place(text: str, geo: Geography | None = None) -> str | None:
    """An entity id from an id (`ref:be`, `be`), a country code (`BE`) or a name in any language (`Wallonie`,
    `Bayern`, `列日`); places before organisations, countries before regions before cities."""
    geo = geo or geography()
    text = text.strip()
    if not text:
        return None
    if text in geo.kind:
        return text
    if _ref(text) in geo.kind:
        return _ref(text)
    if len(text) == 2 and text.isalpha() and text.isupper():
        found = geo.country_place(text)
        if found:
            return found
    rows = gazetteer().lookup(text)
    if not rows:
        rows = [r for r in gazetteer().rows.values() if fold(r.name) == fold(text)]
    if not rows:
        return None
    best = min(rows, key=lambda r: (r.type != "place", _KIND_ORDER.get(r.data.get("kind", ""), 9), r.id))
    return _ref(best.id)


__all__ = ["MARKET_AREAS", "Geography", "Link", "geography", "resolve_place"]
