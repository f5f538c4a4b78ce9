"""scrm.compat.lifetimes.utils and .plotting: frequencies, the calibration/holdout
split, the tracking helpers, lifetimes' private helpers and the charts.

Hand-computed cases here; the comparison with lifetimes itself (when
../shared/peers is present) is test_same_tables_as_lifetimes and
test_lifetimes_suite.py.
"""
import importlib
import sys

import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from scrm.compat.lifetimes import BetaGeoFitter, utils  # noqa: E402

from conftest import SHARED_DATA, SOURCE_ROOT  # noqa: E402
from lifetimes_suite.peers import peers_or_skip  # noqa: E402

LOG = pd.DataFrame({
    "id": ["b", "a", "a", "a", "b", "c"],
    "when": pd.to_datetime(["2024-01-01 09:10", "2024-01-01 08:00", "2024-01-01 08:59",
                            "2024-01-03 10:30", "2024-02-15 00:00", "2024-02-20 12:00"]),
    "spend": [5.0, 1.0, 2.0, 4.0, 7.0, 3.0],
})


def test_hours_count_each_hour_once():
    s = utils.summary_data_from_transaction_data(LOG, "id", "when", "spend", freq="h",
                                                 observation_period_end="2024-01-03 12:15")
    assert list(s.index) == ["a", "b"]  # c and b's February purchase come later
    # a: hours 08:00 (twice), 2024-01-03 10:00: one repeat 50 hours on, T = 52 hours
    assert s.loc["a"].tolist() == [1.0, 50.0, 52.0, 4.0]
    assert s.loc["b"].tolist() == [0.0, 0.0, 51.0, 0.0]
    per_day = utils.summary_data_from_transaction_data(
        LOG, "id", "when", freq="h", freq_multiplier=24, observation_period_end="2024-01-03 12:15")
    assert per_day.loc["a", "recency"] == 50 / 24 and per_day.loc["a", "T"] == 52 / 24


def test_months_are_numpy_mean_months():
    s = utils.summary_data_from_transaction_data(LOG, "id", "when", freq="M",
                                                 observation_period_end="2024-03-10")
    month = 365.2425 / 12
    # b: January and February; T from January 1 to March 1
    assert s.loc["b", "recency"] == pytest.approx(31 / month, rel=1e-15)
    assert s.loc["b", "T"] == pytest.approx(60 / month, rel=1e-15)
    # "m" is lifetimes' month period measured in minutes (pandas months, NumPy minutes)
    m = utils.summary_data_from_transaction_data(LOG, "id", "when", freq="m",
                                                 observation_period_end="2024-03-10")
    assert m.loc["b", "recency"] == 31 * 24 * 60


def test_unsupported_freq_and_too_many_short_periods():
    with pytest.raises(ValueError, match="freq='B'"):
        utils.summary_data_from_transaction_data(LOG, "id", "when", freq="B")
    with pytest.raises(ValueError, match="at most"):
        utils.summary_data_from_transaction_data(LOG, "id", "when", freq="s")


def test_calibration_ends_at_its_exact_time():
    c = utils.calibration_and_holdout_data(LOG, "id", "when", "2024-01-01 08:30",
                                           observation_period_end="2024-02-16", freq="D",
                                           monetary_value_col="spend")
    # a's 08:59 purchase is after the calibration end: holdout, in the same day
    assert c.loc["a", "frequency_cal"] == 0 and c.loc["a", "monetary_value_cal"] == 0
    assert c.loc["a", "frequency_holdout"] == 2  # days 2024-01-01 and 2024-01-03
    assert c.loc["a", "monetary_value_holdout"] == 3.0  # mean of 2 and 4 (per purchase)
    assert "b" not in c.index  # no purchase by the calibration end
    assert c.loc["a", "duration_holdout"] == 46  # days from Jan 1 to Feb 16
    weeks = utils.calibration_and_holdout_data(LOG, "id", "when", "2024-01-01 09:30",
                                               observation_period_end="2024-02-20",
                                               freq="M")
    assert weeks["duration_holdout"].tolist() == [1.0, 1.0]  # January to February
    assert weeks.loc["b", "frequency_holdout"] == 1
    with pytest.raises(ValueError, match="There is no data available"):
        utils.calibration_and_holdout_data(LOG, "id", "when", "2024-03-01")


def test_integer_ids_stay_integers_and_sorted():
    log = LOG.assign(id=LOG["id"].map({"a": 30, "b": 7, "c": 12}))
    s = utils.summary_data_from_transaction_data(log, "id", "when")
    assert s.index.dtype == "int64" and list(s.index) == [7, 12, 30]
    assert s.loc[30, "frequency"] == 1 and s.loc[30, "recency"] == 2


class Linear:
    """A model whose expected purchases up to t are t, and P(alive) records its inputs."""

    def expected_number_of_purchases_up_to_time(self, t):
        return np.asarray(t, dtype=float)

    def conditional_probability_alive(self, frequency, recency, T):
        self.seen = np.column_stack([frequency, recency, T])
        return np.asarray(frequency, dtype=float) * 1000 + np.asarray(recency) * 10 + T


def test_expected_cumulative_transactions():
    log = pd.DataFrame({"id": [1, 2, 1, 2, 2, 1],
                        "date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-03",
                                 "2024-01-03", "2024-01-09"]})
    out = utils.expected_cumulative_transactions(Linear(), log, "date", "id", 6)
    # first purchases: day 0 (customer 1), day 1 (customer 2); the expected count at
    # day i adds i - 0 and i - 1 (for i > 1); repeats: day 2 (both, once each)
    assert out["predicted"].tolist() == [1, 3, 5, 7, 9, 11]
    assert out["actual"].tolist() == [0, 0, 2, 2, 2, 2]
    weekly = utils.expected_cumulative_transactions(Linear(), log, "date", "id", 6,
                                                    freq_multiplier=2, set_index_date=True)
    assert weekly["predicted"].tolist() == [1.5, 3.5, 5.5]
    assert [str(p) for p in weekly.index] == ["2024-01-02", "2024-01-04", "2024-01-06"]


def test_calculate_alive_path_walks_the_customer_history():
    model = Linear()
    log = pd.DataFrame({"date": ["2024-01-01", "2024-01-03", "2024-01-03 18:00"]})
    path = utils.calculate_alive_path(model, log, "date", 4)
    assert model.seen.tolist() == [[0, 0, 0], [0, 0, 1], [1, 2, 2], [1, 2, 3], [1, 2, 4]]
    assert path.tolist() == [0, 1, 1022, 1023, 1024]


def test_private_helpers_keep_lifetimes_messages():
    f, r, T = np.array([0, 1, 2]), np.array([0, 1, 10]), np.array([5, 6, 15])
    assert utils._check_inputs(f, r, T, np.array([1.0, 2.0, 3.0])) is None
    with pytest.raises(ValueError, match="larger than T"):
        utils._check_inputs(f, T + 1, T)
    with pytest.raises(ValueError, match="non-zero recency values when frequency is zero"):
        utils._check_inputs(f, np.array([1, 1, 10]), T)
    with pytest.raises(ValueError, match="non-integer values in the frequency"):
        utils._check_inputs(np.array([0, 0.5, 2]), r, T)
    with pytest.raises(ValueError, match="non-positive"):
        utils._check_inputs(f, r, T, np.array([0.0, 2.0, 3.0]))
    assert utils._scale_time(np.arange(200.0)) == 1 / 199
    first = utils._find_first_transactions(LOG, "id", "when", "spend", freq="D",
                                           observation_period_end="2024-01-31")
    assert first["first"].tolist() == [True, False, True]
    assert first["spend"].tolist() == [3.0, 4.0, 5.0]  # a's two purchases on day 1 summed


@pytest.fixture(scope="module")
def cdnow_fit():
    path = SHARED_DATA / "cdnow" / "cdnow_customers_summary_with_transactions.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    d = pd.read_csv(path)
    return BetaGeoFitter().fit(d["x"], d["t_x"], d["T"])


def test_plots_draw_the_model_numbers(cdnow_fit):
    pytest.importorskip("matplotlib")
    from matplotlib import pyplot as plt
    from scrm.compat.lifetimes import plotting
    ax = plotting.plot_expected_repeat_purchases(cdnow_fit)
    x, y = ax.lines[0].get_data()
    assert np.allclose(y, cdnow_fit.expected_number_of_purchases_up_to_time(x), rtol=1e-14)
    assert ax.lines[1].get_linestyle() == "--" and x[-1] == cdnow_fit.data["T"].max()
    plt.close("all")
    ax = plotting.plot_period_transactions(cdnow_fit, max_frequency=120)
    heights = np.array([p.get_height() for p in ax.patches])
    actual, model = heights[:120], heights[120:]
    assert actual.sum() == 2357 and model.sum() == pytest.approx(2357, rel=1e-6)
    assert actual[0] == (cdnow_fit.data["frequency"] == 0).sum()
    plt.close("all")
    ax = plotting.plot_probability_alive_matrix(cdnow_fit, max_frequency=5, max_recency=10)
    assert np.array_equal(ax.get_images()[0].get_array(),
                          cdnow_fit.conditional_probability_alive_matrix(5, 10))
    plt.close("all")


def _lifetimes(module):
    """lifetimes 0.11.3's ``module`` (utils, plotting) from ../shared/peers."""
    peers = peers_or_skip(SOURCE_ROOT, "THE COMPARISON WITH LIFETIMES' " + module.upper())
    pytest.importorskip("dill")
    sys.path[:0] = [str(peers / "lifetimes"), str(peers / "autograd")]
    try:
        return importlib.import_module("lifetimes." + module)
    finally:
        del sys.path[:2]


def test_same_tables_as_lifetimes():
    """Random logs, every frequency lifetimes accepts (but seconds and below), with
    and without a holdout: the same tables as lifetimes 0.11.3 (from ../shared)."""
    real = _lifetimes("utils")
    rng = np.random.default_rng(7)
    n = 2000
    log = pd.DataFrame({"id": rng.integers(0, 200, n),
                        "date": pd.Timestamp("2014-01-01")
                        + pd.to_timedelta(rng.integers(0, 400 * 86400, n), unit="s"),
                        "v": rng.gamma(2.0, 10.0, n)})
    for freq in ["D", "W", "M", "Y", "h", "m"]:
        for mult in [1, 7]:
            for first in [False, True]:
                args = (log, "id", "date", "v")
                kw = dict(observation_period_end="2014-12-31", freq=freq, freq_multiplier=mult,
                          include_first_transaction=first)
                a = real.summary_data_from_transaction_data(*args, **kw)
                b = utils.summary_data_from_transaction_data(*args, **kw)
                pd.testing.assert_frame_equal(a, b, rtol=1e-13, obj=f"summary {kw}")
            for cal in ["2014-09-01", "2014-09-01 13:30"]:
                kw = dict(observation_period_end="2014-12-31", freq=freq, freq_multiplier=mult,
                          monetary_value_col="v")
                a = real.calibration_and_holdout_data(log, "id", "date", cal, **kw)
                b = utils.calibration_and_holdout_data(log, "id", "date", cal, **kw)
                pd.testing.assert_frame_equal(a, b, rtol=1e-13, check_dtype=False,
                                              obj=f"calibration {cal} {kw}")


def test_charts_plot_what_lifetimes_plots(cdnow_fit):
    """lifetimes' own chart functions, given the same (libscrm) model, plot the same
    arrays as ours: the charts draw the same data."""
    pytest.importorskip("matplotlib")
    pytest.importorskip("scipy")
    from matplotlib import pyplot as plt
    from scrm.compat.lifetimes import plotting
    real = _lifetimes("plotting")
    log = pd.DataFrame({"id": [1, 2, 1, 3, 2, 1, 3, 4, 1],
                        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05",
                                                "2024-01-05", "2024-01-09", "2024-01-12",
                                                "2024-01-20", "2024-01-21", "2024-01-30"])})
    one = log[log["id"] == 1]
    charts = [
        ("plot_expected_repeat_purchases", (cdnow_fit,)),
        ("plot_transaction_rate_heterogeneity", (cdnow_fit,)),
        ("plot_dropout_rate_heterogeneity", (cdnow_fit,)),
        ("plot_history_alive", (cdnow_fit, 40, one, "date")),
        ("plot_cumulative_transactions", (cdnow_fit, log, "date", "id", 30, 15)),
        ("plot_incremental_transactions", (cdnow_fit, log, "date", "id", 30, 15)),
    ]
    for name, args in charts:
        drawn = []
        for module in (real, plotting):
            plt.close("all")
            ax = getattr(module, name)(*args)
            drawn.append([np.asarray(line.get_xydata(), dtype=float) for line in ax.lines])
            drawn[-1].append(ax.get_title())
        for mine, theirs in zip(drawn[1], drawn[0]):
            if isinstance(theirs, str):
                assert mine == theirs, name
            else:
                assert np.allclose(mine, theirs, rtol=1e-12, equal_nan=True), name
        assert len(drawn[0]) == len(drawn[1]), name
    plt.close("all")
