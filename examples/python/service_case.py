#!/usr/bin/env python3
"""A social customer service business case in Python (examples/service_case.c).

A company answers 10,000 contacts a month by phone and email. It opens a social
care channel: contacts that move there cost less (cost per contact from the
library's savings model with its documented defaults), and the program costs a
one-off setup plus a monthly run rate. Is it worth it, and how sure can we be?
ROI, NPV, IRR and payback over 24 months, with a Monte Carlo range and a
tornado table of the unknowns.

    service_case.py [--json]

Every assumption is a named constant below. Prints what the C program prints.
"""
import sys

import scrm
from scrm.roi import Input, lognormal_mean, pert, triangular, uniform

CONTACTS_PER_MONTH = 10000.0
SHARE_MOVED = 0.20     # of contacts that move to social once it runs
SETUP_COST = 15000.0   # tools, training, process design (month 0)
RUN_COST = 900.0       # monthly: listening tool, part of a team lead
HORIZON = 24           # months


def main(argv):
    as_json = bool(argv) and argv[0] == "--json"
    moved = CONTACTS_PER_MONTH * SHARE_MOVED
    try:
        # Saving per contact moved: avoided phone/email cost less social agent cost.
        sv = scrm.savings(moved, moved, moved, moved, moved * 360.0, 0.0)
        per_contact = sv.gross_savings / moved
        with scrm.RoiModel(horizon=HORIZON, discount_rate=0.08) as m:
            setup = m.add_cost("setup", SETUP_COST, first=0, last=0,
                               source="tools, training, process")
            run = m.add_cost("run rate", RUN_COST, source="listening tool, team lead time")
            svc = m.add_service_savings(
                "contacts moved to social", moved, per_contact, growth=0.01,
                source="%.0f contacts/month x %.2f saved per contact" % (moved, per_contact))
            # The unknowns: how many contacts really move, what each saves, what it costs.
            m.set_uncertain(svc, Input.VOLUME, triangular(0.4 * moved, moved, 1.3 * moved))
            m.set_uncertain(svc, Input.UNIT_VALUE,
                            pert(0.6 * per_contact, per_contact, 1.1 * per_contact))
            m.set_uncertain(setup, Input.AMOUNT, lognormal_mean(SETUP_COST * 1.1,
                                                                SETUP_COST * 0.3))
            m.set_uncertain(run, Input.AMOUNT, uniform(0.8 * RUN_COST, 1.5 * RUN_COST))
            m.set_scenario("slow adoption", svc, Input.VOLUME, 0.4 * moved)
            x = m.evaluate()
            slow = m.evaluate("slow adoption")
            rows = m.sensitivity()[:8]
            with m.monte_carlo(iterations=20000, seed=7) as mc:
                s = mc.summary()
    except scrm.ScrmError as exc:
        print(f"scrm-service-case: {exc.function or 'ROI model'}: {exc.message} "
              f"({scrm.strerror(exc.code)})", file=sys.stderr)
        return 1

    if as_json:
        tornado = ", ".join('{"line": "%s", "input": "%s", "swing": %.2f}'
                            % (row.name, scrm.input_name(row.input), row.swing) for row in rows)
        print('{"moved_per_month": %.1f, "saving_per_contact": %.4f, "npv": %.2f, '
              '"roi_pct": %.2f, "irr_annual_pct": %.2f, "payback_months": %.2f, '
              '"slow_adoption_npv": %.2f, "mc_npv_p5": %.2f, "mc_npv_p50": %.2f, '
              '"mc_npv_p95": %.2f, "p_roi_positive_pct": %.2f, "tornado": [%s]}' % (
                  moved, per_contact, x.npv, 100 * x.roi,
                  100 * x.irr_annual if x.irr_count == 1 else -1.0,
                  x.payback.period if x.payback.reached else -1.0, slow.npv, s.npv.p5,
                  s.npv.p50, s.npv.p95, 100 * s.p_roi_positive, tornado))
        return 0
    print("Social customer service business case (%d months, 8 %% per year)" % HORIZON)
    print("-------------------------------------------------------------")
    print("contacts moved to social per month   %10.0f of %.0f" % (moved, CONTACTS_PER_MONTH))
    print("saving per contact moved             %10.2f (avoided %.2f, agent %.2f)"
          % (per_contact, sv.avoided_cost / moved, sv.agent_cost / moved))
    print("NPV                                  %10.0f" % x.npv)
    print("ROI                                  %9.1f %%" % (100 * x.roi))
    if x.irr_count == 1:
        print("IRR per year                         %9.1f %%" % (100 * x.irr_annual))
    if x.payback.reached:
        print("payback                              %10.1f months" % x.payback.period)
    print("NPV with slow adoption (40 %%)        %10.0f" % slow.npv)
    print("Monte Carlo (20,000 draws): NPV P5 %.0f, P50 %.0f, P95 %.0f; P(ROI > 0) %.1f %%"
          % (s.npv.p5, s.npv.p50, s.npv.p95, 100 * s.p_roi_positive))
    print("tornado (P5..P95 of each unknown):")
    for row in rows:
        print("  %-26s %-11s NPV %9.0f .. %9.0f  swing %8.0f"
              % (row.name, scrm.input_name(row.input), row.npv_low, row.npv_high, row.swing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
