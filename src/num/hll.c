/* HyperLogLog estimation and the XXH64 hash; see hll.h. */
#include "num/hll.h"

#include <math.h>
#include <string.h>

/* ---- XXH64, written from the xxHash specification ---- */

#define P1 UINT64_C(0x9E3779B185EBCA87)
#define P2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define P3 UINT64_C(0x165667B19E3779F9)
#define P4 UINT64_C(0x85EBCA77C2B2AE63)
#define P5 UINT64_C(0x27D4EB2F165667C5)

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* Little-endian loads, whatever the host byte order. */
static uint64_t read64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t read32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t round64(uint64_t acc, uint64_t input)
{
    acc += input * P2;
    return rotl(acc, 31) * P1;
}

static uint64_t merge_round(uint64_t acc, uint64_t v)
{
    acc ^= round64(0, v);
    return acc * P1 + P4;
}

uint64_t scrm__hash64(const void *data, size_t len, uint64_t seed)
{
    const uint8_t *p = data;
    const uint8_t *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        const uint8_t *limit = end - 32;
        do {
            v1 = round64(v1, read64(p));
            v2 = round64(v2, read64(p + 8));
            v3 = round64(v3, read64(p + 16));
            v4 = round64(v4, read64(p + 24));
            p += 32;
        } while (p <= limit);
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = merge_round(h, v1);
        h = merge_round(h, v2);
        h = merge_round(h, v3);
        h = merge_round(h, v4);
    } else {
        h = seed + P5;
    }
    h += (uint64_t)len;
    while (end - p >= 8) {
        h ^= round64(0, read64(p));
        h = rotl(h, 27) * P1 + P4;
        p += 8;
    }
    if (end - p >= 4) {
        h ^= (uint64_t)read32(p) * P1;
        h = rotl(h, 23) * P2 + P3;
        p += 4;
    }
    while (p < end) {
        h ^= (uint64_t)(*p) * P5;
        h = rotl(h, 11) * P1;
        p++;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* ---- HyperLogLog ---- */

void scrm__hll_union(uint8_t *dst, const uint8_t *src, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (src[i] > dst[i])
            dst[i] = src[i];
}

int scrm__hll_registers_valid(const uint8_t *reg, int p)
{
    size_t m = (size_t)1 << p;
    uint8_t max = (uint8_t)(64 - p + 1);
    for (size_t i = 0; i < m; i++)
        if (reg[i] > max)
            return 0;
    return 1;
}

double scrm__hll_rse(int p)
{
    return 1.04 / sqrt((double)((size_t)1 << p));
}

/* sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1): replaces C_0 in the corrected raw
 * estimator (Ertl 2017, arXiv:1702.01284, section "Corrected raw estimation algorithm"). */
static double sigma(double x)
{
    if (x == 1.0)
        return (double)INFINITY;
    double y = 1.0, z = x, zp;
    do {
        x *= x;
        zp = z;
        z += x * y;
        y += y;
    } while (z != zp);
    return z;
}

/* tau(x) = sum_{k>=1} x^(2^-k) (1 - x^(2^-k)) 2^-k: replaces C_{q+1}. */
static double tau(double x)
{
    if (x == 0.0 || x == 1.0)
        return 0.0;
    double y = 1.0, z = 0.0, zp;
    do {
        x = sqrt(x);
        zp = z;
        y *= 0.5;
        z += (1.0 - x) * x * y;
    } while (z != zp);
    return z;
}

double scrm__hll_estimate(const uint8_t *reg, int p)
{
    size_t m = (size_t)1 << p;
    int q = 64 - p;
    uint64_t c[66] = {0}; /* histogram of register values 0..q+1 (q <= 60) */
    for (size_t i = 0; i < m; i++)
        c[reg[i]]++;
    double md = (double)m;
    double z = md * tau(1.0 - (double)c[q + 1] / md);
    for (int k = q; k >= 1; k--)
        z = 0.5 * (z + (double)c[k]);
    z += md * sigma((double)c[0] / md);
    /* alpha_inf = 1 / (2 ln 2) */
    return md * md / (2.0 * log(2.0)) / z;
}
