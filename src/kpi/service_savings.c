/* Cost savings of social customer service (call-deflection model after
 * Petouhoff, Forrester 2009); the formulas are documented in scrm.h at
 * scrm_service_savings_result. */
#include "core/internal.h"
#include "num/sum.h"

#include <math.h>
#include <string.h>

static const char default_social[] =
    "social,twitter,x,facebook,instagram,linkedin,youtube,tiktok,pinterest,reddit,messenger,"
    "whatsapp,wechat,line,telegram,community,forum";

SCRM_API int scrm_service_savings_options_init(scrm_service_savings_options *opts,
                                               unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "scrm_service_savings_options_init: 'opts' is NULL");
    int st = scrm__check_version(version, SCRM_SERVICE_SAVINGS_OPTIONS_VERSION,
                                 "scrm_service_savings_options");
    if (st != SCRM_OK)
        return st;
    scrm_service_savings_options d = SCRM_SERVICE_SAVINGS_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

static int check_range(double v, double lo, double hi, const char *name, const char *fn)
{
    if (!(v >= lo && v <= hi))
        return scrm__error(SCRM_EINVAL, "%s: %s = %g must be in [%g, %g]", fn, name, v, lo, hi);
    return SCRM_OK;
}

static int load_options(const scrm_service_savings_options *in, scrm_service_savings_options *o,
                        const char *fn)
{
    scrm_service_savings_options d = SCRM_SERVICE_SAVINGS_OPTIONS_INIT;
    if (in) {
        int st = scrm__check_version(in->version, SCRM_SERVICE_SAVINGS_OPTIONS_VERSION,
                                     "scrm_service_savings_options");
        if (st != SCRM_OK)
            return st;
        d = *in;
    }
    const double big = 1e300;
    int st;
    if ((st = check_range(d.cost_phone, 0, big, "cost_phone", fn)) ||
        (st = check_range(d.cost_email, 0, big, "cost_email", fn)) ||
        (st = check_range(d.cost_chat, 0, big, "cost_chat", fn)) ||
        (st = check_range(d.cost_social, 0, big, "cost_social", fn)) ||
        (st = check_range(d.mix_phone, 0, 1, "mix_phone", fn)) ||
        (st = check_range(d.mix_email, 0, 1, "mix_email", fn)) ||
        (st = check_range(d.mix_chat, 0, 1, "mix_chat", fn)) ||
        (st = check_range(d.deflection_rate, 0, 1, "deflection_rate", fn)) ||
        (st = check_range(d.indirect_deflection_rate, 0, big, "indirect_deflection_rate", fn)) ||
        (st = check_range(d.agent_hourly_cost, 0, big, "agent_hourly_cost", fn)))
        return st;
    if (d.mix_phone + d.mix_email + d.mix_chat > 1.0 + 1e-12)
        return scrm__error(SCRM_EINVAL, "%s: mix_phone + mix_email + mix_chat = %g exceeds 1", fn,
                           d.mix_phone + d.mix_email + d.mix_chat);
    *o = d;
    return SCRM_OK;
}

static int savings(const scrm_service_savings_inputs *in, const scrm_service_savings_options *o,
                   scrm_service_savings_result *out, const char *fn)
{
    const double big = 1e300;
    int st;
    if ((st = check_range(in->social_contacts, 0, big, "social_contacts", fn)) ||
        (st = check_range(in->social_answered, 0, in->social_contacts, "social_answered", fn)) ||
        (st = check_range(in->social_resolved, 0, in->social_contacts, "social_resolved", fn)) ||
        (st = check_range(in->social_handled, 0, in->social_contacts, "social_handled", fn)) ||
        (st = check_range(in->social_handle_seconds, 0, big, "social_handle_seconds", fn)) ||
        (st = check_range(in->program_cost, -big, big, "program_cost", fn)))
        return st;
    memset(out, 0, sizeof *out);
    out->inputs = *in;
    out->avoided_cost_per_contact =
        o->mix_phone * o->cost_phone + o->mix_email * o->cost_email + o->mix_chat * o->cost_chat;
    out->deflected_direct = in->social_resolved * o->deflection_rate;
    out->deflected_indirect = in->social_answered * o->indirect_deflection_rate;
    out->deflected = out->deflected_direct + out->deflected_indirect;
    out->avoided_cost = out->deflected * out->avoided_cost_per_contact;
    out->agent_hours = in->social_handle_seconds / 3600.0;
    out->agent_cost_measured = out->agent_hours * o->agent_hourly_cost;
    out->agent_cost_estimated = (in->social_contacts - in->social_handled) * o->cost_social;
    out->agent_cost = out->agent_cost_measured + out->agent_cost_estimated;
    out->cost_per_social_contact =
        in->social_contacts > 0 ? out->agent_cost / in->social_contacts : 0.0;
    out->gross_savings = out->avoided_cost - out->agent_cost;
    out->program_cost = in->program_cost;
    out->net_savings = out->gross_savings - in->program_cost;
    if (!isfinite(out->net_savings) || !isfinite(out->avoided_cost) || !isfinite(out->agent_cost))
        return scrm__error(SCRM_ERANGE, "%s: savings overflow", fn);
    return SCRM_OK;
}

SCRM_API int scrm_service_savings(const scrm_service_savings_inputs *in,
                                  const scrm_service_savings_options *opts,
                                  scrm_service_savings_result *out)
{
    static const char fn[] = "scrm_service_savings";
    if (!in || !out)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, in ? "out" : "in");
    scrm_service_savings_options o;
    int st = load_options(opts, &o, fn);
    if (st != SCRM_OK)
        return st;
    return savings(in, &o, out, fn);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int blank(int c)
{
    return c == ' ' || c == '\t';
}

/* Whether s[0..len) equals, ignoring ASCII case, one of the comma-separated,
 * blank-trimmed names of list. */
static int in_list(const char *list, const char *s, size_t len)
{
    const char *p = list;
    for (;;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && blank(*a))
            a++;
        while (b > a && blank(b[-1]))
            b--;
        if ((size_t)(b - a) == len && len > 0) {
            size_t i = 0;
            while (i < len && lower((unsigned char)a[i]) == lower((unsigned char)s[i]))
                i++;
            if (i == len)
                return 1;
        }
        if (!*end)
            return 0;
        p = end + 1;
    }
}

/* Per interned id: 0 = not looked at yet, 1 = in the list, 2 = not. */
static int matches(const scrm_dataset *ds, uint8_t *memo, uint32_t id, const char *list)
{
    if (!memo[id]) {
        const char *str;
        size_t len;
        memo[id] = (scrm_dataset_string(ds, id, &str, &len) == SCRM_OK &&
                    in_list(list, str, len)) ? 1 : 2;
    }
    return memo[id] == 1;
}

static int column(const scrm_dataset *ds, int32_t table, int32_t col, const void **v)
{
    size_t n;
    return scrm_dataset_column(ds, table, col, v, &n);
}

SCRM_API int scrm_service_savings_compute(const scrm_dataset *ds,
                                          const scrm_service_savings_options *opts,
                                          scrm_service_savings_result *out)
{
    static const char fn[] = "scrm_service_savings_compute";
    if (!ds || !out)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, ds ? "out" : "ds");
    scrm_service_savings_options o;
    int st = load_options(opts, &o, fn);
    if (st != SCRM_OK)
        return st;
    const char *social = o.social_channels ? o.social_channels : default_social;
    size_t n_strings, n_tickets, n_costs;
    if ((st = scrm_dataset_string_count(ds, &n_strings)) != SCRM_OK ||
        (st = scrm_dataset_rows(ds, SCRM_TABLE_TICKETS, &n_tickets)) != SCRM_OK ||
        (st = scrm_dataset_rows(ds, SCRM_TABLE_COSTS, &n_costs)) != SCRM_OK)
        return st;
    uint8_t *memo = scrm__calloc(n_strings ? n_strings : 1, 2);
    if (!memo)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory for %zu strings", fn, n_strings);
    uint8_t *memo_cat = memo + n_strings;

    scrm_service_savings_inputs in = {0, 0, 0, 0, 0, 0};
    scrm__sum handle = SCRM__SUM_INIT, cost = SCRM__SUM_INIT;
    if (n_tickets) {
        const void *ch, *fr, *res, *ht;
        if ((st = column(ds, SCRM_TABLE_TICKETS, SCRM_TICKETS_CHANNEL, &ch)) ||
            (st = column(ds, SCRM_TABLE_TICKETS, SCRM_TICKETS_FIRST_RESPONSE, &fr)) ||
            (st = column(ds, SCRM_TABLE_TICKETS, SCRM_TICKETS_RESOLVED, &res)) ||
            (st = column(ds, SCRM_TABLE_TICKETS, SCRM_TICKETS_HANDLE_TIME, &ht)))
            goto done;
        const uint32_t *channel = ch;
        const int64_t *first = fr, *resolved = res;
        const double *handle_time = ht;
        uint64_t contacts = 0, answered = 0, resolved_n = 0, handled = 0;
        for (size_t i = 0; i < n_tickets; i++) {
            if (channel[i] >= n_strings || !matches(ds, memo, channel[i], social))
                continue;
            contacts++;
            answered += first[i] != SCRM_TIME_NONE;
            resolved_n += resolved[i] != SCRM_TIME_NONE;
            if (!isnan(handle_time[i])) {
                if (!(handle_time[i] >= 0) || isinf(handle_time[i])) {
                    st = scrm__error(SCRM_EINVAL, "%s: tickets row %zu: handle_time %g", fn, i,
                                     handle_time[i]);
                    goto done;
                }
                handled++;
                scrm__sum_add(&handle, handle_time[i]);
            }
        }
        in.social_contacts = (double)contacts;
        in.social_answered = (double)answered;
        in.social_resolved = (double)resolved_n;
        in.social_handled = (double)handled;
        in.social_handle_seconds = scrm__sum_value(&handle);
    }
    if (n_costs) {
        const void *amt, *cat;
        if ((st = column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT, &amt)) ||
            (st = column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_CATEGORY, &cat)))
            goto done;
        const double *amount = amt;
        const uint32_t *category = cat;
        for (size_t i = 0; i < n_costs; i++) {
            if (o.cost_category && (category[i] >= n_strings ||
                                    !matches(ds, memo_cat, category[i], o.cost_category)))
                continue;
            if (!isfinite(amount[i])) {
                st = scrm__error(SCRM_EINVAL, "%s: costs row %zu: amount %g is not finite", fn, i,
                                 amount[i]);
                goto done;
            }
            scrm__sum_add(&cost, amount[i]);
        }
        in.program_cost = scrm__sum_value(&cost);
    }
    st = savings(&in, &o, out, fn);
done:
    scrm__free(memo);
    return st;
}
