"""Charts drawn on the server as SVG: the same functions draw the dashboards' chart
images and the annual review's PDF charts (as data: URIs).

Python computes every coordinate; the template `reporting/chart.svg` writes the shapes
(bars, lines, markers, texts). Four chart kinds of bars and lines need no drawing
library: matplotlib with numpy took about 1.5 s and 55 MiB to import in every web and
worker process for them (docs/benchmarks.md, "Charts").

Each chart carries its text alternative: the SVG's <title> (the chart's title) and
<desc> (every value, series by series); the page shows the same figures in the table
that follows the chart. The output is deterministic (same data, same bytes): `draw`
caches each SVG by a hash of its kind and data.

The layout is that of the former matplotlib charts: sizes in points (72 to the inch),
margins from the measured width of the labels (`chart_font`), whole-number ticks on
the axes of counts, texts in DejaVu Sans.

A chart is named by a kind and its data (`draw(kind, data)`), so that a table can carry
its chart's data and the dashboards can serve each chart as its own image.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .chart_font import CAP_HEIGHT, DESCENT, text_width

# Colours readable by colour-blind readers (Okabe-Ito) and in black and white.
BLUE, ORANGE, GREEN, GREY, BLACK = "#0072B2", "#E69F00", "#009E73", "#555555", "#000000"
CACHE_SECONDS = 60 * 60
POINTS = 72  # points per inch: sizes below are in points
FONT, SMALL, TITLE, MESSAGE = 9, 8, 10.8, 11  # text sizes
TICK = 3.5 + 3.5  # a tick's length and the pad before its label
LINE = FONT * 1.25  # one line of text
SPINE = 0.8  # the axes' line width
# A label under a tick hangs from its pad: its baseline lies this many ems lower.
DROP = 0.76
# A dashed line's pattern, per unit of its width.
DASH = (3.7, 1.6)

# Each kind's size in inches (the dashboards give the <img> its size in CSS pixels).
SIZES = {"funnel": (6.4, 3.0), "hires": (6.4, 3.2), "offers": (6.4, 3.2), "occupancy": (6.4, 3.2)}


def pixel_size(kind: str) -> tuple[int, int]:
    """(width, height) of a kind's SVG in CSS pixels (96 per inch)."""
    width, height = SIZES[kind]
    return round(width * 96), round(height * 96)


def _n(value: float) -> str:
    """A coordinate as the SVG writes it: two decimals at most, never localised."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def count_ticks(top: float, bins: int = 10) -> list[int]:
    """Ticks for counts of people and positions from 0 to `top`: whole numbers only
    (never "0.2 jeunes"), at most `bins` intervals, on steps of 1, 1.5, 2, 2.5, 3, 4, 5, 6
    or 8 times a power of ten (as matplotlib's MaxNLocator(integer=True) did)."""
    top = max(top, 1)
    raw = top / bins
    scale = 10 ** math.floor(math.log10(raw))
    step = None
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        candidate = factor * scale
        if candidate < 1 or abs(candidate - round(candidate)) > 1e-9:
            continue
        if candidate >= raw - 1e-9:
            step = round(candidate)
            break
    step = step or max(1, math.ceil(raw))
    return list(range(0, math.floor(top / step) * step + 1, step))


@dataclass
class Axes:
    """The plotting box in points (left, top, right, bottom) and the data it shows."""

    left: float
    top: float
    right: float
    bottom: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    # the widest label left of the box (where a rotated axis label goes)
    left_labels_width: float = 0

    def x(self, value: float) -> float:
        low, high = self.xlim
        return self.left + (value - low) / (high - low) * (self.right - self.left)

    def y(self, value: float) -> float:
        low, high = self.ylim
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)


@dataclass
class Canvas:
    """One chart's shapes, in drawing order within each kind of shape: bars under
    lines, lines under markers, texts on top."""

    kind: str
    title: str
    rects: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    circles: list[dict] = field(default_factory=list)
    texts: list[dict] = field(default_factory=list)
    hatched: bool = False

    @property
    def width(self) -> float:
        return SIZES[self.kind][0] * POINTS

    @property
    def height(self) -> float:
        return SIZES[self.kind][1] * POINTS

    def rect(self, x: float, y: float, width: float, height: float, fill: str, **extra) -> None:
        self.rects.append(
            {"x": _n(x), "y": _n(y), "width": _n(width), "height": _n(height), "fill": fill} | extra
        )

    def line(self, points, color: str, width: float, *, dashed: bool = False) -> None:
        self.lines.append(
            {
                "points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
                "color": color,
                "width": _n(width),
                "dash": " ".join(_n(d * width) for d in DASH) if dashed else "",
            }
        )

    def circle(self, x: float, y: float, radius: float, color: str) -> None:
        self.circles.append({"x": _n(x), "y": _n(y), "r": _n(radius), "color": color})

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = FONT,
        anchor: str = "start",
        color: str = BLACK,
        vertical: bool = False,
    ) -> None:
        """A text whose baseline starts (or is centred, or ends) at (x, y); `vertical`
        turns it a quarter left, reading upwards."""
        self.texts.append(
            {
                "x": _n(x),
                "y": _n(y),
                "text": str(text),
                "size": _n(size),
                "anchor": anchor,
                "color": color,
                "vertical": vertical,
            }
        )

    def render(self, description: str) -> str:
        return render_to_string(
            "reporting/chart.svg",
            {
                "width": _n(self.width),
                "height": _n(self.height),
                "title": self.title,
                "description": description,
                "rects": self.rects,
                "lines": self.lines,
                "circles": self.circles,
                "texts": self.texts,
                "hatched": self.hatched,
            },
        )


def _axes(
    canvas: Canvas,
    *,
    left_labels: list[str],
    bottom_labels: list[str],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    y_label: str = "",
    x_label: str = "",
) -> Axes:
    """The plotting box, with margins that hold the title, the tick labels and the axis
    labels, from their measured widths."""
    labels_width = max((text_width(t, FONT) for t in left_labels), default=0)
    left = labels_width + TICK + 7.2
    if y_label:
        left += LINE + 4
    right = max((text_width(t, FONT) for t in bottom_labels[-1:]), default=0) / 2 + 8.64
    bottom = LINE + TICK + 4.32 + (LINE + 4 if x_label else 0)
    top = LINE + 6 + 5.76
    box = (left, top, canvas.width - right, canvas.height - bottom)
    return Axes(*box, xlim=xlim, ylim=ylim, left_labels_width=labels_width)


def _frame(canvas: Canvas, axes: Axes, *, y_label: str = "", x_label: str = "") -> None:
    """The left and bottom spines, the title above the box and the axis labels."""
    canvas.line([(axes.left, axes.top), (axes.left, axes.bottom)], BLACK, SPINE)
    canvas.line([(axes.left, axes.bottom), (axes.right, axes.bottom)], BLACK, SPINE)
    canvas.text(axes.left, axes.top - 6 - DESCENT * TITLE, canvas.title, size=TITLE)
    if y_label:
        x = axes.left - TICK - axes.left_labels_width - 4 - DESCENT * FONT
        canvas.text(x, (axes.top + axes.bottom) / 2, y_label, anchor="middle", vertical=True)
    if x_label:
        y = axes.bottom + TICK + LINE + 4 + DROP * FONT
        canvas.text((axes.left + axes.right) / 2, y, x_label, anchor="middle")


def _left_ticks(canvas: Canvas, axes: Axes, ticks: list[tuple[float, str]]) -> None:
    for value, label in ticks:
        y = axes.y(value)
        canvas.line([(axes.left - 3.5, y), (axes.left, y)], BLACK, SPINE)
        canvas.text(axes.left - TICK, y + CAP_HEIGHT * FONT / 2, label, anchor="end")


def _bottom_ticks(canvas: Canvas, axes: Axes, ticks: list[tuple[float, str]]) -> None:
    for value, label in ticks:
        x = axes.x(value)
        canvas.line([(x, axes.bottom), (x, axes.bottom + 3.5)], BLACK, SPINE)
        canvas.text(x, axes.bottom + TICK + DROP * FONT, label, anchor="middle")


def _legend(canvas: Canvas, axes: Axes, entries: list[tuple], *, corner: str) -> None:
    """Entries (label, style, colour[, dot radius]) in the box's upper left or lower
    right corner; style is "bar", "hatched", "dashed" or "marker" (a line with a dot)."""
    pitch, handle, pad = SMALL * 1.5, 2 * SMALL, 0.8 * SMALL
    inset = 0.9 * SMALL
    if corner == "upper left":
        x = axes.left + inset
        first = axes.top + inset + pitch / 2
    else:
        widest = max(text_width(label, SMALL) for label, *_style in entries)
        x = axes.right - inset - widest - pad - handle
        first = axes.bottom - inset - pitch / 2 - pitch * (len(entries) - 1)
    for row, (label, style, color, *dot) in enumerate(entries):
        middle = first + row * pitch
        if style in ("bar", "hatched"):
            fill = "url(#hatch)" if style == "hatched" else color
            canvas.rect(x, middle - 0.35 * SMALL, handle, 0.7 * SMALL, fill)
        else:
            width = 1.5 if style != "marker" else 1
            canvas.line([(x, middle), (x + handle, middle)], color, width, dashed=style == "dashed")
            if style == "marker":
                canvas.circle(x + handle / 2, middle, dot[0] if dot else 1.5, color)
        canvas.text(x + handle + pad, middle + CAP_HEIGHT * SMALL / 2, label, size=SMALL)


def _empty(canvas: Canvas) -> str:
    message = _("Aucune donnée pour cette période")
    canvas.text(
        canvas.width / 2,
        canvas.height / 2 + CAP_HEIGHT * MESSAGE / 2,
        message,
        size=MESSAGE,
        anchor="middle",
        color=GREY,
    )
    return canvas.render(message)


def _series(name: str, labels: list[str], values: list) -> str:
    """One series of a chart's text alternative: its name, then each label's value."""
    pairs = ", ".join(f"{label} {value}" for label, value in zip(labels, values, strict=True))
    return _("%(series)s : %(values)s.") % {"series": name, "values": pairs}


def _category_span(count: int) -> tuple[float, float]:
    """The data range of `count` categories drawn as bars 0.8 wide at 0, 1, 2…, with
    a 5 % margin either side."""
    low, high = -0.4, count - 1 + 0.4
    margin = 0.05 * (high - low)
    return low - margin, high + margin


def funnel_chart(*, labels: list[str], values: list[int], shown: list[str], title: str) -> str:
    """Horizontal bars, first stage on top: youths entering each stage."""
    canvas = Canvas("funnel", title)
    # masked counts ("< 5") are drawn at zero with their label: they are data
    if not any(values) and all(text in ("0", "") for text in shown):
        return _empty(canvas)
    # room right of the longest bar for its value: the plot's width once the stage
    # names are placed, less the widest value label
    plot_width = canvas.width - max(text_width(label, FONT) for label in labels) - TICK - 36
    widest = max(text_width(text, SMALL) for text in shown) + 6
    top = max(max(values), 1) * plot_width / max(plot_width - widest, 36)
    ticks = [(t, str(t)) for t in count_ticks(top)]
    axes = _axes(
        canvas,
        left_labels=labels,
        bottom_labels=[label for _value, label in ticks],
        xlim=(0, top),
        ylim=_category_span(len(labels)),
        x_label=_("Jeunes"),
    )
    positions = list(range(len(labels)))[::-1]
    for position, value, text in zip(positions, values, shown, strict=True):
        y_top, y_bottom = axes.y(position + 0.4), axes.y(position - 0.4)
        canvas.rect(axes.left, y_top, axes.x(value) - axes.left, y_bottom - y_top, BLUE)
        middle = axes.y(position) + CAP_HEIGHT * SMALL / 2
        canvas.text(axes.x(value) + 3, middle, text, size=SMALL)
    _left_ticks(canvas, axes, list(zip(positions, labels, strict=True)))
    _bottom_ticks(canvas, axes, ticks)
    _frame(canvas, axes, x_label=_("Jeunes"))
    return canvas.render(_series(_("Jeunes"), labels, shown))


def _vertical_bars(canvas: Canvas, axes: Axes, centres, values, width: float, fill: str, **extra):
    for centre, value in zip(centres, values, strict=True):
        top = axes.y(value)
        left, right = axes.x(centre - width / 2), axes.x(centre + width / 2)
        canvas.rect(left, top, right - left, axes.bottom - top, fill, **extra)


def hires_chart(
    *,
    labels: list[str],
    values: list[int],
    shown: list[str],
    target: float | None,
    title: str,
    previous: list[int] | None = None,
) -> str:
    """Monthly hires as bars, the monthly share of the target as a dashed line, and the
    same months of the previous year as a thin line when given."""
    canvas = Canvas("hires", title)
    if (
        not any(values)
        and all(text in ("0", "") for text in shown)
        and not target
        and not (previous and any(previous))
    ):
        return _empty(canvas)
    top = max([*values, target or 0, *(previous or [0])]) * 1.35 + 1  # room for the legend
    ticks = [(t, str(t)) for t in count_ticks(top)]
    positions = list(range(len(labels)))
    axes = _axes(
        canvas,
        left_labels=[label for _value, label in ticks],
        bottom_labels=labels,
        xlim=_category_span(len(labels)),
        ylim=(0, top),
        y_label=_("Embauches"),
    )
    _vertical_bars(canvas, axes, positions, values, 0.8, GREEN)
    for position, value, text in zip(positions, values, shown, strict=True):
        if text and text != "0":
            y = axes.y(value) - 2 - DESCENT * SMALL
            canvas.text(axes.x(position), y, text, size=SMALL, anchor="middle")
    legend = [(_("Embauches"), "bar", GREEN)]
    if previous is not None:
        points = [(axes.x(p), axes.y(v)) for p, v in zip(positions, previous, strict=True)]
        canvas.line(points, GREY, 1)
        for x, y in points:
            canvas.circle(x, y, 1.5, GREY)
        legend.append((_("Année précédente"), "marker", GREY))
    if target:
        canvas.line(
            [(axes.left, axes.y(target)), (axes.right, axes.y(target))], ORANGE, 1.5, dashed=True
        )
        legend.append((_("Objectif mensuel (%(n)s)") % {"n": round(target)}, "dashed", ORANGE))
    _left_ticks(canvas, axes, ticks)
    _bottom_ticks(canvas, axes, list(zip(positions, labels, strict=True)))
    _frame(canvas, axes, y_label=_("Embauches"))
    _legend(canvas, axes, legend, corner="upper left")
    description = [_series(_("Embauches"), labels, [text or "0" for text in shown])]
    if previous is not None:
        description.append(_series(_("Année précédente"), labels, previous))
    if target:
        description.append(legend[-1][0] + ".")
    return canvas.render(" ".join(description))


def offers_chart(*, labels: list[str], registered: list[int], filled: list[int], title: str) -> str:
    """Positions offered in the offers registered each month, beside the positions filled."""
    canvas = Canvas("offers", title)
    if not any(registered) and not any(filled):
        return _empty(canvas)
    top = max([*registered, *filled]) * 1.35 + 1
    ticks = [(t, str(t)) for t in count_ticks(top)]
    positions = list(range(len(labels)))
    axes = _axes(
        canvas,
        left_labels=[label for _value, label in ticks],
        bottom_labels=labels,
        xlim=_category_span(len(labels)),
        ylim=(0, top),
    )
    width = 0.4
    _vertical_bars(canvas, axes, [p - width / 2 for p in positions], registered, width, BLUE)
    # filled positions hatched: told apart from those offered in black and white too
    canvas.hatched = True
    _vertical_bars(canvas, axes, [p + width / 2 for p in positions], filled, width, "url(#hatch)")
    _left_ticks(canvas, axes, ticks)
    _bottom_ticks(canvas, axes, list(zip(positions, labels, strict=True)))
    _frame(canvas, axes)
    offered, taken = _("Postes offerts"), _("Postes pourvus")
    _legend(canvas, axes, [(offered, "bar", BLUE), (taken, "hatched", GREEN)], corner="upper left")
    return canvas.render(
        " ".join([_series(offered, labels, registered), _series(taken, labels, filled)])
    )


def occupancy_chart(*, labels: list[str], values: list[int], capacity: int, title: str) -> str:
    """Members of the immersion platform at the end of each month, against its capacity."""
    canvas = Canvas("occupancy", title)
    if not any(values):
        return _empty(canvas)
    top = max(capacity, max(values)) * 1.15
    ticks = [(t, str(t)) for t in count_ticks(top)]
    positions = list(range(len(labels)))
    margin = 0.05 * max(len(labels) - 1, 1)
    axes = _axes(
        canvas,
        left_labels=[label for _value, label in ticks],
        bottom_labels=labels,
        xlim=(-margin, len(labels) - 1 + margin),
        ylim=(0, top),
    )
    members = _("Jeunes sur la plateforme")
    limit = _("Capacité (%(n)s contrats)") % {"n": capacity}
    canvas.line(
        [(axes.left, axes.y(capacity)), (axes.right, axes.y(capacity))], ORANGE, 1.5, dashed=True
    )
    points = [(axes.x(p), axes.y(v)) for p, v in zip(positions, values, strict=True)]
    canvas.line(points, BLUE, 1.5)
    for x, y in points:
        canvas.circle(x, y, 3, BLUE)
    _left_ticks(canvas, axes, ticks)
    _bottom_ticks(canvas, axes, list(zip(positions, labels, strict=True)))
    _frame(canvas, axes)
    _legend(
        canvas,
        axes,
        [(members, "marker", BLUE, 3), (limit, "dashed", ORANGE)],
        corner="lower right",
    )
    return canvas.render(f"{_series(members, labels, values)} {limit}.")


CHARTS = {
    "funnel": funnel_chart,
    "hires": hires_chart,
    "offers": offers_chart,
    "occupancy": occupancy_chart,
}


def cache_key(kind: str, data: dict) -> str:
    """The key of a chart's SVG in the cache. "v2": the template-drawn charts, so that a
    deployment never serves the former drawings (an hour in the cache) of the same data."""
    digest = hashlib.sha256(json.dumps([kind, data], sort_keys=True, default=str).encode())
    return f"reporting:chart:v2:{digest.hexdigest()}"


def draw(kind: str, data: dict) -> str:
    """The SVG of a chart of the given kind for its data, cached an hour by their hash
    (the same data gives the same bytes)."""
    key = cache_key(kind, data)
    svg = cache.get(key)
    if svg is None:
        svg = CHARTS[kind](**data)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def data_uri(svg: str) -> str:
    """An <img src> for the SVG (the CSP allows data: images; WeasyPrint reads them)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
