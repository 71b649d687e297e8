"""The offline map: points placed on an equirectangular projection, drawn as SVG with no network at all.

Map units are degrees: x = longitude + 180, y = 90 - latitude, so the land outlines
(static/map/land-110m.svg, 360 x 180) line up with the points. The view is fitted to the points.

Points do not hide each other: where two circles would overlap, the smaller is moved aside (`separate`) and a thin
line leads back to where it really is. Places are circles, parks and clusters squares (`marker`). Sizes, moves and
labels are in units of the view at its first zoom; `static/js/mapzoom.js` divides them by the zoom factor, so
zooming in spreads points apart instead of enlarging them, and moved points slide back to their place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

WORLD_WIDTH, WORLD_HEIGHT = 360.0, 180.0
MIN_WIDTH = 24.0  # degrees: a map of one city still shows its region
GRATICULE_STEP = 15
SQUARE_TYPES = frozenset({"park", "cluster"})
SEPARATION_RINGS = 200  # rings tried around a marker's place before it is left where it is


@dataclass(slots=True)
class PlacedPoint:
    id: str
    name: str
    type: str
    events: int
    lat: float
    lon: float
    x: float
    y: float
    r: float
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"  # SVG text-anchor
    labelled: bool = True  # False when every place for the label would cover another one (the name shows on hover)
    placed_at: str | None = None  # a park drawn at the coordinates of the place around it (`kb.map_points`)
    dx: float = 0.0  # how far the marker was moved aside from (x, y) so as not to cover another (0: not moved)
    dy: float = 0.0

    @property
    def marker(self) -> str:
        """`square` for parks and clusters (areas someone runs), `circle` for places and anything else."""
        return "square" if self.type in SQUARE_TYPES else "circle"

    @property
    def moved(self) -> bool:
        return bool(self.dx or self.dy)

    @property
    def shown_x(self) -> float:
        return round(self.x + self.dx, 3)

    @property
    def shown_y(self) -> float:
        return round(self.y + self.dy, 3)


@dataclass(slots=True)
class MapLayout:
    x: float
    y: float
    width: float
    height: float
    font_size: float
    points: list[PlacedPoint] = field(default_factory=list)
    meridians: list[float] = field(default_factory=list)
    parallels: list[float] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"{self.x:.2f} {self.y:.2f} {self.width:.2f} {self.height:.2f}"


def project(lat: float, lon: float) -> tuple[float, float]:
    return lon + 180.0, 90.0 - lat


def _view(xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
    """A 2:1 window around the points with a margin, inside the world."""
    if not xs:
        return 0.0, 0.0, WORLD_WIDTH, WORLD_HEIGHT
    width = max(max(xs) - min(xs), 2 * (max(ys) - min(ys)), MIN_WIDTH) * 1.25
    width = min(width, WORLD_WIDTH)
    height = width / 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x = min(max(cx - width / 2, 0.0), WORLD_WIDTH - width)
    y = min(max(cy - height / 2, 0.0), WORLD_HEIGHT - height)
    return x, y, width, height


def layout(points: list[dict[str, Any]]) -> MapLayout:
    located = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    coords = [project(float(p["lat"]), float(p["lon"])) for p in located]
    x, y, width, height = _view([c[0] for c in coords], [c[1] for c in coords])
    most = max((int(p.get("events") or 0) for p in located), default=1) or 1
    unit = width / 100  # radii and labels scale with the window, so they look the same at any zoom
    placed = [
        PlacedPoint(
            id=p["id"],
            name=p.get("name") or p["id"],
            type=p.get("type") or "",
            events=int(p.get("events") or 0),
            lat=float(p["lat"]),
            lon=float(p["lon"]),
            x=round(cx, 3),
            y=round(cy, 3),
            r=round(unit * (0.45 + 1.1 * math.sqrt((p.get("events") or 0) / most)), 3),
            placed_at=p.get("placed_at"),
        )
        for p, (cx, cy) in zip(located, coords, strict=True)
    ]
    placed.sort(key=lambda p: -p.r)  # small points drawn last, on top of big ones
    font_size = round(unit * 1.8, 3)
    separate(placed, unit * 0.15)
    _place_labels(placed, (x, y, width, height), font_size)
    first_meridian = math.ceil(x / GRATICULE_STEP) * GRATICULE_STEP
    first_parallel = math.ceil(y / GRATICULE_STEP) * GRATICULE_STEP
    return MapLayout(
        x=x,
        y=y,
        width=width,
        height=height,
        font_size=round(unit * 1.8, 3),
        points=placed,
        meridians=[float(v) for v in range(int(first_meridian), int(x + width) + 1, GRATICULE_STEP)],
        parallels=[float(v) for v in range(int(first_parallel), int(y + height) + 1, GRATICULE_STEP)],
    )


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _text_width(text: str, font_size: float) -> float:
    return sum(font_size * (1.0 if ord(ch) >= 0x1100 else 0.58) for ch in text)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def separate(points: list[PlacedPoint], margin: float) -> None:
    """Move markers aside until none covers another: the busiest are placed first, where they are; each next one
    stays in place if it is free, else takes the nearest free spot on rings around its place (12 directions per
    ring, rings `margin` apart). Deterministic, so the same kb always gives the same map."""
    placed: list[PlacedPoint] = []
    for p in sorted(points, key=lambda p: (-p.events, p.id)):
        p.dx = p.dy = 0.0
        ring = 0
        while not _free(p, p.dx, p.dy, placed, margin) and ring < SEPARATION_RINGS:
            ring += 1
            step = ring * (p.r + margin) / 2
            spots = [(step * math.cos(k * math.pi / 6), step * math.sin(k * math.pi / 6)) for k in range(12)]
            free = [spot for spot in spots if _free(p, spot[0], spot[1], placed, margin)]
            if free:
                p.dx, p.dy = free[0]
        p.dx, p.dy = round(p.dx, 3), round(p.dy, 3)
        placed.append(p)


def _free(p: PlacedPoint, dx: float, dy: float, placed: list[PlacedPoint], margin: float) -> bool:
    x, y = p.x + dx, p.y + dy
    return all(math.hypot(x - o.x - o.dx, y - o.y - o.dy) >= p.r + o.r + margin for o in placed)


def _place_labels(points: list[PlacedPoint], view: Box, font_size: float) -> None:
    """Greedy labels, busiest places first: right of the marker, else left, above, below; else none (the name
    then shows on hover and in the table)."""
    left, top, width, height = view
    taken: list[Box] = [(p.shown_x - p.r, p.shown_y - p.r, p.shown_x + p.r, p.shown_y + p.r) for p in points]
    for p in sorted(points, key=lambda p: -p.events):
        px, py = p.shown_x, p.shown_y
        w, h, gap = _text_width(p.name, font_size), font_size * 1.2, p.r + font_size * 0.3
        options = [
            (px + gap, py, "start", (px + gap, py - h / 2, px + gap + w, py + h / 2)),
            (px - gap, py, "end", (px - gap - w, py - h / 2, px - gap, py + h / 2)),
            (px, py - gap - h / 2, "middle", (px - w / 2, py - gap - h, px + w / 2, py - gap)),
            (px, py + gap + h / 2, "middle", (px - w / 2, py + gap, px + w / 2, py + gap + h)),
        ]
        own = (px - p.r, py - p.r, px + p.r, py + p.r)
        p.labelled = False
        for lx, ly, anchor, box in options:
            inside = box[0] >= left and box[2] <= left + width and box[1] >= top and box[3] <= top + height
            if inside and not any(_overlaps(box, other) for other in taken if other != own):
                p.label_x, p.label_y, p.anchor, p.labelled = round(lx, 3), round(ly, 3), anchor, True
                taken.append(box)
                break
