/* A social customer service business case.
 *
 * A company answers 10,000 contacts a month by phone and email. It opens a
 * social care channel: contacts that move there cost less (cost per contact
 * from scrm_service_savings(), with the library's documented defaults), and
 * the program costs a one-off setup plus a monthly run rate. Is it worth it,
 * and how sure can we be? ROI, NPV, IRR and payback over 24 months, with a
 * Monte Carlo range and a tornado table of the unknowns.
 *
 *   scrm-service-case [--json]
 *
 * Public API only; every assumption is a named constant below. */
#include <stdio.h>
#include <string.h>

#include <scrm.h>

#define CONTACTS_PER_MONTH 10000.0
#define SHARE_MOVED 0.20       /* of contacts that move to social once it runs */
#define SETUP_COST 15000.0     /* tools, training, process design (month 0) */
#define RUN_COST 900.0         /* monthly: listening tool, part of a team lead */
#define HORIZON 24             /* months */

static int fail(const char *what, int rc)
{
    fprintf(stderr, "scrm-service-case: %s: %s (%s)\n", what, scrm_last_error_message(),
            scrm_strerror(rc));
    return 1;
}

int main(int argc, char **argv)
{
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    double moved = CONTACTS_PER_MONTH * SHARE_MOVED;

    /* Saving per contact moved: avoided phone/email cost less social agent cost. */
    scrm_service_savings_inputs in = {moved, moved, moved, moved, moved * 360.0, 0.0};
    scrm_service_savings_result sv;
    int rc = scrm_service_savings(&in, NULL, &sv);
    if (rc != SCRM_OK)
        return fail("savings", rc);
    double per_contact = sv.gross_savings / moved;

    scrm_roi_options o;
    scrm_roi_options_init(&o, SCRM_ROI_OPTIONS_VERSION);
    o.horizon = HORIZON;
    o.discount_rate = 0.08;
    scrm_roi_model *m = NULL;
    int32_t setup, run, svc;
    char src[128];
    snprintf(src, sizeof src, "%.0f contacts/month x %.2f saved per contact", moved, per_contact);
    rc = scrm_roi_model_new(&m, &o);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_add_cost(m, "setup", "tools, training, process", 0, 0, SETUP_COST,
                                     0.0, &setup);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_add_cost(m, "run rate", "listening tool, team lead time", 1, -1,
                                     RUN_COST, 0.0, &run);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_add_service_savings(m, "contacts moved to social", src, 1, -1, moved,
                                                per_contact, 0.01, &svc);
    /* The unknowns: how many contacts really move, what each saves, what it costs. */
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, svc, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_TRIANGULAR,
                                          0.4 * moved, moved, 1.3 * moved);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, svc, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_PERT,
                                          0.6 * per_contact, per_contact, 1.1 * per_contact);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, setup, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_LOGNORMAL_MEAN,
                                          SETUP_COST * 1.1, SETUP_COST * 0.3, 0);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, run, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_UNIFORM,
                                          0.8 * RUN_COST, 1.5 * RUN_COST, 0);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_scenario(m, "slow adoption", svc, SCRM_ROI_INPUT_VOLUME,
                                         0.4 * moved);
    scrm_roi_result x, slow;
    if (rc == SCRM_OK)
        rc = scrm_roi_model_evaluate(m, NULL, &x);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_evaluate(m, "slow adoption", &slow);
    scrm_roi_sensitivity_row rows[8];
    size_t n_rows = 0;
    if (rc == SCRM_OK)
        rc = scrm_roi_model_sensitivity(m, NULL, rows, 8, &n_rows);
    scrm_roi_mc_options mo;
    scrm_roi_mc_options_init(&mo, SCRM_ROI_MC_OPTIONS_VERSION);
    mo.iterations = 20000;
    mo.seed = 7;
    scrm_roi_mc *mc = NULL;
    scrm_roi_mc_summary s;
    if (rc == SCRM_OK)
        rc = scrm_roi_mc_run(&mc, m, &mo);
    if (rc == SCRM_OK)
        rc = scrm_roi_mc_summarize(mc, &s);
    if (rc != SCRM_OK) {
        scrm_roi_mc_free(mc);
        scrm_roi_model_free(m);
        return fail("ROI model", rc);
    }

    if (json) {
        printf("{\"moved_per_month\": %.1f, \"saving_per_contact\": %.4f, \"npv\": %.2f, "
               "\"roi_pct\": %.2f, \"irr_annual_pct\": %.2f, \"payback_months\": %.2f, "
               "\"slow_adoption_npv\": %.2f, \"mc_npv_p5\": %.2f, \"mc_npv_p50\": %.2f, "
               "\"mc_npv_p95\": %.2f, \"p_roi_positive_pct\": %.2f, \"tornado\": [",
               moved, per_contact, x.npv, 100 * x.roi,
               x.irr_count == 1 ? 100 * x.irr_annual : -1.0,
               x.payback.reached ? x.payback.period : -1.0, slow.npv, s.npv.p5, s.npv.p50,
               s.npv.p95, 100 * s.p_roi_positive);
        for (size_t i = 0; i < n_rows; i++) {
            scrm_roi_line_info li;
            scrm_roi_model_line_info(m, rows[i].line, &li);
            printf("%s{\"line\": \"%s\", \"input\": \"%s\", \"swing\": %.2f}", i ? ", " : "",
                   li.name, scrm_roi_input_name(rows[i].input), rows[i].swing);
        }
        printf("]}\n");
    } else {
        printf("Social customer service business case (%d months, 8 %% per year)\n", HORIZON);
        printf("-------------------------------------------------------------\n");
        printf("contacts moved to social per month   %10.0f of %.0f\n", moved, CONTACTS_PER_MONTH);
        printf("saving per contact moved             %10.2f (avoided %.2f, agent %.2f)\n",
               per_contact, sv.avoided_cost / moved, sv.agent_cost / moved);
        printf("NPV                                  %10.0f\n", x.npv);
        printf("ROI                                  %9.1f %%\n", 100 * x.roi);
        if (x.irr_count == 1)
            printf("IRR per year                         %9.1f %%\n", 100 * x.irr_annual);
        if (x.payback.reached)
            printf("payback                              %10.1f months\n", x.payback.period);
        printf("NPV with slow adoption (40 %%)        %10.0f\n", slow.npv);
        printf("Monte Carlo (20,000 draws): NPV P5 %.0f, P50 %.0f, P95 %.0f; P(ROI > 0) %.1f %%\n",
               s.npv.p5, s.npv.p50, s.npv.p95, 100 * s.p_roi_positive);
        printf("tornado (P5..P95 of each unknown):\n");
        for (size_t i = 0; i < n_rows; i++) {
            scrm_roi_line_info li;
            scrm_roi_model_line_info(m, rows[i].line, &li);
            printf("  %-26s %-11s NPV %9.0f .. %9.0f  swing %8.0f\n", li.name,
                   scrm_roi_input_name(rows[i].input), rows[i].npv_low, rows[i].npv_high,
                   rows[i].swing);
        }
    }
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
    return 0;
}
