"""scrm.Service, savings and Erlang C over the libscrm service module."""
import datetime as dt
import math
import pickle

import pytest

import scrm
from scrm import Dataset, Service, errors
from scrm.service import ServiceGroup

np = pytest.importorskip("numpy")

T0 = 1_700_000_000
NONE = None

# The six tickets of the C suite (tests/unit/test_service.c), offsets from T0.
CREATED = [0, 100, 200, 1000, 5000, 10000]
FIRST = [30, 4000, None, 10, 200, None]
RESOLVED = [600, 90000, None, 100, None, 20000]
HANDLE = [300, 1200, None, 60, 90, 30.5]
CHANNEL = ["twitter", "email", "twitter", "phone", "email", "twitter"]


def same(a, b):
    """Equality with NaN == NaN (results hold NaN where a statistic does not exist)."""
    if hasattr(a, "as_dict"):
        return same(a.as_dict(), b.as_dict())
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


def golden_columns():
    c = [T0 + x for x in CREATED]
    f = [None if d is None else c[i] + d for i, d in enumerate(FIRST)]
    r = [None if d is None else c[i] + d for i, d in enumerate(RESOLVED)]
    return c, f, r


@pytest.fixture
def tickets_ds():
    c, f, r = golden_columns()
    with Dataset() as ds:
        ds.append("tickets", {"id": [f"t{i}" for i in range(6)], "channel": CHANNEL,
                              "created": c, "first_response": f, "resolved": r,
                              "handle_time": HANDLE})
        ds.append("costs", {"time": [T0, T0], "category": ["social", "other"],
                            "amount": [100.0, 50.0]})
        yield ds


def test_golden_accumulator():
    c, f, r = golden_columns()
    with Service(response_targets=[3600, 60]) as s:
        s.add(c, f, r, HANDLE)
        res = s.finalize()
    o = res.overall
    assert (o.volume, o.responded, o.unanswered, o.resolved, o.unresolved) == (6, 4, 2, 4, 2)
    assert o.answer.mean == 1060.0 and o.answer.min == 10.0 and o.answer.max == 4000.0
    assert o.answer.median == 115.25          # histogram midpoint of [200, 201]
    assert abs(o.answer.p90 - 2860) <= 2860 / 128
    assert o.response_sla_met == (3, 2) and o.response_sla == (0.5, 2 / 6)
    assert o.resolution_sla_met == (3,)
    assert o.backlog == 2 and o.backlog_mean_age == 87500.0 and o.backlog_max_age == 89900.0
    assert o.handled == 5 and o.handle_time_total == 1680.5
    assert res.now == T0 + 90100 and res.quantiles_exact is False
    assert res.response_targets == (3600.0, 60.0)


def test_compute_exact_and_grouped_labels(tickets_ds):
    with Service(group_by="channel") as s:
        res = s.compute(tickets_ds)
        assert res.quantiles_exact is True
        assert res.overall.answer.median == 115.0        # exact now
        assert res.overall.answer.p90 == pytest.approx(2860.0, rel=1e-15)
        assert res.overall.resolution.median == 10300.0
        groups = s.groups()
    labels = {g.label: g for g in groups}
    assert set(labels) == {"twitter", "email", "phone"}
    assert labels["twitter"].volume == 3 and labels["email"].answer.mean == 2100.0
    assert [g.key for g in groups] == sorted(g.key for g in groups)
    assert sum(g.volume for g in groups) == res.overall.volume


def test_compute_matches_numpy_quantiles():
    rng = np.random.default_rng(3)
    n = 20000
    created = T0 + rng.integers(0, 90 * 86400, n)
    ans = np.round(np.exp(rng.normal(7, 1.6, n))).astype(np.int64)
    first = np.where(rng.random(n) < 0.2, np.iinfo(np.int64).min, created + ans)
    with Dataset() as ds:
        ds.append("tickets", {"id": [str(i) for i in range(n)], "created": created,
                              "first_response": first})
        with Service() as s:
            exact = s.compute(ds).overall.answer
            d = ans[first != np.iinfo(np.int64).min]
            for q, got in ((0.5, exact.median), (0.9, exact.p90), (0.95, exact.p95)):
                assert got == pytest.approx(np.quantile(d, q), rel=1e-14, abs=1e-9)
            assert exact.mean == pytest.approx(d.mean(), rel=1e-15)
            # The accumulator path (histogram) on the same tickets: within 2^-7.
            with Service() as acc:
                acc.add(created, first)
                approx = acc.finalize().overall.answer
            for q, got in ((0.5, approx.median), (0.9, approx.p90), (0.95, approx.p95)):
                assert abs(got - np.quantile(d, q)) <= np.quantile(d, q) / 128


def test_numpy_datetime_and_missing_inputs():
    c = np.array(["2024-01-01T00:00:00", "2024-01-02T00:00:00"], dtype="datetime64[s]")
    f = np.array(["2024-01-01T00:10:00", "NaT"], dtype="datetime64[s]")
    with Service(group_by="period", period="day") as s:
        s.add(c, f, handle_time=np.array([10.0, np.nan]))
        groups = s.groups()
        assert [g.label for g in groups] == ["2024-01-01", "2024-01-02"]
        assert groups[0].answer.max == 600.0 and groups[1].unanswered == 1
        assert s.finalize().overall.handled == 1
    with Service() as s:
        s.add(["2024-01-01T00:00:00Z"], [dt.datetime(2024, 1, 1, 1, tzinfo=dt.timezone.utc)])
        assert s.finalize().overall.answer.mean == 3600.0


def test_merge_of_parts_equals_one_pass_and_pickle():
    rng = np.random.default_rng(11)
    n = 5000
    c = T0 + rng.integers(0, 30 * 86400, n)
    f = c + rng.integers(0, 100000, n)
    ch = rng.integers(0, 5, n).astype(np.uint32)
    opts = dict(group_by="agent", response_targets=[60, 3600])
    with Service(**opts) as one, Service(**opts) as a, Service(**opts) as b:
        one.add(c, f, keys=ch)
        a.add(c[:1234], f[:1234], keys=ch[:1234])
        b.add(c[1234:], f[1234:], keys=ch[1234:])
        b2 = pickle.loads(pickle.dumps(b))
        a.merge(b2)
        assert a.to_bytes() == one.to_bytes()
        assert same(a.finalize(), one.finalize())
        assert same(a.groups(), one.groups())
        back = Service.from_bytes(one.to_bytes())
        assert back.group_by == ServiceGroup.AGENT
        assert same(back.groups(), one.groups())
        b2.close()
        back.close()


def test_errors():
    with Service() as s:
        with pytest.raises(errors.InvalidArgumentError, match="row 1.*before created"):
            s.add([T0, T0 + 10], [T0, T0 + 5])
        with pytest.raises(errors.InvalidArgumentError, match="handle_time"):
            s.add([T0], handle_time=[-1.0])
        with pytest.raises(errors.InvalidArgumentError, match="first_response has 1"):
            s.add([T0, T0], [T0])
        with pytest.raises(errors.NoDataError):
            s.finalize()
        with pytest.raises(errors.InvalidArgumentError):
            s.merge(s)
        with Service(response_targets=[5]) as other:
            with pytest.raises(errors.InvalidArgumentError, match="different options"):
                s.merge(other)
        with pytest.raises(TypeError):
            s.merge(object())
    with pytest.raises(errors.InvalidArgumentError, match="keys"):
        with Service(group_by="team") as t:
            t.add([T0])
    with pytest.raises(errors.InvalidArgumentError):
        Service(group_by="planet")
    with pytest.raises(errors.InvalidArgumentError):
        Service(response_targets=[1, 2, 3, 4, 5])
    with pytest.raises(errors.InvalidArgumentError):
        Service(response_targets=[-1])
    with pytest.raises(errors.CorruptError):
        Service.from_bytes(b"SCRM nonsense")
    data = bytearray(Service().to_bytes())
    data[-1] ^= 1
    with pytest.raises(errors.CorruptError):
        Service.from_bytes(bytes(data))
    s = Service()
    s.close()
    with pytest.raises(errors.ClosedError):
        s.finalize()


def test_reset():
    with Service() as s:
        s.add([T0], [T0 + 5])
        s.reset()
        with pytest.raises(errors.NoDataError):
            s.finalize()


def test_savings_golden_and_dataset(tickets_ds):
    r = scrm.savings(10000, 10000, 4000, cost_phone=6, mix_phone=1, mix_email=0, mix_chat=0,
                     deflection_rate=0.6, indirect_deflection_rate=0.2, cost_social=0)
    assert (r.deflected_direct, r.deflected_indirect, r.avoided_cost) == (2400, 2000, 26400)
    # Dataset: social channel "twitter" has 3 tickets, 1 answered, 2 resolved, 2
    # handle times (300 + 30.5 s); costs of category "social": 100.
    r = scrm.savings_compute(tickets_ds, cost_category="Social")
    assert r.inputs == scrm.SavingsInputs(3, 1, 2, 2, 330.5, 100.0)
    assert r.avoided_cost == pytest.approx(2 * (0.40 * 5.25 + 0.17 * 4.42 + 0.15 * 3.82))
    assert r.agent_cost == pytest.approx(330.5 / 3600 * 15.53 + 1 * 1.00)
    assert r.net_savings == pytest.approx(r.avoided_cost - r.agent_cost - 100.0)
    r = scrm.savings_compute(tickets_ds, social_channels=["email", "phone"])
    assert r.inputs.social_contacts == 3 and r.inputs.program_cost == 150.0
    with pytest.raises(errors.InvalidArgumentError, match="mix"):
        scrm.savings(1, 1, 1, mix_phone=0.9, mix_email=0.9)
    with pytest.raises(errors.InvalidArgumentError, match="social_answered"):
        scrm.savings(1, 2, 1)
    with pytest.raises(TypeError):
        scrm.savings(1, 1, 1, planet=3)


def test_erlang():
    r = scrm.erlang_c(100 / 1800, 180, 14, 20)
    assert r.wait_probability == pytest.approx(0.17413193359504984, rel=1e-13)
    assert r.service_level == pytest.approx(0.8883500191794669, rel=1e-13)
    assert r.agents == 14 and r.occupancy == pytest.approx(10 / 14)
    assert scrm.erlang_b(123, 132) == pytest.approx(0.031242821046996373, rel=1e-12)
    assert scrm.erlang_c(12345, 1, 12421).wait_probability == pytest.approx(0.381225015061751,
                                                                           rel=1e-11)
    with pytest.raises(errors.DomainError, match="unstable"):
        scrm.erlang_c(10, 1, 10)
    with pytest.raises(errors.DomainError):
        scrm.erlang_c(1, -1, 3)
    st = scrm.erlang_staffing(100 / 1800, 180, 20, 0.8, shrinkage=0.3, max_occupancy=0.85)
    assert (st.agents, st.positions, st.occupancy_bound) == (14, 20, False)
    assert st.at == scrm.erlang_c(100 / 1800, 180, 14, 20)
    st = scrm.erlang_staffing(100 / 1800, 180, 19.8, 0.8, shrinkage=0.3, max_occupancy=0.7)
    assert (st.agents, st.positions, st.occupancy_bound) == (15, 22, True)
    with pytest.raises(errors.LimitError):
        scrm.erlang_staffing(100, 1, 1, 0.8, max_agents=50)
    with pytest.raises(errors.InvalidArgumentError):
        scrm.erlang_staffing(1, 1, 1, 0.8, shrinkage=1.0)
    assert math.isinf(scrm.erlang_c(0, 60, 1, 10).log_wait_probability)
