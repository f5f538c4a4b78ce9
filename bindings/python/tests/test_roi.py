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
    with pytest.raises(errors.DomainError, match="rate: -1"):
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


# ---- business-case models ----------------------------------------------------

def textbook_model():
    m = scrm.RoiModel(period="year", horizon=4, discount_rate=0.10)
    m.add_cost("investment", 100, first=0, last=0)
    for i, v in enumerate([39, 59, 55, 20]):
        m.add_benefit(f"y{i + 1}", v, first=i + 1, last=i + 1)
    return m


def test_model_evaluate_matches_the_textbook():
    with textbook_model() as m:
        r = m.evaluate()
        assert r.npv == pytest.approx(-100 + 39 / 1.1 + 59 / 1.21 + 55 / 1.331 + 20 / 1.4641,
                                      rel=1e-13)
        assert r.irr_count == 1 and r.irr == pytest.approx(0.2809484211599611, rel=1e-12)
        assert r.payback.period == pytest.approx(2.036363636363636, rel=1e-13)
        assert r.discounted_payback.period == pytest.approx(2.382, rel=1e-13)
        assert r.roi_undiscounted == pytest.approx(0.73)
        assert list(m.flows()) == [-100, 39, 59, 55, 20]
        assert list(m.flows("costs")) == [100, 0, 0, 0, 0]
        assert list(m.flows("y2")) == [0, 0, 59, 0, 0]
        assert m.flows(scrm.Flows.DISCOUNTED_NET)[1] == pytest.approx(39 / 1.1)
        assert len(m) == 5
        assert m.options == {"period": 5, "horizon": 4, "discount_rate": 0.1,
                             "start": scrm.TIME_NONE}


def test_model_lines_inputs_and_sources():
    with scrm.RoiModel(period="quarter", horizon=8, discount_rate=0.08) as m:
        svc = m.add_service_savings("service", contacts=1240, saving=5.2)
        ret = m.add_retention("retention", customers=10000, r0=0.8, r1=0.85, margin=100,
                              discount=0.1, first=4, last=4)
        m.add_referrals("referrals", referrers=300, value=45, growth=0.01)
        m.add_engagement("engagement", actions=25000, value=0.15)
        m.add_conversions("conversions", conversions=120, margin=80, source="CRM export")
        line = m.line("service")
        assert line.index == svc and line.kind == scrm.LineKind.SERVICE and not line.is_cost
        assert line.source == ("service: 1,240 contacts deflected x 5.20 per contact per "
                               "period, periods 1-8")
        assert m.line(ret).source.endswith("CLV uplift 73.33 per customer, at period 4")
        assert m.lines[-1].source == "CRM export"
        assert m.flows(ret)[4] == pytest.approx(733333.3333333333, rel=1e-13)
        assert m.get_input("service", "volume") == 1240
        m.set_input("service", scrm.Input.VOLUME, 1000)
        assert "1,000 contacts" in m.line(svc).source
        assert m.get_input(scrm.MODEL_LINE, "discount_rate") == 0.08
        assert scrm.input_name("clv_discount") == "clv_discount"
        assert scrm.input_name(scrm.Input.R1) == "r1"
        assert m.find_line("referrals") == 2
        with pytest.raises(errors.NotFoundError):
            m.find_line("tv")
        with pytest.raises(errors.InvalidArgumentError, match="'service' has no input 5"):
            m.get_input("service", "r0")
        with pytest.raises(ValueError, match="unknown input"):
            m.get_input("service", "colour")
        with pytest.raises(errors.InvalidArgumentError, match="already exists"):
            m.add_cost("service", 1)
        with pytest.raises(errors.DomainError, match="CLV undefined"):
            m.add_retention("bad", 10, 0.8, 1.0, 10, 0.0)
        r = m.evaluate()
        assert math.isnan(r.roi)  # no costs


def test_model_options_errors_and_calendar():
    with pytest.raises(errors.InvalidArgumentError, match="horizon 0"):
        scrm.RoiModel(horizon=0)
    with pytest.raises(errors.InvalidArgumentError, match="unsupported period 2"):
        scrm.RoiModel(period="week")
    with pytest.raises(errors.DomainError):
        scrm.RoiModel(discount_rate=-1.5)
    with scrm.RoiModel(start="2024-01-15", horizon=3) as m:
        assert m.options["start"] == scrm.time_parse("2024-01-01")
        assert scrm.time_format(m.flow_time(2)) == "2024-03-01T00:00:00Z"
    with scrm.RoiModel() as m:
        with pytest.raises(errors.StateError):
            m.flow_time(0)
    m = scrm.RoiModel()
    m.close()
    with pytest.raises(scrm.ClosedError):
        m.evaluate()


def test_costs_table_from_a_dataset():
    csv = ("time,category,amount\n2024-01-05,ads,100\n2024-01-20,staff,50.5\n"
           "2024-03-01,ads,200\n2023-12-31,ads,999\n")
    with scrm.Dataset() as ds, scrm.RoiModel(start="2024-01-01", horizon=12,
                                             discount_rate=0.0) as m:
        ds.load_csv_buffer("costs", csv)
        all_costs = m.add_costs_table("costs", ds)
        ads = m.add_costs_table("ads", ds, category="ads")
        assert list(m.flows(all_costs)[:4]) == [0, 150.5, 0, 200]
        assert m.line(ads).source == ("costs table: 2 rows, category 'ads', total 300.00; "
                                      "1 rows before the start and 0 after the horizon left out")
        with pytest.raises(errors.NotFoundError, match="'tv'"):
            m.add_costs_table("tv", ds, category="tv")
        ds.close()
        assert m.evaluate().costs == pytest.approx(350.5 + 300)


def test_scenarios_and_sensitivity():
    with scrm.RoiModel(period="year", horizon=3, discount_rate=0.0) as m:
        cost = m.add_cost("program", 1000, first=0, last=0)
        svc = m.add_service_savings("service", contacts=100, saving=5)
        m.set_scenario("pessimistic", svc, "volume", 60)
        m.set_scenario("pessimistic", "program", "amount", 1200)
        assert m.scenarios == ["pessimistic"]
        assert m.evaluate("pessimistic").npv == pytest.approx(3 * 300 - 1200)
        with pytest.raises(errors.NotFoundError):
            m.evaluate("optimistic")
        m.set_uncertain(svc, "volume", scrm.uniform(50, 150))
        m.set_uncertain(svc, "unit_value", scrm.triangular(4, 5, 6))
        m.set_uncertain(cost, "amount", scrm.pert(800, 1000, 1500))
        m.set_uncertain(scrm.MODEL_LINE, "discount_rate", scrm.fixed(0.0))
        rows = m.sensitivity()
        assert [r.name for r in rows] == ["service", "program", "service"]
        assert rows[0].input == scrm.Input.VOLUME
        assert (rows[0].low_value, rows[0].high_value) == (pytest.approx(55), pytest.approx(145))
        assert rows[0].swing == pytest.approx(1350)
        assert rows[0].swing >= rows[1].swing >= rows[2].swing
        wide = m.sensitivity(low=0.0, high=1.0, scenario="pessimistic")
        assert wide[0].npv_low == pytest.approx(15 * 50 - 1200)
        with pytest.raises(errors.InvalidArgumentError, match="low < high"):
            m.sensitivity(low=0.9, high=0.1)
        with pytest.raises(errors.InvalidArgumentError, match="min < max"):
            m.set_uncertain(svc, "volume", scrm.triangular(150, 100, 50))
        with pytest.raises(errors.InvalidArgumentError, match="sd must be > 0"):
            m.set_uncertain(svc, "volume", scrm.normal(100, 0))
        m.clear_uncertain(cost, "amount")
        assert len(m.sensitivity()) == 2


def test_monte_carlo_reproducible_and_summarized():
    with scrm.RoiModel(period="year", horizon=3, discount_rate=0.0) as m:
        m.add_cost("program", 1000, first=0, last=0)
        svc = m.add_service_savings("service", contacts=100, saving=5)
        m.set_uncertain(svc, "volume", scrm.normal(100, 10))
        m.set_uncertain(svc, "unit_value", scrm.lognormal_mean(5, 0.5))
        a = m.monte_carlo(iterations=20000, seed=11)
        b = m.monte_carlo(iterations=20000, seed=11, threads=3)
        assert list(a.samples("npv")) == list(b.samples(scrm.Metric.NPV))
        s = a.summary()
        assert s.iterations == 20000 and s.seed == 11 and s.clamped == 0
        # NPV = 15 V U - 1000 with E[V U] = 500: mean 1500 - 1000 = 500 (SE < 2).
        assert s.npv.mean == pytest.approx(500, abs=10)
        assert s.npv.p5 < s.npv.p50 < s.npv.p95
        assert 0 < s.p_roi_positive <= 1
        assert a.percentiles("npv", [0.05, 0.5, 0.95]) == [
            pytest.approx(s.npv.p5), pytest.approx(s.npv.p50), pytest.approx(s.npv.p95)]
        np = pytest.importorskip("numpy")
        x = np.asarray(a.samples("npv"))
        assert np.percentile(x, 12.3) == pytest.approx(a.percentiles("npv", [0.123])[0],
                                                       rel=1e-12)
        with pytest.raises(ValueError, match="unknown metric"):
            a.samples("irr")
        with pytest.raises(errors.InvalidArgumentError):
            m.monte_carlo(iterations=0)
        a.close()
        b.close()


def test_monte_carlo_progress_cancel_and_callback_errors():
    with textbook_model() as m:
        m.set_uncertain("y1", "amount", scrm.triangular(30, 39, 50))
        seen = []
        mc = m.monte_carlo(iterations=5000, progress=lambda done, total: seen.append(done))
        assert seen[-1] == 5000 and seen == sorted(seen)
        mc.close()
        with pytest.raises(errors.StateError, match="stopped by the progress callback"):
            m.monte_carlo(iterations=50000, progress=lambda done, total: True)

        def boom(done, total):
            raise KeyError("from the callback")
        with pytest.raises(KeyError, match="from the callback"):
            m.monte_carlo(iterations=50000, progress=boom)
