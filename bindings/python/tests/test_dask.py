"""scrm.dask: KPIs over Dask DataFrames on a 2-process LocalCluster equal one process."""
import math
import os
import sys

import pytest

import scrm
import scrm.dask as sd
from scrm import errors

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # tornado, in distributed

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.path.dirname(HERE)


def test_without_dask_raises_import_error(monkeypatch):
    # importing scrm.dask never needs dask; using it does, with a clear message
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match="python3-dask"):
        sd.nps(object(), "score")


def test_does_not_shadow_modules():
    # scrm re-exports each module's __all__; scrm.dask.nps must not replace scrm.nps
    import types
    for name in ("nps", "service", "engagement"):
        assert isinstance(getattr(scrm, name), types.ModuleType)


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("pandas")
    # Worker processes are spawned: they find this source tree and the library under test
    # through the environment they inherit.
    old = {k: os.environ.get(k) for k in ("PYTHONPATH", "SCRM_LIBRARY")}
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (PACKAGE_DIR, old["PYTHONPATH"]) if p)
    os.environ["SCRM_LIBRARY"] = str(scrm.library_path())
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       host="127.0.0.1", dashboard_address=None)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def same(a, b):
    """Equal results, NaN equal to NaN (dataclasses compare NaN unequal)."""
    if hasattr(a, "as_dict"):
        a, b = a.as_dict(), b.as_dict()
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


@pytest.fixture(scope="module")
def survey():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(7)
    n = 20_000
    df = pd.DataFrame({
        "score": rng.choice(np.arange(11), n, p=[.04] * 6 + [.08, .12, .14, .2, .22]).astype(float),
        "segment": rng.choice(["smb", "enterprise", "consumer", None], n),
        "month": rng.integers(1, 13, n),
    })
    df.loc[rng.random(n) < 0.03, "score"] = np.nan
    return df


def test_nps_equals_one_process(client, survey):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(survey, npartitions=9)
    scores = survey["score"].dropna().to_numpy()
    for opts in ({}, {"ci_method": "wald", "level": 0.9, "promoter_min": 10}):
        with scrm.Nps(**opts) as one:
            one.add(scores)
            want = one.finalize()
            want_bytes = one.to_bytes()
            want_options = one.options
        got = sd.nps(ddf, "score", split_every=2, **opts)
        assert same(got, want)
        assert got.n == len(scores) and got.n < len(survey)
        acc = sd.nps_accumulator(ddf, "score", split_every=3, **opts)
        assert acc.to_bytes() == want_bytes  # equal states give equal bytes
        assert acc.options == want_options


def test_nps_by_group(client, survey):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(survey, npartitions=5)
    got = sd.nps(ddf, "score", by="segment")
    assert list(got) == [None, "consumer", "enterprise", "smb"]
    for key, res in got.items():
        part = survey[survey["segment"].isna()] if key is None else \
            survey[survey["segment"] == key]
        with scrm.Nps() as one:
            one.add(part["score"].dropna().to_numpy())
            assert same(res, one.finalize())
    by_month = sd.nps(ddf, "score", by="month")
    assert list(by_month) == list(range(1, 13))
    assert all(type(k) is int for k in by_month)
    assert sum(r.n for r in by_month.values()) == survey["score"].notna().sum()


def test_nps_errors(client, survey):
    dd = pytest.importorskip("dask.dataframe")
    bad = survey.copy()
    bad.loc[1234, "score"] = 11
    with pytest.raises(errors.InvalidArgumentError, match="11"):
        sd.nps(dd.from_pandas(bad, npartitions=4), "score")  # raised on a worker
    with pytest.raises(errors.InvalidArgumentError):
        sd.nps(dd.from_pandas(survey, npartitions=4), "score", dropna=False)  # NaN score
    ddf = dd.from_pandas(survey, npartitions=2)
    with pytest.raises(KeyError, match="nope"):
        sd.nps(ddf, "nope")
    with pytest.raises(ValueError, match="split_every"):
        sd.nps(ddf, "score", split_every=1)
    with pytest.raises(errors.InvalidArgumentError):  # bad options fail before any task
        sd.nps(ddf, "score", level=2.0)
    with pytest.raises(errors.NoDataError):
        sd.nps(dd.from_pandas(survey.iloc[:0], npartitions=1), "score")


def test_compute_false_returns_delayed(client, survey):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(survey, npartitions=3)
    lazy = sd.nps(ddf, "score", compute=False)
    assert hasattr(lazy, "compute") and hasattr(lazy, "dask")
    assert same(lazy.compute(), sd.nps(ddf, "score"))


@pytest.fixture(scope="module")
def tickets():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(11)
    n = 30_000
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        rng.integers(0, 90 * 86400, n), unit="s")
    answer = pd.to_timedelta(rng.lognormal(7, 1.5, n).astype(int), unit="s")
    resolve = answer + pd.to_timedelta(rng.lognormal(9, 1.2, n).astype(int), unit="s")
    df = pd.DataFrame({
        "created": created,
        "first_response": created + answer,
        "resolved": created + resolve,
        "handle_time": rng.gamma(2.0, 150.0, n),
        "channel": rng.choice(["twitter", "facebook", "email"], n),
    })
    df.loc[rng.random(n) < 0.05, "first_response"] = pd.NaT
    df.loc[rng.random(n) < 0.10, "resolved"] = pd.NaT
    df.loc[rng.random(n) < 0.02, "handle_time"] = np.nan
    return df


def _service_one(df, **opts):
    one = scrm.Service(**opts)
    one.add(df["created"].to_numpy(), df["first_response"].to_numpy(),
            df["resolved"].to_numpy(), df["handle_time"].to_numpy())
    return one


COLS = dict(created="created", first_response="first_response", resolved="resolved",
            handle_time="handle_time")


def test_service_equals_one_process(client, tickets):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(tickets, npartitions=8)
    opts = dict(response_targets=(600, 3600), resolution_targets=(86400,))
    with _service_one(tickets, **opts) as one:
        want, want_bytes = one.finalize(), one.to_bytes()
    got = sd.service(ddf, **COLS, **opts)
    assert same(got, want)
    assert got.overall.volume == len(tickets)
    assert got.overall.responded == tickets["first_response"].notna().sum()
    assert not got.quantiles_exact  # histogram quantiles, as from any accumulator
    acc = sd.service_accumulator(ddf, **COLS, split_every=2, **opts)
    assert acc.to_bytes() == want_bytes
    # the histogram quantile is within its documented 2^-7 relative error of the exact one
    np = pytest.importorskip("numpy")
    ans = (tickets["first_response"] - tickets["created"]).dropna().dt.total_seconds()
    exact = float(np.quantile(ans.to_numpy(), 0.9))
    assert abs(got.overall.answer.p90 - exact) <= exact * 2 ** -7 + 1e-9


def test_service_by_period_and_column(client, tickets):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(tickets, npartitions=6)
    acc = sd.service_accumulator(ddf, **COLS, group_by="period", period="month")
    with _service_one(tickets, group_by="period", period="month") as one:
        assert same(acc.groups(), one.groups())
        assert [g.label for g in acc.groups()] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    by = sd.service(ddf, **COLS, by="channel")
    assert list(by) == ["email", "facebook", "twitter"]
    for key, res in by.items():
        with _service_one(tickets[tickets["channel"] == key]) as one:
            assert same(res, one.finalize())
    with pytest.raises(ValueError, match="by="):
        sd.service(ddf, **COLS, group_by="channel")


@pytest.fixture(scope="module")
def interactions():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(5)
    n = 40_000
    users = rng.integers(0, 15_000, n)
    kinds = rng.choice(["post", "comment", "share", "like", "mention"], n,
                       p=[.05, .2, .1, .55, .1])
    return pd.DataFrame({
        "time": pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 60 * 86400, n),
                                                             unit="s"),
        "user": [f"user{u}" for u in users],
        "user_id": users,
        "kind": kinds,
        "reach": rng.integers(10, 5000, n).astype(float),
        "sentiment": np.where(rng.random(n) < 0.3, np.nan, rng.uniform(-1, 1, n)),
    })


def _engagement_one(df, users="user", **opts):
    np = pytest.importorskip("numpy")
    one = scrm.Engagement("month", **opts)
    t = df["time"].to_numpy().astype("datetime64[s]").astype("int64")
    kinds = [k for k in df["kind"]]
    if users == "user":
        one.add(t, list(df["user"]), kinds, reach=df["reach"].to_numpy(),
                sentiment=df["sentiment"].to_numpy())
    else:
        one.add_keys(t, df[users].to_numpy().astype(np.uint64), kinds,
                     reach=df["reach"].to_numpy(), sentiment=df["sentiment"].to_numpy())
    return one


def test_engagement_equals_one_process(client, interactions):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(interactions, npartitions=7)
    with _engagement_one(interactions) as one:
        want, want_bytes = one.finalize(), one.to_bytes()
        want_periods = one.periods()
    got = sd.engagement(ddf, "time", "user", "kind", reach="reach", sentiment="sentiment")
    assert same(got, want)  # counts, sums and the merged HLL estimate: identical
    assert got.rows == len(interactions)
    assert got.counts["like"] == (interactions["kind"] == "like").sum()
    assert got.reach == interactions["reach"].sum()
    acc = sd.engagement_accumulator(ddf, "time", "user", "kind", reach="reach",
                                    sentiment="sentiment", split_every=2)
    assert acc.to_bytes() == want_bytes
    assert same(acc.periods(), want_periods)
    # the sketch is within its documented error (1.04 / sqrt(2^14) = 0.81 %; 4 sigma)
    talking = interactions[interactions["kind"] != "post"]
    exact = talking["user"].nunique()
    assert abs(got.unique_users - exact) <= 4 * 0.0081 * exact
    assert not got.exact_users


def test_engagement_integer_keys_and_groups(client, interactions):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(interactions, npartitions=4)
    got = sd.engagement(ddf, "time", "user_id", "kind", reach="reach", sentiment="sentiment",
                        hll_precision=12)
    with _engagement_one(interactions, users="user_id", hll_precision=12) as one:
        assert same(got, one.finalize())
    by = sd.engagement(ddf, "time", "user", "kind", by="kind")
    assert list(by) == ["comment", "like", "mention", "post", "share"]
    assert {k: r.rows for k, r in by.items()} == \
        interactions["kind"].value_counts().sort_index().to_dict()
    bad = interactions.copy()
    bad.loc[17, "kind"] = "retweet"
    with pytest.raises(ValueError, match="retweet"):
        sd.engagement(dd.from_pandas(bad, npartitions=3), "time", "user", "kind")


def test_runs_on_two_worker_processes(client, survey):
    dd = pytest.importorskip("dask.dataframe")
    info = client.scheduler_info()["workers"]
    assert len(info) == 2
    pids = set(client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids
    from distributed import get_task_stream
    ddf = dd.from_pandas(survey, npartitions=8)
    with get_task_stream(client) as ts:
        sd.nps(ddf, "score", split_every=2)
    names = {}
    for t in ts.data:
        names.setdefault(t["key"].split("-")[0].strip("('"), set()).add(t["worker"])
    assert names["_nps_part"] == set(info)  # partitions ran on both worker processes
    assert "_merge_states" in names  # and their states were merged in a tree


@pytest.fixture(scope="module")
def cdnow_transactions():
    pd = pytest.importorskip("pandas")
    from conftest import SHARED_DATA
    path = SHARED_DATA / "cdnow" / "CDNOW_sample.txt"
    if not path.exists():
        pytest.skip(f"{path} not found")
    df = pd.read_csv(path, sep=r"\s+", header=None,
                     names=["customer", "id", "date", "quantity", "amount"],
                     dtype={"customer": str, "date": str})
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    return df.sample(frac=1.0, random_state=3).reset_index(drop=True)  # customers spread out


CDNOW_RFM = dict(period="day", unit="week", calibration_end="1997-09-30")


def _one_rfm(df, **opts):
    from scrm import Rfm
    return Rfm.from_arrays(df["customer"].to_numpy(), df["date"].to_numpy(), None, **opts)


def test_rfm_histogram_equals_one_process(client, cdnow_transactions):
    dd = pytest.importorskip("dask.dataframe")
    df = cdnow_transactions
    ddf = dd.from_pandas(df, npartitions=6)
    for opts in (CDNOW_RFM, dict(period="day", unit="day")):  # explicit end, latest transaction
        hist = sd.rfm_histogram(ddf, "customer", "date", split_every=2, **opts)
        with _one_rfm(df, **opts) as rfm, scrm.RfmHistogram() as one:
            one.add_rfm(rfm)
            assert hist.to_bytes() == one.to_bytes()
            x, t_x, T, w = rfm.collapse()
        rows = hist.rows()
        assert list(rows.x) == list(x) and list(rows.T) == list(T)
        assert list(rows.t_x) == list(t_x) and list(rows.weight) == list(w)
        assert hist.info().total_weight == df["customer"].nunique() == 2357
    # without the shuffle a customer split over partitions counts twice: not the same
    bad = sd.rfm_histogram(ddf, "customer", "date", shuffle=False, **CDNOW_RFM)
    assert bad.info().total_weight > 2357


def test_fit_clv_equals_one_process_on_cdnow(client, cdnow_transactions):
    dd = pytest.importorskip("dask.dataframe")
    df = cdnow_transactions
    ddf = dd.from_pandas(df, npartitions=5)
    model = sd.fit_clv(ddf, "customer", "date", kind="bgnbd", **CDNOW_RFM)
    with _one_rfm(df, **CDNOW_RFM) as rfm:
        x, t_x, T, w = rfm.collapse()
    one = scrm.ClvModel.fit("bgnbd", x, t_x, T, weights=w)
    got, want = model.info(), one.info()
    assert got.params == want.params  # same rows, same order: the same fit, bit for bit
    assert got.log_likelihood == want.log_likelihood
    # and the published BG/NBD estimates on CDNOW (Fader, Hardie & Lee 2005)
    for name, pub in zip("r alpha a b".split(), (0.243, 4.414, 0.793, 2.426)):
        assert got.params[name] == pytest.approx(pub, abs=1e-3)
    pnbd = sd.fit_clv(ddf, "customer", "date", kind="pareto_nbd", **CDNOW_RFM)
    assert pnbd.info().converged
    with pytest.raises(errors.InvalidArgumentError):
        sd.fit_clv(ddf, "customer", "date", kind="gamma_gamma", **CDNOW_RFM)
