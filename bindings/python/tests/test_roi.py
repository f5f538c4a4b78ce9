"""ROI: finance primitives (golden values as in tests/unit/test_finance.c)."""
import math

import pytest

import scrm
from scrm import errors


def test_npv_golden_values():
    assert scrm.npv(0.08, [-40000, 5000, 8000, 12000, 30000]) == pytest.approx(
        3065.2226681795255, rel=1e-12)
    # Excel NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44: a leading 0 here.
    assert scrm.npv(0.10, [0, -10000, 3000, 4200, 6800]) == pytest.approx(
        1188.4434123352230, rel=1e-12)
    assert scrm.npv(0.1, []) == 0.0


def test_npv_accepts_numpy_and_array():
    np = pytest.importorskip("numpy")
    flows = np.array([-100.0, 39, 59, 55, 20])
    assert scrm.npv(0.281, flows) == pytest.approx(-0.00847859163845488, abs=1e-12)
    import array
    assert scrm.npv(0.281, array.array("d", flows.tolist())) == pytest.approx(
        -0.00847859163845488, abs=1e-12)


def test_npv_errors_name_the_problem():
    with pytest.raises(errors.DomainError, match="rate -1"):
        scrm.npv(-1.0, [1, 2])
    with pytest.raises(errors.InvalidArgumentError, match=r"flows\[1\]"):
        scrm.npv(0.1, [1, math.nan])
    with pytest.raises(errors.InvalidArgumentError, match="NaN"):
        scrm.npv(math.nan, [1, 2])
    with pytest.raises(TypeError):
        scrm.npv(0.1, "abc")


def test_irr_every_root():
    assert scrm.irr([-100, 39, 59, 55, 20]) == [pytest.approx(0.2809484211599611, rel=1e-12)]
    assert scrm.irr([-100, 230, -132]) == [pytest.approx(0.1), pytest.approx(0.2)]
    roots = scrm.irr([-5, 10.5, 1, -8, 1])
    assert roots == [pytest.approx(-0.87020124748474118, rel=1e-12),
                     pytest.approx(0.088598338527755346, rel=1e-12),
                     pytest.approx(0.70955952768618357, rel=1e-12)]
    assert scrm.irr([-100, -50]) == []
    with pytest.raises(errors.DomainError, match="every rate"):
        scrm.irr([0, 0, 0])
    with pytest.raises(errors.InvalidArgumentError):
        scrm.irr([])


def test_payback():
    p = scrm.payback([-100, 39, 59, 55, 20])
    assert p.reached and p.stays and p.whole_period == 3
    assert p.period == pytest.approx(2.036363636363636, rel=1e-13)
    d = scrm.discounted_payback([-100, 39, 59, 55, 20], 0.10)
    assert d.period == pytest.approx(2.382, rel=1e-13)
    never = scrm.payback([-100, 10])
    assert not never.reached and never.whole_period == -1 and math.isinf(never.period)
    assert "reached=False" in repr(never)
    with pytest.raises(errors.DomainError):
        scrm.discounted_payback([-1, 2], -2.0)


def test_rates_and_roi():
    assert scrm.rate_per_period(0.10, 12) == pytest.approx(0.007974140428903741, rel=1e-14)
    assert scrm.rate_per_period(0.10, "quarter") == pytest.approx(0.02411368908444513, rel=1e-14)
    assert scrm.periods_per_year_of("month") == 12.0
    assert scrm.periods_per_year_of(scrm.Period.YEAR) == 1.0
    with pytest.raises(ValueError):
        scrm.periods_per_year_of("fortnight")
    with pytest.raises(errors.InvalidArgumentError):
        scrm.rate_per_period(0.1, 0)
    assert scrm.roi_ratio(150, 100) == 0.5
    with pytest.raises(errors.DomainError, match="costs must be > 0"):
        scrm.roi_ratio(150, 0)
