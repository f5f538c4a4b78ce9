/* ROI section of scrm-report: the social program's business case built from the
 * KPIs above (service deflection, retention through CLV, referrals, engagement),
 * against the program costs table; scenarios, tornado and Monte Carlo range. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define HORIZON 36 /* months */

static int64_t first_time(const scrm_dataset *ds, int32_t table, int32_t column, int64_t *last)
{
    const void *v = NULL;
    size_t n = 0;
    int64_t lo = SCRM_TIME_NONE, hi = SCRM_TIME_NONE;
    if (scrm_dataset_column(ds, table, column, &v, &n) == SCRM_OK) {
        const int64_t *t = v;
        for (size_t i = 0; i < n; i++) {
            if (t[i] == SCRM_TIME_NONE)
                continue;
            lo = (lo == SCRM_TIME_NONE || t[i] < lo) ? t[i] : lo;
            hi = (hi == SCRM_TIME_NONE || t[i] > hi) ? t[i] : hi;
        }
    }
    if (last)
        *last = hi;
    return lo;
}

/* Converted referrals per month from the referrals table. */
static double converted_per_month(const scrm_dataset *ds)
{
    const void *c = NULL;
    size_t n = 0;
    int64_t hi = 0, lo = first_time(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_TIME, &hi);
    if (lo == SCRM_TIME_NONE || hi <= lo ||
        scrm_dataset_column(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_CONVERTED, &c, &n) != SCRM_OK)
        return 0;
    const int8_t *conv = c;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += conv[i] == 1;
    return (double)k / ((double)(hi - lo) / (30.436875 * SCRM_SECONDS_PER_DAY));
}

static void result_fields(report *r, const scrm_roi_result *x)
{
    out_num(r, "benefits_pv", "benefits (present value)", x->benefits_pv, 0);
    out_num(r, "costs_pv", "costs (present value)", x->costs_pv, 0);
    out_num(r, "npv", "NPV", x->npv, 0);
    out_num(r, "roi", "ROI %", 100 * x->roi, 1);
    out_num(r, "irr_annual", "IRR per year %", x->irr_count == 1 ? 100 * x->irr_annual : NO_VALUE, 1);
    out_num(r, "payback_months", "payback (months)", x->payback.reached ? x->payback.period : NO_VALUE,
            1);
    out_num(r, "discounted_payback_months", "discounted payback (months)",
            x->discounted_payback.reached ? x->discounted_payback.period : NO_VALUE, 1);
}

/* The model: every line's numbers come from the sections above. */
static int build(report *r, scrm_roi_model **out)
{
    scrm_roi_options o;
    scrm_roi_options_init(&o, SCRM_ROI_OPTIONS_VERSION);
    o.horizon = HORIZON;
    o.discount_rate = 0.10;
    int64_t last = 0;
    o.start = first_time(r->ds, SCRM_TABLE_COSTS, SCRM_COSTS_TIME, &last);
    scrm_roi_model *m = NULL;
    int rc = scrm_roi_model_new(&m, &o);
    int32_t costs, run, svc, ret, refl, eng;
    char src[160];
    if (rc == SCRM_OK)
        rc = scrm_roi_model_add_costs_table(m, "program costs", NULL, r->ds, NULL, &costs);
    /* After the recorded months the program runs at its average monthly cost. */
    double recorded = 0;
    if (rc == SCRM_OK)
        rc = scrm_roi_model_get_input(m, costs, SCRM_ROI_INPUT_SCALE, &recorded);
    int32_t months_recorded = 0;
    double flows[HORIZON + 1], total = 0;
    size_t len = 0;
    if (rc == SCRM_OK &&
        scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_COSTS, flows, HORIZON + 1, &len) == SCRM_OK)
        for (size_t t = 0; t < len; t++)
            if (flows[t] != 0) {
                months_recorded = (int32_t)t + 1;
                total += fabs(flows[t]);
            }
    if (rc == SCRM_OK && months_recorded > 0 && months_recorded <= HORIZON) {
        snprintf(src, sizeof src, "average of %d recorded months", (int)months_recorded);
        rc = scrm_roi_model_add_cost(m, "run rate", src, months_recorded, -1,
                                     total / months_recorded, 0.0, &run);
    }
    if (rc == SCRM_OK) {
        snprintf(src, sizeof src, "service: %.0f deflected contacts/month x %.2f saved",
                 r->social_contacts_per_month, r->saving_per_contact);
        rc = scrm_roi_model_add_service_savings(m, "service deflection", src, 1, -1,
                                                r->social_contacts_per_month,
                                                r->saving_per_contact, 0.0, &svc);
    }
    if (rc == SCRM_OK) {
        snprintf(src, sizeof src, "CLV: %.0f customers, retention 0.60 -> 0.63, margin %.2f/yr",
                 r->customers, r->margin_per_customer_year);
        rc = scrm_roi_model_add_retention(m, "retention uplift", src, 12, 12, r->customers, 0.60,
                                          0.63, r->margin_per_customer_year, 0.10, &ret);
    }
    if (rc == SCRM_OK) {
        double conv = converted_per_month(r->ds);
        snprintf(src, sizeof src, "referrals: %.1f converted/month x CLV %.2f", conv,
                 r->margin_per_customer_year);
        rc = scrm_roi_model_add_referrals(m, "referred customers", src, 1, -1, conv,
                                          r->margin_per_customer_year, 0.0, &refl);
    }
    if (rc == SCRM_OK) {
        snprintf(src, sizeof src, "engagement: %.0f actions/month x %.3f", 
                 r->engagement_actions_per_month, r->value_per_action);
        rc = scrm_roi_model_add_engagement(m, "engagement value", src, 1, -1,
                                           r->engagement_actions_per_month, r->value_per_action,
                                           0.0, &eng);
    }
    /* The unknowns, made explicit. */
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, svc, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_TRIANGULAR,
                                          0.6 * r->social_contacts_per_month,
                                          r->social_contacts_per_month,
                                          1.3 * r->social_contacts_per_month);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, svc, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_PERT,
                                          0.5 * r->saving_per_contact, r->saving_per_contact,
                                          1.2 * r->saving_per_contact);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, ret, SCRM_ROI_INPUT_R1, SCRM_DIST_UNIFORM, 0.60,
                                          0.66, 0);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, refl, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_TRIANGULAR,
                                          0.0, converted_per_month(r->ds),
                                          1.5 * converted_per_month(r->ds));
    if (rc == SCRM_OK && r->value_per_action > 0)
        rc = scrm_roi_model_set_uncertain(m, eng, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_UNIFORM,
                                          0.0, 2 * r->value_per_action, 0);
    if (rc == SCRM_OK && months_recorded > 0 && months_recorded <= HORIZON)
        rc = scrm_roi_model_set_uncertain(m, run, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_TRIANGULAR,
                                          0.9 * total / months_recorded,
                                          total / months_recorded,
                                          1.4 * total / months_recorded);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE,
                                          SCRM_DIST_UNIFORM, 0.06, 0.14, 0);
    /* Named scenarios: sets of overrides. */
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_scenario(m, "pessimistic", ret, SCRM_ROI_INPUT_R1, 0.605);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_scenario(m, "pessimistic", svc, SCRM_ROI_INPUT_VOLUME,
                                         0.6 * r->social_contacts_per_month);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_scenario(m, "optimistic", ret, SCRM_ROI_INPUT_R1, 0.65);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_scenario(m, "optimistic", svc, SCRM_ROI_INPUT_VOLUME,
                                         1.3 * r->social_contacts_per_month);
    if (rc != SCRM_OK) {
        scrm_roi_model_free(m);
        return rc;
    }
    *out = m;
    return SCRM_OK;
}

static void lines(report *r, const scrm_roi_model *m)
{
    int32_t n = 0;
    scrm_roi_model_line_count(m, &n);
    out_array(r, "lines", "lines (where each number comes from):");
    for (int32_t i = 0; i < n; i++) {
        scrm_roi_line_info li;
        if (scrm_roi_model_line_info(m, i, &li) != SCRM_OK)
            continue;
        out_item(r);
        out_str(r, "type", "", li.is_cost ? "cost" : "benefit");
        out_str(r, "name", "", li.name);
        out_str(r, "source", "from", li.source);
    }
    out_end(r);
}

static void scenarios(report *r, const scrm_roi_model *m)
{
    int32_t n = 0;
    scrm_roi_model_scenario_count(m, &n);
    out_array(r, "scenarios", "scenarios:");
    for (int32_t i = 0; i < n; i++) {
        const char *name = scrm_roi_model_scenario_name(m, i);
        scrm_roi_result x;
        if (!name || scrm_roi_model_evaluate(m, name, &x) != SCRM_OK)
            continue;
        out_item(r);
        out_str(r, "name", "scenario", name);
        out_num(r, "npv", "NPV", x.npv, 0);
        out_num(r, "roi", "ROI %", 100 * x.roi, 1);
    }
    out_end(r);
}

static void tornado(report *r, const scrm_roi_model *m)
{
    scrm_roi_sensitivity_row rows[32];
    size_t n = 0;
    if (scrm_roi_model_sensitivity(m, NULL, rows, 32, &n) != SCRM_OK)
        return;
    out_array(r, "tornado", "tornado (each unknown at its P5 and P95, NPV):");
    for (size_t i = 0; i < n; i++) {
        scrm_roi_line_info li;
        const char *line = "model";
        if (rows[i].line != SCRM_ROI_MODEL_LINE && scrm_roi_model_line_info(m, rows[i].line, &li) ==
                                                       SCRM_OK)
            line = li.name;
        out_item(r);
        out_str(r, "line", "input", line);
        out_str(r, "input", "/", scrm_roi_input_name(rows[i].input));
        out_num(r, "npv_low", "NPV low", rows[i].npv_low, 0);
        out_num(r, "npv_high", "NPV high", rows[i].npv_high, 0);
        out_num(r, "swing", "swing", rows[i].swing, 0);
    }
    out_end(r);
}

static void monte_carlo(report *r, const scrm_roi_model *m)
{
    scrm_roi_mc_options o;
    scrm_roi_mc_options_init(&o, SCRM_ROI_MC_OPTIONS_VERSION);
    o.iterations = 10000;
    o.seed = 42;
    scrm_roi_mc *mc = NULL;
    scrm_roi_mc_summary s;
    int rc = scrm_roi_mc_run(&mc, m, &o);
    if (rc == SCRM_OK)
        rc = scrm_roi_mc_summarize(mc, &s);
    if (rc != SCRM_OK) {
        out_error(r, "Monte Carlo", rc);
        scrm_roi_mc_free(mc);
        return;
    }
    out_object(r, "monte_carlo", "Monte Carlo (10,000 draws, seed 42):");
    out_num(r, "npv_mean", "NPV mean", s.npv.mean, 0);
    out_num(r, "npv_p5", "NPV P5", s.npv.p5, 0);
    out_num(r, "npv_p50", "NPV P50", s.npv.p50, 0);
    out_num(r, "npv_p95", "NPV P95", s.npv.p95, 0);
    out_num(r, "roi_p5", "ROI P5 %", 100 * s.roi.p5, 1);
    out_num(r, "roi_p95", "ROI P95 %", 100 * s.roi.p95, 1);
    out_num(r, "p_roi_positive", "P(ROI > 0) %", 100 * s.p_roi_positive, 1);
    out_num(r, "p_payback", "P(payback within 36 months) %", 100 * s.p_payback, 1);
    out_end(r);
    scrm_roi_mc_free(mc);
}

void section_roi(report *r)
{
    out_section(r, "roi", "ROI business case (36 months, 10% per year)");
    scrm_roi_model *m = NULL;
    scrm_roi_result x;
    int rc = build(r, &m);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_evaluate(m, NULL, &x);
    if (rc != SCRM_OK) {
        out_error(r, "ROI model", rc);
        scrm_roi_model_free(m);
        out_end(r);
        return;
    }
    lines(r, m);
    out_object(r, "expected", "expected case:");
    result_fields(r, &x);
    out_end(r);
    scenarios(r, m);
    tornado(r, m);
    monte_carlo(r, m);
    scrm_roi_model_free(m);
    out_end(r);
}
