/* Private layout of scrm_roi_model and the helpers its source files share
 * (model.c: lines and inputs; format.c: provenance texts; table.c: costs
 * table; eval.c: flows and metrics; uncertain.c: distributions, scenarios,
 * sensitivity; montecarlo.c: simulation). */
#ifndef SCRM_ROI_MODEL_H
#define SCRM_ROI_MODEL_H

#include "roi/finance.h" /* first: includes num/dists.h (contraction off) */

#include <stddef.h>
#include <stdint.h>

/* Inputs are indexed by enum scrm_roi_input (1..9); slot 0 is unused. */
#define SCRM__ROI_NIN 10
#define SCRM__ROI_NAME_MAX 255
#define SCRM__ROI_HORIZON_MAX 100000

typedef struct scrm__roi_line {
    char *name;
    char *source;
    int source_generated; /* regenerate when inputs change */
    int32_t kind;
    int32_t is_cost;
    int32_t first, last;
    double in[SCRM__ROI_NIN]; /* base values of the inputs the kind takes */
    double *table;            /* TABLE kind: horizon + 1 per-period sums */
    uint64_t table_rows;      /* rows used, before / after the horizon (source text) */
    uint64_t table_before, table_after;
    char *table_category;     /* NULL = all rows */
} scrm__roi_line;

typedef struct scrm__roi_unc {
    int32_t line, input;
    scrm__dist dist;
} scrm__roi_unc;

typedef struct scrm__roi_override {
    int32_t line, input;
    double value;
} scrm__roi_override;

typedef struct scrm__roi_scenario {
    char *name;
    scrm__roi_override *ov;
    size_t n, cap;
} scrm__roi_scenario;

struct scrm_roi_model {
    scrm_roi_options opts; /* start moved to its period start */
    double ppy;            /* periods per year */
    double model_in[SCRM__ROI_NIN];
    scrm__roi_line *lines;
    size_t n_lines, cap_lines;
    scrm__roi_unc *unc;
    size_t n_unc, cap_unc;
    scrm__roi_scenario *scen;
    size_t n_scen, cap_scen;
};

/* ---- model.c ---- */

/* Bit mask of the inputs a line kind takes (bit i = input i). */
unsigned scrm__roi_kind_inputs(int32_t kind);
/* Domain of an input: [lo, hi], or (lo, hi] when *open_lo. */
void scrm__roi_domain(int32_t input, int32_t is_cost, double *lo, double *hi, int *open_lo);
/* Validate the model (not NULL) and the (line, input) addressing; message names fn. */
int scrm__roi_check_slot(const scrm_roi_model *m, int32_t line, int32_t input, const char *fn);
/* Validate a value for (line, input) given the other values of its row (for
 * the CLV constraint); SCRM_EINVAL / SCRM_EDOM naming fn, line and input. */
int scrm__roi_check_value(const scrm_roi_model *m, int32_t line, int32_t input, double value,
                          const double *row, const char *fn);
/* Append a costs-table line owning `table` (horizon + 1 sums; freed on failure). */
int scrm__roi_add_table_line(scrm_roi_model *m, const char *fn, const char *name,
                             const char *source, double *table, uint64_t rows, uint64_t before,
                             uint64_t after, const char *category, int32_t *line);
/* Room for one more of len elements (elem bytes each) in *arr of *cap, doubling
 * from first_cap; *arr and *cap unchanged on failure (SCRM_ENOMEM naming fn). */
int scrm__roi_reserve(void **arr, size_t *cap, size_t len, size_t elem, size_t first_cap,
                      const char *fn);
/* Find a scenario; NULL name = base (returns SCRM_OK, *out = NULL). */
int scrm__roi_find_scenario(const scrm_roi_model *m, const char *name,
                            const scrm__roi_scenario **out, const char *fn);

/* ---- uncertain.c ---- */

/* v clamped into the input's domain (an open bound becomes its next double);
 * sets *clamped = 1 when it moved. */
double scrm__roi_clamp(const scrm_roi_model *m, int32_t line, int32_t input, double v,
                       int *clamped);

/* ---- values vectors: row 0 = model inputs, row l + 1 = line l ---- */

static inline size_t scrm__roi_slot(int32_t line, int32_t input)
{
    return (size_t)(line + 1) * SCRM__ROI_NIN + (size_t)input;
}
/* (n_lines + 1) * NIN values: base values with the scenario's overrides. */
double *scrm__roi_values(const scrm_roi_model *m, const scrm__roi_scenario *sc);

/* ---- format.c ---- */

/* Locale-independent number with thousands separators: 1,240 / 5.20 /
 * -12,345.68. decimals < 0: integers without decimals, others with 2. */
void scrm__roi_fmt(char *buf, size_t cap, double v, int decimals);
/* Generated provenance text of a line from its current base values. Returns
 * a scrm__malloc'ed string or NULL (out of memory). */
char *scrm__roi_source_text(const scrm_roi_model *m, const scrm__roi_line *l);

/* ---- eval.c ---- */

/* CLV closed form m r / (1 + d - r) (Gupta & Lehmann 2003). */
static inline double scrm__roi_clv(double m, double r, double d)
{
    return m * r / (1.0 + d - r);
}

/* Outputs of one evaluation (no IRR). */
typedef struct scrm__roi_out {
    double benefits, costs, benefits_pv, costs_pv, npv, roi, roi_undiscounted;
    scrm_finance_payback_result payback, discounted_payback;
} scrm__roi_out;

/* What an evaluation works on: the values vector of a scenario (base values
 * with its overrides; scrm__roi_values) and 5 scratch arrays of horizon + 1. */
typedef struct scrm__roi_work {
    double *vals;
    double *ben, *cost, *net, *df, *tmp;
} scrm__roi_work;
/* For scenario name (NULL: base values): SCRM_ENOTFOUND or SCRM_ENOMEM naming
 * fn (w is then empty). */
int scrm__roi_work_init(scrm__roi_work *w, const scrm_roi_model *m, const char *scenario,
                        const char *fn);
void scrm__roi_work_free(scrm__roi_work *w);

/* Per-period discount factors for the annual rate in vals. */
void scrm__roi_discounts(const scrm_roi_model *m, const double *vals, double *df);
/* Base value per active period and growth of line l for the values row `row`
 * (TABLE: the scale, growth 0). SCRM_EDOM when a CLV is undefined. */
int scrm__roi_line_base(const scrm_roi_model *m, int32_t l, const double *row, double *base,
                        double *growth, const char *fn);
/* Add line l's flows for the values row `row` to acc (horizon + 1 values).
 * SCRM_EDOM when a CLV is undefined (message names fn and the line). */
int scrm__roi_line_add(const scrm_roi_model *m, int32_t l, const double *row, double *acc,
                       const char *fn);
/* Next len powers (1 + g)^k into pw, continuing from *f0 = (1+g)^k, *f1 =
 * (1+g)^(k+1), m2 = (1+g)^2 (start: 1, 1+g); len must be even except for the
 * last call. The exact bits scrm__roi_line_add uses. */
void scrm__roi_growth_powers(double *f0, double *f1, double m2, int32_t len, double *pw);
/* Zero ben/cost, add every line for vals. */
int scrm__roi_all_flows(const scrm_roi_model *m, const double *vals, double *ben, double *cost,
                        const char *fn);
/* PVs, NPV, ROI and paybacks from ben, cost, df (n = horizon + 1), and the
 * undiscounted totals when `totals` (else NaN); leaves the net flows in net.
 * SCRM_ERANGE when not finite. */
int scrm__roi_outputs(const double *ben, const double *cost, const double *df, double *net,
                      size_t n, int totals, scrm__roi_out *out, const char *fn);
/* Everything at once for a values vector. */
int scrm__roi_eval(const scrm_roi_model *m, const double *vals, scrm__roi_work *w,
                   scrm__roi_out *out, const char *fn);

#endif /* SCRM_ROI_MODEL_H */
