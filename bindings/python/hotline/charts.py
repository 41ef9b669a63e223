"""Charts for the reports, with matplotlib (Debian's python3-matplotlib).

Where people would rather look than read: monthly volumes by type, and the
on-time rate of every unit.  Each function draws on the Axes it is given (or a
new figure's) and returns it, so a script can add titles or save as it likes:

    import matplotlib
    matplotlib.use("Agg")
    from hotline import charts
    ax = charts.volumes_by_type([hotline.monthly_statistics(store, p) for p in months])
    ax.figure.savefig("volumes.png", dpi=150)
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from ._core import MonthlyStatistics, Timeliness

# The annex 8 table 1 types, in the annex's order, with the labels drawn.
TYPES = (("reports", "report"), ("complaints", "complaint"), ("consultations", "consultation"),
         ("suggestions", "suggestion"), ("other", "other"))


def volumes_by_type(months: Sequence[MonthlyStatistics], ax: Optional[Any] = None) -> Any:
    """Stacked bars: one bar per month, one segment per annex 8 type."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 1.2 * len(months) + 2), 4))
    labels = [m.period.label for m in months]
    bottom = [0.0] * len(months)
    for attr, name in TYPES:
        heights = [float(getattr(m, attr)) for m in months]
        ax.bar(labels, heights, bottom=bottom, label=name)
        bottom = [b + h for b, h in zip(bottom, heights)]
    ax.set_ylabel("orders")
    ax.set_title("Monthly volumes by type (annex 8 table 1)")
    ax.legend()
    return ax


def on_time_by_unit(report: Timeliness, clock: str = "reply", ax: Optional[Any] = None) -> Any:
    """Horizontal bars: each unit's on-time rate for one clock ("reply" or
    "completion"), labelled with numerator/denominator; units with no decided
    clock are left out (no rate is not a rate of 0)."""
    import matplotlib.pyplot as plt

    if clock not in ("reply", "completion"):
        raise ValueError(f"clock must be 'reply' or 'completion', not {clock!r}")
    rows = [(u["unit"] or "(not dispatched)", u[clock]["on_time"]) for u in report.by_unit]
    rows = [(name, r) for name, r in rows if r["denominator"] > 0]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, max(2.0, 0.35 * len(rows) + 1)))
    names = [name for name, _ in rows]
    values = [100.0 * r["value"] for _, r in rows]
    bars = ax.barh(names, values)
    for bar, (_, r) in zip(bars, rows):
        ax.annotate(f"{r['numerator']}/{r['denominator']}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel(f"{clock} on time (%)")
    ax.set_title(f"On-time rate by unit, {report.period.label}")
    ax.invert_yaxis()
    return ax
