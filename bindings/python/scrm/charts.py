"""Charts of libscrm results (matplotlib, optional).

Each function draws one chart and returns the matplotlib ``Figure``; pass
``ax=`` to draw into an existing Axes instead. Figures are created without
pyplot (no GUI backend needed); save them with :func:`save` or
``fig.savefig(path)``.

- :func:`retention_curves`: survival/retention per period, observed and projected
  (sBG), with the end of the calibration period marked.
- :func:`probability_alive_matrix`: P(alive) by frequency and recency (BG/NBD,
  Pareto/NBD, ...), as lifetimes' ``plot_probability_alive_matrix``.
- :func:`nps_trend`: NPS per period with its confidence band.
- :func:`tornado`: one-at-a-time sensitivity of an ROI output.
- :func:`monte_carlo_histogram`: distribution of simulated ROI with percentiles
  and P(ROI > threshold).

Inputs are plain sequences (lists, NumPy arrays, pandas Series), so the charts
do not depend on which module produced the numbers.
"""

import math


def _matplotlib():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("scrm.charts needs matplotlib "
                          "(Debian: apt-get install python3-matplotlib)") from None
    return Figure


def _axes(ax, figsize=(7.0, 4.5)):
    if ax is not None:
        return ax.figure, ax
    Figure = _matplotlib()
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _floats(values, what):
    out = [float(v) for v in values]
    if not out:
        raise ValueError(f"{what}: no values")
    return out


def save(fig, path, dpi=120):
    """Write ``fig`` to ``path`` (the format follows the extension, e.g. ``.png``)."""
    fig.savefig(path, dpi=dpi)
    return path


def retention_curves(observed, projected=None, calibration_periods=None, ax=None,
                     title="Retention", ylabel="Share of customers surviving",
                     xlabel="Period"):
    """Survival curves: ``observed`` and ``projected`` map a segment label to the
    share surviving at periods 0, 1, 2, ... (projections usually run longer).
    ``calibration_periods`` draws a line where the fitted data end."""
    fig, ax = _axes(ax)
    colors = {}
    for label, values in observed.items():
        ys = _floats(values, f"observed[{label!r}]")
        (line,) = ax.plot(range(len(ys)), ys, marker="o", linestyle="-", label=f"{label}")
        colors[label] = line.get_color()
    for label, values in (projected or {}).items():
        ys = _floats(values, f"projected[{label!r}]")
        ax.plot(range(len(ys)), ys, linestyle="--", color=colors.get(label),
                label=f"{label} (projected)")
    if calibration_periods is not None:
        ax.axvline(calibration_periods, color="0.5", linestyle=":", linewidth=1)
        ax.annotate("end of calibration", (calibration_periods, 0.0), xytext=(4, 6),
                    textcoords="offset points", fontsize=8, color="0.4")
    ax.set_ylim(0, 1.02)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")  # survival falls: the top right stays clear
    return fig


def probability_alive_matrix(matrix, ax=None, title="Probability customer is alive",
                             xlabel="Customer's historical frequency",
                             ylabel="Customer's recency", cmap="coolwarm",
                             max_frequency=None, max_recency=None):
    """Heat map of ``matrix[recency][frequency]`` (rows: recency 0..R, columns:
    frequency 0..F), the layout of lifetimes' ``conditional_probability_alive_matrix``.

    ``matrix`` may also be a fitted :mod:`scrm.compat.lifetimes` fitter (anything
    with ``conditional_probability_alive_matrix``); ``max_frequency`` and
    ``max_recency`` are then passed to it."""
    if hasattr(matrix, "conditional_probability_alive_matrix"):
        matrix = matrix.conditional_probability_alive_matrix(max_frequency, max_recency)
    rows = [_floats(row, "matrix row") for row in matrix]
    if not rows or len({len(r) for r in rows}) != 1:
        raise ValueError("matrix: expected a non-empty rectangular 2-D array")
    fig, ax = _axes(ax, figsize=(6.0, 5.0))
    image = ax.imshow(rows, origin="lower", aspect="auto", cmap=cmap, vmin=0.0, vmax=1.0,
                      interpolation="nearest")
    fig.colorbar(image, ax=ax, label="P(alive)")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return fig


def nps_trend(periods, nps=None, lower=None, upper=None, ax=None, title="Net Promoter Score",
              ylabel="NPS"):
    """NPS per period (``periods``: labels, datetimes or seconds since the epoch)
    with the confidence band ``lower``..``upper`` when given. Values on the
    -100..100 scale.

    ``nps_trend(groups)``: the groups of :meth:`scrm.Nps.by_period` (or
    ``by_segment``) directly; their estimates and confidence intervals are used."""
    periods = list(periods)
    if nps is None:
        groups = periods
        periods = [g.period_start if g.period_start is not None else
                   (g.segment if g.segment is not None else "(unknown)") for g in groups]
        nps = [g.result.nps for g in groups]
        lower = [g.result.ci_low for g in groups]
        upper = [g.result.ci_high for g in groups]
    ys = _floats(nps, "nps")
    if len(periods) != len(ys):
        raise ValueError(f"periods ({len(periods)}) and nps ({len(ys)}) differ in length")
    fig, ax = _axes(ax)
    x = list(range(len(ys)))
    if lower is not None and upper is not None:
        lo, hi = _floats(lower, "lower"), _floats(upper, "upper")
        if not len(lo) == len(hi) == len(ys):
            raise ValueError("lower and upper must have one value per period")
        ax.fill_between(x, lo, hi, alpha=0.25, label="confidence interval")
    ax.plot(x, ys, marker="o", label="NPS")
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels([_period_label(p) for p in periods], rotation=45, ha="right")
    ax.set_ylim(-100, 100)
    ax.set(title=title, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def _period_label(p):
    if hasattr(p, "strftime"):
        return p.strftime("%Y-%m-%d")
    if isinstance(p, int) and abs(p) > 10**8:  # seconds since the epoch
        from .times import to_datetime
        return to_datetime(p).strftime("%Y-%m-%d")
    return str(p)


def tornado(names, low, high, base, ax=None, title="Sensitivity", xlabel="ROI",
            low_label="input low", high_label="input high"):
    """Tornado chart: for each input ``names[i]``, the output at its low and high
    value around the ``base`` output; widest bar on top."""
    names = [str(n) for n in names]
    lo, hi = _floats(low, "low"), _floats(high, "high")
    if not len(names) == len(lo) == len(hi):
        raise ValueError("names, low and high must have the same length")
    order = sorted(range(len(names)), key=lambda i: abs(hi[i] - lo[i]))
    fig, ax = _axes(ax, figsize=(7.0, 0.5 * len(names) + 1.5))
    y = list(range(len(order)))
    ax.barh(y, [lo[i] - base for i in order], left=base, color="#d9534f", label=low_label)
    ax.barh(y, [hi[i] - base for i in order], left=base, color="#5cb85c", label=high_label)
    ax.axvline(base, color="0.2", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels([names[i] for i in order])
    ax.set(title=title, xlabel=xlabel)
    ax.legend(loc="lower right")
    return fig


def monte_carlo_histogram(samples, percentiles=(5, 50, 95), threshold=0.0, bins=50,
                          ax=None, title="Monte Carlo ROI", xlabel="ROI"):
    """Histogram of simulated outcomes with percentile lines and the share above
    ``threshold`` (P(ROI > 0) by default) in the legend."""
    xs = sorted(x for x in _floats(samples, "samples") if not math.isnan(x))
    if not xs:
        raise ValueError("samples: all values are NaN")
    fig, ax = _axes(ax)
    ax.hist(xs, bins=bins, color="#4a7ab5", alpha=0.85)
    values = [_percentile(xs, p) for p in percentiles]
    for i, value in enumerate(values):
        label = None if i else (" / ".join(f"P{p:g}" for p in percentiles) + " = " +
                                " / ".join(f"{v:.3g}" for v in values))
        ax.axvline(value, color="0.15", linestyle="--", linewidth=1, label=label)
    above = sum(1 for x in xs if x > threshold) / len(xs)
    ax.axvline(threshold, color="#d9534f", linewidth=1.5,
               label=f"P({xlabel} > {threshold:g}) = {above:.1%}")
    ax.set(title=title, xlabel=xlabel, ylabel="Simulations")
    ax.legend()
    return fig


def _percentile(sorted_values, p):
    """Linear-interpolation percentile (NumPy's default) of sorted values."""
    k = (len(sorted_values) - 1) * p / 100.0
    lo = math.floor(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


__all__ = ["save", "retention_curves", "probability_alive_matrix", "nps_trend", "tornado",
           "monte_carlo_histogram"]
