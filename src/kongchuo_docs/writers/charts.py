"""Charts for the county summary as PNG files: CJK labels, same data → same bytes.

The figures are drawn with matplotlib's Agg canvas (no pyplot state), in the 黑体 role font of
`fonts` (the user's 黑体, else the free stand-in), saved at a fixed dpi without the "Software"
metadata, with a fixed SVG hash salt — so a chart is byte-identical from run to run.
Rates near 100 % are drawn as dots on a zoomed axis (bars cut off at a zoomed axis would mislead).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .. import gbt9704
from ..model import stats
from ..system import fonts

FIGURE_WIDTH_MM = 150.0  # [practice] a chart image inside the 156 mm 版心, as placed in the DOCX/PDF
FIGURE_DPI = 200  # print quality at that size
FONT_SIZE_PT = 9.0  # labels at the printed size
ROW_HEIGHT_MM = 11.0  # one township row of the rates chart
MAX_CHART_HEIGHT_MM = 200.0  # a chart stays within the 225 mm 版心 with its caption
ROTATE_LABELS_ABOVE = 8  # more bar groups than this: slanted labels
BAR_CHART_HEIGHT_MM = 80.0
MM_PER_INCH = 25.4
HASH_SALT = "kongchuo-docs"  # fixed: matplotlib otherwise salts SVG ids randomly
SERIES_COLOURS = ("#c00000", "#1f4e79", "#7f6000", "#548235")  # red, blue, ochre, green
MARKERS = ("o", "s", "D", "^")
ZERO_DENOMINATOR_LABEL = "—"
RATE_AXIS_PADDING = Decimal("0.5")  # percent points left of the lowest rate
ROW_SPREAD = 0.5  # the series of one row spread over half a row


@cache
def chart_font() -> font_manager.FontProperties:
    """The 黑体 role's face, registered with matplotlib (every face of a .ttc is added)."""
    role = fonts.resolve_fonts()[gbt9704.FONT_HEITI]
    font_manager.fontManager.addfont(str(role.path))
    return font_manager.FontProperties(family=role.family, size=FONT_SIZE_PT)


def _figure(height_mm: float) -> Figure:
    matplotlib.rcParams["svg.hashsalt"] = HASH_SALT
    fig = Figure(figsize=(FIGURE_WIDTH_MM / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=FIGURE_DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: Path) -> None:
    fig.savefig(path, format="png", dpi=FIGURE_DPI, metadata={"Software": None})


def rates_chart(
    path: Path,
    labels: Sequence[str],
    series: dict[str, Sequence[stats.Rate]],
    *,
    title: str | None = None,
    rounding: stats.RoundingMode = "half-up",
) -> None:
    """Dots per label (rows) and series (rates in percent, x); a zero denominator is marked "—"."""
    font = chart_font()
    percents = {name: [r.percent(rounding) for r in rates] for name, rates in series.items()}
    values = [v for vs in percents.values() for v in vs if v is not None]
    low = min(values, default=Decimal(99)) - RATE_AXIS_PADDING
    fig = _figure(min(MAX_CHART_HEIGHT_MM, ROW_HEIGHT_MM * (len(labels) + 3)))
    ax = fig.add_subplot()
    rows = range(len(labels))
    step = ROW_SPREAD / max(1, len(series) - 1)
    for i, (name, colour, marker) in enumerate(zip(series, SERIES_COLOURS, MARKERS, strict=False)):
        offset = i * step - ROW_SPREAD / 2 if len(series) > 1 else 0.0
        shown = [(r, v, rate) for r, v, rate in zip(rows, percents[name], series[name], strict=True)]
        xs = [float(v) for _, v, _ in shown if v is not None]
        ys = [r + offset for r, v, _ in shown if v is not None]
        ax.scatter(xs, ys, label=name, color=colour, marker=marker, s=22, zorder=3)
        for r, v, rate in shown:
            text = ZERO_DENOMINATOR_LABEL if v is None else rate.text(rounding).removesuffix("%")
            ax.annotate(text, (float(low if v is None else v), r + offset), xytext=(5, 0),
                        textcoords="offset points", va="center", color=colour,
                        fontproperties=font, fontsize=FONT_SIZE_PT - 2)
    ax.set_xlim(float(low), 100 + float(RATE_AXIS_PADDING) * 2)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_yticks(list(rows), list(labels), fontproperties=font)
    ax.axvline(100, color="#999999", linewidth=0.6, zorder=1)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_xlabel("比率（%）", fontproperties=font)
    ax.set_xticks([t for t in ax.get_xticks() if float(low) <= t <= 100])  # no rate lies above 100 %
    for tick in ax.get_xticklabels():
        tick.set_fontproperties(font)
    ax.legend(prop=font, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(series), frameon=False)
    if title:  # a document's figure caption usually says it already
        fig.suptitle(title, fontproperties=font, fontsize=FONT_SIZE_PT + 1)
    fig.tight_layout()
    _save(fig, path)


def counts_chart(
    path: Path,
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    *,
    title: str | None = None,
) -> None:
    """Grouped bars of counts (persons) per label, each bar labelled with its number."""
    font = chart_font()
    fig = _figure(BAR_CHART_HEIGHT_MM)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(series))
    for i, ((name, vs), colour) in enumerate(zip(series.items(), SERIES_COLOURS, strict=False)):
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
        bars = ax.bar(xs, list(vs), width=width, label=name, color=colour, zorder=3)
        ax.bar_label(bars, labels=[str(v) for v in vs], fontproperties=font, fontsize=FONT_SIZE_PT - 1)
    slanted = len(labels) > ROTATE_LABELS_ABOVE
    ax.set_xticks(list(range(len(labels))), list(labels), fontproperties=font,
                  rotation=45 if slanted else 0, ha="right" if slanted else "center")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max((v for vs in series.values() for v in vs), default=0)
    ax.set_ylim(0, max(1, top) * 1.2)
    ax.set_ylabel("人数", fontproperties=font)
    ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    ax.legend(prop=font, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(series), frameon=False)
    if title:  # a document's figure caption usually says it already
        fig.suptitle(title, fontproperties=font, fontsize=FONT_SIZE_PT + 1)
    for tick in ax.get_yticklabels():
        tick.set_fontproperties(font)
    fig.tight_layout()
    _save(fig, path)
