#!/usr/bin/env python3
"""The mattress case in Python: what the sales KPI hides (examples/mattress.c).

A retailer sold 1,500 mattresses this month, 30 % more than last month. But
20 % of buyers dislike the mattress, 20 % the delivery and 20 % the service
(taken here as independent, so 0.8^3 = 51.2 % are satisfied with all three).
Sales growth says +30 %; the value of the month's customers, counting the
repeat business (bedding, a second mattress, ...) and the referrals that
unhappy customers will not bring, tells a different story.

    mattress.py [--json]

Assumptions are named and printed; change them below. Prints what the C program prints.
"""
import math
import sys

import scrm

SOLD = 1500.0
GROWTH = 0.30             # on the month before
DISLIKE_PRODUCT = 0.20
DISLIKE_DELIVERY = 0.20
DISLIKE_SERVICE = 0.20
MARGIN_PER_YEAR = 120.0   # margin a retained customer brings each year
RETAIN_SATISFIED = 0.70   # yearly retention of satisfied customers
RETAIN_UNHAPPY = 0.25     # ... of customers unhappy with anything
DISCOUNT = 0.10           # per year
HORIZON_YEARS = 5
REFER_SATISFIED = 0.40    # referrals per satisfied customer over the horizon
REFER_UNHAPPY = 0.0
REFERRAL_CONVERSION = 0.35
FIRST_MARGIN = 300.0      # margin on the mattress itself


def llround(x):
    """C's llround: halves away from zero (Python's round() goes to even)."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def repeat_value(retention):
    """Discounted value of a customer's repeat margin over the horizon."""
    return scrm.clv_closed_form(MARGIN_PER_YEAR, retention, DISCOUNT, horizon=HORIZON_YEARS)


def main(argv):
    as_json = bool(argv) and argv[0] == "--json"
    satisfied = (1 - DISLIKE_PRODUCT) * (1 - DISLIKE_DELIVERY) * (1 - DISLIKE_SERVICE)
    n_sat = SOLD * satisfied
    n_unhappy = SOLD - n_sat
    try:
        v_sat = repeat_value(RETAIN_SATISFIED)
        v_unhappy = repeat_value(RETAIN_UNHAPPY)
    except scrm.ScrmError as exc:
        print(f"scrm-mattress: closed-form CLV: {exc.message} ({scrm.strerror(exc.code)})",
              file=sys.stderr)
        return 1

    # A referred customer is worth the mattress margin plus a satisfied customer's repeat value.
    referred_value = FIRST_MARGIN + v_sat
    referrals = (n_sat * REFER_SATISFIED * REFERRAL_CONVERSION +
                 n_unhappy * REFER_UNHAPPY * REFERRAL_CONVERSION)
    value = (SOLD * FIRST_MARGIN + n_sat * v_sat + n_unhappy * v_unhappy +
             referrals * referred_value)
    # What the sales figure implicitly assumes: every buyer satisfied.
    value_if_all_happy = (SOLD * FIRST_MARGIN + SOLD * v_sat +
                          SOLD * REFER_SATISFIED * REFERRAL_CONVERSION * referred_value)
    hidden_loss = value_if_all_happy - value

    # Satisfaction as NPS: unhappy buyers score 0-6, satisfied ones 7-10.
    counts = [0] * scrm.NPS_SCORES
    counts[4] = llround(n_unhappy)
    counts[8] = llround(n_sat * 0.4)
    counts[10] = llround(SOLD) - counts[4] - counts[8]
    try:
        with scrm.Nps() as nps:
            nps.add_counts(counts)
            res = nps.finalize()
    except scrm.ScrmError as exc:
        print(f"scrm-mattress: NPS: {exc.message} ({scrm.strerror(exc.code)})", file=sys.stderr)
        return 1

    if as_json:
        print('{"sold": %.0f, "sales_growth_pct": %.1f, "satisfied_pct": %.1f, "nps": %.1f, '
              '"repeat_value_satisfied": %.2f, "repeat_value_unhappy": %.2f, '
              '"referred_customers": %.1f, "cohort_value": %.2f, '
              '"cohort_value_if_all_satisfied": %.2f, "hidden_loss": %.2f, '
              '"hidden_loss_pct": %.1f}' % (
                  SOLD, 100 * GROWTH, 100 * satisfied, res.nps, v_sat, v_unhappy, referrals,
                  value, value_if_all_happy, hidden_loss, 100 * hidden_loss / value_if_all_happy))
        return 0
    print("The mattress case\n-----------------")
    print("mattresses sold this month             %8.0f  (+%.0f %% on last month)"
          % (SOLD, 100 * GROWTH))
    print("satisfied with product, delivery and service %4.1f %%" % (100 * satisfied))
    print("NPS of the month's buyers              %8.1f  (95 %% interval %.1f .. %.1f)"
          % (res.nps, res.ci_low, res.ci_high))
    print("repeat value per satisfied customer    %8.2f  (%d years, retention %.0f %%)"
          % (v_sat, HORIZON_YEARS, 100 * RETAIN_SATISFIED))
    print("repeat value per unhappy customer      %8.2f  (retention %.0f %%)"
          % (v_unhappy, 100 * RETAIN_UNHAPPY))
    print("referred customers won                 %8.1f" % referrals)
    print("value of the month's customers         %8.0f" % value)
    print("... if every buyer had been satisfied  %8.0f" % value_if_all_happy)
    print("value the sales KPI does not show      %8.0f  (%.1f %%)"
          % (hidden_loss, 100 * hidden_loss / value_if_all_happy))
    print("\nSales grew 30 %%, yet %.0f %% of the cohort's potential value is lost to churn and\n"
          "referrals that will not happen. Fixing delivery and service is worth more than\n"
          "another month of growth." % (100 * hidden_loss / value_if_all_happy))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
