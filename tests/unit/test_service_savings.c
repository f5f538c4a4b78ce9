/* Cost savings of social customer service (src/kpi/service_savings.c):
 * goldens worked by hand, every bad input. The dataset path is in
 * test_service_compute.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "scrm.h"

#define REL(a, b, tol) cr_assert(fabs((a) - (b)) <= (tol) * fabs(b), "%.17g vs %.17g", (a), (b))

/* SVC-1 (METRICS.md 5.3, Petouhoff line items): 10,000 questions answered,
 * 40 % by super-users (4,000 resolved by the community), direct deflection
 * 60 %, indirect 20 %, $6.00 per call: 2,400 + 2,000 calls avoided, $26,400. */
Test(service_savings, petouhoff_call_deflection)
{
    scrm_service_savings_options o = SCRM_SERVICE_SAVINGS_OPTIONS_INIT;
    o.cost_phone = 6.0;
    o.mix_phone = 1.0;
    o.mix_email = o.mix_chat = 0.0;
    o.deflection_rate = 0.6;
    o.indirect_deflection_rate = 0.2;
    o.cost_social = 0.0;
    o.agent_hourly_cost = 0.0;
    scrm_service_savings_inputs in = {10000, 10000, 4000, 0, 0, 0};
    scrm_service_savings_result r;
    cr_assert_eq(scrm_service_savings(&in, &o, &r), SCRM_OK, "%s", scrm_last_error_message());
    REL(r.deflected_direct, 2400.0, 1e-15);
    REL(r.deflected_indirect, 2000.0, 1e-15);
    REL(r.deflected, 4400.0, 1e-15);
    REL(r.avoided_cost_per_contact, 6.0, 1e-15);
    REL(r.avoided_cost, 26400.0, 1e-15);
    cr_assert_eq(r.agent_cost, 0.0);
    REL(r.net_savings, 26400.0, 1e-15);
}

/* Defaults, worked by hand: 1,000 social contacts, 900 answered, 800
 * resolved, 600 with handle times totalling 50 h, program cost 1,000.
 * Avoided per contact 0.40 x 5.25 + 0.17 x 4.42 + 0.15 x 3.82 = 3.4244;
 * avoided 800 x 3.4244 = 2,739.52; agents 50 h x 15.53 = 776.50 plus 400
 * contacts x 1.00 = 400 -> 1,176.50 (1.1765 per contact); gross 1,563.02;
 * net 563.02. */
Test(service_savings, defaults_by_hand)
{
    scrm_service_savings_inputs in = {1000, 900, 800, 600, 600 * 300.0, 1000};
    scrm_service_savings_result r;
    cr_assert_eq(scrm_service_savings(&in, NULL, &r), SCRM_OK);
    cr_assert_eq(memcmp(&r.inputs, &in, sizeof in), 0);
    REL(r.avoided_cost_per_contact, 3.4244, 1e-14);
    REL(r.deflected_direct, 800.0, 1e-15);
    cr_assert_eq(r.deflected_indirect, 0.0);
    REL(r.avoided_cost, 2739.52, 1e-14);
    REL(r.agent_hours, 50.0, 1e-15);
    REL(r.agent_cost_measured, 776.5, 1e-14);
    REL(r.agent_cost_estimated, 400.0, 1e-15);
    REL(r.agent_cost, 1176.5, 1e-14);
    REL(r.cost_per_social_contact, 1.1765, 1e-14);
    REL(r.gross_savings, 1563.02, 1e-13);
    REL(r.program_cost, 1000.0, 1e-15);
    REL(r.net_savings, 563.02, 1e-12);
    /* Same through explicitly initialised options. */
    scrm_service_savings_options o;
    cr_assert_eq(scrm_service_savings_options_init(&o, SCRM_SERVICE_SAVINGS_OPTIONS_VERSION),
                 SCRM_OK);
    scrm_service_savings_result r2;
    cr_assert_eq(scrm_service_savings(&in, &o, &r2), SCRM_OK);
    cr_assert_eq(memcmp(&r, &r2, sizeof r), 0);
}

Test(service_savings, no_contacts_and_losses)
{
    scrm_service_savings_inputs in = {0, 0, 0, 0, 0, 250};
    scrm_service_savings_result r;
    cr_assert_eq(scrm_service_savings(&in, NULL, &r), SCRM_OK);
    cr_assert_eq(r.cost_per_social_contact, 0.0);
    cr_assert_eq(r.net_savings, -250.0); /* the program costs more than it saves */
}

Test(service_savings, options_init)
{
    scrm_service_savings_options o;
    cr_assert_eq(scrm_service_savings_options_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_service_savings_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_service_savings_options_init(&o, 2), SCRM_EVERSION);
    cr_assert_eq(scrm_service_savings_options_init(&o, 1), SCRM_OK);
    cr_assert_eq(o.cost_phone, 5.25);
    cr_assert_eq(o.cost_email, 4.42);
    cr_assert_eq(o.cost_chat, 3.82);
    cr_assert_eq(o.cost_social, 1.0);
    cr_assert_eq(o.mix_phone, 0.40);
    cr_assert_eq(o.agent_hourly_cost, 15.53);
    cr_assert_null(o.social_channels);
    cr_assert_null(o.cost_category);
}

Test(service_savings, bad_inputs)
{
    scrm_service_savings_inputs ok = {100, 50, 40, 10, 3600, 5};
    scrm_service_savings_result r;
    cr_assert_eq(scrm_service_savings(NULL, NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_service_savings(&ok, NULL, NULL), SCRM_EINVAL);
    scrm_service_savings_inputs in;
#define BAD_IN(stmt, field)                                                        \
    do {                                                                           \
        in = ok;                                                                   \
        stmt;                                                                      \
        cr_assert_eq(scrm_service_savings(&in, NULL, &r), SCRM_EINVAL, #stmt);     \
        cr_assert(strstr(scrm_last_error_message(), field), "%s", scrm_last_error_message()); \
    } while (0)
    BAD_IN(in.social_contacts = -1, "social_contacts");
    BAD_IN(in.social_contacts = NAN, "social_contacts");
    BAD_IN(in.social_contacts = INFINITY, "social_contacts");
    BAD_IN(in.social_answered = 101, "social_answered");
    BAD_IN(in.social_resolved = 101, "social_resolved");
    BAD_IN(in.social_resolved = -0.5, "social_resolved");
    BAD_IN(in.social_handled = 101, "social_handled");
    BAD_IN(in.social_handle_seconds = -1, "social_handle_seconds");
    BAD_IN(in.social_handle_seconds = NAN, "social_handle_seconds");
    BAD_IN(in.program_cost = NAN, "program_cost");
    BAD_IN(in.program_cost = INFINITY, "program_cost");
    in = ok;
    in.program_cost = -5; /* credits are allowed */
    cr_assert_eq(scrm_service_savings(&in, NULL, &r), SCRM_OK);

    scrm_service_savings_options o;
#define BAD_OPT(stmt, code)                                                        \
    do {                                                                           \
        scrm_service_savings_options_init(&o, SCRM_SERVICE_SAVINGS_OPTIONS_VERSION); \
        stmt;                                                                      \
        cr_assert_eq(scrm_service_savings(&ok, &o, &r), code, #stmt);              \
    } while (0)
    BAD_OPT(o.version = 0, SCRM_EVERSION);
    BAD_OPT(o.version = 2, SCRM_EVERSION);
    BAD_OPT(o.cost_phone = -1, SCRM_EINVAL);
    BAD_OPT(o.cost_email = NAN, SCRM_EINVAL);
    BAD_OPT(o.cost_chat = INFINITY, SCRM_EINVAL);
    BAD_OPT(o.cost_social = -0.01, SCRM_EINVAL);
    BAD_OPT(o.mix_phone = 1.1, SCRM_EINVAL);
    BAD_OPT(o.mix_email = -0.1, SCRM_EINVAL);
    BAD_OPT(o.mix_chat = NAN, SCRM_EINVAL);
    BAD_OPT((o.mix_phone = 0.6, o.mix_email = 0.3, o.mix_chat = 0.2), SCRM_EINVAL);
    BAD_OPT(o.deflection_rate = 1.5, SCRM_EINVAL);
    BAD_OPT(o.deflection_rate = NAN, SCRM_EINVAL);
    BAD_OPT(o.indirect_deflection_rate = -1, SCRM_EINVAL);
    BAD_OPT(o.agent_hourly_cost = NAN, SCRM_EINVAL);
    BAD_OPT((o.mix_phone = 0.5, o.mix_email = 0.3, o.mix_chat = 0.2), SCRM_OK);
}

Test(service_savings, overflow_is_an_error_not_inf)
{
    scrm_service_savings_inputs in = {1e300, 1e300, 1e300, 0, 0, 0};
    scrm_service_savings_options o = SCRM_SERVICE_SAVINGS_OPTIONS_INIT;
    o.cost_phone = 1e300;
    scrm_service_savings_result r;
    cr_assert_eq(scrm_service_savings(&in, &o, &r), SCRM_ERANGE);
}
