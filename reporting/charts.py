"""Charts drawn on the server as SVG with matplotlib: the same functions feed the
dashboards (as <img> data URIs, allowed by the CSP) and the annual review's PDF.

Deterministic output (same data, same bytes): a fixed svg.hashsalt, no date metadata,
text kept as text. No pyplot: Figure objects are thread-safe enough for a web worker.
Each SVG is cached by a hash of its inputs.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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


def _render(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    with matplotlib.rc_context(RC):
        figure.savefig(buffer, format="svg", metadata=SVG_METADATA, bbox_inches="tight")
    return buffer.getvalue()


def _new_figure(width: float = 6.4, height: float = 3.2) -> Figure:
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(width, height), dpi=100)
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


def _cached(name: str, payload: dict, draw) -> str:
    digest = hashlib.sha256(
        json.dumps([name, payload], sort_keys=True, default=str).encode()
    ).hexdigest()
    key = f"reporting:chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        with matplotlib.rc_context(RC):
            svg = draw()
        cache.set(key, svg, CACHE_SECONDS)
    return svg


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


def funnel_chart(*, labels: list[str], values: list[int], shown: list[str], title: str) -> str:
    """Horizontal bars, first stage on top: youths entering each stage."""

    def draw():
        figure = _new_figure(6.4, 3.0)
        axes = figure.axes[0]
        # masked counts ("< 5") are drawn at zero with their label: they are data
        if not any(values) and all(text in ("0", "") for text in shown):
            _empty(figure)
            return _render(figure)
        positions = list(range(len(labels)))[::-1]
        bars = axes.barh(positions, values, color=BLUE)
        axes.set_yticks(positions, labels)
        for bar, text in zip(bars, shown, strict=True):
            axes.annotate(
                text,
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                va="center",
                fontsize=8,
                xytext=(3, 0),
                textcoords="offset points",
            )
        axes.set_xlabel(_("Jeunes"))
        axes.set_title(title, loc="left")
        return _render(figure)

    return _cached("funnel", {"l": labels, "v": values, "s": shown, "t": title}, draw)


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

    def draw():
        figure = _new_figure()
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
        axes.set_xticks(positions, labels)
        axes.set_ylabel(_("Embauches"))
        axes.set_title(title, loc="left")
        axes.legend(frameon=False, fontsize=8, loc="upper left")
        return _render(figure)

    return _cached(
        "hires",
        {"l": labels, "v": values, "s": shown, "t": target, "ti": title, "p": previous},
        draw,
    )


def offers_chart(*, labels: list[str], registered: list[int], filled: list[int], title: str) -> str:
    """Positions offered in the offers registered each month, beside the positions filled."""

    def draw():
        figure = _new_figure()
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
        axes.set_xticks(positions, labels)
        axes.set_title(title, loc="left")
        axes.legend(frameon=False, fontsize=8, loc="upper left")
        return _render(figure)

    return _cached("offers", {"l": labels, "r": registered, "f": filled, "t": title}, draw)


def occupancy_chart(*, labels: list[str], values: list[int], capacity: int, title: str) -> str:
    """Members of the immersion platform at the end of each month, against its capacity."""

    def draw():
        figure = _new_figure()
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
        axes.set_xticks(positions, labels)
        axes.set_title(title, loc="left")
        axes.legend(frameon=False, fontsize=8, loc="lower right")
        return _render(figure)

    return _cached("occupancy", {"l": labels, "v": values, "c": capacity, "t": title}, draw)


def data_uri(svg: str) -> str:
    """An <img src> for the SVG (the CSP allows data: images; WeasyPrint reads them)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
