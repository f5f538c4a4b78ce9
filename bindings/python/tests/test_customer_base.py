"""scrm.customer_base: RFM summaries (CDNOW) and closed-form CLV, with error paths."""
import csv
import datetime as dt
import math

import pytest

import scrm
from scrm import Dataset, Rfm, clv_closed_form, clv_cohort, errors
from scrm.customer_base import RfmColumn

UTC = dt.timezone.utc


def cdnow(shared_data):
    cust, times, values = [], [], []
    with open(shared_data / "cdnow" / "CDNOW_sample.txt") as f:
        for line in f:
            _, sid, date, _, dollars = line.split()
            cust.append(int(sid))
            times.append(dt.date(int(date[:4]), int(date[4:6]), int(date[6:])))
            values.append(float(dollars))
    return cust, times, values


def published(shared_data):
    with open(shared_data / "cdnow" / "cdnow_customers_summary_with_transactions.csv",
              newline="") as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def test_rfm_rebuilds_cdnow_summary(shared_data):
    cust, times, values = cdnow(shared_data)
    with Rfm.from_arrays(cust, times, values, unit="weeks",
                         calibration_end=dt.date(1997, 9, 30)) as rfm:
        assert len(rfm) == 2357
        keys = list(rfm.customers())
        x, tx, T, m = rfm.frequency, rfm.recency, rfm.T, rfm.monetary
        for i, row in enumerate(published(shared_data)):
            assert keys[i] == row["ID"]
            assert x[i] == row["x"]
            assert abs(tx[i] - row["t_x"]) <= 0.005 + 1e-12
            assert abs(T[i] - row["T"]) <= 0.005 + 1e-12
            assert abs(m[i] - row["zbar"]) <= 0.005 + 1e-9
        xs, txs, Ts, w = rfm.collapse()
        assert sum(w) == 2357 and len(xs) == len(w) < 2357
        info = rfm.info()
        assert info.customers == 2357 and info.late_customers == 0


def test_rfm_string_customers_and_holdout():
    cust = ["b", "a", "b", "b", "a"]
    times = ["2024-01-01", "2024-01-03", "2024-01-01T12:00:00Z", "2024-01-08", "2024-02-01"]
    with Rfm.from_arrays(cust, times, [1, 2, 3, 4, 5], calibration_end="2024-01-10",
                         observation_end="2024-03-01") as rfm:
        assert list(rfm.customers()) == ["b", "a"] or list(rfm.customers()) == ["a", "b"]
        d = rfm.to_dict()
        i = list(d["customer"]).index("b")
        assert d["frequency"][i] == 1 and d["recency"][i] == 7 and d["T"][i] == 9
        assert d["monetary_value"][i] == 4
        j = list(d["customer"]).index("a")
        assert d["frequency_holdout"][j] == 1 and d["monetary_value_holdout"][j] == 5
        assert rfm.info().holdout_duration == 51


def test_rfm_from_dataset():
    with Dataset() as ds:
        ds.append("transactions", {"customer": ["x", "y", "x"],
                                   "time": ["2023-01-01", "2023-01-05", "2023-02-01"],
                                   "amount": [1.0, 2.0, 3.0]})
        with Rfm.from_dataset(ds, unit="month") as rfm:
            assert rfm.customer_names() == ["x", "y"]
            assert list(rfm.frequency) == [1, 0]
            assert rfm.column("recency")[0] == pytest.approx(1.0)
            assert rfm.column(RfmColumn.AGE)[1] == pytest.approx(27 / 31)


def test_rfm_errors():
    with pytest.raises(errors.NoDataError):
        Rfm.from_arrays([], [], [])
    with pytest.raises(errors.InvalidArgumentError):
        Rfm.from_arrays([1, 2], [0, 86400], [1.0, math.nan])
    with pytest.raises(errors.InvalidArgumentError):
        Rfm.from_arrays([1], [0], calibration_end=86400, observation_end=0)
    with pytest.raises(errors.InvalidArgumentError):
        Rfm.from_arrays([1], [0], unit="fortnight")
    with pytest.raises(errors.InvalidArgumentError):
        Rfm.from_arrays([1, 2], [0], [1.0, 2.0])
    with pytest.raises(TypeError):
        Rfm()
    rfm = Rfm.from_arrays([1], [0])
    rfm.close()
    with pytest.raises(scrm.ClosedError):
        rfm.info()
    with pytest.raises(errors.InvalidArgumentError):
        Rfm.from_arrays([1], [0]).customer_names()


def test_clv_closed_form_goldens():
    assert clv_closed_form(1, 0.8, 0.1) == pytest.approx(2.6666666666666665, rel=1e-15)
    assert clv_closed_form(15.49, 0.99, 0.01) == pytest.approx(766.755, rel=1e-14)
    assert clv_closed_form(100, 0.8, 0.1, horizon=5) == pytest.approx(212.40973356266025,
                                                                        rel=1e-14)
    assert clv_closed_form(100, 0.8, 0.1, timing="begin", horizon=5) == pytest.approx(
        292.06338364865786, rel=1e-14)
    assert clv_closed_form(100, 0.8, 0.1, growth=0.05) == pytest.approx(80 / 0.26, rel=1e-14)


def test_clv_closed_form_errors():
    with pytest.raises(errors.DomainError):
        clv_closed_form(1, 1.0, 0.0)
    with pytest.raises(errors.DomainError):
        clv_closed_form(1, 1.5, 0.1)
    with pytest.raises(errors.InvalidArgumentError):
        clv_closed_form(1, math.nan, 0.1)
    with pytest.raises(errors.InvalidArgumentError):
        clv_closed_form(1, 0.5, 0.1, timing="middle")
    with pytest.raises(errors.RangeError):
        clv_closed_form(1, 1.0, 0.0, growth=1.0, horizon=3000)


def test_clv_cohort():
    c = clv_cohort(1000, 50, 0.12, 24, retention=0.7, growth=0.04)
    assert len(c.survivors) == 24 and c.survivors[0] == pytest.approx(700)
    assert c.total == pytest.approx(1000 * clv_closed_form(50, 0.7, 0.12, 0.04, horizon=24),
                                    rel=1e-13)
    curve = clv_cohort(100, 10, 0.1, 3, retention=[0.6, 0.75, 0.8])
    assert curve.total == pytest.approx(600 / 1.1 + 450 / 1.21 + 360 / 1.331, rel=1e-14)
    with pytest.raises(errors.InvalidArgumentError):
        clv_cohort(100, 10, 0.1, 3, retention=[0.6, 0.75])
    with pytest.raises(errors.InvalidArgumentError):
        clv_cohort(100, 10, 0.1, 0, retention=0.5)
    with pytest.raises(errors.DomainError):
        clv_cohort(-1, 10, 0.1, 3, retention=0.5)


def survival(shared_data):
    with open(shared_data / "sbg" / "survival.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return ([10 * float(r["regular_pct_alive"]) for r in rows],
            [10 * float(r["high_end_pct_alive"]) for r in rows])


def test_sbg_fader_hardie(shared_data):
    regular, high = survival(shared_data)
    with scrm.sbg_fit(regular[:8]) as m:
        info = m.info()
        assert info.params["alpha"] == pytest.approx(0.704, abs=1e-3)
        assert info.params["beta"] == pytest.approx(1.182, abs=1e-3)
        assert info.log_likelihood == pytest.approx(-1680.27, abs=0.05)
        s = scrm.sbg_survival(m, range(13))
        assert s[0] == 1.0 and all(s[i] > s[i + 1] for i in range(12))
        assert scrm.sbg_retention(m, 1) == pytest.approx(1.182 / (0.704 + 1.182), abs=1e-3)
    with scrm.sbg_fit(high[:8]) as m:
        assert m.params["alpha"] == pytest.approx(0.668, abs=1e-3)
        assert scrm.sbg_derl(m, 0.1, 7) == pytest.approx(7.530, abs=5e-4)
        again = scrm.ClvModel.from_bytes(m.to_bytes())
        assert list(scrm.sbg_derl(again, 0.1, [0, 7])) == list(scrm.sbg_derl(m, 0.1, [0, 7]))


def test_sbg_errors():
    with pytest.raises(errors.InvalidArgumentError):
        scrm.sbg_fit([10, 11, 5])
    with pytest.raises(errors.NoDataError):
        scrm.sbg_fit([10])
    m = scrm.ClvModel("sbg", {"alpha": 0.7, "beta": 1.2})
    with pytest.raises(errors.DomainError):
        scrm.sbg_derl(m, 0.0, 3)
    with pytest.raises(errors.InvalidArgumentError):
        scrm.sbg_derl(m, 0.1, 1.5)
    with pytest.raises(errors.InvalidArgumentError):
        scrm.sbg_retention(m, 0)
    with pytest.raises(TypeError):
        scrm.sbg_survival("model", 1)
    bg = scrm.ClvModel("bgnbd", [0.24, 4.4, 0.79, 2.4])
    with pytest.raises(errors.InvalidArgumentError):
        scrm.sbg_survival(bg, 1)


def test_bgbb_donations(shared_data):
    with open(shared_data / "cdnow" / "donations.csv", newline="") as f:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    col = {k: [r[k] for r in rows] for k in rows[0]}
    with scrm.ClvModel.fit("bgbb", col["frequency"], col["recency"], col["periods"],
                           weights=col["weights"]) as m:
        info = m.info()
        assert info.params["alpha"] == pytest.approx(1.204, abs=1e-3)
        assert info.params["delta"] == pytest.approx(2.783, abs=1e-3)
        assert info.log_likelihood == pytest.approx(-33225.6, abs=0.05)
    pub = scrm.ClvModel("bgbb", [1.204, 0.750, 0.657, 2.783])
    alive = pub.probability_alive([0, 2, 6], [0, 4, 6], [6, 6, 6])
    assert [round(float(a), 2) for a in alive] == [0.11, 0.59, 0.93]
    assert pub.expected_purchases([6])[0] == pytest.approx(2.2196313934873078, rel=1e-12)
    assert pub.conditional_expected_purchases(5, [2], [4], [6])[0] == pytest.approx(
        1.0573489419096913, rel=1e-11)
    assert sum(pub.probability_purchases(6, list(range(7)))) == pytest.approx(1.0, rel=1e-13)
    with pytest.raises(errors.InvalidArgumentError):
        pub.probability_alive([3], [2], [6])
