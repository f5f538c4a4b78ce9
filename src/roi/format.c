/* Provenance texts of ROI lines ("service: 1,240 contacts deflected x 5.20
 * per contact per period, periods 1-36"), formatted without the C locale so
 * reports read the same everywhere. */
#include "roi/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "num/sum.h"

void scrm__roi_fmt(char *buf, size_t cap, double v, int decimals)
{
    if (cap == 0)
        return;
    double a = fabs(v);
    if (!isfinite(v) || a >= 1e15) {
        snprintf(buf, cap, "%.6e", v);
        for (char *p = buf; *p; p++) /* a locale may use ',' as decimal point */
            if (*p == ',')
                *p = '.';
        return;
    }
    int integral = decimals < 0 && a == floor(a);
    uint64_t scaled = integral ? (uint64_t)a : (uint64_t)floor(a * 100.0 + 0.5);
    uint64_t ip = integral ? scaled : scaled / 100, fp = integral ? 0 : scaled % 100;
    char digits[32], grouped[48];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)ip);
    size_t g = 0;
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    const char *sign = v < 0 && scaled > 0 ? "-" : "";
    if (integral)
        snprintf(buf, cap, "%s%s", sign, grouped);
    else
        snprintf(buf, cap, "%s%s.%02u", sign, grouped, (unsigned)fp);
}

static void fmt_pct(char *buf, size_t cap, double v)
{
    scrm__roi_fmt(buf, cap, v * 100.0, 2);
    size_t n = strlen(buf);
    if (n + 1 < cap) {
        buf[n] = '%';
        buf[n + 1] = '\0';
    }
}

static void periods_text(char *buf, size_t cap, const scrm__roi_line *l, int with_growth)
{
    char g[48] = "";
    double growth = l->in[SCRM_ROI_INPUT_GROWTH];
    if (with_growth && growth != 0.0 && l->first != l->last) {
        char p[40];
        fmt_pct(p, sizeof p, fabs(growth));
        snprintf(g, sizeof g, ", %s%s per period", growth < 0 ? "-" : "+", p);
    }
    if (l->first == l->last)
        snprintf(buf, cap, "at period %d", (int)l->first);
    else
        snprintf(buf, cap, "periods %d-%d%s", (int)l->first, (int)l->last, g);
}

char *scrm__roi_source_text(const scrm_roi_model *m, const scrm__roi_line *l)
{
    char out[640], per[96], a[40], b[40], c[40], d[40], e[40];
    const double *in = l->in;
    const char *each = l->first == l->last ? "" : " per period";
    periods_text(per, sizeof per, l, 1);
    switch (l->kind) {
    case SCRM_ROI_LINE_AMOUNT:
        scrm__roi_fmt(a, sizeof a, in[SCRM_ROI_INPUT_AMOUNT], 2);
        snprintf(out, sizeof out, "%s: %s%s, %s", l->is_cost ? "cost" : "benefit", a, each, per);
        break;
    case SCRM_ROI_LINE_SERVICE:
        scrm__roi_fmt(a, sizeof a, in[SCRM_ROI_INPUT_VOLUME], -1);
        scrm__roi_fmt(b, sizeof b, in[SCRM_ROI_INPUT_UNIT_VALUE], 2);
        snprintf(out, sizeof out, "service: %s contacts deflected x %s per contact%s, %s", a, b,
                 each, per);
        break;
    case SCRM_ROI_LINE_REFERRAL:
        scrm__roi_fmt(a, sizeof a, in[SCRM_ROI_INPUT_VOLUME], -1);
        scrm__roi_fmt(b, sizeof b, in[SCRM_ROI_INPUT_UNIT_VALUE], 2);
        snprintf(out, sizeof out, "referrals: %s referrers x %s per referrer%s, %s", a, b, each,
                 per);
        break;
    case SCRM_ROI_LINE_ENGAGEMENT:
        scrm__roi_fmt(a, sizeof a, in[SCRM_ROI_INPUT_VOLUME], -1);
        scrm__roi_fmt(b, sizeof b, in[SCRM_ROI_INPUT_UNIT_VALUE], 2);
        snprintf(out, sizeof out, "engagement: %s actions x %s per action%s, %s", a, b, each, per);
        break;
    case SCRM_ROI_LINE_CONVERSION:
        scrm__roi_fmt(a, sizeof a, in[SCRM_ROI_INPUT_VOLUME], -1);
        scrm__roi_fmt(b, sizeof b, in[SCRM_ROI_INPUT_UNIT_VALUE], 2);
        snprintf(out, sizeof out, "conversions: %s conversions x %s margin%s, %s", a, b, each,
                 per);
        break;
    case SCRM_ROI_LINE_RETENTION: {
        double mg = in[SCRM_ROI_INPUT_UNIT_VALUE], dd = in[SCRM_ROI_INPUT_CLV_DISCOUNT];
        double up = scrm__roi_clv(mg, in[SCRM_ROI_INPUT_R1], dd) -
                    scrm__roi_clv(mg, in[SCRM_ROI_INPUT_R0], dd);
        scrm__roi_fmt(a, sizeof a, in[SCRM_ROI_INPUT_VOLUME], -1);
        fmt_pct(b, sizeof b, in[SCRM_ROI_INPUT_R0]);
        fmt_pct(c, sizeof c, in[SCRM_ROI_INPUT_R1]);
        scrm__roi_fmt(d, sizeof d, mg, 2);
        fmt_pct(e, sizeof e, dd);
        char u[40];
        scrm__roi_fmt(u, sizeof u, up, 2);
        snprintf(out, sizeof out,
                 "retention: %s customers, retention %s -> %s, margin %s, CLV discount %s: CLV "
                 "uplift %s per customer%s, %s",
                 a, b, c, d, e, u, each, per);
        break;
    }
    case SCRM_ROI_LINE_TABLE: {
        scrm__sum tot = SCRM__SUM_INIT;
        if (l->table)
            for (int32_t t = 0; t <= m->opts.horizon; t++)
                scrm__sum_add(&tot, l->table[t]);
        double scale = in[SCRM_ROI_INPUT_SCALE];
        scrm__roi_fmt(a, sizeof a, scrm__sum_value(&tot), 2);
        char cat[SCRM__ROI_NAME_MAX + 20] = "";
        if (l->table_category)
            snprintf(cat, sizeof cat, ", category '%s'", l->table_category);
        char sc[48] = "";
        if (scale != 1.0) {
            scrm__roi_fmt(b, sizeof b, scale, 2);
            snprintf(sc, sizeof sc, " x %s", b);
        }
        char left[96] = "";
        if (l->table_before || l->table_after)
            snprintf(left, sizeof left, "; %llu rows before the start and %llu after the horizon "
                                        "left out",
                     (unsigned long long)l->table_before, (unsigned long long)l->table_after);
        snprintf(out, sizeof out, "costs table: %llu rows%s, total %s%s%s",
                 (unsigned long long)l->table_rows, cat, a, sc, left);
        break;
    }
    default:
        snprintf(out, sizeof out, "line");
        break;
    }
    size_t n = strlen(out) + 1;
    char *s = scrm__malloc(n);
    if (s)
        memcpy(s, out, n);
    return s;
}
