"""What the four answer pages show besides the answer: form options in the UI language, and the form's values.

Sector names come from data/reference/sectors.csv and country names from places.csv, in every language they have.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from typing import Any

from bioatlas.extract.reference import gazetteer, reference_dir
from bioatlas.match import land
from bioatlas.match.knowledge import Knowledge
from bioatlas.sectors import sector_tree
from bioatlas.web.entity_names import NAME_COLUMN


@cache
def _sector_rows() -> dict[str, dict[str, str]]:
    with (reference_dir() / "sectors.csv").open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def sector_names(lang: str) -> dict[str, str]:
    """Sector id -> its name in the UI language (English where the row has none)."""
    column = NAME_COLUMN.get(lang, "name_en")
    rows = _sector_rows()
    return {sid: (rows.get(sid, {}).get(column) or info["name"]) for sid, info in sector_tree().items()}


def sector_groups(lang: str) -> list[dict[str, Any]]:
    """Top-level sectors, each with everything under it (depth first), for grouped checkboxes."""
    tree = sector_tree()
    names = sector_names(lang)
    children: dict[str | None, list[str]] = {}
    for sid, info in tree.items():
        children.setdefault(info["parent"] if info["parent"] in tree else None, []).append(sid)

    def below(sid: str, depth: int) -> list[dict[str, Any]]:
        out = []
        for child in children.get(sid, []):
            out.append({"id": child, "name": names[child], "depth": depth})
            out.extend(below(child, depth + 1))
        return out

    return [{"id": root, "name": names[root], "children": below(root, 1)} for root in children.get(None, [])]


def country_names(lang: str) -> dict[str, str]:
    """ISO code -> the country's name in the UI language, from the reference rows of kind 'country'."""
    column = NAME_COLUMN.get(lang, "name_en")
    out = {}
    for row in gazetteer().rows.values():
        if row.type == "place" and row.data.get("kind") == "country" and row.country:
            out[row.country] = row.names.get(column) or row.name
    return dict(sorted(out.items(), key=lambda item: item[1]))


@dataclass(frozen=True, slots=True)
class Need:
    value: str  # what the form sends (a key of land.NEED_SERVICES or land.MARKET_NEEDS)
    means: str  # the service or market it stands for
    market: bool


def need_options() -> list[Need]:
    """One checkbox per service and per market (the synonyms the CLI accepts are not repeated)."""
    services = [Need(s, s, False) for s in dict.fromkeys(land.NEED_SERVICES.values()) if s in land.NEED_SERVICES]
    markets = [
        Need(f"{m}-market" if f"{m}-market" in land.MARKET_NEEDS else m, m, True)
        for m in dict.fromkeys(land.MARKET_NEEDS.values())
    ]
    return services + markets


def chosen_needs(needs: list[str]) -> set[str]:
    """The services and markets a list of needs stands for, whichever synonyms were used."""
    return {land.NEED_SERVICES.get(n) or land.MARKET_NEEDS.get(n) or n for n in needs}


def weight_rows(
    defaults: dict[str, float],
    labels: dict[str, str],
    fields: dict[str, str | None],
    used: dict[str, float] | None,
) -> list[dict[str, Any]]:
    """One input per indicator: the weight the answer used, else what was typed, else the default."""
    rows = []
    for name, default in defaults.items():
        typed = fields.get(name)
        if used is not None:
            value = f"{used[name]:g}"
        elif typed is not None and typed.strip():
            value = typed.strip()
        else:
            value = f"{default:g}"
        rows.append({"name": name, "label": labels[name], "value": value, "default": f"{default:g}"})
    return rows


def location_suggestions(kb: Knowledge) -> list[str]:
    """Places, parks and clusters the answers know something about, for the pathway form."""
    return sorted({e.name for e in land.candidate_locations(kb)}, key=str.casefold)


def host_suggestions(kb: Knowledge) -> list[str]:
    """Parks, clusters and agencies with a focus on record, for the prospects form."""
    return sorted(
        {e.name for e in kb.entities.values() if e.type in ("park", "cluster", "agency") and e.sectors},
        key=str.casefold,
    )


def alliance_suggestions(kb: Knowledge) -> list[str]:
    return sorted(
        {e.name for e in kb.entities.values() if e.type in ("alliance", "cluster") and e.row is not None},
        key=str.casefold,
    )
