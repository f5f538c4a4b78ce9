"""scrm.customer_base.RfmHistogram: equals Rfm.collapse, exact merges of splits,
bytes round trip and corruption, pickling, the published BG/NBD fit, bad input."""
import array
import csv
import pickle
import random

import pytest

import scrm
from scrm import Rfm, RfmHistogram, errors


def summary(shared_data):
    with open(shared_data / "cdnow" / "cdnow_customers_summary_with_transactions.csv",
              newline="") as f:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    return ([r["x"] for r in rows], [r["t_x"] for r in rows], [r["T"] for r in rows])


def aslist(v):
    return [float(a) for a in v]


def test_equals_rfm_collapse(shared_data):
    from test_customer_base import cdnow
    import datetime as dt
    cust, times, values = cdnow(shared_data)
    with Rfm.from_arrays(cust, times, values, unit="weeks",
                         calibration_end=dt.date(1997, 9, 30)) as rfm:
        want = rfm.collapse()
        a = RfmHistogram()
        a.add_rfm(rfm)
        b = RfmHistogram.from_arrays(rfm.frequency, rfm.recency, rfm.T)
    for h in (a, b):
        got = h.rows()
        for g, w in zip((got.x, got.t_x, got.T, got.weight), want):
            assert aslist(g) == aslist(w)
        info = h.info()
        assert info.rows == len(want[0]) and info.total_weight == 2357
        assert len(h) == info.rows
    assert a.to_bytes() == b.to_bytes()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_merge_of_random_splits_equals_one_pass(shared_data, seed):
    x, tx, T = summary(shared_data)
    rng = random.Random(seed)
    w = [float(rng.randint(1, 4)) for _ in x]
    one = RfmHistogram.from_arrays(x, tx, T, w)
    k = rng.randint(2, 6)
    parts = [RfmHistogram() for _ in range(k)]
    idx = [[] for _ in range(k)]
    for i in range(len(x)):
        idx[rng.randrange(k)].append(i)
    for p, ii in zip(parts, idx):
        p.add([x[i] for i in ii], [tx[i] for i in ii], [T[i] for i in ii], [w[i] for i in ii])
    # A tree reduction over bytes, as Dask does.
    states = [p.to_bytes() for p in parts]
    rng.shuffle(states)
    while len(states) > 1:
        a = RfmHistogram.from_bytes(states.pop())
        a.merge(states.pop())
        states.insert(0, a.to_bytes())
    assert states[0] == one.to_bytes()


def test_numpy_array_and_pickle(shared_data):
    np = pytest.importorskip("numpy")
    x, tx, T = summary(shared_data)
    h = RfmHistogram()
    h.add(np.asarray(x), np.asarray(tx), array.array("d", T), np.ones(len(x)))
    clone = pickle.loads(pickle.dumps(h))
    assert clone.to_bytes() == h.to_bytes()
    assert isinstance(h.rows().x, np.ndarray)
    h.merge(h)
    assert h.info().total_weight == 2 * 2357
    h.reset()
    assert len(h) == 0 and h.info().total_weight == 0


def test_fit_reproduces_published_bgnbd(shared_data):
    x, tx, T = summary(shared_data)
    halves = [RfmHistogram.from_arrays(x[i::2], tx[i::2], T[i::2]) for i in range(2)]
    halves[0].merge(halves[1])
    model = halves[0].fit("bgnbd")
    p = model.params
    for name, want in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert abs(p[name] - want) <= 1e-3, name
    assert abs(model.info().log_likelihood - -9582.4) <= 0.05
    with pytest.raises(errors.InvalidArgumentError):
        halves[0].fit("gamma_gamma")
    with pytest.raises(errors.NoDataError):
        RfmHistogram().fit("bgnbd")


def test_corrupt_bytes(shared_data):
    x, tx, T = summary(shared_data)
    data = RfmHistogram.from_arrays(x[:30], tx[:30], T[:30]).to_bytes()
    for cut in range(len(data)):
        with pytest.raises(errors.CorruptError):
            RfmHistogram.from_bytes(data[:cut])
    flipped = bytearray(data)
    flipped[40] ^= 0x10
    with pytest.raises(errors.CorruptError):
        RfmHistogram.from_bytes(bytes(flipped))


def test_bad_input_is_atomic():
    h = RfmHistogram()
    h.add([1, 2], [1, 1], [3, 3])
    before = h.to_bytes()
    cases = [([1, 1], [1, 4], [3, 3], None, "t_x"),
             ([1, -1], [1, 0], [3, 3], None, "x"),
             ([1, 0], [1, 1], [3, 3], None, "x = 0"),
             ([1, 1], [1, 1], [3, float("nan")], None, "T"),
             ([1, 1], [1, 1], [3, 3], [1, 0], "weight")]
    for x, tx, T, w, field in cases:
        with pytest.raises(errors.InvalidArgumentError) as e:
            h.add(x, tx, T, w)
        assert "row 1" in str(e.value) and field in str(e.value)
        assert h.to_bytes() == before
    with pytest.raises(errors.InvalidArgumentError):
        h.add([1, 2], [1], [3, 3])
    with pytest.raises(TypeError):
        h.merge(42)
    with pytest.raises(TypeError):
        h.add_rfm(h)
    small = RfmHistogram(max_rows=2)
    small.add([1, 2], [1, 1], [3, 3])
    with pytest.raises(errors.ScrmError) as e:
        small.add([5], [1], [3])
    assert e.value.code == errors.SCRM_ELIMIT
    assert small.info().max_rows == 2 and len(small) == 2
    with pytest.raises(errors.InvalidArgumentError):
        small.merge(h)  # different options
    with pytest.raises(ValueError):
        RfmHistogram(max_rows=-1)
    assert isinstance(scrm.RfmHistogram(), RfmHistogram)
