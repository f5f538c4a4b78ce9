/* The mattress case: what the sales KPI hides.
 *
 * A retailer sold 1,500 mattresses this month, 30 % more than last month. But
 * 20 % of buyers dislike the mattress, 20 % the delivery and 20 % the service
 * (taken here as independent, so 0.8^3 = 51.2 % are satisfied with all three).
 * Sales growth says +30 %; the value of the month's customers, counting the
 * repeat business (bedding, a second mattress, ...) and the referrals that
 * unhappy customers will not bring, tells a different story.
 *
 *   scrm-mattress [--json]
 *
 * Assumptions are named and printed; change them below. Public API only. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <scrm.h>

#define SOLD 1500.0
#define GROWTH 0.30            /* on the month before */
#define DISLIKE_PRODUCT 0.20
#define DISLIKE_DELIVERY 0.20
#define DISLIKE_SERVICE 0.20
#define MARGIN_PER_YEAR 120.0  /* margin a retained customer brings each year */
#define RETAIN_SATISFIED 0.70  /* yearly retention of satisfied customers */
#define RETAIN_UNHAPPY 0.25    /* ... of customers unhappy with anything */
#define DISCOUNT 0.10          /* per year */
#define HORIZON_YEARS 5
#define REFER_SATISFIED 0.40   /* referrals per satisfied customer over the horizon */
#define REFER_UNHAPPY 0.0
#define REFERRAL_CONVERSION 0.35
#define FIRST_MARGIN 300.0     /* margin on the mattress itself */

static int fail(const char *what, int rc)
{
    fprintf(stderr, "scrm-mattress: %s: %s (%s)\n", what, scrm_last_error_message(),
            scrm_strerror(rc));
    return 1;
}

/* Discounted value of a customer's repeat margin over the horizon. */
static int repeat_value(double retention, double *out)
{
    scrm_clv_terms t;
    int rc = scrm_clv_terms_init(&t, SCRM_CLV_TERMS_VERSION);
    if (rc)
        return rc;
    t.margin = MARGIN_PER_YEAR;
    t.retention = retention;
    t.discount = DISCOUNT;
    t.horizon = HORIZON_YEARS;
    return scrm_clv_closed_form(&t, out);
}

int main(int argc, char **argv)
{
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    double satisfied = (1 - DISLIKE_PRODUCT) * (1 - DISLIKE_DELIVERY) * (1 - DISLIKE_SERVICE);
    double n_sat = SOLD * satisfied, n_unhappy = SOLD - n_sat;
    double v_sat, v_unhappy;
    int rc = repeat_value(RETAIN_SATISFIED, &v_sat);
    if (rc == SCRM_OK)
        rc = repeat_value(RETAIN_UNHAPPY, &v_unhappy);
    if (rc != SCRM_OK)
        return fail("closed-form CLV", rc);

    /* A referred customer is worth the mattress margin plus a satisfied customer's repeat value. */
    double referred_value = FIRST_MARGIN + v_sat;
    double referrals = n_sat * REFER_SATISFIED * REFERRAL_CONVERSION +
                       n_unhappy * REFER_UNHAPPY * REFERRAL_CONVERSION;
    double value = SOLD * FIRST_MARGIN + n_sat * v_sat + n_unhappy * v_unhappy +
                   referrals * referred_value;
    /* What the sales figure implicitly assumes: every buyer satisfied. */
    double value_if_all_happy = SOLD * FIRST_MARGIN + SOLD * v_sat +
                                SOLD * REFER_SATISFIED * REFERRAL_CONVERSION * referred_value;
    double hidden_loss = value_if_all_happy - value;

    /* Satisfaction as NPS: unhappy buyers score 0-6, satisfied ones 7-10. */
    scrm_nps *nps = NULL;
    scrm_nps_result res;
    uint64_t counts[SCRM_NPS_SCORES] = {0};
    counts[4] = (uint64_t)llround(n_unhappy);
    counts[8] = (uint64_t)llround(n_sat * 0.4);
    counts[10] = (uint64_t)llround(SOLD) - counts[4] - counts[8];
    rc = scrm_nps_new(&nps, NULL);
    if (rc == SCRM_OK)
        rc = scrm_nps_add_counts(nps, counts, SCRM_NPS_SCORES);
    if (rc == SCRM_OK)
        rc = scrm_nps_finalize(nps, &res);
    scrm_nps_free(nps);
    if (rc != SCRM_OK)
        return fail("NPS", rc);

    if (json) {
        printf("{\"sold\": %.0f, \"sales_growth_pct\": %.1f, \"satisfied_pct\": %.1f, "
               "\"nps\": %.1f, \"repeat_value_satisfied\": %.2f, \"repeat_value_unhappy\": %.2f, "
               "\"referred_customers\": %.1f, \"cohort_value\": %.2f, "
               "\"cohort_value_if_all_satisfied\": %.2f, \"hidden_loss\": %.2f, "
               "\"hidden_loss_pct\": %.1f}\n",
               SOLD, 100 * GROWTH, 100 * satisfied, res.nps, v_sat, v_unhappy, referrals, value,
               value_if_all_happy, hidden_loss, 100 * hidden_loss / value_if_all_happy);
        return 0;
    }
    printf("The mattress case\n-----------------\n");
    printf("mattresses sold this month             %8.0f  (+%.0f %% on last month)\n", SOLD,
           100 * GROWTH);
    printf("satisfied with product, delivery and service %4.1f %%\n", 100 * satisfied);
    printf("NPS of the month's buyers              %8.1f  (95 %% interval %.1f .. %.1f)\n",
           res.nps, res.ci_low, res.ci_high);
    printf("repeat value per satisfied customer    %8.2f  (%d years, retention %.0f %%)\n", v_sat,
           HORIZON_YEARS, 100 * RETAIN_SATISFIED);
    printf("repeat value per unhappy customer      %8.2f  (retention %.0f %%)\n", v_unhappy,
           100 * RETAIN_UNHAPPY);
    printf("referred customers won                 %8.1f\n", referrals);
    printf("value of the month's customers         %8.0f\n", value);
    printf("... if every buyer had been satisfied  %8.0f\n", value_if_all_happy);
    printf("value the sales KPI does not show      %8.0f  (%.1f %%)\n", hidden_loss,
           100 * hidden_loss / value_if_all_happy);
    printf("\nSales grew 30 %%, yet %.0f %% of the cohort's potential value is lost to churn and\n"
           "referrals that will not happen. Fixing delivery and service is worth more than\n"
           "another month of growth.\n",
           100 * hidden_loss / value_if_all_happy);
    return 0;
}
