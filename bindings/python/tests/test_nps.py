"""NPS binding: goldens of METRICS.md 1.2-1.4 (as in tests/unit/test_nps.c),
accumulator properties, serialization and pickle, grouped results, referral funnel."""
import array
import copy
import math
import pickle
import random

import pytest

import scrm
from scrm import errors

GOLDEN = [10] * 50 + [7] * 30 + [0] * 20  # n 100, P 50, D 20


def test_golden_wald_and_adjusted_wald():
    with scrm.Nps(ci_method="wald") as calc:
        calc.add(GOLDEN)
        r = calc.finalize()
    assert (r.n, r.promoters, r.passives, r.detractors) == (100, 50, 30, 20)
    assert r.score_counts[10] == 50 and r.score_counts[7] == 30 and r.score_counts[0] == 20
    assert r.nps == pytest.approx(30.0, rel=1e-15)
    assert r.se == pytest.approx(7.810249675906654, rel=1e-9)
    assert r.method is scrm.CiMethod.WALD
    # METRICS.md used z = 1.959964; exact-z bounds from Python's math module.
    assert r.ci_low == pytest.approx(14.69219180421129, abs=1e-6)
    assert r.ci_high == pytest.approx(45.30780807504267, rel=1e-9)

    calc = scrm.Nps()  # default: adjusted Wald, 95 %
    calc.add(GOLDEN)
    a = calc.finalize()
    assert a.method is scrm.CiMethod.ADJUSTED_WALD and a.level == 0.95
    assert a.nps == pytest.approx(30.0)
    assert a.ci_center == pytest.approx(29.126213592233007, rel=1e-9)
    assert a.ci_se == pytest.approx(7.691510421814756, rel=1e-9)
    assert a.ci_low == pytest.approx(14.051130178761605, rel=1e-9)
    assert a.ci_high == pytest.approx(44.20129700570441, rel=1e-9)
    calc.close()


def test_compare_goldens_metrics_1_4():
    a = scrm.Nps(ci_method="wald")
    a.add_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
    b = scrm.Nps(ci_method="wald")
    b.add_counts([0, 0, 0, 0, 0, 0, 15, 0, 125, 0, 60])
    c = scrm.nps_compare(a.finalize(), b.finalize())
    assert c.difference == pytest.approx(-7.5)
    assert c.z == pytest.approx(-0.8534928354911501, rel=1e-9)
    assert c.p_value == pytest.approx(math.erfc(0.8534928354911501 / math.sqrt(2)), rel=1e-9)
    assert c.ci_low == pytest.approx(-24.72302668843297, rel=1e-9)

    a2, b2 = scrm.Nps(), scrm.Nps()
    a2.add_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
    b2.add_counts([0, 0, 0, 0, 0, 0, 15, 0, 125, 0, 60])
    c2 = scrm.nps_compare(a2.finalize(), b2.finalize(), level=0.9)
    assert c2.z == pytest.approx(-0.8019085741689721, rel=1e-9)
    assert c2.method is scrm.CiMethod.ADJUSTED_WALD and c2.level == 0.9
    with pytest.raises(errors.InvalidArgumentError, match="methods differ"):
        scrm.nps_compare(a.finalize(), b2.finalize())
    with pytest.raises(errors.InvalidArgumentError, match="level"):
        scrm.nps_compare(a.finalize(), b.finalize(), level=1.5)
    allp = scrm.Nps(ci_method="wald")
    allp.add([10, 9, 10])
    with pytest.raises(errors.DomainError):
        scrm.nps_compare(allp.finalize(), allp.finalize())


def test_bad_scores_name_index_and_value_and_add_nothing():
    calc = scrm.Nps()
    for bad, text in [(10.5, "10.5"), (-1, "-1"), (11, "11"), (math.nan, "nan"),
                      (math.inf, "inf")]:
        with pytest.raises(errors.InvalidArgumentError, match=rf"scores\[2\]: {text}"):
            calc.add([1, 2, bad, 3])
    with pytest.raises(errors.NoDataError):
        calc.finalize()
    with pytest.raises(TypeError):
        calc.add("789")
    with pytest.raises(errors.InvalidArgumentError):
        calc.add_counts([1, 2, 3])


def test_bad_options():
    for kw in [dict(detractor_max=9, promoter_min=9), dict(detractor_max=-1),
               dict(promoter_min=11), dict(level=1.0), dict(level=math.nan), dict(ci_method=7)]:
        with pytest.raises(errors.InvalidArgumentError):
            scrm.Nps(**kw)
    with pytest.raises(ValueError, match="unknown ci_method"):
        scrm.Nps(ci_method="bootstrap")
    with pytest.raises(TypeError, match="unknown option"):
        scrm.Nps(bands=3)
    calc = scrm.Nps(detractor_max=4, promoter_min=8, level=0.9, ci_method="wald")
    assert calc.options == dict(detractor_max=4, promoter_min=8, level=0.9,
                                ci_method=scrm.CiMethod.WALD)


def test_merge_of_any_split_equals_one_pass():
    rng = random.Random(7)
    scores = [rng.randrange(11) for _ in range(500)]
    whole = scrm.Nps()
    whole.add(array.array("d", scores))
    want = whole.finalize()
    for cut in (0, 1, 17, 250, 499, 500):
        a, b = scrm.Nps(), scrm.Nps()
        a.add(scores[:cut])
        b.add(scores[cut:])
        a.merge(b)
        assert a.finalize() == want
    rng.shuffle(scores)
    again = scrm.Nps()
    again.add(scores)
    assert again.finalize() == want
    other = scrm.Nps(level=0.9)
    with pytest.raises(errors.InvalidArgumentError, match="options differ"):
        whole.merge(other)
    whole.merge(whole)
    assert whole.finalize().n == 1000
    with pytest.raises(TypeError):
        whole.merge(object())


def test_numpy_input_zero_copy():
    np = pytest.importorskip("numpy")
    calc = scrm.Nps()
    calc.add(np.array(GOLDEN, dtype=np.float64))
    calc.add(np.array([3, 4], dtype=np.int64))  # converted
    assert calc.finalize().n == 102


def test_serialize_pickle_copy_and_corruption():
    calc = scrm.Nps(detractor_max=5, ci_method="wald")
    calc.add(GOLDEN)
    data = calc.to_bytes()
    assert data[:4] == b"SCRM" and len(data) == 16 + 3 + 8 + 88 + 4
    back = scrm.Nps.from_bytes(data)
    assert back.finalize() == calc.finalize()
    assert back.options == calc.options
    assert pickle.loads(pickle.dumps(calc)).finalize() == calc.finalize()
    dup = copy.copy(calc)
    dup.add([10])
    assert dup.finalize().n == 101 and calc.finalize().n == 100
    for n in range(len(data)):
        with pytest.raises(errors.CorruptError):
            scrm.Nps.from_bytes(data[:n])
    flipped = bytearray(data)
    flipped[40] ^= 0x10
    with pytest.raises(errors.CorruptError, match="checksum"):
        scrm.Nps.from_bytes(bytes(flipped))


def test_reset_close_and_closed_errors():
    calc = scrm.Nps()
    calc.add([9])
    calc.reset()
    with pytest.raises(errors.NoDataError):
        calc.finalize()
    calc.close()
    with pytest.raises(errors.ClosedError):
        calc.add([1])


@pytest.fixture
def survey_dataset():
    ds = scrm.Dataset()
    ds.append("customers", {"id": ["c1", "c2", "c3", "c4"],
                            "segment": ["gold", "silver", "gold", None]})
    ds.append("survey", {
        "customer": ["c1", "c2", "c3", "c4", None, "c9"],
        "time": ["2024-01-01", "2024-01-20", "2024-02-03", "2024-02-04", "2024-04-01",
                 "2024-04-02"],
        "score": [10, 9, 3, 7, 0, 10],
        "intends_to_refer": [True, True, False, True, None, True],
        "referred": [True, False, False, False, True, None]})
    ds.append("referrals", {"referrer": ["c1", "c1", "c2"],
                            "time": ["2024-01-05", "2024-01-06", "2024-02-01"],
                            "converted": [True, False, None]})
    yield ds
    ds.close()


def test_compute_and_groups(survey_dataset):
    calc = scrm.Nps(ci_method="wald")
    r = calc.compute(survey_dataset)
    assert r.n == 6 and r.promoters == 3 and r.detractors == 2
    assert calc.finalize() == r
    segs = calc.by_segment(survey_dataset)
    assert [(g.segment, g.result.n) for g in segs] == [(None, 3), ("gold", 2), ("silver", 1)]
    assert segs[0].segment_id == 0 and segs[1].period_start is None
    months = calc.by_period(survey_dataset, "month")
    assert [g.result.n for g in months] == [2, 2, 2]
    assert [scrm.time_format(g.period_start)[:10] for g in months] == [
        "2024-01-01", "2024-02-01", "2024-04-01"]
    assert months[0].result.nps == pytest.approx(100.0)
    quarters = calc.by_period(survey_dataset, scrm.Period.QUARTER)
    assert [g.result.n for g in quarters] == [4, 2]
    days = calc.by_period(survey_dataset, "day")  # more groups than the first buffer? no: 6
    assert len(days) == 6
    cmp = scrm.nps_compare(months[0].result, months[1].result)
    assert cmp.difference == pytest.approx(-50.0 - 100.0)
    with pytest.raises(ValueError):
        calc.by_period(survey_dataset, "fortnight")
    with pytest.raises(errors.InvalidArgumentError, match="period"):
        calc.by_period(survey_dataset, 42)


def test_many_groups_retry_the_buffer():
    ds = scrm.Dataset()
    n = 40  # more than the binding's first buffer of 16 groups
    ds.append("survey", {"time": [1704067200 + 86400 * i for i in range(n)],
                         "score": [i % 11 for i in range(n)]})
    groups = scrm.Nps().by_period(ds, "day")
    assert len(groups) == n and all(g.result.n == 1 for g in groups)
    assert [g.result.score_counts.index(1) for g in groups] == [i % 11 for i in range(n)]


def test_empty_survey_and_bad_score_in_dataset():
    ds = scrm.Dataset()
    calc = scrm.Nps()
    with pytest.raises(errors.NoDataError):
        calc.compute(ds)
    with pytest.raises(errors.NoDataError):
        calc.by_segment(ds)
    ds.append("survey", {"time": ["2024-01-01", "2024-01-02"], "score": [9, 6.5]})
    with pytest.raises(errors.InvalidArgumentError, match="survey row 1.*6.5"):
        calc.compute(ds)


def test_referral_funnel(survey_dataset):
    f = scrm.Referral.from_dataset(survey_dataset)
    # (intends, referred): (1,1) (1,0) (0,0) (1,0) (?,1) (1,?)
    assert (f.intend_referred, f.intend_not_referred, f.referred_not_intend, f.neither) == (
        1, 2, 0, 1)
    assert f.incomplete == 2 and f.n == 4
    assert f.intend_share == pytest.approx(0.75)
    assert f.referred_given_intend == pytest.approx(1 / 3)
    assert f.phi == pytest.approx(1 / 3)  # (1*1 - 2*0) / sqrt(3*1*1*3)
    assert (f.referrals, f.referrals_converted, f.referrals_unknown) == (2, 1, 1)
    assert f.conversion_share == pytest.approx(0.5)

    # Kumar et al. financial-services margins (68 % intend, 33 % referred).
    k = scrm.Referral.from_counts(intend_referred=33, intend_not_referred=35, neither=32)
    assert k.intend_share == pytest.approx(0.68) and k.referred_share == pytest.approx(0.33)
    assert k.phi == pytest.approx(0.4814377064012165, rel=1e-12)
    assert k.conversion_share is None

    a = scrm.Referral.from_flags([True, False, None], [True, False, True], [True, False])
    b = scrm.Referral.from_flags([1, 0], [0, 0], [None])
    m = a.merge(b)
    assert m == scrm.Referral.from_flags([True, False, None, 1, 0], [True, False, True, 0, 0],
                                         [True, False, None])
    none = scrm.Referral.from_counts()
    assert none.phi is None and none.intend_share is None and none.n == 0
    with pytest.raises(errors.InvalidArgumentError, match=r"intends\[1\]: 2 is not"):
        scrm.Referral.from_flags([1, 2], [1, 1])
    with pytest.raises(ValueError, match="differ in length"):
        scrm.Referral.from_flags([1, 0], [1])
    with pytest.raises(errors.InvalidArgumentError, match="referrals_converted"):
        scrm.Referral.from_counts(referrals=1, referrals_converted=2)
    with pytest.raises(TypeError, match="unknown count"):
        scrm.Referral.from_counts(phi=3)
