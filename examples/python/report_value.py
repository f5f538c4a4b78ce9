"""Customer value section of scrm-report in Python (report_value.c): RFM summary
from the transactions, BG/NBD and Gamma-Gamma fits, 12-month CLV per customer."""
import math

import scrm
from report_out import NO_VALUE

WEEKS_PER_MONTH = 4.345  # SCRM_CLV_UNITS_PER_MONTH_WEEKS


def margin_ratio(ds):
    """Share of revenue that is margin, over all transactions with both figures."""
    amounts = ds.column("transactions", "amount", copy=True).tolist()
    margins = ds.column("transactions", "margin", copy=True).tolist()
    amount = margin = 0.0
    for a, g in zip(amounts, margins):
        if not math.isnan(g):
            amount += a
            margin += g
    return margin / amount if amount > 0 else 1.0


def fit_fields(r, info):
    for name, value in info.params.items():
        r.out_num(name, name, value, 4)
    r.out_num("log_likelihood", "log-likelihood", info.log_likelihood, 2)
    r.out_str("converged", "converged", "yes" if info.converged else "no")


def section_customer_value(r):
    r.out_section("customer_value", "Customer lifetime value")
    try:
        rfm = scrm.Rfm.from_dataset(r.ds, unit="week", value="amount")
        info = rfm.info()
    except scrm.ScrmError as exc:
        r.out_error("rfm", exc)
        r.out_end()
        return
    with rfm:
        x, tx, age, m = (rfm.column(c).tolist()
                         for c in ("frequency", "recency", "age", "monetary"))
    n = len(x)
    r.out_int("customers", "customers with purchases", n)
    r.out_int("transactions", "transactions", info.transactions)
    ratio = margin_ratio(r.ds)
    r.out_num("margin_ratio", "margin / amount", ratio, 3)
    r.out_note("time unit: weeks; spend: amount per repeat purchase, CLV in margin")

    try:
        bg = scrm.ClvModel.fit("bgnbd", x, tx, age, monetary=m)
    except scrm.ScrmError as exc:
        r.out_error("BG/NBD fit", exc)
        r.out_end()
        return
    r.out_object("bgnbd", "BG/NBD purchase model:")
    fit_fields(r, bg.info())
    r.out_end()
    # Gamma-Gamma is fitted on repeat buyers only (Fader, Hardie & Lee 2005);
    # refunds can make a mean negative.
    repeat = [(xi, mi) for xi, mi in zip(x, m) if xi > 0 and mi > 0]
    try:
        gg = scrm.ClvModel.fit("gamma_gamma", [p[0] for p in repeat],
                               monetary=[p[1] for p in repeat])
    except scrm.ScrmError as exc:
        r.out_error("Gamma-Gamma fit", exc)
        r.out_end()
        return
    r.out_object("gamma_gamma", "Gamma-Gamma spend model (repeat buyers):")
    r.out_int("customers", "repeat buyers", len(repeat))
    fit_fields(r, gg.info())
    r.out_end()

    # Net refunds can make a customer's mean spend negative; count them at 0.
    refunded = sum(1 for mi in m if mi < 0)
    m = [0.0 if mi < 0 else mi for mi in m]
    if refunded:
        r.out_note(f"{refunded} customers with net refunds counted at zero spend")
    with bg, gg:
        try:
            alive = bg.probability_alive(x, tx, age).tolist()
            clv = bg.customer_value(x, tx, age, m, spend_model=gg,
                                    units_per_month=WEEKS_PER_MONTH, margin=ratio).tolist()
        except scrm.ScrmError as exc:
            r.out_error("CLV", exc)
            r.out_end()
            return
    total = alive_sum = 0.0
    for value, p in zip(clv, alive):
        total += value
        alive_sum += p
    clv.sort()
    top = 0.0
    for value in clv[n - n // 10:]:
        top += value
    r.out_object("clv", "12-month CLV (margin, 1% per month discount):")
    r.out_num("total", "total", total, 2)
    r.out_num("mean", "mean per customer", total / n if n else NO_VALUE, 2)
    r.out_num("median", "median", clv[n // 2] if n else NO_VALUE, 2)
    r.out_num("p90", "90th percentile", clv[int(0.9 * (n - 1))] if n else NO_VALUE, 2)
    r.out_num("top_decile_share", "share of the top 10% of customers %",
              100 * top / total if total > 0 else NO_VALUE, 1)
    r.out_num("mean_p_alive", "mean probability alive", alive_sum / n if n else NO_VALUE, 3)
    r.out_end()
    r.customers = float(n)
    r.margin_per_customer_year = total / n if n else 0.0
    r.out_end()
