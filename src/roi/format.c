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

/* The volume x unit value kinds: "service: 1,240 contacts deflected x 5.20
 * per contact, periods 1-36". */
typedef struct volume_words {
    int32_t kind;
    const char *label, *volume, *unit;
} volume_words;

static const volume_words volume_kinds[] = {
    { SCRM_ROI_LINE_SERVICE, "service", "contacts deflected", "per contact" },
    { SCRM_ROI_LINE_REFERRAL, "referrals", "referrers", "per referrer" },
    { SCRM_ROI_LINE_ENGAGEMENT, "engagement", "actions", "per action" },
    { SCRM_ROI_LINE_CONVERSION, "conversions", "conversions", "margin" },
};

static int volume_text(char *out, size_t cap, const scrm__roi_line *l, const char *each,
                       const char *per)
{
    for (size_t k = 0; k < sizeof volume_kinds / sizeof volume_kinds[0]; k++) {
        const volume_words *w = &volume_kinds[k];
        if (w->kind != l->kind)
            continue;
        char a[40], b[40];
        scrm__roi_fmt(a, sizeof a, l->in[SCRM_ROI_INPUT_VOLUME], -1);
        scrm__roi_fmt(b, sizeof b, l->in[SCRM_ROI_INPUT_UNIT_VALUE], 2);
        snprintf(out, cap, "%s: %s %s x %s %s%s, %s", w->label, a, w->volume, b, w->unit, each,
                 per);
        return 1;
    }
    return 0;
}

static void retention_text(char *out, size_t cap, const scrm__roi_line *l, const char *each,
                           const char *per)
{
    const double *in = l->in;
    char a[40], b[40], c[40], d[40], e[40], u[40];
    double mg = in[SCRM_ROI_INPUT_UNIT_VALUE], dd = in[SCRM_ROI_INPUT_CLV_DISCOUNT];
    double up = scrm__roi_clv(mg, in[SCRM_ROI_INPUT_R1], dd) -
                scrm__roi_clv(mg, in[SCRM_ROI_INPUT_R0], dd);
    scrm__roi_fmt(a, sizeof a, in[SCRM_ROI_INPUT_VOLUME], -1);
    fmt_pct(b, sizeof b, in[SCRM_ROI_INPUT_R0]);
    fmt_pct(c, sizeof c, in[SCRM_ROI_INPUT_R1]);
    scrm__roi_fmt(d, sizeof d, mg, 2);
    fmt_pct(e, sizeof e, dd);
    scrm__roi_fmt(u, sizeof u, up, 2);
    snprintf(out, cap,
             "retention: %s customers, retention %s -> %s, margin %s, CLV discount %s: CLV "
             "uplift %s per customer%s, %s",
             a, b, c, d, e, u, each, per);
}

static void table_text(char *out, size_t cap, const scrm_roi_model *m, const scrm__roi_line *l)
{
    char a[40], b[40];
    scrm__sum tot = SCRM__SUM_INIT;
    if (l->table)
        for (int32_t t = 0; t <= m->opts.horizon; t++)
            scrm__sum_add(&tot, l->table[t]);
    double scale = l->in[SCRM_ROI_INPUT_SCALE];
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
    snprintf(out, cap, "costs table: %llu rows%s, total %s%s%s",
             (unsigned long long)l->table_rows, cat, a, sc, left);
}

char *scrm__roi_source_text(const scrm_roi_model *m, const scrm__roi_line *l)
{
    char out[640], per[96], a[40];
    const char *each = l->first == l->last ? "" : " per period";
    periods_text(per, sizeof per, l, 1);
    if (l->kind == SCRM_ROI_LINE_AMOUNT) {
        scrm__roi_fmt(a, sizeof a, l->in[SCRM_ROI_INPUT_AMOUNT], 2);
        snprintf(out, sizeof out, "%s: %s%s, %s", l->is_cost ? "cost" : "benefit", a, each, per);
    } else if (l->kind == SCRM_ROI_LINE_RETENTION) {
        retention_text(out, sizeof out, l, each, per);
    } else if (l->kind == SCRM_ROI_LINE_TABLE) {
        table_text(out, sizeof out, m, l);
    } else if (!volume_text(out, sizeof out, l, each, per)) {
        snprintf(out, sizeof out, "line");
    }
    size_t n = strlen(out) + 1;
    char *s = scrm__malloc(n);
    if (s)
        memcpy(s, out, n);
    return s;
}
