/* The model kind table. To add a kind: write its file exporting a
 * `const scrm__clv_kind`, declare it in kinds.h and list it here. */
#include "clv/kinds.h"

static const scrm__clv_kind *const table[] = {
    &scrm__clv_bgnbd,
    &scrm__clv_mbgnbd,
    &scrm__clv_pareto_nbd,
    &scrm__clv_gamma_gamma,
    &scrm__clv_sbg,
    &scrm__clv_bgbb,
};

const scrm__clv_kind *scrm__clv_kind_find(int32_t kind)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i]->kind == kind)
            return table[i];
    return NULL;
}

SCRM_API const char *scrm_clv_kind_name(int32_t kind)
{
    const scrm__clv_kind *k = scrm__clv_kind_find(kind);
    return k ? k->name : NULL;
}

SCRM_API uint32_t scrm_clv_kind_param_count(int32_t kind)
{
    const scrm__clv_kind *k = scrm__clv_kind_find(kind);
    return k ? k->n_params : 0;
}

SCRM_API const char *scrm_clv_kind_param_name(int32_t kind, uint32_t index)
{
    const scrm__clv_kind *k = scrm__clv_kind_find(kind);
    return k && index < k->n_params ? k->param_names[index] : NULL;
}
