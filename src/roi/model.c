/* scrm_roi_model: options, lines, inputs and their validation. */
#include "roi/model.h"

#include <math.h>
#include <string.h>

#define BIT(i) (1u << (i))

unsigned scrm__roi_kind_inputs(int32_t kind)
{
    switch (kind) {
    case SCRM_ROI_LINE_AMOUNT:
        return BIT(SCRM_ROI_INPUT_AMOUNT) | BIT(SCRM_ROI_INPUT_GROWTH);
    case SCRM_ROI_LINE_TABLE:
        return BIT(SCRM_ROI_INPUT_SCALE);
    case SCRM_ROI_LINE_RETENTION:
        return BIT(SCRM_ROI_INPUT_VOLUME) | BIT(SCRM_ROI_INPUT_UNIT_VALUE) |
               BIT(SCRM_ROI_INPUT_R0) | BIT(SCRM_ROI_INPUT_R1) |
               BIT(SCRM_ROI_INPUT_CLV_DISCOUNT);
    case SCRM_ROI_LINE_SERVICE:
    case SCRM_ROI_LINE_REFERRAL:
    case SCRM_ROI_LINE_ENGAGEMENT:
    case SCRM_ROI_LINE_CONVERSION:
        return BIT(SCRM_ROI_INPUT_VOLUME) | BIT(SCRM_ROI_INPUT_UNIT_VALUE) |
               BIT(SCRM_ROI_INPUT_GROWTH);
    default:
        return 0;
    }
}

void scrm__roi_domain(int32_t input, int32_t is_cost, double *lo, double *hi, int *open_lo)
{
    *lo = -(double)INFINITY;
    *hi = (double)INFINITY;
    *open_lo = 0;
    switch (input) {
    case SCRM_ROI_INPUT_AMOUNT:
        if (is_cost)
            *lo = 0.0;
        break;
    case SCRM_ROI_INPUT_VOLUME:
    case SCRM_ROI_INPUT_CLV_DISCOUNT:
    case SCRM_ROI_INPUT_SCALE:
        *lo = 0.0;
        break;
    case SCRM_ROI_INPUT_GROWTH:
    case SCRM_ROI_INPUT_DISCOUNT_RATE:
        *lo = -1.0;
        *open_lo = 1;
        break;
    case SCRM_ROI_INPUT_R0:
    case SCRM_ROI_INPUT_R1:
        *lo = 0.0;
        *hi = 1.0;
        break;
    default:
        break;
    }
}

SCRM_API const char *scrm_roi_input_name(int32_t input)
{
    static const char *const names[SCRM__ROI_NIN] = {
        NULL, "amount", "volume", "unit_value", "growth", "r0", "r1", "clv_discount", "scale",
        "discount_rate"};
    if (input < 1 || input >= SCRM__ROI_NIN)
        return NULL;
    return names[input];
}

int scrm__roi_check_slot(const scrm_roi_model *m, int32_t line, int32_t input, const char *fn)
{
    if (!m)
        return scrm__fail(SCRM_EINVAL, fn, "model: NULL");
    if (line == SCRM_ROI_MODEL_LINE) {
        if (input != SCRM_ROI_INPUT_DISCOUNT_RATE)
            return scrm__fail(SCRM_EINVAL, fn,
                              "the model's only input is discount_rate (got input %d)", (int)input);
        return SCRM_OK;
    }
    if (line < 0 || (size_t)line >= m->n_lines)
        return scrm__fail(SCRM_EINVAL, fn, "unknown line %d (the model has %zu)", (int)line,
                          m->n_lines);
    const scrm__roi_line *l = &m->lines[line];
    if (input < 1 || input >= SCRM__ROI_NIN || !(scrm__roi_kind_inputs(l->kind) & BIT(input)))
        return scrm__fail(SCRM_EINVAL, fn, "line '%s' has no input %d%s%s%s", l->name, (int)input,
                          scrm_roi_input_name(input) ? " (" : "",
                          scrm_roi_input_name(input) ? scrm_roi_input_name(input) : "",
                          scrm_roi_input_name(input) ? ")" : "");
    return SCRM_OK;
}

static int check_domain(const scrm_roi_model *m, int32_t line, int32_t input, double value,
                        const char *fn)
{
    const char *who = line == SCRM_ROI_MODEL_LINE ? "model" : m->lines[line].name;
    const char *iname = scrm_roi_input_name(input);
    int32_t is_cost = line == SCRM_ROI_MODEL_LINE ? 0 : m->lines[line].is_cost;
    if (!isfinite(value))
        return scrm__fail(SCRM_EINVAL, fn, "'%s' %s is not finite (%g)", who, iname, value);
    double lo, hi;
    int open_lo;
    scrm__roi_domain(input, is_cost, &lo, &hi, &open_lo);
    if (value < lo || value > hi || (open_lo && value == lo)) {
        int code = input == SCRM_ROI_INPUT_DISCOUNT_RATE ? SCRM_EDOM : SCRM_EINVAL;
        return scrm__fail(code, fn, "'%s' %s = %.17g outside its domain %s%g, %g]", who, iname,
                          value, open_lo ? "(" : "[", lo, hi);
    }
    return SCRM_OK;
}

int scrm__roi_check_value(const scrm_roi_model *m, int32_t line, int32_t input, double value,
                          const double *row, const char *fn)
{
    int rc = check_domain(m, line, input, value, fn);
    if (rc)
        return rc;
    const char *who = line == SCRM_ROI_MODEL_LINE ? "model" : m->lines[line].name;
    if (line != SCRM_ROI_MODEL_LINE && m->lines[line].kind == SCRM_ROI_LINE_RETENTION) {
        double d = input == SCRM_ROI_INPUT_CLV_DISCOUNT ? value : row[SCRM_ROI_INPUT_CLV_DISCOUNT];
        double r0 = input == SCRM_ROI_INPUT_R0 ? value : row[SCRM_ROI_INPUT_R0];
        double r1 = input == SCRM_ROI_INPUT_R1 ? value : row[SCRM_ROI_INPUT_R1];
        if (!(1.0 + d - r0 > 0.0) || !(1.0 + d - r1 > 0.0))
            return scrm__fail(SCRM_EDOM, fn,
                              "'%s': CLV undefined with clv_discount %g and retention %g (1 + "
                              "discount - r must be > 0)", who, d, !(1.0 + d - r0 > 0.0) ? r0 : r1);
    }
    return SCRM_OK;
}

/* ---- options, lifecycle ---- */

static const scrm_roi_options defaults = SCRM_ROI_OPTIONS_INIT;

SCRM_API int scrm_roi_options_init(scrm_roi_options *opts, unsigned int version)
{
    if (!opts)
        return SCRM__FAIL(SCRM_EINVAL, "opts: NULL");
    int rc = scrm__check_version(version, SCRM_ROI_OPTIONS_VERSION, "scrm_roi_options_init");
    if (rc)
        return rc;
    *opts = defaults;
    opts->version = version;
    return SCRM_OK;
}

static void free_line(scrm__roi_line *l)
{
    scrm__free(l->name);
    scrm__free(l->source);
    scrm__free(l->table);
    scrm__free(l->table_category);
}

SCRM_API void scrm_roi_model_free(scrm_roi_model *model)
{
    if (!model)
        return;
    for (size_t i = 0; i < model->n_lines; i++)
        free_line(&model->lines[i]);
    scrm__free(model->lines);
    scrm__free(model->unc);
    for (size_t i = 0; i < model->n_scen; i++) {
        scrm__free(model->scen[i].name);
        scrm__free(model->scen[i].ov);
    }
    scrm__free(model->scen);
    scrm__free(model);
}

SCRM_API int scrm_roi_model_new(scrm_roi_model **out, const scrm_roi_options *opts)
{
    const char *fn = __func__;
    if (!out)
        return scrm__fail(SCRM_EINVAL, fn, "out: NULL");
    *out = NULL;
    scrm_roi_options o = defaults;
    if (opts) {
        int rc = scrm__check_version(opts->version, SCRM_ROI_OPTIONS_VERSION, fn);
        if (rc)
            return rc;
        o = *opts;
    }
    if (o.period != SCRM_PERIOD_MONTH && o.period != SCRM_PERIOD_QUARTER &&
        o.period != SCRM_PERIOD_YEAR)
        return scrm__fail(SCRM_EINVAL, fn,
                          "unknown or unsupported period %d (month, quarter or year)",
                          (int)o.period);
    if (o.horizon < 1 || o.horizon > SCRM__ROI_HORIZON_MAX)
        return scrm__fail(SCRM_EINVAL, fn, "horizon %d outside 1..%d periods", (int)o.horizon,
                          SCRM__ROI_HORIZON_MAX);
    if (isnan(o.discount_rate))
        return scrm__fail(SCRM_EINVAL, fn, "discount_rate is NaN");
    if (!(o.discount_rate > -1.0) || isinf(o.discount_rate))
        return scrm__fail(SCRM_EDOM, fn, "discount_rate %g outside (-1, inf)", o.discount_rate);
    if (o.start != SCRM_TIME_NONE) {
        int64_t s, end;
        int rc = scrm_period_start(o.start, o.period, &s);
        if (!rc)
            rc = scrm_period_add(s, o.period, o.horizon, &end);
        if (rc)
            return scrm__fail(rc, fn, "start %lld or its horizon is outside years 0001..9999",
                              (long long)o.start);
        o.start = s;
    }
    o.version = SCRM_ROI_OPTIONS_VERSION;
    scrm_roi_model *m = scrm__calloc(1, sizeof *m);
    if (!m)
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    m->opts = o;
    scrm_finance_periods_per_year(o.period, &m->ppy);
    m->model_in[SCRM_ROI_INPUT_DISCOUNT_RATE] = o.discount_rate;
    *out = m;
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_get_options(const scrm_roi_model *model, scrm_roi_options *out)
{
    if (!model || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", !model ? "model" : "out");
    *out = model->opts;
    out->discount_rate = model->model_in[SCRM_ROI_INPUT_DISCOUNT_RATE];
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_flow_time(const scrm_roi_model *model, int32_t t, int64_t *out)
{
    const char *fn = __func__;
    if (!model || !out)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !model ? "model" : "out");
    if (t < 0 || t > model->opts.horizon)
        return scrm__fail(SCRM_EINVAL, fn, "t = %d outside 0..%d", (int)t,
                          (int)model->opts.horizon);
    if (model->opts.start == SCRM_TIME_NONE)
        return scrm__fail(SCRM_ESTATE, fn, "the model has no start time");
    return scrm_period_add(model->opts.start, model->opts.period, t, out);
}

/* ---- lines ---- */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = scrm__malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int find_line(const scrm_roi_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_lines; i++)
        if (strcmp(m->lines[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Name, uniqueness, room and periods of a new line (*last -1 = the horizon). */
static int check_new_line(const scrm_roi_model *m, const char *name, int32_t first,
                          int32_t *last, const char *fn)
{
    if (!m || !name)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !m ? "model" : "name");
    size_t len = strlen(name);
    if (len == 0 || len > SCRM__ROI_NAME_MAX)
        return scrm__fail(SCRM_EINVAL, fn, "name: %zu bytes, must be 1..%d bytes", len,
                          SCRM__ROI_NAME_MAX);
    if (find_line(m, name) >= 0)
        return scrm__fail(SCRM_EINVAL, fn, "name: a line named '%s' already exists", name);
    if (m->n_lines >= (size_t)INT32_MAX / 2)
        return scrm__fail(SCRM_ELIMIT, fn, "lines: too many");
    int32_t h = m->opts.horizon;
    if (*last == -1)
        *last = h;
    if (first < 0 || first > h || *last < first || *last > h)
        return scrm__fail(SCRM_EINVAL, fn,
                          "line '%s': periods %d..%d outside 0..%d (or last < first)", name,
                          (int)first, (int)*last, (int)h);
    return SCRM_OK;
}

int scrm__roi_reserve(void **arr, size_t *cap, size_t len, size_t elem, size_t first_cap,
                      const char *fn)
{
    if (len < *cap)
        return SCRM_OK;
    size_t n = *cap ? 2 * *cap : first_cap, bytes;
    int rc = scrm__mul_size(n, elem, &bytes);
    if (rc)
        return rc;
    void *p = scrm__realloc(*arr, bytes);
    if (!p)
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    *arr = p;
    *cap = n;
    return SCRM_OK;
}

/* Room for one more line. */
static int reserve_line(scrm_roi_model *m, const char *fn)
{
    void *p = m->lines;
    int rc = scrm__roi_reserve(&p, &m->cap_lines, m->n_lines, sizeof *m->lines, 8, fn);
    m->lines = p;
    return rc;
}

/* Every input's domain first, then the constraints between inputs, of the
 * last line (counted already, so that messages can name it). */
static int check_line_inputs(const scrm_roi_model *m, unsigned mask, const double *in,
                             const char *fn)
{
    int32_t l = (int32_t)(m->n_lines - 1);
    int rc = SCRM_OK;
    for (int i = 1; i < SCRM__ROI_NIN && !rc; i++)
        if (mask & BIT(i))
            rc = check_domain(m, l, i, in[i], fn);
    for (int i = 1; i < SCRM__ROI_NIN && !rc; i++)
        if (mask & BIT(i))
            rc = scrm__roi_check_value(m, l, i, in[i], m->lines[l].in, fn);
    return rc;
}

/* Validate and append a line; `in` holds the kind's inputs. Takes ownership of
 * table (freed on failure). */
static int add_line(scrm_roi_model *m, const char *fn, const char *name, const char *source,
                    int32_t kind, int32_t is_cost, int32_t first, int32_t last,
                    const double in[SCRM__ROI_NIN], double *table, int32_t *line)
{
    int rc = check_new_line(m, name, first, &last, fn);
    if (!rc)
        rc = reserve_line(m, fn);
    if (rc) {
        scrm__free(table);
        return rc;
    }
    /* Build the line in place and count it, so value checks can name it. */
    scrm__roi_line *l = &m->lines[m->n_lines];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->is_cost = is_cost;
    l->first = first;
    l->last = last;
    unsigned mask = scrm__roi_kind_inputs(kind);
    for (int i = 1; i < SCRM__ROI_NIN; i++)
        l->in[i] = (mask & BIT(i)) ? in[i] : 0.0;
    m->n_lines++; /* undone on failure */
    if (!(l->name = dup_str(name)))
        rc = scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    if (!rc)
        rc = check_line_inputs(m, mask, in, fn);
    if (!rc) {
        l->table = table; /* owned by the line from here */
        table = NULL;
        l->source_generated = source == NULL;
        l->source = source ? dup_str(source) : scrm__roi_source_text(m, l);
        if (!l->source)
            rc = scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    if (rc) {
        free_line(l);
        m->n_lines--;
        scrm__free(table);
        return rc;
    }
    if (line)
        *line = (int32_t)(m->n_lines - 1);
    return SCRM_OK;
}

int scrm__roi_add_table_line(scrm_roi_model *m, const char *fn, const char *name,
                             const char *source, double *table, uint64_t rows, uint64_t before,
                             uint64_t after, const char *category, int32_t *line)
{
    double in[SCRM__ROI_NIN] = {0};
    in[SCRM_ROI_INPUT_SCALE] = 1.0;
    char *cat = NULL;
    if (category && !(cat = dup_str(category))) {
        scrm__free(table);
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    /* The generated text needs the counts: set them through a first pass. */
    int32_t idx;
    int rc = add_line(m, fn, name, "", SCRM_ROI_LINE_TABLE, 1, 1, m->opts.horizon, in, table,
                      &idx);
    if (rc) {
        scrm__free(cat);
        return rc;
    }
    scrm__roi_line *l = &m->lines[idx];
    l->table_rows = rows;
    l->table_before = before;
    l->table_after = after;
    l->table_category = cat;
    char *text = source ? dup_str(source) : scrm__roi_source_text(m, l);
    if (!text) {
        free_line(l);
        m->n_lines--;
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    scrm__free(l->source);
    l->source = text;
    l->source_generated = source == NULL;
    if (line)
        *line = idx;
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_add_cost(scrm_roi_model *model, const char *name, const char *source,
                                     int32_t first, int32_t last, double amount, double growth,
                                     int32_t *line)
{
    double in[SCRM__ROI_NIN] = {0};
    in[SCRM_ROI_INPUT_AMOUNT] = amount;
    in[SCRM_ROI_INPUT_GROWTH] = growth;
    return add_line(model, "scrm_roi_model_add_cost", name, source, SCRM_ROI_LINE_AMOUNT, 1,
                    first, last, in, NULL, line);
}

SCRM_API int scrm_roi_model_add_benefit(scrm_roi_model *model, const char *name,
                                        const char *source, int32_t first, int32_t last,
                                        double amount, double growth, int32_t *line)
{
    double in[SCRM__ROI_NIN] = {0};
    in[SCRM_ROI_INPUT_AMOUNT] = amount;
    in[SCRM_ROI_INPUT_GROWTH] = growth;
    return add_line(model, "scrm_roi_model_add_benefit", name, source, SCRM_ROI_LINE_AMOUNT, 0,
                    first, last, in, NULL, line);
}

static int add_volume_line(scrm_roi_model *m, const char *fn, int32_t kind, const char *name,
                           const char *source, int32_t first, int32_t last, double volume,
                           double unit, double growth, int32_t *line)
{
    double in[SCRM__ROI_NIN] = {0};
    in[SCRM_ROI_INPUT_VOLUME] = volume;
    in[SCRM_ROI_INPUT_UNIT_VALUE] = unit;
    in[SCRM_ROI_INPUT_GROWTH] = growth;
    return add_line(m, fn, name, source, kind, 0, first, last, in, NULL, line);
}

SCRM_API int scrm_roi_model_add_service_savings(scrm_roi_model *model, const char *name,
                                                const char *source, int32_t first, int32_t last,
                                                double contacts, double saving, double growth,
                                                int32_t *line)
{
    return add_volume_line(model, "scrm_roi_model_add_service_savings", SCRM_ROI_LINE_SERVICE,
                           name, source, first, last, contacts, saving, growth, line);
}

SCRM_API int scrm_roi_model_add_referrals(scrm_roi_model *model, const char *name,
                                          const char *source, int32_t first, int32_t last,
                                          double referrers, double value, double growth,
                                          int32_t *line)
{
    return add_volume_line(model, "scrm_roi_model_add_referrals", SCRM_ROI_LINE_REFERRAL, name,
                           source, first, last, referrers, value, growth, line);
}

SCRM_API int scrm_roi_model_add_engagement(scrm_roi_model *model, const char *name,
                                           const char *source, int32_t first, int32_t last,
                                           double actions, double value, double growth,
                                           int32_t *line)
{
    return add_volume_line(model, "scrm_roi_model_add_engagement", SCRM_ROI_LINE_ENGAGEMENT,
                           name, source, first, last, actions, value, growth, line);
}

SCRM_API int scrm_roi_model_add_conversions(scrm_roi_model *model, const char *name,
                                            const char *source, int32_t first, int32_t last,
                                            double conversions, double margin, double growth,
                                            int32_t *line)
{
    return add_volume_line(model, "scrm_roi_model_add_conversions", SCRM_ROI_LINE_CONVERSION,
                           name, source, first, last, conversions, margin, growth, line);
}

SCRM_API int scrm_roi_model_add_retention(scrm_roi_model *model, const char *name,
                                          const char *source, int32_t first, int32_t last,
                                          double customers, double r0, double r1, double margin,
                                          double discount, int32_t *line)
{
    double in[SCRM__ROI_NIN] = {0};
    in[SCRM_ROI_INPUT_VOLUME] = customers;
    in[SCRM_ROI_INPUT_UNIT_VALUE] = margin;
    in[SCRM_ROI_INPUT_R0] = r0;
    in[SCRM_ROI_INPUT_R1] = r1;
    in[SCRM_ROI_INPUT_CLV_DISCOUNT] = discount;
    return add_line(model, "scrm_roi_model_add_retention", name, source,
                    SCRM_ROI_LINE_RETENTION, 0, first, last, in, NULL, line);
}

/* ---- queries ---- */

SCRM_API int scrm_roi_model_line_count(const scrm_roi_model *model, int32_t *out)
{
    if (!model || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", !model ? "model" : "out");
    *out = (int32_t)model->n_lines;
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_line_info(const scrm_roi_model *model, int32_t line,
                                      scrm_roi_line_info *out)
{
    const char *fn = __func__;
    if (!model || !out)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !model ? "model" : "out");
    if (line < 0 || (size_t)line >= model->n_lines)
        return scrm__fail(SCRM_EINVAL, fn, "unknown line %d (the model has %zu)", (int)line,
                          model->n_lines);
    const scrm__roi_line *l = &model->lines[line];
    out->name = l->name;
    out->source = l->source;
    out->kind = l->kind;
    out->is_cost = l->is_cost;
    out->first = l->first;
    out->last = l->last;
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_find_line(const scrm_roi_model *model, const char *name,
                                      int32_t *line)
{
    if (!model || !name || !line)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", !model ? "model" : !name ? "name" : "line");
    int i = find_line(model, name);
    if (i < 0)
        return SCRM__FAIL(SCRM_ENOTFOUND, "no line named '%s'", name);
    *line = i;
    return SCRM_OK;
}

static const double *row_of(const scrm_roi_model *m, int32_t line)
{
    return line == SCRM_ROI_MODEL_LINE ? m->model_in : m->lines[line].in;
}

SCRM_API int scrm_roi_model_get_input(const scrm_roi_model *model, int32_t line, int32_t input,
                                      double *out)
{
    const char *fn = __func__;
    if (!model || !out)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !model ? "model" : "out");
    int rc = scrm__roi_check_slot(model, line, input, fn);
    if (rc)
        return rc;
    *out = row_of(model, line)[input];
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_set_input(scrm_roi_model *model, int32_t line, int32_t input,
                                      double value)
{
    const char *fn = __func__;
    if (!model)
        return scrm__fail(SCRM_EINVAL, fn, "model: NULL");
    int rc = scrm__roi_check_slot(model, line, input, fn);
    if (!rc)
        rc = scrm__roi_check_value(model, line, input, value, row_of(model, line), fn);
    if (rc)
        return rc;
    if (line == SCRM_ROI_MODEL_LINE) {
        model->model_in[input] = value;
        return SCRM_OK;
    }
    scrm__roi_line *l = &model->lines[line];
    double old = l->in[input];
    l->in[input] = value;
    if (l->source_generated) {
        char *text = scrm__roi_source_text(model, l);
        if (!text) {
            l->in[input] = old;
            return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
        }
        scrm__free(l->source);
        l->source = text;
    }
    return SCRM_OK;
}

/* ---- scenarios: lookup and values vectors ---- */

int scrm__roi_find_scenario(const scrm_roi_model *m, const char *name,
                            const scrm__roi_scenario **out, const char *fn)
{
    *out = NULL;
    if (!name)
        return SCRM_OK;
    for (size_t i = 0; i < m->n_scen; i++)
        if (strcmp(m->scen[i].name, name) == 0) {
            *out = &m->scen[i];
            return SCRM_OK;
        }
    return scrm__fail(SCRM_ENOTFOUND, fn, "no scenario named '%s'", name);
}

double *scrm__roi_values(const scrm_roi_model *m, const scrm__roi_scenario *sc)
{
    size_t n = (m->n_lines + 1) * SCRM__ROI_NIN;
    double *v = scrm__malloc(n * sizeof *v);
    if (!v)
        return NULL;
    memcpy(v, m->model_in, sizeof m->model_in);
    for (size_t i = 0; i < m->n_lines; i++)
        memcpy(v + (i + 1) * SCRM__ROI_NIN, m->lines[i].in, sizeof m->lines[i].in);
    if (sc)
        for (size_t k = 0; k < sc->n; k++)
            v[scrm__roi_slot(sc->ov[k].line, sc->ov[k].input)] = sc->ov[k].value;
    return v;
}
