"""Charts render to PNG with matplotlib and say what is missing without it."""
import datetime as dt
import sys

import pytest

from scrm import charts

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def mpl():
    return pytest.importorskip("matplotlib")


def saved(fig, tmp_path, name):
    path = charts.save(fig, tmp_path / f"{name}.png")
    assert path.read_bytes()[:8] == PNG
    return fig


def test_retention_curves(mpl, tmp_path):
    fig = charts.retention_curves(
        {"regular": [1, 0.631, 0.468, 0.382], "high end": [1, 0.869, 0.743, 0.653]},
        projected={"regular": [1, 0.63, 0.47, 0.38, 0.33, 0.29]}, calibration_periods=3)
    ax = fig.axes[0]
    assert len(ax.lines) == 4  # 2 observed + 1 projected + calibration line
    assert [t.get_text() for t in ax.get_legend().get_texts()] == \
        ["regular", "high end", "regular (projected)"]
    saved(fig, tmp_path, "retention")


def test_probability_alive_matrix(mpl, tmp_path):
    matrix = [[min(1.0, (f + 1) / (r + 2)) for f in range(5)] for r in range(8)]
    fig = charts.probability_alive_matrix(matrix)
    assert fig.axes[0].images[0].get_array().shape == (8, 5)
    saved(fig, tmp_path, "palive")
    with pytest.raises(ValueError, match="rectangular"):
        charts.probability_alive_matrix([[0.1, 0.2], [0.3]])


def test_nps_trend(mpl, tmp_path):
    months = [dt.date(2024, m, 1) for m in (1, 2, 3)]
    fig = charts.nps_trend(months, [12.0, 20.5, 18.0], lower=[5, 14, 10], upper=[19, 27, 26])
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["2024-01-01", "2024-02-01", "2024-03-01"]
    saved(fig, tmp_path, "nps")
    with pytest.raises(ValueError, match="differ in length"):
        charts.nps_trend(["a"], [1, 2])


def test_tornado_orders_by_swing(mpl, tmp_path):
    fig = charts.tornado(["discount rate", "churn", "cost"], low=[0.9, 0.2, 1.1],
                         high=[1.1, 1.8, 0.7], base=1.0)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["discount rate", "cost", "churn"]  # widest on top (last)
    saved(fig, tmp_path, "tornado")


def test_monte_carlo_histogram(mpl, tmp_path):
    samples = [(i - 250) / 100 for i in range(1000)]
    fig = charts.monte_carlo_histogram(samples)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["P5 / P50 / P95 = -2 / 2.5 / 6.99", "P(ROI > 0) = 74.9%"]
    saved(fig, tmp_path, "mc")
    assert charts._percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5


def test_drawing_into_existing_axes(mpl):
    from matplotlib.figure import Figure
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    assert charts.tornado(["a"], [0], [2], 1, ax=ax2) is fig
    assert len(ax2.patches) == 2 and not ax1.patches


def test_without_matplotlib(monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="needs matplotlib"):
        charts.nps_trend(["a"], [1.0])


def test_nps_trend_from_groups(mpl, tmp_path):
    import scrm
    with scrm.Dataset() as ds:
        ds.append("survey", {"time": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-04"],
                             "score": [10, 3, 9, 9]})
        groups = scrm.Nps().by_period(ds, "month")
    fig = charts.nps_trend(groups)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-01-01", "2024-02-01"]
    assert list(ax.lines[0].get_ydata()) == [g.result.nps for g in groups] == [0.0, 100.0]
    saved(fig, tmp_path, "nps_groups")


def test_probability_alive_matrix_from_a_fitter(mpl):
    np = pytest.importorskip("numpy")
    from scrm.compat.lifetimes import BetaGeoFitter
    f = BetaGeoFitter().fit(np.array([0, 1, 2, 5, 3, 0, 1]), np.array([0, 3, 8, 9, 4, 0, 1.5]),
                            np.array([10, 10, 10, 10, 10, 6, 8]))
    fig = charts.probability_alive_matrix(f, max_frequency=4, max_recency=6)
    assert fig.axes[0].images[0].get_array().shape == (7, 5)
