"""Charts drawn on the server as SVG with matplotlib: the same functions draw the
dashboards' chart images and the annual review's PDF charts (as data: URIs).

Deterministic output (same data, same bytes): a fixed svg.hashsalt, no date metadata,
text kept as text. No pyplot: Figure objects are thread-safe enough for a web worker.
`draw` caches each SVG by a hash of its kind and data.

One layout pass: the margins are computed from the measured width of the tick labels
(`_fit`) instead of `bbox_inches="tight"`, which draws every figure twice (half of the
drawing time of a dashboard).

A chart is named by a kind and its data (`draw(kind, data)`), so that a table can carry
its chart's data and the dashboards can serve each chart as its own image.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import TextToPath  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

RC = {
    "svg.hashsalt": "convention-portal-reporting",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Colours readable by colour-blind readers (Okabe-Ito) and in black and white.
BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#555555"
SVG_METADATA = {"Date": None, "Creator": "Portail Convention"}
CACHE_SECONDS = 60 * 60
POINTS = 72  # points per inch: text sizes are in points
TICK = (3.5 + 3.5) / POINTS  # a tick's length and the pad before its label
LINE = 9 * 1.25 / POINTS  # one line of 9 pt text
_TEXT_PATHS = TextToPath()


def _text_width(text: str, size: float = 9) -> float:
    """The width in inches of a text in the charts' font."""
    prop = FontProperties(family=RC["font.family"], size=size)
    width, _height, _descent = _TEXT_PATHS.get_text_width_height_descent(
        str(text), prop, ismath=False
    )
    return width / POINTS


def _tick_labels(axis) -> list[str]:
    """The labels the axis will show (its locator and formatter, without drawing)."""
    labels = [text.get_text() for text in axis.get_ticklabels()]
    if any(labels):
        return labels
    return axis.get_major_formatter().format_ticks(axis.get_majorticklocs())


def _fit(figure: Figure) -> None:
    """Margins that hold the title, the tick labels and the axis labels, from their
    measured widths: one layout pass instead of bbox_inches="tight"'s two."""
    axes = figure.axes[0]
    width, height = figure.get_size_inches()
    left = max((_text_width(t) for t in _tick_labels(axes.yaxis)), default=0) + TICK + 0.1
    if axes.get_ylabel():
        left += LINE + 4 / POINTS
    x_labels = _tick_labels(axes.xaxis)
    right = max((_text_width(t) for t in x_labels[-1:]), default=0) / 2 + 0.12
    bottom = LINE + TICK + 0.06
    if axes.get_xlabel():
        bottom += LINE + 4 / POINTS
    top = (LINE + 6 / POINTS + 0.08) if axes.get_title(loc="left") else 0.12
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )


def _render(figure: Figure) -> str:
    """The figure as SVG text (called inside a chart drawn under `_styled`)."""
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    if figure.axes[0].axison:
        _fit(figure)
    figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()


# Each kind's size in inches (the dashboards give the <img> its size in CSS pixels).
SIZES = {"funnel": (6.4, 3.0), "hires": (6.4, 3.2), "offers": (6.4, 3.2), "occupancy": (6.4, 3.2)}


def pixel_size(kind: str) -> tuple[int, int]:
    """(width, height) of a kind's SVG in CSS pixels (96 per inch)."""
    width, height = SIZES[kind]
    return round(width * 96), round(height * 96)


def _new_figure(kind: str) -> Figure:
    figure = Figure(figsize=SIZES[kind], dpi=100)
    figure.add_subplot(1, 1, 1)
    return figure


def _empty(figure: Figure) -> None:
    axes = figure.axes[0]
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        _("Aucune donnée pour cette période"),
        ha="center",
        va="center",
        fontsize=11,
        color=GREY,
        transform=axes.transAxes,
    )


def _counts() -> MaxNLocator:
    """Ticks for counts of people and positions: whole numbers only (never "0.2
    jeunes"). A new locator per axis: a locator belongs to the axis it is set on."""
    return MaxNLocator(integer=True)


def _styled(chart):
    """Draw the chart under the charts' style (fonts, spines, SVG settings)."""

    @functools.wraps(chart)
    def wrapper(**data) -> str:
        with matplotlib.rc_context(RC):
            return chart(**data)

    return wrapper


def _bar_labels(axes, bars, labels: list[str]) -> None:
    for bar, label in zip(bars, labels, strict=True):
        if label:
            axes.annotate(
                label,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )


@_styled
def funnel_chart(*, labels: list[str], values: list[int], shown: list[str], title: str) -> str:
    """Horizontal bars, first stage on top: youths entering each stage."""
    figure = _new_figure("funnel")
    axes = figure.axes[0]
    # masked counts ("< 5") are drawn at zero with their label: they are data
    if not any(values) and all(text in ("0", "") for text in shown):
        _empty(figure)
        return _render(figure)
    positions = list(range(len(labels)))[::-1]
    bars = axes.barh(positions, values, color=BLUE)
    axes.set_yticks(positions, labels)
    # room right of the longest bar for its value: the axes' width once the stage
    # names are placed, less the widest value label
    plot_width = SIZES["funnel"][0] - max(_text_width(label) for label in labels) - TICK - 0.5
    widest = max(_text_width(text, 8) for text in shown) + 6 / POINTS
    axes.set_xlim(0, max(max(values), 1) * plot_width / max(plot_width - widest, 0.5))
    for bar, text in zip(bars, shown, strict=True):
        axes.annotate(
            text,
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            fontsize=8,
            xytext=(3, 0),
            textcoords="offset points",
        )
    axes.xaxis.set_major_locator(_counts())
    axes.set_xlabel(_("Jeunes"))
    axes.set_title(title, loc="left")
    return _render(figure)


@_styled
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
    figure = _new_figure("hires")
    axes = figure.axes[0]
    if (
        not any(values)
        and all(text in ("0", "") for text in shown)
        and not target
        and not (previous and any(previous))
    ):
        _empty(figure)
        return _render(figure)
    positions = list(range(len(labels)))
    bars = axes.bar(positions, values, color=GREEN, label=_("Embauches"))
    _bar_labels(axes, bars, shown)
    if previous is not None:
        axes.plot(
            positions,
            previous,
            color=GREY,
            marker="o",
            markersize=3,
            linewidth=1,
            label=_("Année précédente"),
        )
    if target:
        axes.axhline(
            target,
            color=ORANGE,
            linestyle="--",
            linewidth=1.5,
            label=_("Objectif mensuel (%(n)s)") % {"n": round(target)},
        )
    top = max([*values, target or 0, *(previous or [0])])
    axes.set_ylim(0, top * 1.35 + 1)  # room for the legend above the bars and the line
    axes.yaxis.set_major_locator(_counts())
    axes.set_xticks(positions, labels)
    axes.set_ylabel(_("Embauches"))
    axes.set_title(title, loc="left")
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return _render(figure)


@_styled
def offers_chart(*, labels: list[str], registered: list[int], filled: list[int], title: str) -> str:
    """Positions offered in the offers registered each month, beside the positions filled."""
    figure = _new_figure("offers")
    axes = figure.axes[0]
    if not any(registered) and not any(filled):
        _empty(figure)
        return _render(figure)
    positions = list(range(len(labels)))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions],
        registered,
        width,
        color=BLUE,
        label=_("Postes offerts"),
    )
    axes.bar(
        [p + width / 2 for p in positions],
        filled,
        width,
        color=GREEN,
        hatch="//",
        edgecolor="white",
        label=_("Postes pourvus"),
    )
    axes.set_ylim(0, max([*registered, *filled]) * 1.35 + 1)
    axes.yaxis.set_major_locator(_counts())
    axes.set_xticks(positions, labels)
    axes.set_title(title, loc="left")
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return _render(figure)


@_styled
def occupancy_chart(*, labels: list[str], values: list[int], capacity: int, title: str) -> str:
    """Members of the immersion platform at the end of each month, against its capacity."""
    figure = _new_figure("occupancy")
    axes = figure.axes[0]
    if not any(values):
        _empty(figure)
        return _render(figure)
    positions = list(range(len(labels)))
    axes.plot(positions, values, color=BLUE, marker="o", label=_("Jeunes sur la plateforme"))
    axes.axhline(
        capacity,
        color=ORANGE,
        linestyle="--",
        label=_("Capacité (%(n)s contrats)") % {"n": capacity},
    )
    axes.set_ylim(0, max(capacity, max(values)) * 1.15)
    axes.yaxis.set_major_locator(_counts())
    axes.set_xticks(positions, labels)
    axes.set_title(title, loc="left")
    axes.legend(frameon=False, fontsize=8, loc="lower right")
    return _render(figure)


CHARTS = {
    "funnel": funnel_chart,
    "hires": hires_chart,
    "offers": offers_chart,
    "occupancy": occupancy_chart,
}


def cache_key(kind: str, data: dict) -> str:
    digest = hashlib.sha256(json.dumps([kind, data], sort_keys=True, default=str).encode())
    return f"reporting:chart:{digest.hexdigest()}"


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
