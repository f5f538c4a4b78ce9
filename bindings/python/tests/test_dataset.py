"""scrm.Dataset over scrm_dataset: loads, reports, append, column access, lifetime."""
import array
import datetime as dt
import gc
import weakref

import pytest

import scrm
from scrm import Dataset, Table, errors
from scrm.dataset import ColumnType, columns, column_info, table_id, table_name

UTC = dt.timezone.utc

TRANSACTIONS = """customer,time,amount,margin
c1,2020-01-01,10.5,2
c2,2020-01-02T10:00:00Z,20,
c1,2020-02-01,-3.25,1
"""


def ts(*args):
    return int(dt.datetime(*args, tzinfo=UTC).timestamp())


@pytest.fixture
def ds():
    with Dataset() as d:
        yield d


def test_schema_matches_the_library():
    for t in Table:
        assert table_name(t) == t.name.lower()
        cols = columns(t)
        assert cols and all(c.table == t for c in cols)
        assert [c.index for c in cols] == list(range(len(cols)))
    amount = column_info("transactions", "AMOUNT ")
    assert (amount.index, amount.type, amount.required) == (2, ColumnType.F64, True)
    assert column_info("transactions", 3).name == "margin"
    assert column_info("survey", "intends_to_refer").type == ColumnType.BOOL
    assert table_id("Tickets.csv") == Table.TICKETS
    with pytest.raises(errors.InvalidArgumentError, match="no column 'amout'"):
        column_info("transactions", "amout")
    with pytest.raises(errors.InvalidArgumentError, match="unknown table 'sales'"):
        table_id("sales")


def test_load_csv_buffer(ds):
    rep = ds.load_csv_buffer("transactions", TRANSACTIONS, name="tx.csv")
    assert (rep.table, rep.rows_read, rep.rows_accepted, rep.rows_rejected) == \
        ("transactions", 3, 3, 0)
    assert rep.ok and rep.rejections == () and ds.reports == [rep]
    assert "LoadReport(table='transactions'" in repr(rep)
    assert ds.rows("transactions") == 3 and ds.rows(Table.CUSTOMERS) == 0
    assert ds.strings("transactions", "customer") == ["c1", "c2", "c1"]
    assert list(ds.column("transactions", "time", copy=True)) == \
        [ts(2020, 1, 1), ts(2020, 1, 2, 10), ts(2020, 2, 1)]
    amounts = ds.column("transactions", "amount")
    assert list(amounts) == [10.5, 20.0, -3.25]
    margin = ds.values("transactions", "margin")
    assert margin[0] == 2.0 and margin[1] != margin[1] and margin[2] == 1.0
    assert ds.values("transactions", "time")[1] == dt.datetime(2020, 1, 2, 10, tzinfo=UTC)
    del amounts
    assert "transactions=3" in repr(ds)


def test_bytes_input_and_delimiter(ds):
    data = TRANSACTIONS.replace(",", ";").encode()
    assert ds.load_csv_buffer(Table.TRANSACTIONS, data, delimiter=";").rows_accepted == 3


def test_fail_mode_raises_with_report(ds):
    bad = "customer,time,amount\nc1,2020-01-01,1\nc2,2020-13-01,1\n"
    with pytest.raises(errors.ScrmError) as info:
        ds.load_csv_buffer("transactions", bad, name="tx.csv")
    exc = info.value
    assert isinstance(exc, ValueError)
    assert "tx.csv" in str(exc) and "time" in str(exc)
    assert exc.report.rows_accepted == 0 and exc.report.rows_rejected >= 1
    assert ds.rows("transactions") == 0  # nothing added in fail mode
    assert ds.reports[-1] is exc.report


def test_skip_mode_reports_rejections(ds):
    bad = "customer,time,amount\nc1,2020-01-01,1\nc2,2020-13-01,1\nc3,2020-01-03,abc\n"
    rep = ds.load_csv_buffer("transactions", bad, on_error="skip")
    assert (rep.rows_read, rep.rows_accepted, rep.rows_rejected) == (3, 1, 2)
    assert [r.row for r in rep.rejections] == [3, 4]
    assert [r.column for r in rep.rejections] == ["time", "amount"]
    assert all(r.reason for r in rep.rejections) and not rep.truncated
    assert ds.rows("transactions") == 1


def test_missing_required_column(ds):
    with pytest.raises(errors.NotFoundError, match="amount"):
        ds.load_csv_buffer("transactions", "customer,time\nc1,2020-01-01\n")


def test_bad_options(ds):
    with pytest.raises(errors.InvalidArgumentError, match="on_error"):
        ds.load_csv_buffer("transactions", TRANSACTIONS, on_error="ignore")
    with pytest.raises(TypeError, match="unknown option"):
        scrm.dataset.make_options(scrm.dataset.LoadOptions, scrm.dataset._load_options_init,
                                  1, {"colour": 1})
    with pytest.raises(ValueError):
        ds.load_csv_buffer("transactions", TRANSACTIONS, max_rows=-1)
    with pytest.raises(ValueError, match="single-byte"):
        ds.load_csv_buffer("transactions", TRANSACTIONS, delimiter=";;")
    with pytest.raises(errors.VersionError):
        opts = scrm.dataset.LoadOptions()
        scrm.dataset._load_options_init(opts, 99)


def test_load_csv_file_and_missing_file(ds, tmp_path):
    path = tmp_path / "tx.csv"
    path.write_text(TRANSACTIONS)
    assert ds.load_csv("transactions", path).rows_accepted == 3
    with pytest.raises(errors.ScrmIOError) as info:
        ds.load_csv("transactions", tmp_path / "nope.csv")
    assert isinstance(info.value, OSError) and "nope.csv" in str(info.value)


def test_load_dir(tmp_path):
    (tmp_path / "transactions.csv").write_text(TRANSACTIONS)
    (tmp_path / "customers.csv").write_text("id,segment\nc1,gold\nc2,\n")
    with Dataset.from_dir(tmp_path) as ds:
        assert [r.table for r in ds.reports] == ["customers", "transactions"]
        assert ds.row_counts()["customers"] == 2
        assert ds.strings("customers", "segment") == ["gold", None]
    with pytest.raises(errors.ScrmIOError):
        Dataset.from_dir(tmp_path / "absent")


def test_load_dir_failure_carries_reports(tmp_path):
    (tmp_path / "customers.csv").write_text("id\nc1\n")
    (tmp_path / "transactions.csv").write_text("customer,time,amount\nc1,bad,1\n")
    with Dataset() as ds:
        with pytest.raises(errors.ScrmError) as info:
            ds.load_dir(tmp_path)
        assert [r.table for r in info.value.reports][-1] == "transactions"
        assert info.value.report.rows_rejected == 1


def test_append_from_python_values(ds):
    rep = ds.append("transactions", {
        "customer": ["a", "b", 7],
        "time": [dt.date(2020, 1, 1), dt.datetime(2020, 1, 2, 12), ts(2020, 1, 3)],
        "amount": array.array("d", [1.0, 2.0, 3.5]),
        "margin": [None, 0.5, float("nan")],
    })
    assert rep.rows_accepted == 3
    assert ds.strings("transactions", "customer") == ["a", "b", "7"]
    assert list(ds.column("transactions", "time", copy=True)) == \
        [ts(2020, 1, 1), ts(2020, 1, 2, 12), ts(2020, 1, 3)]
    assert ds.string(ds.string_id("b")) == "b"
    assert ds.string(0) == "" and ds.string_count() >= 4
    with pytest.raises(errors.NotFoundError):
        ds.string_id("never seen")


def test_append_text_values_are_validated_like_csv(ds):
    rep = ds.append("survey", {"time": ["2020-01-01", "2020-13-01", None],
                               "score": ["9", 10, "x"],
                               "intends_to_refer": ["yes", None, False]},
                    on_error="skip")
    assert rep.rows_accepted == 1 and rep.rows_rejected == 2
    assert [r.row for r in rep.rejections] == [1, 2]  # 0-based indexes
    assert ds.values("survey", "intends_to_refer") == [True]


def test_append_errors(ds):
    with pytest.raises(errors.InvalidArgumentError, match="differ in length"):
        ds.append("transactions", {"customer": ["a"], "time": [0, 1], "amount": [1, 2]})
    with pytest.raises(errors.InvalidArgumentError, match="no column 'amout'"):
        ds.append("transactions", {"amout": [1]})
    with pytest.raises(errors.NotFoundError):
        ds.append("transactions", {"customer": ["a"], "time": [0]})
    with pytest.raises(TypeError, match=r"transactions.amount\[0\]"):
        ds.append("transactions", {"customer": ["a"], "time": [0], "amount": [object()]})
    with pytest.raises(TypeError, match=r"transactions.time\[0\]: expected a time"):
        ds.append("transactions", {"customer": ["a"], "time": [1.5], "amount": [1]})
    with pytest.raises(ValueError, match="NUL"):
        ds.append("transactions", {"customer": ["a\0b"], "time": [0], "amount": [1]})
    with pytest.raises(errors.ScrmError):  # fail mode: a bad value fails the call
        ds.append("transactions", {"customer": [""], "time": [0], "amount": [1]})
    assert ds.rows("transactions") == 0


def test_append_numpy(ds):
    np = pytest.importorskip("numpy")
    times = np.array(["2020-01-01T00:00:00", "NaT", "1969-12-31T23:59:59.5"],
                     dtype="datetime64[ms]")
    rep = ds.append("tickets", {"id": np.array([1, 2, 3]), "created": [0, 1, 2],
                                "resolved": times, "handle_time": np.array([1, 2, 3], "i4")})
    assert rep.rows_accepted == 3
    resolved = ds.column("tickets", "resolved")
    assert resolved.dtype == np.int64 and not resolved.flags.writeable
    assert resolved.tolist() == [ts(2020, 1, 1), scrm.TIME_NONE, -1]
    assert resolved.view("datetime64[s]")[1] != resolved.view("datetime64[s]")[1]  # NaT
    ids = ds.column("tickets", "id")
    assert ids.dtype == np.uint32 and ds.strings("tickets", "id") == ["1", "2", "3"]


def test_views_are_zero_copy_and_pin_the_dataset():
    np = pytest.importorskip("numpy")
    ds = Dataset()
    ds.load_csv_buffer("transactions", TRANSACTIONS)
    a = ds.column("transactions", "amount")
    b = ds.column("transactions", "amount")
    assert a.ctypes.data == b.ctypes.data  # both view the library's memory
    with pytest.raises(BufferError):
        ds.load_csv_buffer("transactions", TRANSACTIONS)
    ref = weakref.ref(ds)
    ds.close()  # deferred free: the views still read valid memory
    with pytest.raises(errors.ClosedError):
        ds.rows("transactions")
    del ds
    gc.collect()
    assert ref() is not None and a.tolist() == [10.5, 20.0, -3.25]
    del a, b
    gc.collect()
    assert ref() is None


def test_copies_do_not_pin(ds):
    ds.load_csv_buffer("transactions", TRANSACTIONS)
    c = ds.column("transactions", "amount", copy=True)
    ds.load_csv_buffer("transactions", TRANSACTIONS)
    assert list(c) == [10.5, 20.0, -3.25] and ds.rows("transactions") == 6


def test_without_numpy(ds, no_numpy):
    ds.load_csv_buffer("transactions", TRANSACTIONS)
    col = ds.column("transactions", "amount")
    assert isinstance(col, array.array) and col.tolist() == [10.5, 20.0, -3.25]
    ds.append("transactions", {"customer": ["z"], "time": [0], "amount": [1.0]})
    assert ds.rows("transactions") == 4
    assert ds.column("transactions", "customer").typecode == "I"


def test_empty_table_column(ds):
    assert len(ds.column("costs", "amount")) == 0
    assert ds.strings("costs", "category") == []


def test_lifetime(ds):
    other = Dataset()
    other.close()
    other.close()
    with pytest.raises(errors.ClosedError):
        other.load_csv_buffer("transactions", TRANSACTIONS)
    with pytest.raises(errors.ClosedError):
        other.column("transactions", "amount")
    assert repr(other) == "<scrm.Dataset closed>"
    with pytest.raises(TypeError):
        import pickle
        pickle.dumps(ds)


def test_pandas_round_trip():
    pd = pytest.importorskip("pandas")
    frames = {
        "transactions": pd.DataFrame({
            "Customer": [1, 2, 1],
            "time": pd.to_datetime(["2020-01-01", "2020-01-02 10:00", "2020-02-01"], utc=True),
            "amount": [10.5, 20.0, -3.25],
            "ignored": ["x", "y", "z"],
        }),
        "survey": pd.DataFrame({
            "time": ["2020-01-01", "2020-01-02"],
            "score": pd.array([9, None], dtype="Int64"),
            "intends_to_refer": pd.array([True, None], dtype="boolean"),
        }),
    }
    with pytest.raises(errors.ScrmError):
        Dataset.from_pandas(frames)  # score is required: the NA row fails the load
    with Dataset.from_pandas(frames, on_error="skip") as ds:
        assert ds.rows("transactions") == 3 and ds.rows("survey") == 1
        df = ds.to_pandas("transactions")
        assert list(df["customer"]) == ["1", "2", "1"]
        assert df["time"][1] == pd.Timestamp("2020-01-02 10:00", tz="UTC")
        assert list(df["amount"]) == [10.5, 20.0, -3.25]
        assert ds.to_pandas("survey")["intends_to_refer"].tolist() == [True]


def test_sample_data_directory(source_root):
    data = source_root / "examples" / "data"
    if not any(data.glob("*.csv")):
        pytest.skip("examples/data has no CSV files yet")
    with Dataset.from_dir(data) as ds:
        assert all(r.ok and r.rows_rejected == 0 for r in ds.reports)
        assert sum(ds.row_counts().values()) > 0


def test_one_dataset_shared_by_threads():
    import threading
    ds = Dataset()
    errors_seen = []

    def writer():
        try:
            for _ in range(50):
                ds.append("transactions", {"customer": ["a", "b"], "time": [0, 1],
                                           "amount": [1.0, 2.0]})
        except Exception as exc:  # pragma: no cover - reported below
            errors_seen.append(exc)

    def reader():
        try:
            for _ in range(200):
                n = ds.rows("transactions")
                col = ds.column("transactions", "amount", copy=True)
                assert len(col) >= n - 2 * 50 and len(col) % 2 == 0
        except Exception as exc:  # pragma: no cover
            errors_seen.append(exc)

    threads = [threading.Thread(target=f) for f in (writer, writer, reader, reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors_seen
    assert ds.rows("transactions") == 200
    ds.close()
