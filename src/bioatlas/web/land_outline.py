"""Make `static/map/land-110m.svg` (the offline map's land) from world-atlas's `land-110m.json` (TopoJSON).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m bioatlas.web.land_outline package/land-110m.json > src/bioatlas/web/static/map/land-110m.svg

Coordinates are the map's: x = longitude + 180, y = 90 - latitude. Rings that cross the antimeridian are unwrapped
and drawn a second time shifted by 360 degrees, so no line runs across the map.
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from typing import Any

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    points: list[Point] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[Point]) -> list[Point]:
    out, offset = [points[0]], 0.0
    for (lon0, _), (lon, lat) in pairwise(points):
        if lon - lon0 > 180:
            offset -= 360
        elif lon0 - lon > 180:
            offset += 360
        out.append((lon + offset, lat))
    return out


def subpath(points: list[Point], shift: float = 0.0) -> str:
    coords = [f"{lon + 180 + shift:.2f} {90 - lat:.2f}" for lon, lat in points]
    kept = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    return "M" + "L".join(kept) + "Z"


def land_svg(topology: dict[str, Any]) -> str:
    arcs = decode_arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                points = unwrap(ring(arcs, indexes))
                parts.append(subpath(points))
                if min(p[0] for p in points) < -180:
                    parts.append(subpath(points, 360))
                if max(p[0] for p in points) > 180:
                    parts.append(subpath(points, -360))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Land outlines: Natural Earth 1:110m (public domain), via world-atlas 2.0.2 (ISC, (c) Michael Bostock). "
        "Equirectangular: x = longitude + 180, y = 90 - latitude. -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" width="360" height="180">'
        f'<path fill="#dfe6d6" stroke="#9fae93" stroke-width="0.15" d="{"".join(parts)}"/></svg>\n'
    )


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        sys.stdout.write(land_svg(json.load(handle)))
