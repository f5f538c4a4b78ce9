/* The report's text/JSON emitter: sections call out_*() once per figure and
 * get readable text or valid JSON from the same code. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

void json_section(report *r, const char *name)
{
    printf("%s\n  ", r->sections++ ? "," : "");
    json_string(name);
    printf(": ");
}

void text_heading(const char *title)
{
    printf("\n%s\n", title);
    for (size_t i = strlen(title); i > 0; i--)
        putchar('-');
    putchar('\n');
}

/* JSON: comma and key for the next member at the current depth. */
static void json_member(report *r, const char *key)
{
    struct report_level *l = &r->level[r->depth];
    int *count = l->is_array && l->item_open ? &l->item_members : &l->members;
    if ((*count)++)
        putchar(',');
    putchar(' ');
    json_string(key);
    printf(": ");
}

static int row_open(const report *r)
{
    return r->level[r->depth].is_array && r->level[r->depth].item_open;
}

/* Text: fields of an array element share one line; others get their own. */
static void text_prefix(report *r, const char *label)
{
    if (row_open(r))
        printf("  %s ", label);
    else
        printf("%*s%-34s ", 2 * r->depth, "", label);
}

static void text_suffix(report *r)
{
    if (!row_open(r))
        putchar('\n');
}

static void push(report *r, int array)
{
    if (r->depth + 1 < REPORT_MAX_DEPTH)
        r->depth++;
    memset(&r->level[r->depth], 0, sizeof r->level[0]);
    r->level[r->depth].is_array = array;
}

void out_section(report *r, const char *key, const char *title)
{
    r->depth = 0;
    memset(&r->level[0], 0, sizeof r->level[0]);
    if (r->json) {
        json_section(r, key);
        putchar('{');
    } else
        text_heading(title);
}

void out_object(report *r, const char *key, const char *label)
{
    if (r->json) {
        json_member(r, key);
        putchar('{');
    } else if (label) {
        if (row_open(r))
            printf("  %s:", label);
        else
            printf("%*s%s\n", 2 * r->depth, "", label);
    }
    push(r, 0);
}

void out_array(report *r, const char *key, const char *label)
{
    if (r->json) {
        json_member(r, key);
        putchar('[');
    } else if (label)
        printf("%*s%s\n", 2 * r->depth, "", label);
    push(r, 1);
}

void out_item(report *r)
{
    struct report_level *l = &r->level[r->depth];
    if (r->json) {
        if (l->item_open)
            putchar('}');
        if (l->members++)
            putchar(',');
        printf(" {");
    } else {
        if (l->item_open)
            putchar('\n');
        printf("%*s-", 2 * r->depth, "");
    }
    l->item_open = 1;
    l->item_members = 0;
}

void out_end(report *r)
{
    struct report_level *l = &r->level[r->depth];
    if (r->json) {
        if (l->item_open)
            putchar('}');
        putchar(l->is_array ? ']' : '}');
    } else if (l->item_open)
        putchar('\n');
    if (r->depth > 0)
        r->depth--;
}

void out_num(report *r, const char *key, const char *label, double v, int decimals)
{
    if (r->json) {
        json_member(r, key);
        if (isfinite(v))
            printf("%.*f", decimals + 2, v);
        else
            printf("null");
    } else {
        text_prefix(r, label);
        if (isfinite(v))
            printf("%.*f", decimals, v);
        else
            printf("n/a");
        text_suffix(r);
    }
}

void out_int(report *r, const char *key, const char *label, int64_t v)
{
    if (r->json) {
        json_member(r, key);
        printf("%lld", (long long)v);
    } else {
        text_prefix(r, label);
        printf("%lld", (long long)v);
        text_suffix(r);
    }
}

void out_str(report *r, const char *key, const char *label, const char *s)
{
    if (r->json) {
        json_member(r, key);
        json_string(s ? s : "");
    } else {
        text_prefix(r, label);
        fputs(s ? s : "", stdout);
        text_suffix(r);
    }
}

void out_time(report *r, const char *key, const char *label, int64_t t)
{
    char buf[32] = "-";
    if (t != SCRM_TIME_NONE)
        scrm_time_format(t, buf, sizeof buf);
    buf[10] = '\0'; /* dates are enough in a report */
    out_str(r, key, label, buf);
}

void out_note(report *r, const char *fmt, ...)
{
    if (r->json)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("%*s(", 2 * r->depth, "");
    vprintf(fmt, ap);
    printf(")\n");
    va_end(ap);
}

void out_error(report *r, const char *what, int rc)
{
    char msg[600];
    snprintf(msg, sizeof msg, "%s: %s (%s)", what, scrm_last_error_message(), scrm_strerror(rc));
    out_str(r, "error", "error", msg);
}
