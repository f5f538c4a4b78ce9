"""Engagement calculator (scrm.Engagement): goldens as in tests/unit/test_engagement*.c,
merge/serialize properties, dataset compute and error paths."""
import math

import pytest

import scrm
from scrm import errors
from scrm.engagement import EngagementKind, EngagementValid

T0 = 1704067200  # 2024-01-01T00:00:00Z, a Monday
DAY = 86400


def socialtalk():
    e = scrm.Engagement("day", engagement_kinds=["like", "comment", "share", "other"])
    n = 600
    kinds = ["like"] * 500 + ["comment"] * 50 + ["share"] * 20 + ["other"] * 30
    e.add_keys([T0 + 3600] * n, list(range(n)), kinds)
    e.add_keys([T0 + 3540], [10 ** 6], ["post"], reach=[12000], impressions=[8000])
    e.add_followers([T0 - DAY], [10000])
    return e


def test_socialtalk_golden():
    r = socialtalk().finalize()
    assert r.engagements == 600 and r.rows == 601
    assert r.er_followers == pytest.approx(6.0, rel=1e-12)      # ENG-1
    assert r.er_impressions == pytest.approx(7.5, rel=1e-12)    # ENG-2
    assert r.er_reach == pytest.approx(5.0, rel=1e-12)
    assert r.counts["like"] == 500 and r.counts["post"] == 1
    assert r.start == T0 and r.end == T0 + DAY
    assert r.valid & EngagementValid.ER_FOLLOWERS
    assert not r.exact_users


def test_kaushik_rates_and_undefined_figures_are_none():
    e = scrm.Engagement()
    e.add_keys([T0] * 20, range(20), ["post"] * 20)
    e.add_keys([T0 + DAY] * 100, range(100), ["comment"] * 100)
    e.add_keys([T0 + DAY] * 60, range(60), ["share"] * 60)
    e.add_keys([T0 + DAY] * 1000, range(1000), ["like"] * 1000)
    r = e.finalize()
    assert (r.conversation_rate, r.amplification_rate, r.applause_rate) == (5.0, 3.0, 50.0)
    assert r.er_reach is None and r.er_followers is None and r.followers is None
    assert r.share_of_voice is None and r.economic_value is None
    assert not r.valid & EngagementValid.SOV


def test_net_sentiment_and_share_of_voice():
    e = scrm.Engagement()
    sent = [0.5] * 80 + [-1.0] * 20 + [0.0] * 100 + [None] * 7
    n = len(sent)
    comp = [0] * n
    e.add_keys([T0] * n, range(n), ["mention"] * n, sentiment=sent, competitor=comp)
    e.add_keys([T0] * 300, range(300), ["mention"] * 300, competitor=[1] * 300)
    r = e.finalize()
    assert r.net_sentiment_total == pytest.approx(30.0)          # SENT-1
    assert r.net_sentiment == pytest.approx(60.0)                # SENT-2
    assert r.mean_sentiment == pytest.approx(0.1)
    assert r.unscored == 7
    assert r.share_of_voice == pytest.approx(207 / 507 * 100)
    assert r.competitor_counts["mention"] == 300


def test_economic_value_and_options():
    e = scrm.Engagement("week", values={"like": 0.25, EngagementKind.SHARE: 4},
                        own_brand="Acme", window_days=28, hll_precision=12,
                        competitors="pooled", neutral_band=0.05)
    o = e.options
    assert o["period"] == "week" and o["own_brand"] == "Acme" and o["window_days"] == 28
    assert o["values"]["like"] == 0.25 and o["values"]["share"] == 4.0
    assert o["competitors"] == "pooled"
    assert o["talking_kinds"] == ["comment", "share", "like", "mention"]
    e.add([T0, T0, T0], ["a", "b", "c"], ["like", "share", "comment"])
    assert e.finalize().economic_value == pytest.approx(4.25)
    with pytest.raises(TypeError, match="unknown option"):
        scrm.Engagement(colour="red")
    with pytest.raises(ValueError, match="unknown kind"):
        scrm.Engagement(values={"poke": 1})


def test_periods_days_and_rolling_window():
    e = scrm.Engagement("week")
    e.add([T0, T0 + DAY, T0 + 7 * DAY, T0 + 8 * DAY, T0 + 9 * DAY],
          ["a", "b", "a", "c", "a"], ["like", "comment", "mention", "share", "post"])
    days = e.days()
    assert len(days) == 10
    assert [round(d.talking_window) for d in days] == [1, 2, 2, 2, 2, 2, 2, 2, 2, 2]
    assert [round(d.unique_users) for d in days] == [1, 1, 0, 0, 0, 0, 0, 1, 1, 0]
    weeks = e.periods()
    assert len(weeks) == 2 and weeks[1].start == weeks[0].end
    assert weeks[0].growth_engagements is None
    assert weeks[1].growth_unique_users == pytest.approx(0.0, abs=0.2)
    assert scrm.Engagement().periods() == [] and scrm.Engagement().days() == []


def test_string_users_equal_hashed_keys_and_numpy_inputs():
    np = pytest.importorskip("numpy")
    users = ["alice", "bob", "alice"]
    a, b = scrm.Engagement(), scrm.Engagement()
    a.add(["2024-01-01", "2024-01-01T10:00:00Z", T0 + DAY], users, ["like", "share", "like"],
          reach=[1.5, 2, 3])
    keys = np.array([scrm.engagement_hash(u) for u in users], dtype=np.uint64)
    b.add_keys(np.array([T0, T0 + 36000, T0 + DAY], dtype=np.int64), keys,
               np.array([3, 2, 3], dtype=np.int32), reach=np.array([1.5, 2, 3]))
    assert a.to_bytes() == b.to_bytes()
    assert scrm.engagement_hash("") == 0xEF46DB3751D8E999


def test_merge_of_splits_equals_one_pass_and_round_trip():
    import random
    rng = random.Random(4)
    n = 2000
    times = [T0 + rng.randrange(50 * DAY) for _ in range(n)]
    keys = [rng.randrange(500) for _ in range(n)]
    kinds = [rng.randrange(6) for _ in range(n)]
    reach = [rng.random() * 1000 for _ in range(n)]
    sent = [None if rng.random() < 0.3 else rng.uniform(-1, 1) for _ in range(n)]
    comp = [int(rng.random() < 0.2) for _ in range(n)]
    one = scrm.Engagement("week", hll_precision=10)
    one.add_keys(times, keys, kinds, reach=reach, sentiment=sent, competitor=comp)
    parts = [scrm.Engagement("week", hll_precision=10) for _ in range(3)]
    for p, (lo, hi) in zip(parts, [(0, 333), (333, 1500), (1500, n)]):
        p.add_keys(times[lo:hi], keys[lo:hi], kinds[lo:hi], reach=reach[lo:hi],
                   sentiment=sent[lo:hi], competitor=comp[lo:hi])
    merged = scrm.Engagement.from_bytes(parts[2].to_bytes())
    merged.merge(parts[0])
    merged.merge(parts[1])
    assert merged.to_bytes() == one.to_bytes()
    assert merged.finalize() == one.finalize() or _same(merged.finalize(), one.finalize())
    twice = scrm.Engagement.from_bytes(one.to_bytes())
    twice.merge(twice)
    assert twice.finalize().rows == 2 * one.finalize().rows


def _same(a, b):
    for k, v in a.as_dict().items():
        w = getattr(b, k)
        if isinstance(v, float) and math.isnan(v):
            assert math.isnan(w)
        else:
            assert v == w, k
    return True


def test_dataset_compute_exact_users(tmp_path):
    social = tmp_path / "social.csv"
    social.write_text(
        "time,channel,user,kind,post_id,target_user,brand,reach,impressions,sentiment\n"
        "2024-01-01T09:00:00Z,fb,acme,post,p1,,,1000,1500,\n"
        "2024-01-01T10:00:00Z,fb,ann,like,p1,,,,,positive\n"
        "2024-01-02T10:00:00Z,fb,bob,Reply,p1,acme,,,,negative\n"
        "2024-01-02T11:00:00Z,fb,ann,retweet,p1,,ACME,,,0.5\n"
        "2024-01-08T10:00:00Z,x,cat,mention,,,,,,neutral\n"
        "2024-01-09T10:00:00Z,x,dan,mention,,,Globex,,,-0.2\n"
        "2024-02-01T00:00:00Z,fb,eve,reaction,p1,,,200,300,\n")
    (tmp_path / "audience.csv").write_text(
        "time,channel,followers\n2023-12-31,fb,1000\n2024-01-01,x,50\n2024-02-01,fb,1150\n")
    with scrm.Dataset.from_dir(tmp_path) as ds:
        e = scrm.Engagement(own_brand="Acme")
        r = e.compute(ds)
    assert r.exact_users and r.unique_users == 4.0
    assert r.rows == 6 and r.share_of_voice == 50.0
    assert r.followers == 1200.0
    p = e.periods()
    assert [x.unique_users for x in p] == [3.0, 1.0]
    assert all(d.exact for d in e.days())
    e.merge(scrm.Engagement(own_brand="Acme"))        # modified: estimates now
    assert not e.finalize().exact_users


def test_errors_carry_the_library_message():
    e = scrm.Engagement()
    with pytest.raises(errors.InvalidArgumentError, match="row 1: reach"):
        e.add_keys([T0, T0], [1, 2], ["like", "like"], reach=[1.0, -1.0])
    with pytest.raises(errors.InvalidArgumentError, match="row 0: sentiment"):
        e.add_keys([T0], [1], ["like"], sentiment=[2.0])
    with pytest.raises(errors.InvalidArgumentError, match="row 0: unknown kind 9"):
        e.add_keys([T0], [1], [9])
    with pytest.raises(errors.RangeError, match="outside years"):
        e.add_keys([-(1 << 63)], [1], ["like"])
    with pytest.raises(errors.InvalidArgumentError, match="followers"):
        e.add_followers([T0], [math.nan])
    with pytest.raises(TypeError, match=r"users\[1\]"):
        e.add([T0, T0], ["a", None], ["like", "like"])
    with pytest.raises(ValueError, match="3 values for 2 rows"):
        e.add_keys([T0, T0], [1, 2, 3], ["like", "like"])
    assert e.finalize().rows == 0                       # nothing was added
    with pytest.raises(errors.InvalidArgumentError, match="different options"):
        e.merge(scrm.Engagement("week"))
    with pytest.raises(errors.InvalidArgumentError, match="hll_precision"):
        scrm.Engagement(hll_precision=3)
    with pytest.raises(errors.InvalidArgumentError, match="unknown period"):
        scrm.Engagement(period=9)


def test_corrupted_bytes_raise():
    e = scrm.Engagement(hll_precision=4)
    e.add(["2024-01-01"], ["a"], ["like"])
    data = e.to_bytes()
    for n in range(0, len(data), 7):
        with pytest.raises(errors.CorruptError):
            scrm.Engagement.from_bytes(data[:n])
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x10
    with pytest.raises(errors.CorruptError):
        scrm.Engagement.from_bytes(bytes(flipped))
    assert scrm.Engagement.from_bytes(data).to_bytes() == data


def test_pickle_and_copy_round_trip():
    import copy
    import pickle
    e = scrm.Engagement("week", own_brand="Acme", values={"like": 0.5})
    e.add(["2024-01-01", "2024-01-09"], ["a", "b"], ["like", "share"], reach=[3, 4])
    for other in (pickle.loads(pickle.dumps(e)), copy.copy(e), copy.deepcopy(e)):
        assert other.to_bytes() == e.to_bytes()
        assert other.finalize() == e.finalize()
        assert other.options == e.options


def test_closed_handle_and_library_errors_monkeypatched(monkeypatch):
    e = scrm.Engagement()
    e.close()
    with pytest.raises(errors.ClosedError):
        e.finalize()
    from scrm import engagement as mod

    def fail(*args):
        from scrm._lib import raise_last
        raise_last(errors.SCRM_ENOMEM, "scrm_engagement_finalize")
    monkeypatch.setattr(mod, "_finalize", fail)
    with pytest.raises(MemoryError):
        scrm.Engagement().finalize()
