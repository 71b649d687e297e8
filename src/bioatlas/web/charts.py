"""Charts drawn on the server as SVG strings: data in, markup out, nothing run in the browser.

Every chart carries a `<title>` and `<desc>` (read by screen readers through `aria-labelledby`), writes its numbers
as text beside the marks and a `<title>` tooltip on each mark, and escapes every label it is given: names come
from documents and are hostile input. Words (titles, axis names, category names) arrive already in the UI
language, and numbers go through the `number` function the caller gives, so this module knows no language.

An SVG is drawn at its natural size in CSS pixels (`width`/`height` attributes plus a `viewBox`); the stylesheet
caps it at the column width, so on a phone it shrinks instead of scrolling sideways. Charts whose labels would get
too small when shrunk (the pathway) are drawn twice, a row for wide screens and a column for narrow ones.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Number = Callable[[float], str]

# Okabe-Ito colours: told apart by people with the common colour-vision deficiencies; then greys.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#882255", "#666666", "#999933")
FONT = 13.0
MAX_YEARS = 80  # a timeline spans at most this many years (the latest ones); older years fold into the first bar


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def text_width(text: str, size: float = FONT) -> float:
    """About how wide a label is drawn: CJK and other wide characters take a full em, Latin letters about half."""
    return sum(size * (1.0 if ord(ch) >= 0x1100 else 0.58) for ch in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    """The label cut with an ellipsis to fit `width` (the whole name stays in the mark's tooltip and the table)."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def wrap(text: str, width: float, size: float = FONT, lines: int = 2) -> list[str]:
    """The label over at most `lines` lines of `width`, broken at spaces (anywhere in CJK), the last one clipped."""
    words = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    out: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current}{joiner}{word}" if current else word
        if text_width(candidate, size) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], joiner.join(out[lines - 1 :])]
    return [clip(line, width, size) for line in out]


def _open(chart_id: str, kind: str, width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" id="{_e(chart_id)}" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" font-size="{FONT:g}">'
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title><desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>'
    )


def _empty(chart_id: str, kind: str, title: str, desc: str, message: str, width: float = 360) -> str:
    return (
        _open(chart_id, kind, width, 48, title, desc)
        + f'<text class="empty" x="{width / 2:.0f}" y="28" text-anchor="middle">{_e(message)}</text></svg>'
    )


def nice_ceiling(value: float) -> float:
    """The round number (1, 2, 5 x 10^k) at or above `value`, for the top of an axis."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def ticks(top: float, count: int = 4) -> list[float]:
    """Axis values from 0 to `top` in round steps (whole numbers for counts)."""
    step = max(1.0, nice_ceiling(top / count)) if top >= count else 1.0
    return [step * i for i in range(int(top // step) + 1)]


# ------------------------------------------------------------------------------------------------ timeline


@dataclass(frozen=True, slots=True)
class Series:
    key: str  # the kb's code (an event type): also the mark's CSS class
    label: str  # in the UI language


def timeline_svg(
    years: Sequence[str],
    series: Sequence[Series],
    counts: dict[tuple[str, str], int],
    *,
    title: str,
    desc: str,
    axis_years: str,
    axis_count: str,
    empty: str,
    number: Number = _plain,
    chart_id: str = "timeline",
) -> str:
    """Stacked bars: one per year from the first to the last (years without events stay as gaps), one colour per
    series (`counts[(year, series key)]`), a legend above, the total written over each bar."""
    known = sorted({int(y) for y in years if str(y).isdigit()})
    if not known or not series:
        return _empty(chart_id, "timeline", title, desc, empty)
    first, last = max(known[0], known[-1] - MAX_YEARS + 1), known[-1]
    span = [str(y) for y in range(first, last + 1)]
    folded = {s.key: sum(n for (y, k), n in counts.items() if k == s.key and int(y) < first) for s in series}
    totals = {y: sum(counts.get((y, s.key), 0) + (folded[s.key] if y == span[0] else 0) for s in series) for y in span}
    top = nice_ceiling(max(totals.values()) or 1)
    left, right, plot_h = 40.0, 12.0, 180.0
    slot = max(6.0, min(48.0, 560.0 / len(span)))  # a century still fits a laptop column
    width = max(320.0, left + right + slot * len(span))
    legend_rows = _legend_rows(series, width - left)
    legend_h = 20.0 * len(legend_rows) + 6
    plot_top = legend_h + 16
    height = plot_top + plot_h + 44
    out = [_open(chart_id, "timeline", width, height, title, desc)]
    out.append(_legend(legend_rows, left, 14.0))
    out.append(f'<g class="axis y" transform="translate({left:.0f},{plot_top:.0f})">')
    for value in ticks(top):
        y = plot_h - plot_h * value / top
        out.append(
            f'<line x1="0" x2="{width - left - right:.0f}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="-6" y="{y + 4:.1f}" text-anchor="end">{_e(number(value))}</text>'
        )
    out.append("</g>")
    out.append(
        f'<text class="axis-title" x="4" y="{plot_top - 6:.0f}" font-size="{FONT - 2:g}">{_e(axis_count)}</text>'
    )
    label_every = max(1, math.ceil(len(span) * 34 / (width - left - right)))
    bar_w = slot * 0.72
    out.append(f'<g class="bars" transform="translate({left:.0f},{plot_top:.0f})">')
    for i, year in enumerate(span):
        x = i * slot + (slot - bar_w) / 2
        base = plot_h
        out.append(f'<g class="year" data-year="{_e(year)}">')
        for s_index, s in enumerate(series):
            n = counts.get((year, s.key), 0) + (folded[s.key] if i == 0 else 0)
            if not n:
                continue
            h = plot_h * n / top
            base -= h
            out.append(
                f'<rect class="mark {_e(s.key)}" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}"><title>{_e(year)} · {_e(s.label)}: {_e(number(n))}'
                "</title></rect>"
            )
        if totals[year]:
            out.append(
                f'<text class="total" x="{x + bar_w / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle" '
                f'font-size="{FONT - 2:g}">{_e(number(totals[year]))}</text>'
            )
        if i % label_every == 0:
            label = f"≤{year}" if i == 0 and any(folded.values()) else year
            out.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{plot_h + 16:.0f}" text-anchor="middle" '
                f'font-size="{FONT - 2:g}">{_e(label)}</text>'
            )
        out.append("</g>")
    out.append(
        f'<line class="baseline" x1="0" x2="{width - left - right:.0f}" y1="{plot_h:.0f}" y2="{plot_h:.0f}"/></g>'
    )
    out.append(
        f'<text class="axis-title" x="{left + (width - left - right) / 2:.0f}" y="{height - 6:.0f}" '
        f'text-anchor="middle" font-size="{FONT - 2:g}">{_e(axis_years)}</text></svg>'
    )
    return "".join(out)


def _legend_rows(series: Sequence[Series], width: float) -> list[list[tuple[int, Series]]]:
    rows: list[list[tuple[int, Series]]] = [[]]
    used = 0.0
    for i, s in enumerate(series):
        w = 18 + text_width(s.label) + 14
        if rows[-1] and used + w > width:
            rows.append([])
            used = 0.0
        rows[-1].append((i, s))
        used += w
    return rows


def _legend(rows: list[list[tuple[int, Series]]], left: float, top: float) -> str:
    out = ['<g class="legend">']
    for r, row in enumerate(rows):
        x = left
        y = top + 20 * r
        for i, s in row:
            out.append(
                f'<rect x="{x:.0f}" y="{y - 10:.0f}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                f'<text x="{x + 16:.0f}" y="{y:.0f}">{_e(s.label)}</text>'
            )
            x += 18 + text_width(s.label) + 14
    out.append("</g>")
    return "".join(out)


# ------------------------------------------------------------------------------------------------ flows


@dataclass(frozen=True, slots=True)
class Flow:
    origin: str  # labels, in the UI language
    destination: str
    count: int
    href: str | None = None  # where the band leads (the events behind it)


def flow_svg(
    flows: Sequence[Flow],
    *,
    title: str,
    desc: str,
    origin_title: str,
    destination_title: str,
    empty: str,
    other: str,
    number: Number = _plain,
    most: int = 10,
    chart_id: str = "flows",
) -> str:
    """Two columns of bars, origins left and destinations right, each as tall as its count, joined by bands as
    thick as each flow; beyond the `most` busiest on a side, the rest are gathered under `other`."""
    flows = [f for f in flows if f.count > 0]
    if not flows:
        return _empty(chart_id, "flows", title, desc, empty)
    keep_o = _busiest([(f.origin, f.count) for f in flows], most)
    keep_d = _busiest([(f.destination, f.count) for f in flows], most)
    merged: dict[tuple[str, str], int] = {}
    links: dict[tuple[str, str], str | None] = {}
    for f in flows:
        key = (f.origin if f.origin in keep_o else other, f.destination if f.destination in keep_d else other)
        merged[key] = merged.get(key, 0) + f.count
        links[key] = f.href if key == (f.origin, f.destination) else None
    left_nodes = _node_order([(o, n) for (o, _), n in merged.items()], other)
    right_nodes = _node_order([(d, n) for (_, d), n in merged.items()], other)
    total = sum(merged.values())
    gap, label_w, node_w = 8.0, 170.0, 10.0
    plot_h = max(160.0, 26.0 * max(len(left_nodes), len(right_nodes)))
    width = 620.0
    scale = (plot_h - gap * (max(len(left_nodes), len(right_nodes)) - 1)) / total
    top = 30.0
    height = top + plot_h + 12
    lx, rx = label_w, width - label_w - node_w
    out = [_open(chart_id, "flows", width, height, title, desc)]
    out.append(
        f'<text class="axis-title" x="{lx + node_w:.0f}" y="16" text-anchor="end">{_e(clip(origin_title, 200))}</text>'
        f'<text class="axis-title" x="{rx:.0f}" y="16">{_e(clip(destination_title, 200))}</text>'
    )
    left_pos = _stack(left_nodes, top, scale, gap)
    right_pos = _stack(right_nodes, top, scale, gap)
    out.append('<g class="bands">')
    left_used = {k: 0.0 for k, _ in left_nodes}
    right_used = {k: 0.0 for k, _ in right_nodes}
    order = sorted(merged.items(), key=lambda item: (left_pos[item[0][0]], right_pos[item[0][1]]))
    for (o, d), n in order:
        thick = n * scale
        y0 = left_pos[o] + left_used[o] + thick / 2
        y1 = right_pos[d] + right_used[d] + thick / 2
        left_used[o] += thick
        right_used[d] += thick
        x0, x1 = lx + node_w, rx
        mid = (x0 + x1) / 2
        band = (
            f'<path class="band" d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}" '
            f'stroke-width="{max(thick, 1.5):.1f}" fill="none">'
            f"<title>{_e(o)} → {_e(d)}: {_e(number(n))}</title></path>"
        )
        href = links.get((o, d))
        out.append(f'<a href="{_e(href)}">{band}</a>' if href else band)
    out.append("</g>")
    for nodes, pos, x, anchor, tx in (
        (left_nodes, left_pos, lx, "end", lx - 6),
        (right_nodes, right_pos, rx, "start", rx + node_w + 6),
    ):
        side = "origin" if anchor == "end" else "destination"
        out.append(f'<g class="nodes {side}">')
        for label, n in nodes:
            h = n * scale
            y = pos[label]
            out.append(
                f'<rect class="node" x="{x:.1f}" y="{y:.1f}" width="{node_w:.0f}" height="{max(h, 1):.1f}">'
                f"<title>{_e(label)}: {_e(number(n))}</title></rect>"
                f'<text x="{tx:.1f}" y="{y + max(h, 1) / 2 + 4:.1f}" text-anchor="{anchor}">'
                f"{_e(clip(label, label_w - 40))} <tspan class='count'>{_e(number(n))}</tspan></text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _busiest(pairs: list[tuple[str, int]], most: int) -> set[str]:
    totals: dict[str, int] = {}
    for label, n in pairs:
        totals[label] = totals.get(label, 0) + n
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return {label for label, _ in ranked[:most]}


def _node_order(pairs: list[tuple[str, int]], other: str) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for label, n in pairs:
        totals[label] = totals.get(label, 0) + n
    return sorted(totals.items(), key=lambda item: (item[0] == other, -item[1], item[0]))


def _stack(nodes: list[tuple[str, int]], top: float, scale: float, gap: float) -> dict[str, float]:
    out: dict[str, float] = {}
    y = top
    for label, n in nodes:
        out[label] = y
        y += max(n * scale, 1) + gap
    return out


# ------------------------------------------------------------------------------------------------ pathway


@dataclass(frozen=True, slots=True)
class Stage:
    key: str
    label: str
    covered: bool
    providers: int
    status: str  # "covered" / "not covered", worded
    detail: str  # "3 providers", worded
    href: str | None = None


def pathway_svg(
    stages: Sequence[Stage], *, title: str, desc: str, vertical: bool = False, chart_id: str = "pathway"
) -> str:
    """The stages as a row of arrows (a column when `vertical`), green when someone offers the stage, marked and
    dashed when no one does, each with its provider count; a stage links to its section of the page."""
    if not stages:
        return _empty(chart_id, "pathway", title, desc, "")
    box_w, box_h, step = (300.0, 64.0, 76.0) if vertical else (150.0, 92.0, 158.0)
    width = box_w + 20 if vertical else step * len(stages) + 10
    height = step * len(stages) + 10 if vertical else box_h + 20
    out = [_open(chart_id, "pathway" + (" vertical" if vertical else ""), width, height, title, desc)]
    for i, s in enumerate(stages):
        x, y = (10.0, 10.0 + i * step) if vertical else (10.0 + i * step, 10.0)
        point = 12.0
        if vertical:
            shape = (
                f"M{x},{y} H{x + box_w} V{y + box_h} L{x + box_w / 2},{y + box_h + point} L{x},{y + box_h} Z"
                if i < len(stages) - 1
                else f"M{x},{y} H{x + box_w} V{y + box_h} H{x} Z"
            )
        else:
            tip = x + box_w
            shape = f"M{x},{y} H{tip - point} L{tip},{y + box_h / 2} L{tip - point},{y + box_h} H{x} " + (
                f"L{x + point},{y + box_h / 2} Z" if i else "Z"
            )
        state = "covered" if s.covered else "uncovered"
        text_x = x + box_w / 2 if not vertical else x + 14
        anchor = "middle" if not vertical else "start"
        lines = wrap(s.label, box_w - 28, FONT, 2 if not vertical else 1)
        body = [
            f'<path class="stage-shape" d="{shape}"/>',
            *(
                f'<text class="stage-label" x="{text_x:.0f}" y="{y + 22 + 16 * n:.0f}" text-anchor="{anchor}" '
                f'font-weight="600">{_e(line)}</text>'
                for n, line in enumerate(lines)
            ),
            f'<text class="stage-detail" x="{text_x:.0f}" y="{y + box_h - 24 + (0 if vertical else 6):.0f}" '
            f'text-anchor="{anchor}">{"✓" if s.covered else "✗"} {_e(s.status)}</text>',
            f'<text class="stage-count" x="{text_x:.0f}" y="{y + box_h - 8 + (0 if vertical else 4):.0f}" '
            f'text-anchor="{anchor}" font-size="{FONT - 2:g}">{_e(s.detail)}</text>',
        ]
        group = (
            f'<g class="stage {state}" data-stage="{_e(s.key)}" data-providers="{s.providers}">'
            f"<title>{_e(s.label)}: {_e(s.status)}, {_e(s.detail)}</title>{''.join(body)}</g>"
        )
        out.append(f'<a href="{_e(s.href)}">{group}</a>' if s.href else group)
    out.append("</svg>")
    return "".join(out)


# ------------------------------------------------------------------------------------------------ comparison


@dataclass(frozen=True, slots=True)
class Measure:
    """One indicator across the compared items: `values[i]` belongs to item i; None when the data is missing."""

    key: str
    label: str
    values: Sequence[float | None]


def comparison_svg(
    items: Sequence[str],
    measures: Sequence[Measure],
    *,
    title: str,
    desc: str,
    missing: str,
    empty: str,
    number: Number = _plain,
    top: float | None = None,
    chart_id: str = "comparison",
) -> str:
    """Small multiples: one panel per indicator, one horizontal bar per item (same colour and order in every
    panel, a legend above), bars from 0 to `top` (None: the largest value of the panel); a missing value is
    written, not drawn."""
    if not items or not measures:
        return _empty(chart_id, "comparison", title, desc, empty)
    width, label_w, bar_h, gap = 460.0, 150.0, 14.0, 4.0
    plot_w = width - label_w - 56
    legend = _legend_rows([Series(str(i), name) for i, name in enumerate(items)], width - 10)
    head = 20.0 * len(legend) + 14
    panel_h = 24 + len(items) * (bar_h + gap) + 10
    height = head + panel_h * len(measures)
    out = [_open(chart_id, "comparison", width, height, title, desc), _legend(legend, 6, 14.0)]
    for m_index, m in enumerate(measures):
        y0 = head + m_index * panel_h
        largest = top or max((v for v in m.values if v is not None), default=0.0) or 1.0
        out.append(f'<g class="panel" data-indicator="{_e(m.key)}">')
        out.append(
            f'<text class="panel-title" x="6" y="{y0 + 16:.0f}" font-weight="600">{_e(clip(m.label, 440))}</text>'
        )
        for i, (name, value) in enumerate(itertools.zip_longest(items, m.values)):
            if name is None:
                break
            y = y0 + 24 + i * (bar_h + gap)
            out.append(
                f'<text x="{label_w - 6:.0f}" y="{y + bar_h - 3:.0f}" text-anchor="end" font-size="{FONT - 1:g}">'
                f"{_e(clip(str(name), label_w - 12, FONT - 1))}</text>"
            )
            if value is None:
                out.append(
                    f'<text class="missing" x="{label_w:.0f}" y="{y + bar_h - 3:.0f}" font-size="{FONT - 2:g}">'
                    f"{_e(missing)}</text>"
                )
                continue
            w = max(0.0, min(plot_w, plot_w * float(value) / largest))
            out.append(
                f'<rect class="mark" x="{label_w:.0f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h:.0f}" '
                f'fill="{PALETTE[i % len(PALETTE)]}"><title>{_e(name)} · {_e(m.label)}: {_e(number(value))}'
                f'</title></rect><text class="value" x="{label_w + w + 4:.1f}" y="{y + bar_h - 3:.0f}" '
                f'font-size="{FONT - 2:g}">{_e(number(value))}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


__all__ = [
    "PALETTE",
    "Flow",
    "Measure",
    "Series",
    "Stage",
    "clip",
    "comparison_svg",
    "flow_svg",
    "nice_ceiling",
    "pathway_svg",
    "text_width",
    "ticks",
    "timeline_svg",
    "wrap",
]
