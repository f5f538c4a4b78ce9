"""lifetimes.plotting for scrm.compat.lifetimes: lifetimes' charts, with its
function names, signatures, titles and labels, drawn with matplotlib's pyplot
(as lifetimes draws them) from the fitters' predictions.

Needs matplotlib and pandas; the two heterogeneity charts also need SciPy (the
99% quantile of the gamma/beta mixing distribution bounds their x axis), all
imported when a chart is drawn.

Difference from lifetimes: :func:`plot_period_transactions` draws the *expected*
number of customers at each repeat frequency (sum over customers of
P(X(T) = x) at their own age T, computed by libscrm) where lifetimes draws one
random sample from ``generate_new_data``; the bars are the mean of lifetimes'
random bars, without their noise.
"""

from ._common import np, pd
from .utils import calculate_alive_path, expected_cumulative_transactions

__all__ = [
    "plot_period_transactions",
    "plot_calibration_purchases_vs_holdout_purchases",
    "plot_frequency_recency_matrix",
    "plot_probability_alive_matrix",
    "plot_expected_repeat_purchases",
    "plot_history_alive",
    "plot_cumulative_transactions",
    "plot_incremental_transactions",
    "plot_transaction_rate_heterogeneity",
    "plot_dropout_rate_heterogeneity",
]

_NEEDS = "scrm.compat.lifetimes.plotting needs {} (Debian: apt-get install python3-{})"


def _plt():
    try:
        from matplotlib import pyplot
    except ImportError:
        raise ImportError(_NEEDS.format("matplotlib", "matplotlib")) from None
    return pyplot


def _pandas():
    p = pd()
    if p is None:
        raise ImportError(_NEEDS.format("pandas", "pandas"))
    return p


def _stats():
    try:
        from scipy import stats
    except ImportError:
        raise ImportError(_NEEDS.format("SciPy", "scipy")) from None
    return stats


def _column(model, name):
    return np().asarray(model.data[name], dtype=float)


def _square(ax):
    """Square cells for a matrix drawn with imshow (lifetimes' forceAspect)."""
    left, right, bottom, top = ax.get_images()[0].get_extent()
    ax.set_aspect(abs((right - left) / (top - bottom)))


def _matrix_chart(z, title, xlabel, ylabel, kwargs):
    plt = _plt()
    interpolation = kwargs.pop("interpolation", "none")
    ax = plt.subplot(111)
    image = ax.imshow(z, interpolation=interpolation, **kwargs)
    plt.xlabel(xlabel)
    plt.ylabel(ylabel)
    plt.title(title)
    _square(ax)
    plt.colorbar(image, ax=ax)
    return ax


def plot_period_transactions(model, max_frequency=7, title="Frequency of Repeat Transactions",
                             xlabel="Number of Calibration Period Transactions",
                             ylabel="Customers", **kwargs):
    """Bars of customers by repeat frequency 0 .. max_frequency - 1: as observed in
    the fitted data, and as the model expects at each customer's age T."""
    plt = _plt()
    n = np()
    labels = kwargs.pop("label", ["Actual", "Model"])
    x = _column(model, "frequency")
    weights = _column(model, "weights") if "weights" in model.data else n.ones(len(x))
    counts = n.arange(max_frequency, dtype=float)
    actual = n.array([weights[x == k].sum() for k in counts])
    ages, where = n.unique(_column(model, "T"), return_inverse=True)
    at_age = n.bincount(where, weights=weights, minlength=len(ages))
    pmf = model._fitted_model().probability_purchases(n.repeat(ages, len(counts)),
                                                      n.tile(counts, len(ages)))
    expected = at_age @ n.asarray(pmf, dtype=float).reshape(len(ages), len(counts))
    table = _pandas().DataFrame({labels[0]: actual, labels[1]: expected},
                                index=counts.astype(int))
    ax = table.plot(kind="bar", **kwargs)
    plt.legend()
    plt.title(title)
    plt.ylabel(ylabel)
    plt.xlabel(xlabel)
    return ax


_CAL_XLABELS = {
    "frequency_cal": "Purchases in calibration period",
    "recency_cal": "Age of customer at last purchase",
    "T_cal": "Age of customer at the end of calibration period",
    "time_since_last_purchase": "Time since user made last purchase",
}


def plot_calibration_purchases_vs_holdout_purchases(model, calibration_holdout_matrix,
                                                    kind="frequency_cal", n=7, **kwargs):
    """Mean holdout purchases, actual and predicted, by ``kind`` (frequency_cal,
    recency_cal, T_cal or time_since_last_purchase) for its first ``n`` values."""
    plt = _plt()
    if kind not in _CAL_XLABELS:
        raise ValueError(f"kind={kind!r}: one of {', '.join(_CAL_XLABELS)}")
    table = calibration_holdout_matrix.copy()
    table["model_predictions"] = model.conditional_expected_number_of_purchases_up_to_time(
        table["duration_holdout"].iloc[0], table["frequency_cal"], table["recency_cal"],
        table["T_cal"])
    if kind == "time_since_last_purchase":
        table[kind] = table["T_cal"] - table["recency_cal"]
    means = table.groupby(kind)[["frequency_holdout", "model_predictions"]].mean()
    ax = means.iloc[:n].plot(**kwargs)
    plt.title("Actual Purchases in Holdout Period vs Predicted Purchases")
    plt.xlabel(_CAL_XLABELS[kind])
    plt.ylabel("Average of Purchases in Holdout Period")
    plt.legend()
    return ax


def plot_frequency_recency_matrix(model, T=1, max_frequency=None, max_recency=None,
                                  title=None, xlabel="Customer's Historical Frequency",
                                  ylabel="Customer's Recency", **kwargs):
    """Expected purchases in the next ``T`` by frequency (columns) and recency
    (rows), at age max_recency (default: the largest T in the data)."""
    n = np()
    if max_frequency is None:
        max_frequency = int(_column(model, "frequency").max())
    if max_recency is None:
        max_recency = int(_column(model, "T").max())
    recency, frequency = n.meshgrid(n.arange(max_recency + 1, dtype=float),
                                    n.arange(max_frequency + 1, dtype=float), indexing="ij")
    z = model.conditional_expected_number_of_purchases_up_to_time(
        T, frequency.ravel(), recency.ravel(), n.full(recency.size, float(max_recency)))
    z = n.asarray(z, dtype=float).reshape(recency.shape)
    if title is None:
        title = (f"Expected Number of Future Purchases for {T} Unit{'' if T == 1 else 's'} "
                 "of Time,\nby Frequency and Recency of a Customer")
    return _matrix_chart(z, title, xlabel, ylabel, kwargs)


def plot_probability_alive_matrix(
        model, max_frequency=None, max_recency=None,
        title="Probability Customer is Alive,\nby Frequency and Recency of a Customer",
        xlabel="Customer's Historical Frequency", ylabel="Customer's Recency", **kwargs):
    """P(alive) by frequency (columns) and recency (rows): the fitter's
    ``conditional_probability_alive_matrix``."""
    z = model.conditional_probability_alive_matrix(max_frequency, max_recency)
    return _matrix_chart(z, title, xlabel, ylabel, kwargs)


def plot_expected_repeat_purchases(model, title="Expected Number of Repeat Purchases per "
                                   "Customer", xlabel="Time Since First Purchase", ax=None,
                                   label=None, **kwargs):
    """E[X(t)] of a new customer: solid up to the largest T in the data, dashed
    from there to 1.5 times it (100 points each)."""
    plt = _plt()
    n = np()
    if ax is None:
        ax = plt.subplot(111)
    color = kwargs.pop("c", None)
    color = kwargs.pop("color", None) if color is None else color
    max_age = _column(model, "T").max()
    for times, style in ((n.linspace(0, max_age, 100), "-"),
                         (n.linspace(max_age, 1.5 * max_age, 100), "--")):
        line, = ax.plot(times, model.expected_number_of_purchases_up_to_time(times),
                        color=color, ls=style, label=label if style == "-" else None,
                        **kwargs)
        color = line.get_color()
    plt.title(title)
    plt.xlabel(xlabel)
    plt.legend(loc="lower right")
    return ax


def plot_history_alive(model, t, transactions, datetime_col, freq="D", start_date=None,
                       ax=None, **kwargs):
    """P(alive) of one customer over ``t`` periods since the first purchase
    (:func:`calculate_alive_path`), with the purchase periods as dashed lines."""
    plt = _plt()
    p = _pandas()
    times = p.to_datetime(transactions[datetime_col])
    first = times.min()
    if start_date is None:
        start_date = first
    if ax is None:
        ax = plt.subplot(111)
    path = calculate_alive_path(model, transactions, datetime_col, t, freq)
    dates = p.date_range(start=first, periods=len(path), freq=freq)
    plt.plot(dates, path, "-", label="P_alive", **kwargs)
    counts = p.Series(1, index=p.DatetimeIndex(times)).resample(freq).sum()
    purchases = counts[counts >= 1].index
    plt.vlines(purchases.values, ymin=0, ymax=1, colors="r", linestyles="dashed",
               label="purchases")
    plt.ylim(0, 1.0)
    plt.yticks(np().arange(0, 1.1, 0.1))
    plt.xlim(start_date, dates[-1])
    plt.legend(loc=3)
    plt.ylabel("P_alive")
    plt.title("History of P_alive")
    return ax


def _tracking(model, transactions, datetime_col, customer_id_col, t, t_cal, datetime_format,
              freq, set_index_date, title, xlabel, ylabel, ax, incremental, kwargs):
    plt = _plt()
    if ax is None:
        ax = plt.subplot(111)
    table = expected_cumulative_transactions(model, transactions, datetime_col,
                                             customer_id_col, t,
                                             datetime_format=datetime_format, freq=freq,
                                             set_index_date=set_index_date)
    if incremental:
        table = table - table.shift(1)
    ax = table.plot(ax=ax, title=title, **kwargs)
    if set_index_date:
        marker, xlabel = table.index[int(t_cal)], "date"
    else:
        marker = t_cal
    ax.axvline(x=marker, color="r", linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_cumulative_transactions(model, transactions, datetime_col, customer_id_col, t, t_cal,
                                 datetime_format=None, freq="D", set_index_date=False,
                                 title="Tracking Cumulative Transactions", xlabel="day",
                                 ylabel="Cumulative Transactions", ax=None, **kwargs):
    """Actual and predicted cumulative repeat transactions
    (:func:`expected_cumulative_transactions`), the end of calibration ``t_cal``
    marked."""
    return _tracking(model, transactions, datetime_col, customer_id_col, t, t_cal,
                     datetime_format, freq, set_index_date, title, xlabel, ylabel, ax, False,
                     kwargs)


def plot_incremental_transactions(model, transactions, datetime_col, customer_id_col, t, t_cal,
                                  datetime_format=None, freq="D", set_index_date=False,
                                  title="Tracking Daily Transactions", xlabel="day",
                                  ylabel="Transactions", ax=None, **kwargs):
    """Actual and predicted repeat transactions per period (differences of
    :func:`expected_cumulative_transactions`), the end of calibration marked."""
    return _tracking(model, transactions, datetime_col, customer_id_col, t, t_cal,
                     datetime_format, freq, set_index_date, title, xlabel, ylabel, ax, True,
                     kwargs)


def _heterogeneity(dist, mean, var, suptitle, xlabel, ylabel, suptitle_fontsize, kwargs):
    plt = _plt()
    x = np().linspace(0, dist.ppf(0.99), 100)
    fig, ax = plt.subplots(1)
    fig.suptitle(suptitle, fontsize=suptitle_fontsize, fontweight="bold")
    ax.set_title(f"mean: {mean:.3f}, var: {var:.3f}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout(rect=[0, 0.03, 1, 0.95])
    plt.plot(x, dist.pdf(x), **kwargs)
    return ax


def plot_transaction_rate_heterogeneity(model, suptitle="Heterogeneity in Transaction Rate",
                                        xlabel="Transaction Rate", ylabel="Density",
                                        suptitle_fontsize=14, **kwargs):
    """Density of the purchase rate lambda ~ Gamma(r, alpha) (BG/NBD family,
    Pareto/NBD) up to its 99% quantile."""
    r, alpha = (float(model.params_[k]) for k in ("r", "alpha"))
    return _heterogeneity(_stats().gamma(r, scale=1 / alpha), r / alpha, r / alpha ** 2,
                          suptitle, xlabel, ylabel, suptitle_fontsize, kwargs)


def plot_dropout_rate_heterogeneity(model, suptitle="Heterogeneity in Dropout Probability",
                                    xlabel="Dropout Probability p", ylabel="Density",
                                    suptitle_fontsize=14, **kwargs):
    """Density of the dropout probability p ~ Beta(a, b) (BG/NBD, MBG/NBD) up to
    its 99% quantile."""
    a, b = (float(model.params_[k]) for k in ("a", "b"))
    return _heterogeneity(_stats().beta(a, b), a / (a + b),
                          a * b / ((a + b) ** 2 * (a + b + 1)), suptitle, xlabel, ylabel,
                          suptitle_fontsize, kwargs)
