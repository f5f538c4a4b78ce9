"""scrm.special against known values (full tables are in tests/unit/test_sf.c)."""
import math

import pytest

from scrm import errors, special


def test_values():
    assert special.lgamma(0.5) == pytest.approx(0.57236494292470008707, rel=1e-14)
    v, err = special.lgamma_e(12.5)
    assert v == pytest.approx(18.734347511936445702, rel=1e-14) and 0 <= err < 1e-12
    assert special.lgamma_sgn(-0.5) == (pytest.approx(1.2655121234846453965, rel=1e-13), -1)
    assert special.lbeta(1e10, 0.5) == pytest.approx(-10.940560522033028333, rel=1e-13)
    assert special.lbeta_e(1.0, 1.0)[0] == pytest.approx(0.0, abs=1e-15)
    assert special.digamma(1.0) == pytest.approx(-0.57721566490153286061, rel=1e-14)
    assert special.digamma_e(10.0)[0] == pytest.approx(2.2517525890667211076, rel=1e-14)
    assert special.hyperg_2f1(1, 1, 2, 0.5) == pytest.approx(-math.log(0.5) / 0.5, rel=1e-14)
    assert special.hyperg_2f1_e(0.5, 0.5, 1.5, 1.0)[0] == pytest.approx(math.pi / 2, rel=1e-13)
    ln, sgn = special.hyperg_2f1_log(5000.2, 5000.7, 5001.5, 0.5)
    assert sgn == 1 and ln == pytest.approx(3465.320118476310477291, rel=1e-13)


def test_errors():
    with pytest.raises(errors.DomainError):
        special.lgamma(0.0)
    with pytest.raises(errors.DomainError):
        special.lgamma_e(-2.0)
    with pytest.raises(errors.DomainError):
        special.digamma(-1.0)
    with pytest.raises(errors.DomainError):
        special.lbeta(-1.0, 1.0)
    with pytest.raises(errors.DomainError):
        special.hyperg_2f1(1, 1, 2, 1.5)
    with pytest.raises(errors.RangeError):
        special.hyperg_2f1_e(5000.2, 5000.7, 5001.5, 0.5)
