"""ROI section of scrm-report in Python (report_roi.c): the social program's
business case built from the KPIs above (service deflection, retention through
CLV, referrals, engagement) against the program costs table; scenarios, tornado
and Monte Carlo range."""
import scrm
from scrm.roi import MODEL_LINE, Input, pert, triangular, uniform
from report_out import NO_VALUE

HORIZON = 36  # months


def first_time(ds, table, column):
    """(first, last) time of a column, ``TIME_NONE`` when it has none."""
    times = [t for t in ds.column(table, column, copy=True).tolist() if t != scrm.TIME_NONE]
    if not times:
        return scrm.TIME_NONE, scrm.TIME_NONE
    return min(times), max(times)


def converted_per_month(ds):
    """Converted referrals per month from the referrals table."""
    lo, hi = first_time(ds, "referrals", "time")
    if lo == scrm.TIME_NONE or hi <= lo:
        return 0.0
    k = sum(1 for c in ds.column("referrals", "converted", copy=True).tolist() if c == 1)
    return k / ((hi - lo) / (30.436875 * scrm.SECONDS_PER_DAY))


def result_fields(r, x):
    r.out_num("benefits_pv", "benefits (present value)", x.benefits_pv, 0)
    r.out_num("costs_pv", "costs (present value)", x.costs_pv, 0)
    r.out_num("npv", "NPV", x.npv, 0)
    r.out_num("roi", "ROI %", 100 * x.roi, 1)
    r.out_num("irr_annual", "IRR per year %",
              100 * x.irr_annual if x.irr_count == 1 else NO_VALUE, 1)
    r.out_num("payback_months", "payback (months)",
              x.payback.period if x.payback.reached else NO_VALUE, 1)
    r.out_num("discounted_payback_months", "discounted payback (months)",
              x.discounted_payback.period if x.discounted_payback.reached else NO_VALUE, 1)


def build(r):
    """The model: every line's numbers come from the sections above."""
    start, _ = first_time(r.ds, "costs", "time")
    m = scrm.RoiModel(horizon=HORIZON, discount_rate=0.10,
                      start=None if start == scrm.TIME_NONE else start)
    try:
        costs = m.add_costs_table("program costs", r.ds)
        m.get_input(costs, Input.SCALE)
        # After the recorded months the program runs at its average monthly cost.
        months_recorded, total = 0, 0.0
        for t, flow in enumerate(m.flows("costs").tolist()):
            if flow != 0:
                months_recorded = t + 1
                total += abs(flow)
        run = None
        if 0 < months_recorded <= HORIZON:
            run = m.add_cost("run rate", total / months_recorded, first=months_recorded,
                             source=f"average of {months_recorded} recorded months")
        svc = m.add_service_savings(
            "service deflection", r.social_contacts_per_month, r.saving_per_contact,
            source="service: %.0f deflected contacts/month x %.2f saved"
            % (r.social_contacts_per_month, r.saving_per_contact))
        ret = m.add_retention(
            "retention uplift", r.customers, 0.60, 0.63, r.margin_per_customer_year, 0.10,
            first=12, last=12,
            source="CLV: %.0f customers, retention 0.60 -> 0.63, margin %.2f/yr"
            % (r.customers, r.margin_per_customer_year))
        conv = converted_per_month(r.ds)
        refl = m.add_referrals(
            "referred customers", conv, r.margin_per_customer_year,
            source="referrals: %.1f converted/month x CLV %.2f"
            % (conv, r.margin_per_customer_year))
        eng = m.add_engagement(
            "engagement value", r.engagement_actions_per_month, r.value_per_action,
            source="engagement: %.0f actions/month x %.3f"
            % (r.engagement_actions_per_month, r.value_per_action))
        # The unknowns, made explicit.
        c = r.social_contacts_per_month
        m.set_uncertain(svc, Input.VOLUME, triangular(0.6 * c, c, 1.3 * c))
        s = r.saving_per_contact
        m.set_uncertain(svc, Input.UNIT_VALUE, pert(0.5 * s, s, 1.2 * s))
        m.set_uncertain(ret, Input.R1, uniform(0.60, 0.66))
        m.set_uncertain(refl, Input.VOLUME, triangular(0.0, conv, 1.5 * conv))
        if r.value_per_action > 0:
            m.set_uncertain(eng, Input.UNIT_VALUE, uniform(0.0, 2 * r.value_per_action))
        if run is not None:
            a = total / months_recorded
            m.set_uncertain(run, Input.AMOUNT, triangular(0.9 * a, a, 1.4 * a))
        m.set_uncertain(MODEL_LINE, Input.DISCOUNT_RATE, uniform(0.06, 0.14))
        # Named scenarios: sets of overrides.
        m.set_scenario("pessimistic", ret, Input.R1, 0.605)
        m.set_scenario("pessimistic", svc, Input.VOLUME, 0.6 * c)
        m.set_scenario("optimistic", ret, Input.R1, 0.65)
        m.set_scenario("optimistic", svc, Input.VOLUME, 1.3 * c)
    except BaseException:
        m.close()
        raise
    return m


def lines(r, m):
    r.out_array("lines", "lines (where each number comes from):")
    for li in m.lines:
        r.out_item()
        r.out_str("type", "", "cost" if li.is_cost else "benefit")
        r.out_str("name", "", li.name)
        r.out_str("source", "from", li.source)
    r.out_end()


def scenarios(r, m):
    r.out_array("scenarios", "scenarios:")
    for name in m.scenarios:
        x = m.evaluate(name)
        r.out_item()
        r.out_str("name", "scenario", name)
        r.out_num("npv", "NPV", x.npv, 0)
        r.out_num("roi", "ROI %", 100 * x.roi, 1)
    r.out_end()


def tornado(r, m):
    rows = m.sensitivity()[:32]
    r.out_array("tornado", "tornado (each unknown at its P5 and P95, NPV):")
    for row in rows:
        r.out_item()
        r.out_str("line", "input", row.name)
        r.out_str("input", "/", scrm.input_name(row.input))
        r.out_num("npv_low", "NPV low", row.npv_low, 0)
        r.out_num("npv_high", "NPV high", row.npv_high, 0)
        r.out_num("swing", "swing", row.swing, 0)
    r.out_end()


def monte_carlo(r, m):
    try:
        with m.monte_carlo(iterations=10000, seed=42) as mc:
            s = mc.summary()
    except scrm.ScrmError as exc:
        r.out_error("Monte Carlo", exc)
        return
    r.out_object("monte_carlo", "Monte Carlo (10,000 draws, seed 42):")
    r.out_num("npv_mean", "NPV mean", s.npv.mean, 0)
    r.out_num("npv_p5", "NPV P5", s.npv.p5, 0)
    r.out_num("npv_p50", "NPV P50", s.npv.p50, 0)
    r.out_num("npv_p95", "NPV P95", s.npv.p95, 0)
    r.out_num("roi_p5", "ROI P5 %", 100 * s.roi.p5, 1)
    r.out_num("roi_p95", "ROI P95 %", 100 * s.roi.p95, 1)
    r.out_num("p_roi_positive", "P(ROI > 0) %", 100 * s.p_roi_positive, 1)
    r.out_num("p_payback", "P(payback within 36 months) %", 100 * s.p_payback, 1)
    r.out_end()


def section_roi(r):
    r.out_section("roi", "ROI business case (36 months, 10% per year)")
    try:
        m = build(r)
        x = m.evaluate()
    except scrm.ScrmError as exc:
        r.out_error("ROI model", exc)
        r.out_end()
        return
    with m:
        lines(r, m)
        r.out_object("expected", "expected case:")
        result_fields(r, x)
        r.out_end()
        scenarios(r, m)
        tornado(r, m)
        monte_carlo(r, m)
    r.out_end()
