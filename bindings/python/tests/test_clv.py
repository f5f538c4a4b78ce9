"""scrm.clv: fit on CDNOW (published values), predictions, errors, round trip."""
import csv

import pytest

from scrm import ClvKind, ClvModel, errors, kind_name, kind_param_names


@pytest.fixture(scope="module")
def cdnow(request):
    from conftest import SHARED_DATA
    path = SHARED_DATA / "cdnow" / "cdnow_customers_summary_with_transactions.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    cols = {"x": [], "t_x": [], "T": [], "zbar": []}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            for k in cols:
                cols[k].append(float(row[k]))
    return cols


def test_kinds():
    assert kind_name(ClvKind.BGNBD) == "BG/NBD"
    assert kind_name("mbgnbd") == "MBG/NBD"
    assert kind_param_names("bgnbd") == ["r", "alpha", "a", "b"]
    assert kind_name(0) is None  # not a kind
    with pytest.raises(ValueError):
        kind_name("nope")


def test_bgnbd_fit_and_predictions(cdnow):
    m = ClvModel.fit("bgnbd", cdnow["x"], cdnow["t_x"], cdnow["T"])
    info = m.info()
    assert info.converged and info.fitted
    for name, want in zip("r alpha a b".split(), (0.243, 4.414, 0.793, 2.426)):
        assert info.params[name] == pytest.approx(want, abs=1e-3)
    assert info.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert m.kind == ClvKind.BGNBD
    e = m.conditional_expected_purchases(39, [2], [30.43], [38.86])
    assert e[0] == pytest.approx(1.226, abs=2e-3)
    assert list(m.expected_purchases([0, 1])) == [0.0, pytest.approx(0.0532, abs=1e-4)]
    pa = m.probability_alive(cdnow["x"][:10], cdnow["t_x"][:10], cdnow["T"][:10])
    assert len(pa) == 10 and all(0 <= p <= 1 for p in pa)
    assert m.probability_purchases(39, [0, 1, 2])[0] == pytest.approx(0.5744, abs=1e-3)
    m2 = ClvModel.from_bytes(m.to_bytes())
    assert m2.params == m.params
    with pytest.raises(errors.CorruptError):
        ClvModel.from_bytes(m.to_bytes()[:-1])
    m.close()
    m2.close()


def test_model_from_params_and_value():
    m = ClvModel("bgnbd", {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    assert m.info().fitted is False
    v = m.customer_value([2, 0], [30.43, 0], [38.86, 38.86], [20.0, 0.0], freq="W")
    assert v[0] > 0 and v[1] == 0
    with pytest.raises(errors.InvalidArgumentError):
        m.expected_spend([1], [10.0])


def test_errors_and_not_converged(cdnow):
    with pytest.raises(errors.InvalidArgumentError):
        ClvModel.fit("bgnbd", [1, 2], [-1, 3], [10, 10])
    with pytest.raises(errors.InvalidArgumentError):
        ClvModel.fit(0, [1], [1], [2])  # not a kind
    with pytest.raises(errors.NoDataError):
        ClvModel.fit("bgnbd", [], [], [])
    with pytest.raises(errors.NotConvergedError) as exc:
        ClvModel.fit("bgnbd", cdnow["x"], cdnow["t_x"], cdnow["T"], max_iterations=1)
    assert exc.value.result.iterations == 1 and exc.value.result.params["r"] > 0
    seen = []
    with pytest.raises(errors.NotConvergedError):
        ClvModel.fit("bgnbd", cdnow["x"], cdnow["t_x"], cdnow["T"],
                     progress=lambda it, ll, g, p: seen.append(it) or it >= 2)
    assert seen == [0, 1, 2]
    with pytest.raises(TypeError):
        ClvModel.fit("bgnbd", [1], [1], [2], bogus=1)


def test_gamma_gamma_and_value(cdnow):
    gx = [x for x in cdnow["x"] if x > 0]
    gm = [m for x, m in zip(cdnow["x"], cdnow["zbar"]) if x > 0]
    gg = ClvModel.fit("gamma_gamma", gx, monetary=gm)
    assert gg.params["p"] == pytest.approx(6.25, abs=5e-3)
    bg = ClvModel.fit("bgnbd", cdnow["x"], cdnow["t_x"], cdnow["T"])
    spend = gg.expected_spend(cdnow["x"][:3], cdnow["zbar"][:3])
    assert spend[0] == pytest.approx(24.6586, abs=1e-3)
    v = bg.customer_value(cdnow["x"][:3], cdnow["t_x"][:3], cdnow["T"][:3], cdnow["zbar"][:3],
                          spend_model=gg, months=12, discount_rate=0.01, freq="D")
    assert v[0] == pytest.approx(140.096211, abs=1e-4)


def test_pareto_nbd_fit_and_predictions(cdnow):
    assert kind_name("pareto/nbd") == "Pareto/NBD"
    assert kind_param_names(ClvKind.PARETO_NBD) == ["r", "alpha", "s", "beta"]
    m = ClvModel.fit("pnbd", cdnow["x"], cdnow["t_x"], cdnow["T"])
    info = m.info()
    assert info.converged and m.kind == ClvKind.PARETO_NBD
    for name, want, tol in zip("r alpha s beta".split(), (0.553, 10.578, 0.606, 11.669),
                               (1e-3, 1e-3, 1e-3, 2e-3)):
        assert info.params[name] == pytest.approx(want, abs=tol)
    assert info.log_likelihood == pytest.approx(-9595.0, abs=0.05)
    pub = ClvModel("pareto_nbd", {"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562})
    assert pub.conditional_expected_purchases(52, [26], [30.86], [31])[0] == pytest.approx(
        25.46, abs=0.01)
    assert pub.probability_alive([26], [30.86], [31])[0] == pytest.approx(0.9979, abs=5e-5)
    pmf = pub.probability_purchases(39, list(range(300)))
    assert sum(pmf) == pytest.approx(1.0, abs=1e-10)
    assert sum(i * p for i, p in enumerate(pmf)) == pytest.approx(
        pub.expected_purchases([39])[0], rel=1e-8)
    m2 = ClvModel.from_bytes(m.to_bytes())
    assert m2.params == m.params and m2.kind == ClvKind.PARETO_NBD
    with pytest.raises(errors.InvalidArgumentError):
        ClvModel.fit("pnbd", [1, 2], [5, 3], [4, 10])  # t_x > T
    for h in (m, m2, pub):
        h.close()
