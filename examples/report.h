/* scrm-report: shared state and the text/JSON emitter used by every section. */
#ifndef SCRM_REPORT_H
#define SCRM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <scrm.h>

#define REPORT_MAX_DEPTH 8

/* A figure that does not exist (printed as n/a or null). */
#define NO_VALUE (0.0 / 0.0)

typedef struct report {
    const char *dir;
    int json;
    int skip_bad_rows;
    scrm_dataset *ds;
    scrm_load_report loads[SCRM_TABLE_COUNT];
    size_t n_loads;
    int sections;                  /* top-level JSON members printed so far */
    int depth;                     /* emitter nesting below a section */
    struct report_level {
        int members;      /* members or array elements printed (for commas) */
        int is_array;
        int item_open;    /* an array element (object / text row) is open */
        int item_members; /* members printed in that element */
    } level[REPORT_MAX_DEPTH];
    /* Figures later sections reuse (the ROI case is built from the KPIs). */
    double social_contacts_per_month;
    double saving_per_contact;
    double engagement_actions_per_month;
    double value_per_action;
    double customers;
    double margin_per_customer_year;
    double referrals_per_month;
    double converted_per_month;
    double margin_per_conversion;
} report;

/* Low-level pieces (also used by the load and dataset sections). */
void json_string(const char *s);
void json_section(report *r, const char *name);
void text_heading(const char *title);

/* Emitter: one call prints a field as `label: value` text or a JSON member.
 * Sections, objects and arrays nest; out_end() closes the innermost. */
void out_section(report *r, const char *key, const char *title);
void out_object(report *r, const char *key, const char *label);
void out_array(report *r, const char *key, const char *label);
void out_item(report *r); /* next element of the innermost array */
void out_end(report *r);
void out_num(report *r, const char *key, const char *label, double v, int decimals);
void out_int(report *r, const char *key, const char *label, int64_t v);
void out_str(report *r, const char *key, const char *label, const char *s);
void out_time(report *r, const char *key, const char *label, int64_t t);
/* A note on where a figure came from (text only). */
void out_note(report *r, const char *fmt, ...);
/* Report a library failure inside a section (and keep going). */
void out_error(report *r, const char *what, int rc);

/* Sections. */
void section_engagement(report *r);
void section_nps(report *r);
void section_service(report *r);
void section_customer_value(report *r);
void section_roi(report *r);

#endif /* SCRM_REPORT_H */
