/* KPI sections of scrm-report: engagement, Net Promoter Score, social customer
 * service (metrics, savings, staffing). Each also leaves the figures the ROI
 * business case reuses in the report struct. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *kind_keys[SCRM_ENGAGEMENT_KIND_COUNT] = {"posts", "comments", "shares",
                                                             "likes", "mentions", "other"};

/* Illustrative value of one action (currency units); say so in the report. */
static const double action_value[SCRM_ENGAGEMENT_KIND_COUNT] = {0.0, 0.50, 1.00, 0.10, 0.50,
                                                                 0.0};

static double months_between(int64_t a, int64_t b)
{
    return (double)(b - a) / (30.436875 * SCRM_SECONDS_PER_DAY);
}

void section_engagement(report *r)
{
    out_section(r, "engagement", "Engagement");
    scrm_engagement_options opts;
    scrm_engagement_options_init(&opts, SCRM_ENGAGEMENT_OPTIONS_VERSION);
    memcpy(opts.value, action_value, sizeof opts.value);
    scrm_engagement *e = NULL;
    scrm_engagement_result all;
    int rc = scrm_engagement_new(&e, &opts);
    if (rc == SCRM_OK)
        rc = scrm_engagement_compute(e, r->ds, &all);
    if (rc != SCRM_OK) {
        out_error(r, "engagement", rc);
        scrm_engagement_free(e);
        out_end(r);
        return;
    }
    out_time(r, "from", "from", all.start);
    out_time(r, "to", "to", all.end);
    for (int k = 0; k < SCRM_ENGAGEMENT_KIND_COUNT; k++)
        out_int(r, kind_keys[k], kind_keys[k], (int64_t)all.counts[k]);
    out_int(r, "engagements", "engagements (comments, shares, likes)", (int64_t)all.engagements);
    out_num(r, "unique_users", "unique engaged users", all.unique_users, 0);
    out_num(r, "talking_7d", "people talking about this (last 7 days)", all.talking_window, 0);
    out_num(r, "er_reach", "engagement rate by reach (%)", all.er_reach, 2);
    out_num(r, "er_impressions", "engagement rate by impressions (%)", all.er_impressions, 2);
    out_num(r, "er_followers", "engagement rate by followers (%)", all.er_followers, 2);
    out_num(r, "conversation_rate", "conversation rate (comments/post)", all.conversation_rate, 2);
    out_num(r, "amplification_rate", "amplification rate (shares/post)", all.amplification_rate,
            2);
    out_num(r, "applause_rate", "applause rate (likes/post)", all.applause_rate, 2);
    out_num(r, "net_sentiment", "net sentiment (-100..100)", all.net_sentiment, 1);
    out_num(r, "share_of_voice", "share of voice (%)", all.share_of_voice, 1);
    out_num(r, "economic_value", "economic value", all.economic_value, 2);
    out_note(r, "values per action are illustrative: comment 0.50, share 1.00, like 0.10, "
                "mention 0.50");

    scrm_engagement_result periods[64];
    size_t n = 0;
    if (scrm_engagement_periods(e, periods, 64, &n) == SCRM_OK && n > 0) {
        size_t first = n > 6 ? n - 6 : 0;
        out_array(r, "months", "last months:");
        for (size_t i = first; i < n; i++) {
            out_item(r);
            out_time(r, "month", "month", periods[i].start);
            out_int(r, "engagements", "engagements", (int64_t)periods[i].engagements);
            out_num(r, "unique_users", "users", periods[i].unique_users, 0);
            out_num(r, "growth", "growth %",
                    (periods[i].valid & SCRM_ENGAGEMENT_VALID_GROWTH_ENGAGEMENTS)
                        ? periods[i].growth_engagements
                        : NO_VALUE, 1);
        }
        out_end(r);
    }
    double months = months_between(all.start, all.end);
    if (months > 0) {
        r->engagement_actions_per_month = (double)all.engagements / months;
        r->value_per_action = all.engagements ? all.economic_value / (double)all.engagements : 0;
    }
    scrm_engagement_free(e);
    out_end(r);
}

static void nps_fields(report *r, const scrm_nps_result *n)
{
    out_int(r, "n", "responses", (int64_t)n->n);
    out_num(r, "nps", "NPS", n->nps, 1);
    out_num(r, "ci_low", "CI low", n->ci_low, 1);
    out_num(r, "ci_high", "CI high", n->ci_high, 1);
}

void section_nps(report *r)
{
    out_section(r, "nps", "Net Promoter Score");
    scrm_nps *nps = NULL;
    scrm_nps_result all;
    int rc = scrm_nps_new(&nps, NULL);
    if (rc == SCRM_OK)
        rc = scrm_nps_compute(nps, r->ds, &all);
    if (rc != SCRM_OK) {
        out_error(r, "nps", rc);
        scrm_nps_free(nps);
        out_end(r);
        return;
    }
    out_int(r, "n", "responses", (int64_t)all.n);
    out_num(r, "promoters", "promoters (9-10) %", 100 * all.promoter_share, 1);
    out_num(r, "passives", "passives (7-8) %", 100 * all.passive_share, 1);
    out_num(r, "detractors", "detractors (0-6) %", 100 * all.detractor_share, 1);
    out_num(r, "nps", "NPS", all.nps, 1);
    out_num(r, "se", "standard error", all.se, 2);
    out_num(r, "ci_low", "95% interval low (adjusted Wald)", all.ci_low, 1);
    out_num(r, "ci_high", "95% interval high", all.ci_high, 1);

    scrm_nps_group groups[64];
    size_t n = 0;
    if (scrm_nps_compute_by_segment(nps, r->ds, groups, 64, &n) == SCRM_OK) {
        out_array(r, "segments", "by segment:");
        for (size_t i = 0; i < n; i++) {
            const char *name = NULL;
            scrm_dataset_string(r->ds, groups[i].segment, &name, NULL);
            out_item(r);
            out_str(r, "segment", "segment", groups[i].segment ? name : "(unknown)");
            nps_fields(r, &groups[i].result);
        }
        out_end(r);
    }
    if (scrm_nps_compute_by_period(nps, r->ds, SCRM_PERIOD_QUARTER, groups, 64, &n) == SCRM_OK &&
        n > 0) {
        out_array(r, "quarters", "by quarter:");
        for (size_t i = 0; i < n; i++) {
            out_item(r);
            out_time(r, "quarter", "quarter", groups[i].period_start);
            nps_fields(r, &groups[i].result);
        }
        out_end(r);
        scrm_nps_comparison cmp;
        if (n >= 2 && scrm_nps_compare(&groups[n - 2].result, &groups[n - 1].result, 0.95,
                                       &cmp) == SCRM_OK) {
            out_object(r, "last_quarter_change", "last quarter against the one before:");
            out_num(r, "difference", "change in NPS", cmp.difference, 1);
            out_num(r, "z", "z", cmp.z, 2);
            out_num(r, "p_value", "p-value (two-sided)", cmp.p_value, 3);
            out_end(r);
        }
    }

    scrm_nps_referral ref;
    scrm_nps_referral_result st;
    if (scrm_nps_referral_compute(r->ds, &ref) == SCRM_OK &&
        scrm_nps_referral_finalize(&ref, &st) == SCRM_OK) {
        out_object(r, "referral", "intent versus actual referral:");
        out_int(r, "n", "responses with both answers", (int64_t)st.n);
        out_num(r, "intend", "intend to refer %", st.shares_valid ? 100 * st.intend_share : NO_VALUE,
                1);
        out_num(r, "referred", "actually referred %",
                st.shares_valid ? 100 * st.referred_share : NO_VALUE, 1);
        out_num(r, "referred_given_intend", "P(referred | intends) %",
                st.referred_given_intend_valid ? 100 * st.referred_given_intend : NO_VALUE, 1);
        out_num(r, "phi", "phi correlation", st.phi_valid ? st.phi : NO_VALUE, 3);
        out_int(r, "referrals", "referrals recorded", (int64_t)ref.referrals);
        out_num(r, "converted", "referrals converted %",
                st.conversion_valid ? 100 * st.conversion_share : NO_VALUE, 1);
        out_end(r);
    }
    scrm_nps_free(nps);
    out_end(r);
}

static void durations(report *r, const char *key, const char *label,
                      const scrm_service_durations *d)
{
    out_object(r, key, label);
    out_num(r, "median_h", "median (hours)", d->median / 3600, 2);
    out_num(r, "p90_h", "p90 (hours)", d->p90 / 3600, 2);
    out_num(r, "mean_h", "mean (hours)", d->mean / 3600, 2);
    out_end(r);
}

void section_service(report *r)
{
    out_section(r, "service", "Social customer service");
    scrm_service_options opts;
    scrm_service_options_init(&opts, SCRM_SERVICE_OPTIONS_VERSION);
    opts.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *s = NULL;
    scrm_service_result res;
    int rc = scrm_service_new(&s, &opts);
    if (rc == SCRM_OK)
        rc = scrm_service_compute(s, r->ds, &res);
    if (rc != SCRM_OK) {
        out_error(r, "service", rc);
        scrm_service_free(s);
        out_end(r);
        return;
    }
    const scrm_service_stats *o = &res.overall;
    out_int(r, "tickets", "tickets", (int64_t)o->volume);
    out_num(r, "response_rate", "response rate %", 100 * o->response_rate, 1);
    out_int(r, "unanswered", "unanswered", (int64_t)o->unanswered);
    out_int(r, "backlog", "open backlog (unresolved)", (int64_t)o->backlog);
    durations(r, "time_to_answer", "time to answer:", &o->answer);
    durations(r, "time_to_resolution", "time to resolution:", &o->resolution);
    out_num(r, "answer_sla", "answered within 1 hour %", 100 * o->response_sla[0], 1);
    out_num(r, "resolution_sla", "resolved within 24 hours %", 100 * o->resolution_sla[0], 1);

    scrm_service_stats groups[32];
    size_t n = 0;
    if (scrm_service_groups(s, groups, 32, &n) == SCRM_OK) {
        out_array(r, "channels", "by channel:");
        for (size_t i = 0; i < n; i++) {
            const char *name = NULL;
            scrm_dataset_string(r->ds, (uint32_t)groups[i].key, &name, NULL);
            out_item(r);
            out_str(r, "channel", "channel", groups[i].key ? name : "(none)");
            out_int(r, "tickets", "tickets", (int64_t)groups[i].volume);
            out_num(r, "response_rate", "answered %", 100 * groups[i].response_rate, 1);
            out_num(r, "median_answer_h", "median answer h", groups[i].answer.median / 3600, 2);
        }
        out_end(r);
    }

    scrm_service_savings_result sv;
    rc = scrm_service_savings_compute(r->ds, NULL, &sv);
    if (rc == SCRM_OK) {
        out_object(r, "savings", "cost savings (default cost per contact, see scrm.h):");
        out_num(r, "social_contacts", "contacts handled on social", sv.inputs.social_contacts, 0);
        out_num(r, "deflected", "contacts deflected from phone/email", sv.deflected, 0);
        out_num(r, "avoided_cost", "avoided cost", sv.avoided_cost, 2);
        out_num(r, "agent_cost", "social agent cost", sv.agent_cost, 2);
        out_num(r, "gross_savings", "gross savings", sv.gross_savings, 2);
        out_num(r, "program_cost", "program cost", sv.program_cost, 2);
        out_num(r, "net_savings", "net savings", sv.net_savings, 2);
        out_end(r);
    } else
        out_error(r, "savings", rc);

    /* Staffing for the busiest day's social volume spread over an 8-hour shift. */
    const void *created_v = NULL;
    size_t nt = 0;
    if (scrm_dataset_column(r->ds, SCRM_TABLE_TICKETS, SCRM_TICKETS_CREATED, &created_v, &nt) ==
            SCRM_OK &&
        nt > 0) {
        const int64_t *created = created_v;
        int64_t lo = created[0], hi = created[0];
        for (size_t i = 1; i < nt; i++) {
            lo = created[i] < lo ? created[i] : lo;
            hi = created[i] > hi ? created[i] : hi;
        }
        double months = months_between(lo, hi);
        if (rc == SCRM_OK && months > 0) {
            r->social_contacts_per_month = sv.deflected / months;
            r->saving_per_contact = sv.deflected > 0 ? sv.gross_savings / sv.deflected : 0;
        }
        double days = (double)(hi - lo) / SCRM_SECONDS_PER_DAY + 1;
        double per_hour = 3.0 * (double)nt / days / 8.0; /* peak day ~3x the mean */
        double aht = o->handle_time_mean > 0 ? o->handle_time_mean : 600;
        scrm_staffing_result st;
        if (scrm_erlang_staffing(per_hour / 3600.0, aht, 60.0, 0.80, NULL, &st) == SCRM_OK) {
            out_object(r, "staffing", "staffing (Erlang C, peak = 3x mean daily volume over 8 h):");
            out_num(r, "arrivals_per_hour", "arrivals per hour", per_hour, 1);
            out_num(r, "aht_s", "average handle time (s)", aht, 0);
            out_int(r, "agents", "agents for 80% answered in 60 s", st.agents);
            out_num(r, "wait_probability", "probability of waiting %",
                    100 * st.at.wait_probability, 1);
            out_num(r, "asa_s", "average speed of answer (s)", st.at.asa, 1);
            out_num(r, "occupancy", "occupancy %", 100 * st.at.occupancy, 1);
            out_end(r);
        }
    }
    scrm_service_free(s);
    out_end(r);
}
