"""scrm.crv: the CRV worked example, accumulator laws, dataset path, segments."""
import math
import pickle

import pytest

import scrm
from scrm import Crv, Dataset, crv_segments, errors
from scrm.crv import Segment


def test_worked_example():
    c = Crv(horizon=12, discount_rate=0.15 / 12, retention_cost=2.0)
    c.add([7, 7, 7], margins=[[20.0] * 12] * 3, incentive=[25, 25, 25],
          acquisition=[60, 60, 60], incremental=[1, 1, 0])
    r = c.finalize()
    assert r.value == pytest.approx(527.2502925057263, rel=1e-12)
    assert r.referrers == 1 and r.referees == 3 and r.incremental_referees == 2
    d = c.to_dict()
    assert list(d["referrer"]) == [7] and d["value"][0] == pytest.approx(r.value)
    assert list(c.lookup([1, 7])) == [0.0, pytest.approx(r.value)]


def test_merge_bytes_pickle():
    a, b, all_ = (Crv(horizon=2, share_anyway=0.2) for _ in range(3))
    a.add([1, 2], margins=[[1, 2], [3, 4]], incentive=[1, 0])
    b.add([2, 3], margins=[[5, 6], [7, 8]])
    all_.add([1, 2, 2, 3], margins=[[1, 2], [3, 4], [5, 6], [7, 8]], incentive=[1, 0, 0, 0])
    a.merge(b)
    assert list(a.referrers()) == [1, 2, 3]
    assert list(a.column("value")) == pytest.approx(list(all_.column("value")), rel=1e-14)
    back = Crv.from_bytes(a.to_bytes())
    assert back.to_bytes() == a.to_bytes()
    assert pickle.loads(pickle.dumps(a)).finalize() == a.finalize()
    with pytest.raises(errors.InvalidArgumentError):
        a.merge(Crv(horizon=3))
    with pytest.raises(errors.CorruptError):
        Crv.from_bytes(a.to_bytes()[:-2])


def test_compute_from_dataset():
    with Dataset() as ds:
        ds.append("referrals", {"referrer": ["a", "a"], "referee": ["c", "d"],
                                "time": ["2024-01-15", "2024-02-03"], "incentive_cost": [10, 0]})
        ds.append("transactions", {"customer": ["c", "c", "d"],
                                   "time": ["2024-01-20", "2024-02-10", "2024-02-03"],
                                   "amount": [50, 70, 30], "margin": [5, 7, 3]})
        c = Crv(horizon=3, discount_rate=0.0, retention_cost=1.0, acquisition_saving=20,
                observation_end="2024-04-30")
        r = c.compute(ds)
        assert r.value == pytest.approx(15 - 6 - 10 + 40)
        assert ds.string(int(c.referrers()[0])) == "a"
        r2 = Crv(horizon=3, discount_rate=0.0, margin_source="amount", margin_rate=0.1,
                 observation_end="2024-04-30")
        assert r2.compute(ds).margin == pytest.approx(15.0)


def test_segments():
    seg, s = crv_segments([10, 40, 30, 20], [5, 0, 7, 0])
    assert list(seg) == [Segment.ADVOCATE, Segment.AFFLUENT, Segment.CHAMPION, Segment.MISER]
    assert s.clv_threshold == 25 and s.crv_threshold == 2.5
    assert s.count == {"champion": 1, "affluent": 1, "advocate": 1, "miser": 1}
    seg, s = crv_segments([10, 40, 30, 20], [5, 0, 7, 0], crv_split="value", crv_threshold=6)
    assert list(seg)[0] == Segment.MISER
    with pytest.raises(errors.InvalidArgumentError):
        crv_segments([1, math.nan], [0, 0])
    with pytest.raises(errors.NoDataError):
        crv_segments([], [])
    with pytest.raises(errors.InvalidArgumentError):
        crv_segments([1], [1], clv_split="mode")


def test_errors():
    with pytest.raises(errors.InvalidArgumentError):
        Crv(horizon=0)
    with pytest.raises(errors.InvalidArgumentError):
        Crv(share_anyway=2)
    with pytest.raises(TypeError):
        Crv(colour="red")
    c = Crv(horizon=2)
    with pytest.raises(errors.InvalidArgumentError):
        c.add([1], margins=[[1, math.nan]])
    with pytest.raises(errors.InvalidArgumentError):
        c.add([1], margins=[[1, 2, 3]])
    with pytest.raises(errors.InvalidArgumentError):
        c.add([1], incremental=[1.5])
    with pytest.raises(errors.InvalidArgumentError):
        c.add([1, 2], incentive=[1])
    assert c.finalize().referrers == 0
    with Dataset() as ds:
        with pytest.raises(errors.NoDataError):
            c.compute(ds)
