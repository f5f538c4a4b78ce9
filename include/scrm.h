/**
 * @file scrm.h
 * @brief libscrm: social ROI and CRM metrics. The one public header.
 *
 * Everything declared here is the stable C ABI of libscrm; nothing outside this
 * header is API. The conventions that hold for every function:
 *
 * - Fallible functions return an `int` status: ::SCRM_OK (0) or a negative
 *   `SCRM_E*` code. Outputs are written through pointers. On failure the
 *   detailed message (naming the field, row and value) is available from
 *   scrm_last_error_message() on the same thread, right after the call.
 * - Handles are opaque. Constructors are `scrm_X_new(scrm_X **out, ...)` and
 *   set `*out = NULL` on failure; destructors are `scrm_X_free()` and accept NULL.
 * - Options structs start with `unsigned int version`; initialise them with
 *   their `_INIT` macro or `_init()` function. A NULL options pointer means defaults.
 * - Memory the library allocates for the caller is released with scrm_free().
 * - Thread-safety: the library has no mutable global state. Distinct handles may
 *   be used from distinct threads at the same time; a single handle must not be
 *   modified from two threads at once. Functions documented as read-only may be
 *   called concurrently on one handle.
 * - The library never prints, aborts or exits.
 *
 * @section toc Contents
 * - Basics: @ref version, @ref errors (status codes, the last error,
 *   scrm_free()), @ref time (times and calendar periods).
 * - Data: @ref dataset (tables from CSV files or C arrays, load reports).
 * - What people do and say: @ref nps, @ref engagement.
 * - Service: @ref service (times, SLAs, savings, Erlang C staffing).
 * - What a person is worth: @ref clv (BG/NBD, MBG/NBD, Pareto/NBD,
 *   Gamma-Gamma, BG/BB), @ref rfm, @ref rfm_hist, @ref closed_form, @ref sbg,
 *   @ref crv.
 * - The business case: @ref finance, @ref roi_model, @ref roi_uncertainty.
 * - Numerics: @ref sf (special functions).
 *
 * @section protocol Accumulator protocol
 * Every mergeable calculator (NPS, engagement, service, CRV, RFM histogram)
 * follows one protocol, so the same metric can be computed on many threads,
 * in a database aggregate or across processes and merged:
 *
 * - `scrm_X_new(&x, opts)` / `scrm_X_free(x)`; `scrm_X_add(x, arrays..., n)`
 *   takes the row count `n` last; `scrm_X_merge(x, other)` adds the state of
 *   `other` (unchanged) to `x`; `x == other` is allowed and doubles the data.
 * - Atomic calls: a call that fails (bad input, out of memory, an overflow)
 *   leaves the accumulator exactly as it was; there is no failed state to reset.
 * - Exact merges: merging the states of any split of the data gives the
 *   one-pass state, bit for bit for counts and sums (sums of doubles are exact
 *   sums, rounded once when a result is read), and within the documented error
 *   for sketches (HyperLogLog distinct counts, log-bucket quantiles).
 * - Stable group keys: grouped accumulators key their groups by a 64-bit hash of
 *   the group's id string, never by an id local to one dataset, so states built
 *   from different datasets, processes or workers merge correctly.
 * - Bytes: `scrm_X_serialize(x, buf, cap, &len)` (measure with `buf` NULL and
 *   `cap` 0; ::SCRM_EBUFS with the size needed) writes a canonical byte string:
 *   equal states give equal bytes. It is an envelope "SCRM", kind, format
 *   version, payload length, payload, CRC-32, so `scrm_X_deserialize(&x, buf,
 *   len)` refuses any truncation or bit flip with ::SCRM_ECORRUPT, bytes of
 *   another kind with ::SCRM_ECORRUPT and a format version it does not read with
 *   ::SCRM_EVERSION. Older format versions are read, or refused, never misread.
 * - Thread-safety: serialize and the result functions only read the
 *   accumulator; add, merge, reset and finalize modify it.
 * - One plain-struct accumulator: ::scrm_nps_referral (the referral funnel)
 *   is eight counts the caller owns instead of a handle: the same add and
 *   merge rules (`n` last, atomic, self-merge doubles), no allocation, no
 *   bytes of its own, and scrm_nps_referral_finalize() only reads it.
 */
#ifndef SCRM_H
#define SCRM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================== */
/** @defgroup version Version
 *  @{ */
/* ===================================================================== */

#define SCRM_VERSION_MAJOR 0 /**< Major version: incompatible API changes. */
#define SCRM_VERSION_MINOR 1 /**< Minor version: backwards-compatible additions. */
#define SCRM_VERSION_PATCH 0 /**< Patch version: fixes only. */
/** The version as a string, "MAJOR.MINOR.PATCH". */
#define SCRM_VERSION_STRING "0.1.0"
/** The version as one number: MAJOR*10000 + MINOR*100 + PATCH. */
#define SCRM_VERSION_NUMBER \
    (SCRM_VERSION_MAJOR * 10000 + SCRM_VERSION_MINOR * 100 + SCRM_VERSION_PATCH)
/** ABI major version; the shared library's soname carries it. */
#define SCRM_ABI_VERSION_MAJOR 0

/** @} */

/* ===================================================================== */
/* Export macros                                                         */
/* ===================================================================== */

/** @cond INTERNAL */
#if defined(SCRM_STATIC)
#  define SCRM_API
#elif defined(_WIN32)
#  if defined(SCRM_BUILDING_DLL)
#    define SCRM_API __declspec(dllexport)
#  else
#    define SCRM_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define SCRM_API __attribute__((visibility("default")))
#else
#  define SCRM_API
#endif
/** @endcond */

/**
 * @brief The library version as SCRM_VERSION_NUMBER was when it was built.
 * @return MAJOR*10000 + MINOR*100 + PATCH of the loaded library.
 * @note Thread-safety: safe from any thread.
 */
SCRM_API int scrm_version_number(void);

/**
 * @brief The library version as a string, e.g. "0.1.0".
 * @return A static string; never NULL.
 * @note Ownership: static storage owned by the library; do not free.
 * @note Thread-safety: safe from any thread.
 */
SCRM_API const char *scrm_version_string(void);

/**
 * @brief The ABI major version of the loaded library (SCRM_ABI_VERSION_MAJOR).
 *
 * Bindings compare it with the major version they were written for and refuse
 * a mismatch.
 * @return The ABI major version.
 * @note Thread-safety: safe from any thread.
 */
SCRM_API int scrm_abi_version(void);

/* ===================================================================== */
/** @defgroup errors Status codes and errors
 *  @{ */
/* ===================================================================== */

/**
 * @brief Status codes returned by every fallible function.
 *
 * Zero is success; errors are negative. Values are never reused; the gaps
 * group them (general, data, numerics).
 */
enum scrm_status {
    SCRM_OK = 0,          /**< Success. */
    SCRM_EINVAL = -1,     /**< Invalid argument (NULL pointer, out-of-range option, bad value). */
    SCRM_ENOMEM = -2,     /**< Out of memory. */
    SCRM_EIO = -3,        /**< I/O error (file missing, unreadable). */
    SCRM_EBUFS = -4,      /**< Caller's buffer too small; the required size is reported. */
    SCRM_EVERSION = -5,   /**< Unknown options version or serialized format version. */
    SCRM_ESTATE = -6,     /**< Operation not valid in the handle's current state. */
    SCRM_ELIMIT = -7,     /**< A configured or built-in size limit was exceeded. */
    SCRM_ENOTFOUND = -8,  /**< Named item (column, table, key) not found. */
    SCRM_EPARSE = -20,    /**< Malformed input text (CSV, number, date). */
    SCRM_ENODATA = -21,   /**< No data to compute from (empty table or group). */
    SCRM_ECORRUPT = -22,  /**< Serialized bytes are truncated or corrupted. */
    SCRM_EDOM = -40,      /**< Input outside the mathematical domain of the function. */
    SCRM_ERANGE = -41,    /**< Result not representable (overflow/underflow). */
    SCRM_EMAXITER = -42,  /**< Iterative method did not converge; best point is returned. */
    SCRM_ELOSS = -43      /**< Loss of accuracy: the result is unreliable. */
};

/** Alias of ::SCRM_EMAXITER: "not converged". */
#define SCRM_ENOCONV SCRM_EMAXITER

/**
 * @brief Static description of a status code.
 * @param[in] code Any integer; unknown codes get a generic text.
 * @return A static, NUL-terminated English string; never NULL.
 * @note Ownership: static storage; do not free.
 * @note Thread-safety: safe from any thread.
 */
SCRM_API const char *scrm_strerror(int code);

/**
 * @brief Detailed message of the most recent failure on this thread.
 *
 * The message names the field, row and value where they apply, e.g.
 * `transactions.csv: row 17, column 'amount': not a number: "12,5"`.
 * Read it right after a call returned an error: check the return code, not
 * this function, to know whether a call failed. Successful calls do not
 * clear it.
 * @return A NUL-terminated string; the empty string if no error was recorded
 *         on this thread. Never NULL.
 * @note Ownership: thread-local storage owned by the library, valid until the
 *       next libscrm call on the same thread.
 * @note Thread-safety: each thread has its own message.
 */
SCRM_API const char *scrm_last_error_message(void);

/**
 * @brief Status code of the most recent failure on this thread.
 * @return The negative code recorded with the last message, or ::SCRM_OK.
 * @note Thread-safety: each thread has its own value.
 */
SCRM_API int scrm_last_error_code(void);

/**
 * @brief Forget this thread's last error (code becomes ::SCRM_OK, message "").
 * @note Thread-safety: affects the calling thread only.
 */
SCRM_API void scrm_clear_error(void);

/**
 * @brief Release memory that the library allocated for the caller.
 *
 * Use it for every pointer a function documents as "free with scrm_free()";
 * never pass such memory to the C library's free() (allocators may differ).
 * @param[in] ptr Memory from libscrm, or NULL (no-op).
 * @note Thread-safety: safe from any thread.
 */
SCRM_API void scrm_free(void *ptr);

/** @} */

/* ===================================================================== */
/** @defgroup time Time
 *  Times are signed 64-bit seconds since 1970-01-01T00:00:00Z (UTC).
 *  @{ */
/* ===================================================================== */

/** Marker for a missing time value in time columns. */
#define SCRM_TIME_NONE INT64_MIN

/** Seconds in one day. */
#define SCRM_SECONDS_PER_DAY 86400

/**
 * @brief Parse an ISO-8601 date or date-time into seconds since the epoch.
 *
 * Accepted forms: `YYYY-MM-DD`, `YYYY-MM-DDThh:mm`, `YYYY-MM-DDThh:mm:ss`
 * with optional fraction `.sss` (truncated to whole seconds), a space instead
 * of `T`, and an optional zone `Z`, `+hh:mm`, `-hh:mm`, `+hhmm` or `+hh`.
 * A date alone means midnight UTC; a date-time without a zone is taken as UTC.
 * Years 0001..9999 are accepted.
 * @param[in]  text Characters to parse (need not be NUL-terminated).
 * @param[in]  len  Number of characters in @p text.
 * @param[out] out  Seconds since 1970-01-01T00:00:00Z.
 * @retval SCRM_OK     Parsed.
 * @retval SCRM_EINVAL @p text or @p out is NULL.
 * @retval SCRM_EPARSE Not a valid date/time (the message says why).
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_time_parse(const char *text, size_t len, int64_t *out);

/**
 * @brief Format seconds since the epoch as `YYYY-MM-DDThh:mm:ssZ`.
 * @param[in]  t   Seconds since the epoch (years 0001..9999).
 * @param[out] buf Destination; receives a NUL-terminated string.
 * @param[in]  cap Size of @p buf in bytes; 21 bytes always suffice.
 * @retval SCRM_OK     Formatted.
 * @retval SCRM_EINVAL @p buf is NULL.
 * @retval SCRM_ERANGE @p t is outside years 0001..9999.
 * @retval SCRM_EBUFS  @p cap is smaller than 21.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_time_format(int64_t t, char *buf, size_t cap);

/** @brief Calendar periods for grouping (trends) and for ROI models. All UTC. */
enum scrm_period {
    SCRM_PERIOD_DAY = 1,     /**< Calendar day. */
    SCRM_PERIOD_WEEK = 2,    /**< ISO week, starting Monday 00:00. */
    SCRM_PERIOD_MONTH = 3,   /**< Calendar month. */
    SCRM_PERIOD_QUARTER = 4, /**< Calendar quarter (Jan, Apr, Jul, Oct). */
    SCRM_PERIOD_YEAR = 5     /**< Calendar year. */
};

/**
 * @brief Start of the period that contains @p t.
 * @param[in]  t      Seconds since the epoch (years 0001..9999).
 * @param[in]  period ::scrm_period.
 * @param[out] out    Start of that period, seconds since the epoch.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL Unknown period or NULL @p out.
 * @retval SCRM_ERANGE @p t outside years 0001..9999.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_period_start(int64_t t, int32_t period, int64_t *out);

/**
 * @brief Start of the period @p k periods after the one containing @p t.
 *
 * Calendar arithmetic: months, quarters and years step by calendar units,
 * so `scrm_period_add(t, SCRM_PERIOD_MONTH, 1, &s)` is the first of next month.
 * @param[in]  t      Seconds since the epoch.
 * @param[in]  period ::scrm_period.
 * @param[in]  k      Periods to step (may be negative).
 * @param[out] out    Start of the resulting period.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL Unknown period or NULL @p out.
 * @retval SCRM_ERANGE The input or the result is outside years 0001..9999.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_period_add(int64_t t, int32_t period, int64_t k, int64_t *out);

/** @} */

/* ===================================================================== */
/** @defgroup dataset Datasets
 *  Typed columnar tables of CRM and social data, each optional.
 *  @{ */
/* ===================================================================== */

/**
 * @brief A dataset: up to ::SCRM_TABLE_COUNT typed columnar tables.
 *
 * String values (customer ids, channels, segments, ...) are interned into one
 * dictionary per dataset and stored as dense `uint32_t` ids; id 0 is the empty
 * string, which marks a missing optional string.
 */
typedef struct scrm_dataset scrm_dataset;

/** @brief Table identifiers. */
enum scrm_table {
    SCRM_TABLE_CUSTOMERS = 0,    /**< customers.csv */
    SCRM_TABLE_TRANSACTIONS = 1, /**< transactions.csv */
    SCRM_TABLE_SURVEY = 2,       /**< survey.csv (survey responses) */
    SCRM_TABLE_SOCIAL = 3,       /**< social.csv (social interactions) */
    SCRM_TABLE_AUDIENCE = 4,     /**< audience.csv (followers over time) */
    SCRM_TABLE_TICKETS = 5,      /**< tickets.csv (service tickets) */
    SCRM_TABLE_REFERRALS = 6,    /**< referrals.csv */
    SCRM_TABLE_COSTS = 7,        /**< costs.csv (program costs) */
    SCRM_TABLE_COUNT = 8         /**< Number of tables (not a table). */
};

/** @brief Storage type of a column. */
enum scrm_column_type {
    SCRM_TYPE_STRING = 1, /**< `uint32_t` interned string id; 0 = missing. */
    SCRM_TYPE_TIME = 2,   /**< `int64_t` seconds since the epoch; ::SCRM_TIME_NONE = missing. */
    SCRM_TYPE_F64 = 3,    /**< `double`; NaN = missing (only in optional columns). */
    SCRM_TYPE_BOOL = 4    /**< `int8_t`: 1 true, 0 false, -1 missing. */
};

/**
 * @brief Column identifiers, per table. The CSV header name is given for each.
 *
 * "required" columns must be present in a CSV header and non-empty in every
 * row; optional columns may be absent or empty.
 */
enum scrm_column {
    /* customers */
    SCRM_CUSTOMERS_ID = 0,               /**< `id` (string, required). */
    SCRM_CUSTOMERS_ACQUIRED = 1,         /**< `acquired` (time, optional). */
    SCRM_CUSTOMERS_SEGMENT = 2,          /**< `segment` (string, optional). */
    SCRM_CUSTOMERS_ACQUISITION_COST = 3, /**< `acquisition_cost` (f64 >= 0, optional). */
    SCRM_CUSTOMERS_CHANNEL = 4,          /**< `channel` (string, optional). */

    /* transactions */
    SCRM_TRANSACTIONS_CUSTOMER = 0, /**< `customer` (string, required). */
    SCRM_TRANSACTIONS_TIME = 1,     /**< `time` (time, required). */
    SCRM_TRANSACTIONS_AMOUNT = 2,   /**< `amount` (f64, required; may be negative for refunds). */
    SCRM_TRANSACTIONS_MARGIN = 3,   /**< `margin` (f64, optional). */

    /* survey responses */
    SCRM_SURVEY_CUSTOMER = 0,  /**< `customer` (string, optional). */
    SCRM_SURVEY_TIME = 1,      /**< `time` (time, required). */
    SCRM_SURVEY_SCORE = 2,     /**< `score` (f64, required; NPS checks 0..10 integers). */
    SCRM_SURVEY_INTENDS = 3,   /**< `intends_to_refer` (bool, optional). */
    SCRM_SURVEY_REFERRED = 4,  /**< `referred` (bool, optional): actually referred. */

    /* social interactions */
    SCRM_SOCIAL_TIME = 0,        /**< `time` (time, required). */
    SCRM_SOCIAL_CHANNEL = 1,     /**< `channel` (string, optional). */
    SCRM_SOCIAL_USER = 2,        /**< `user` (string, required). */
    SCRM_SOCIAL_KIND = 3,        /**< `kind` (string, required; lower-cased: post, comment, share, like, mention, ...). */
    SCRM_SOCIAL_POST = 4,        /**< `post_id` (string, optional). */
    SCRM_SOCIAL_TARGET = 5,      /**< `target_user` (string, optional): replied-to or forwarded user. */
    SCRM_SOCIAL_BRAND = 6,       /**< `brand` (string, optional; empty = own brand). */
    SCRM_SOCIAL_REACH = 7,       /**< `reach` (f64 >= 0, optional). */
    SCRM_SOCIAL_IMPRESSIONS = 8, /**< `impressions` (f64 >= 0, optional). */
    SCRM_SOCIAL_SENTIMENT = 9,   /**< `sentiment` (f64 in -1..1, or positive/neutral/negative; optional). */

    /* audience */
    SCRM_AUDIENCE_TIME = 0,      /**< `time` (time, required). */
    SCRM_AUDIENCE_CHANNEL = 1,   /**< `channel` (string, optional). */
    SCRM_AUDIENCE_FOLLOWERS = 2, /**< `followers` (f64 >= 0, required). */

    /* service tickets */
    SCRM_TICKETS_ID = 0,             /**< `id` (string, required). */
    SCRM_TICKETS_CHANNEL = 1,        /**< `channel` (string, optional). */
    SCRM_TICKETS_AGENT = 2,          /**< `agent` (string, optional). */
    SCRM_TICKETS_TEAM = 3,           /**< `team` (string, optional). */
    SCRM_TICKETS_CREATED = 4,        /**< `created` (time, required). */
    SCRM_TICKETS_FIRST_RESPONSE = 5, /**< `first_response` (time, optional; missing = unanswered). */
    SCRM_TICKETS_RESOLVED = 6,       /**< `resolved` (time, optional; missing = unresolved). */
    SCRM_TICKETS_HANDLE_TIME = 7,    /**< `handle_time` (f64 seconds >= 0, optional). */

    /* referrals */
    SCRM_REFERRALS_REFERRER = 0,       /**< `referrer` (string, required). */
    SCRM_REFERRALS_REFEREE = 1,        /**< `referee` (string, optional). */
    SCRM_REFERRALS_TIME = 2,           /**< `time` (time, required). */
    SCRM_REFERRALS_CONVERTED = 3,      /**< `converted` (bool, optional). */
    SCRM_REFERRALS_INCENTIVE_COST = 4, /**< `incentive_cost` (f64 >= 0, optional). */

    /* program costs */
    SCRM_COSTS_TIME = 0,     /**< `time` (time, required). */
    SCRM_COSTS_CATEGORY = 1, /**< `category` (string, optional). */
    SCRM_COSTS_AMOUNT = 2    /**< `amount` (f64, required). */
};

/** @brief What a load does with a bad row. */
enum scrm_on_error {
    SCRM_ON_ERROR_FAIL = 0, /**< Default: fail the whole load and add nothing. */
    SCRM_ON_ERROR_SKIP = 1  /**< Reject bad rows (reported) and load the rest. */
};

/** Current version of ::scrm_dataset_load_options. */
#define SCRM_DATASET_LOAD_OPTIONS_VERSION 1

/** @brief Options of the dataset loads: scrm_dataset_load_csv(),
 * scrm_dataset_load_csv_buffer(), scrm_dataset_load_dir() and scrm_dataset_append(). */
typedef struct scrm_dataset_load_options {
    unsigned int version;   /**< Must be ::SCRM_DATASET_LOAD_OPTIONS_VERSION. */
    int32_t on_error;       /**< ::scrm_on_error; default ::SCRM_ON_ERROR_FAIL. */
    uint64_t max_rows;      /**< Most data rows one load may read (so also add); 0 = default (100,000,000). */
    uint32_t max_field_bytes; /**< Longest accepted field in bytes; 0 = default (65,536). */
    char delimiter;         /**< Field delimiter; 0 = default (','). */
} scrm_dataset_load_options;

/** Static initialiser with the defaults. */
#define SCRM_DATASET_LOAD_OPTIONS_INIT { SCRM_DATASET_LOAD_OPTIONS_VERSION, SCRM_ON_ERROR_FAIL, 0, 0, 0 }

/**
 * @brief Initialise dataset load options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_DATASET_LOAD_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 */
SCRM_API int scrm_dataset_load_options_init(scrm_dataset_load_options *opts, unsigned int version);

/** Number of rejections a ::scrm_load_report keeps in detail. */
#define SCRM_REPORT_MAX_REJECTIONS 8

/** @brief One rejected row. */
typedef struct scrm_rejection {
    uint64_t row;       /**< CSV: 1-based line where the record starts (header = 1); arrays: 0-based index. */
    char column[32];    /**< Column name (header text), or "" when the row as a whole is bad. */
    char reason[160];   /**< Why, with the offending value. NUL-terminated. */
} scrm_rejection;

/** @brief What a load did. Filled by every load function (also on failure). */
typedef struct scrm_load_report {
    int32_t table;            /**< ::scrm_table loaded, or -1 if unknown. */
    int32_t status;           /**< Status of this table's load. */
    uint64_t rows_read;       /**< Data rows read (excludes the header). */
    uint64_t rows_accepted;   /**< Rows added to the table. */
    uint64_t rows_rejected;   /**< Rows rejected. */
    uint32_t n_rejections;    /**< Entries filled in @ref rejections (<= ::SCRM_REPORT_MAX_REJECTIONS). */
    scrm_rejection rejections[SCRM_REPORT_MAX_REJECTIONS]; /**< The first rejections, in row order. */
} scrm_load_report;

/** @brief Value types accepted by scrm_dataset_append(). */
enum scrm_value_type {
    SCRM_VALUE_TEXT = 1, /**< `const char *const *`: text parsed exactly as a CSV field; NULL or "" = missing. */
    SCRM_VALUE_F64 = 2,  /**< `const double *`: numbers (NaN = missing); for bool columns 0/1; not for strings. */
    SCRM_VALUE_I64 = 3   /**< `const int64_t *`: times in seconds (::SCRM_TIME_NONE = missing), or integers. */
};

/** @brief One input column for scrm_dataset_append(). */
typedef struct scrm_column_input {
    int32_t column;     /**< ::scrm_column of the target table. */
    int32_t type;       /**< ::scrm_value_type of @ref values. */
    const void *values; /**< Array of `n` values of that type (borrowed for the call). */
} scrm_column_input;

/**
 * @brief Create an empty dataset.
 * @param[out] out New dataset; NULL on failure. Free with scrm_dataset_free().
 * @retval SCRM_OK     Created.
 * @retval SCRM_EINVAL @p out is NULL.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_dataset_new(scrm_dataset **out);

/**
 * @brief Release a dataset. NULL is a no-op.
 *
 * Calculators and models copy what they need, so a dataset may be freed
 * before or after anything computed from it.
 * @param[in] ds Dataset or NULL.
 */
SCRM_API void scrm_dataset_free(scrm_dataset *ds);

/**
 * @brief Load CSV text into one table, appending to its rows.
 *
 * RFC 4180: quoted fields, doubled quotes, embedded newlines, CRLF or LF line
 * ends; an optional UTF-8 byte order mark. The first record is the header;
 * names map to columns case-insensitively (surrounding blanks ignored), unknown
 * columns are ignored, missing required columns fail the load. Numbers are
 * decimals with '.' (optional exponent); times are ISO-8601 (scrm_time_parse());
 * booleans are 1/0, true/false, yes/no, y/n (case-insensitive). Blanks around
 * numbers, times and booleans are ignored; strings are kept byte for byte and
 * must be valid UTF-8. Empty lines are skipped. The column `sentiment` also
 * takes the labels positive/neutral/negative (1/0/-1); `kind` is lower-cased.
 * With ::SCRM_ON_ERROR_FAIL, any bad row fails the load and the table is left
 * exactly as before. With ::SCRM_ON_ERROR_SKIP, bad rows (malformed records,
 * wrong field count, bad values) are rejected and reported and the rest is
 * loaded. Whatever the mode, a load that returns an error (limits, memory,
 * I/O, header problems) adds nothing.
 * @param[in,out] ds     Dataset.
 * @param[in]     table  ::scrm_table.
 * @param[in]     data   CSV bytes (need not be NUL-terminated).
 * @param[in]     len    Number of bytes.
 * @param[in]     name   Name used in messages (e.g. the file name); NULL = table name.
 * @param[in]     opts   Options or NULL for defaults.
 * @param[out]    report Filled with counts and first rejections; may be NULL.
 * @retval SCRM_OK       Loaded (with ::SCRM_ON_ERROR_SKIP, possibly with rejections).
 * @retval SCRM_EINVAL   NULL argument, unknown table or bad options.
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_EPARSE   A malformed row (fail mode) or malformed header.
 * @retval SCRM_ENOTFOUND A required column is missing from the header.
 * @retval SCRM_ELIMIT   Field longer than max_field_bytes or more than max_rows rows.
 * @retval SCRM_ENOMEM   Out of memory (the table is left as before).
 * @note Thread-safety: modifies @p ds.
 */
SCRM_API int scrm_dataset_load_csv_buffer(scrm_dataset *ds, int32_t table, const char *data,
                                          size_t len, const char *name,
                                          const scrm_dataset_load_options *opts,
                                          scrm_load_report *report);

/**
 * @brief Load a CSV file into one table, appending to its rows.
 *
 * As scrm_dataset_load_csv_buffer(); messages name the file.
 * @param[in,out] ds     Dataset.
 * @param[in]     table  ::scrm_table.
 * @param[in]     path   File path.
 * @param[in]     opts   Options or NULL for defaults.
 * @param[out]    report Filled with counts and first rejections; may be NULL.
 * @retval SCRM_EIO The file cannot be opened or read. Other codes as for
 *                  scrm_dataset_load_csv_buffer().
 * @note Thread-safety: modifies @p ds.
 */
SCRM_API int scrm_dataset_load_csv(scrm_dataset *ds, int32_t table, const char *path,
                                   const scrm_dataset_load_options *opts, scrm_load_report *report);

/**
 * @brief Load every table of a data directory.
 *
 * Looks for `customers.csv`, `transactions.csv`, `survey.csv`, `social.csv`,
 * `audience.csv`, `tickets.csv`, `referrals.csv` and `costs.csv` in @p dir;
 * a missing file leaves its table empty. Stops at the first table that fails;
 * then every table is left as it was before the call (the reports of tables
 * loaded earlier show `rows_accepted` 0), and the message names the file.
 * @param[in,out] ds      Dataset.
 * @param[in]     dir     Directory path.
 * @param[in]     opts    Options or NULL for defaults.
 * @param[out]    reports Array receiving one report per file found, in table
 *                        order; may be NULL when @p cap is 0.
 * @param[in]     cap     Entries available in @p reports (::SCRM_TABLE_COUNT suffices).
 * @param[out]    n_reports Number of reports written; may be NULL.
 * @retval SCRM_OK  All files found loaded.
 * @retval SCRM_EIO @p dir cannot be opened. Other codes as for scrm_dataset_load_csv().
 * @note Thread-safety: modifies @p ds.
 */
SCRM_API int scrm_dataset_load_dir(scrm_dataset *ds, const char *dir,
                                   const scrm_dataset_load_options *opts, scrm_load_report *reports,
                                   size_t cap, size_t *n_reports);

/**
 * @brief Append @p n rows to a table from C arrays.
 *
 * Each ::scrm_column_input gives one column's values; columns not given are
 * missing (an error for required columns). Values are validated exactly as CSV
 * fields are; rejected rows are reported by 0-based index.
 * @param[in,out] ds      Dataset.
 * @param[in]     table   ::scrm_table.
 * @param[in]     n       Number of rows.
 * @param[in]     columns Array of @p n_columns column inputs (borrowed for the call).
 * @param[in]     n_columns Number of entries in @p columns.
 * @param[in]     opts    Options or NULL for defaults.
 * @param[out]    report  Filled with counts and first rejections; may be NULL.
 * @retval SCRM_OK       Appended.
 * @retval SCRM_EINVAL   NULL argument, unknown table/column, duplicate column,
 *                       a value type the column cannot take, or a bad value (fail mode).
 * @retval SCRM_ENOTFOUND A required column is not given.
 * @retval SCRM_ELIMIT   More than max_rows rows.
 * @retval SCRM_ENOMEM   Out of memory (the table is left as before).
 * @note Ownership: input arrays are copied; nothing is kept after the call.
 * @note Thread-safety: modifies @p ds.
 */
SCRM_API int scrm_dataset_append(scrm_dataset *ds, int32_t table, size_t n,
                                 const scrm_column_input *columns, size_t n_columns,
                                 const scrm_dataset_load_options *opts, scrm_load_report *report);

/**
 * @brief Number of rows in a table.
 * @param[in]  ds    Dataset.
 * @param[in]  table ::scrm_table.
 * @param[out] out   Row count.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument or unknown table.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_dataset_rows(const scrm_dataset *ds, int32_t table, size_t *out);

/**
 * @brief Number of columns of a table.
 * @param[in]  table ::scrm_table.
 * @param[out] out   Column count.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL Unknown table or NULL @p out.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_table_columns(int32_t table, size_t *out);

/**
 * @brief Conventional name of a table ("transactions", ...); its file is NAME.csv.
 * @param[in] table ::scrm_table.
 * @return Static string, or NULL for an unknown table.
 * @note Ownership: static; do not free.
 */
SCRM_API const char *scrm_table_name(int32_t table);

/**
 * @brief CSV header name of a column ("amount", ...).
 * @param[in] table  ::scrm_table.
 * @param[in] column ::scrm_column.
 * @return Static string, or NULL for an unknown table or column.
 * @note Ownership: static; do not free.
 */
SCRM_API const char *scrm_column_name(int32_t table, int32_t column);

/**
 * @brief Storage type of a column.
 * @param[in] table  ::scrm_table.
 * @param[in] column ::scrm_column.
 * @return ::scrm_column_type, or 0 for an unknown table or column.
 */
SCRM_API int scrm_column_type(int32_t table, int32_t column);

/**
 * @brief Whether a column is required in every row.
 * @param[in] table  ::scrm_table.
 * @param[in] column ::scrm_column.
 * @return 1 required, 0 optional, -1 unknown table or column.
 */
SCRM_API int scrm_column_required(int32_t table, int32_t column);

/**
 * @brief Borrow a column's values.
 *
 * The pointer type follows the column's ::scrm_column_type:
 * `const uint32_t *` (string ids), `const int64_t *` (times),
 * `const double *` (f64) or `const int8_t *` (bool).
 * @param[in]  ds     Dataset.
 * @param[in]  table  ::scrm_table.
 * @param[in]  column ::scrm_column.
 * @param[out] values Receives the column's first element (NULL for an empty table).
 * @param[out] n      Receives the row count; may be NULL.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument or unknown table/column.
 * @note Ownership: borrowed; valid until @p ds is modified or freed.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_dataset_column(const scrm_dataset *ds, int32_t table, int32_t column,
                                 const void **values, size_t *n);

/**
 * @brief The string of an interned id.
 * @param[in]  ds  Dataset.
 * @param[in]  id  Interned id from a string column (0 = "").
 * @param[out] out NUL-terminated UTF-8 string.
 * @param[out] len Its length in bytes; may be NULL.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument or unknown id.
 * @note Ownership: borrowed; valid until @p ds is freed.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_dataset_string(const scrm_dataset *ds, uint32_t id, const char **out,
                                 size_t *len);

/**
 * @brief Find the interned id of a string without adding it.
 * @param[in]  ds  Dataset.
 * @param[in]  str String (need not be NUL-terminated).
 * @param[in]  len Its length in bytes.
 * @param[out] out Interned id.
 * @retval SCRM_OK        Found.
 * @retval SCRM_ENOTFOUND The string does not occur in the dataset.
 * @retval SCRM_EINVAL    NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_dataset_string_id(const scrm_dataset *ds, const char *str, size_t len,
                                    uint32_t *out);

/**
 * @brief Number of interned strings (ids are 0 .. count-1).
 * @param[in]  ds  Dataset.
 * @param[out] out Count (at least 1: id 0 is "").
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_dataset_string_count(const scrm_dataset *ds, size_t *out);

/** @} */

/* ===================================================================== */
/* Module sections. Each module adds its declarations inside its own     */
/* section, keeping this order.                                          */
/* ===================================================================== */

/* ---- section: numerics (special functions, optimizer) ---- */

/** @defgroup sf Special functions
 *  Real special functions in GSL's pair convention: `scrm_sf_X_e()` returns a
 *  status and fills a ::scrm_sf_result (value and absolute error estimate);
 *  `scrm_sf_X()` returns the value, or NaN on failure (the status and message
 *  are then in scrm_last_error_code() / scrm_last_error_message()).
 *  Accuracies below were checked against 50-digit mpmath values
 *  (tests/unit/test_sf.c states the tolerances).
 *  @{ */

/** @brief A special function value with an estimate of its absolute error. */
typedef struct scrm_sf_result {
    double val; /**< The value. */
    double err; /**< Estimated absolute error of @ref val (>= 0). */
} scrm_sf_result;

/**
 * @brief log|Gamma(x)| and the sign of Gamma(x).
 *
 * Domain: finite x other than 0, -1, -2, ... Accuracy: relative error below
 * 1e-15 for x > 0 (absolute below 1e-16 near the zeros x = 1 and x = 2);
 * for x < 0 the reflection formula loses about log10(1/|sin(pi x)|) digits.
 * Method: Taylor series of lgamma(2 + e) (Abramowitz & Stegun 6.1.33) with the
 * recurrence for x < 10, Stirling's series with 8 terms for x >= 10.
 * @param[in]  x      Argument.
 * @param[out] result log|Gamma(x)| and its error estimate (NaN on failure).
 * @param[out] sgn    +1 or -1, the sign of Gamma(x) (0 on failure).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p result or @p sgn is NULL.
 * @retval SCRM_EDOM   x is NaN, infinite or a non-positive integer (a pole).
 * @retval SCRM_ERANGE The result overflows (x above about 2.5e305).
 * @note Thread-safety: reentrant (unlike C's lgamma(), no global signgam).
 */
SCRM_API int scrm_sf_lgamma_sgn_e(double x, scrm_sf_result *result, double *sgn);

/**
 * @brief log|Gamma(x)|. Domain, accuracy and codes as scrm_sf_lgamma_sgn_e().
 * @param[in]  x      Argument.
 * @param[out] result Value and error estimate.
 * @return ::SCRM_OK or a negative status as for scrm_sf_lgamma_sgn_e().
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_sf_lgamma_e(double x, scrm_sf_result *result);

/**
 * @brief log|Gamma(x)|, or NaN on failure (see scrm_sf_lgamma_e()).
 * @param[in] x Argument.
 * @return The value or NaN.
 * @note Thread-safety: reentrant.
 */
SCRM_API double scrm_sf_lgamma(double x);

/**
 * @brief log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b) for a, b > 0.
 *
 * Large arguments use Stirling differences, so the result keeps a relative
 * accuracy near 1e-14 even for log B(1e10, 0.5), where the direct sum of
 * log-gammas would lose 10 digits.
 * @param[in]  a      First argument, finite and > 0.
 * @param[in]  b      Second argument, finite and > 0.
 * @param[out] result Value and error estimate.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p result is NULL.
 * @retval SCRM_EDOM   a or b is not finite and positive.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_sf_lbeta_e(double a, double b, scrm_sf_result *result);

/**
 * @brief log B(a, b), or NaN on failure (see scrm_sf_lbeta_e()).
 * @param[in] a First argument.
 * @param[in] b Second argument.
 * @return The value or NaN.
 * @note Thread-safety: reentrant.
 */
SCRM_API double scrm_sf_lbeta(double a, double b);

/**
 * @brief The digamma function psi(x) = d/dx log Gamma(x).
 *
 * Domain: finite x other than 0, -1, -2, ... Accuracy: relative error below
 * 1e-15 for x > 0 except near the zero x0 = 1.4616..., where the absolute error
 * is below 1e-15; for x < 0 the reflection formula loses digits near the poles.
 * Method: recurrence to x >= 10 and the asymptotic series (A&S 6.3.18).
 * @param[in]  x      Argument.
 * @param[out] result Value and error estimate.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p result is NULL.
 * @retval SCRM_EDOM   x is NaN, infinite or a non-positive integer.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_sf_digamma_e(double x, scrm_sf_result *result);

/**
 * @brief psi(x), or NaN on failure (see scrm_sf_digamma_e()).
 * @param[in] x Argument.
 * @return The value or NaN.
 * @note Thread-safety: reentrant.
 */
SCRM_API double scrm_sf_digamma(double x);

/**
 * @brief Gauss hypergeometric function 2F1(a, b; c; x) for real arguments.
 *
 * Domain: x < 1, or x = 1 with c - a - b > 0; c not 0, -1, -2, ... (unless a
 * or b is a non-positive integer that ends the series first: then any x).
 * Methods: the Gauss series (or Euler's transform, whichever has terms of one
 * sign) for 0 <= x <= 0.9; Pfaff's transform for x < 0; the 1 - x connection
 * formula (DLMF 15.8.4) for x > 0.9; where c - a - b is within 1e-5 of an
 * integer (the formula's poles cancel) Richardson extrapolation in b from
 * b +- 1e-4 and b +- 2e-4. Accuracy: relative error below 1e-12 where terms
 * do not cancel (positive a, b, c, as in the BG/NBD and Pareto/NBD models),
 * about 1e-11 on the extrapolated path; the error estimate reports
 * cancellation. For values beyond DBL_MAX use
 * scrm_sf_hyperg_2F1_log_e().
 * @param[in]  a      First numerator parameter.
 * @param[in]  b      Second numerator parameter.
 * @param[in]  c      Denominator parameter.
 * @param[in]  x      Argument.
 * @param[out] result Value and error estimate.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p result is NULL.
 * @retval SCRM_EDOM     Outside the domain (or a NaN/infinite argument).
 * @retval SCRM_ERANGE   |2F1| overflows; val is +-infinity.
 * @retval SCRM_ELOSS    Cancellation: estimated relative error above 1e-6 (value filled).
 * @retval SCRM_EMAXITER A series did not converge (value filled).
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_sf_hyperg_2F1_e(double a, double b, double c, double x, scrm_sf_result *result);

/**
 * @brief 2F1(a, b; c; x), or NaN on failure (see scrm_sf_hyperg_2F1_e(); the
 *        value is returned also for ::SCRM_ELOSS).
 * @param[in] a First numerator parameter.
 * @param[in] b Second numerator parameter.
 * @param[in] c Denominator parameter.
 * @param[in] x Argument.
 * @return The value or NaN.
 * @note Thread-safety: reentrant.
 */
SCRM_API double scrm_sf_hyperg_2F1(double a, double b, double c, double x);

/**
 * @brief log|2F1(a, b; c; x)| and its sign, for values that overflow a double.
 *
 * Same domain and methods as scrm_sf_hyperg_2F1_e(); the series is rescaled as
 * it grows, so e.g. 2F1(5000, 5000; 5001; 0.5) (about 10^1500) is returned as
 * its logarithm.
 * @param[in]  a      First numerator parameter.
 * @param[in]  b      Second numerator parameter.
 * @param[in]  c      Denominator parameter.
 * @param[in]  x      Argument.
 * @param[out] lnabs  log|2F1| (-infinity when 2F1 = 0) and its absolute error.
 * @param[out] sgn    Sign of 2F1: +1, -1, or 0.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p lnabs or @p sgn is NULL.
 * @retval SCRM_EDOM     Outside the domain.
 * @retval SCRM_ELOSS    Cancellation (value filled).
 * @retval SCRM_EMAXITER Series did not converge (value filled).
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_sf_hyperg_2F1_log_e(double a, double b, double c, double x,
                                      scrm_sf_result *lnabs, double *sgn);

/** @} */

/* ---- end section: numerics ---- */

/* ---- section: nps ---- */

/**
 * @defgroup nps Net Promoter Score
 * @brief NPS with standard error, confidence intervals, two-sample tests,
 *        segment and period trends, and intent versus actual referral.
 *
 * The Net Promoter Score (Reichheld, "The One Number You Need to Grow",
 * Harvard Business Review, December 2003) asks "How likely is it that you
 * would recommend X to a friend or colleague?" on a 0..10 scale. With
 * promoters P (default 9-10), passives (7-8) and detractors D (0-6) among
 * n respondents, NPS = 100 (P - D) / n, in [-100, 100].
 *
 * The calculator handle ::scrm_nps is a mergeable accumulator holding a
 * histogram of the 11 scores, so merging the states of any split of the data
 * gives exactly the one-pass result.
 * @{
 */

/** Number of distinct scores on the NPS scale (0..10). */
#define SCRM_NPS_SCORES 11

/**
 * @brief Confidence-interval methods for NPS (Wald on the trinomial variance;
 * adjusted Wald after Rocks, "Interval Estimation for the 'Net Promoter Score'",
 * The American Statistician 70(4), 2016).
 *
 * Rocks (2016), "Interval Estimation for the 'Net Promoter Score'",
 * The American Statistician 70(4), compared six interval methods on trinomial
 * simulations; the adjusted Wald had the best coverage/precision trade-off
 * (summarised by Sauro and Lewis, MeasuringU,
 * https://measuringu.com/nps-confidence-intervals/).
 */
enum scrm_nps_ci_method {
    /** Wald: NPS +/- z SE with the trinomial SE
     *  100 sqrt([(p + d) - (p - d)^2] / n). Zero width when every respondent
     *  is in one band, and under-covers for small n. */
    SCRM_NPS_CI_WALD = 1,
    /** Adjusted Wald (MeasuringU recipe): n' = n + 3, P' = P + 0.75,
     *  D' = D + 0.75; the Wald interval of the adjusted proportions, centred on
     *  the adjusted estimate. The default. */
    SCRM_NPS_CI_ADJUSTED_WALD = 2
};

/** Current version of ::scrm_nps_options. */
#define SCRM_NPS_OPTIONS_VERSION 1

/**
 * @brief Options of an NPS calculator.
 *
 * The three bands partition the scale: detractors 0..`detractor_max`,
 * passives `detractor_max` + 1 .. `promoter_min` - 1 (empty when
 * `promoter_min` = `detractor_max` + 1) and promoters `promoter_min`..10.
 * Valid bands are therefore ordered, within 0..10 and non-overlapping, and
 * every valid score belongs to exactly one band, so n counts all respondents
 * (passives included), as in Reichheld, "The One Number You Need to Grow",
 * Harvard Business Review, December 2003.
 */
typedef struct scrm_nps_options {
    unsigned int version;  /**< Must be ::SCRM_NPS_OPTIONS_VERSION. */
    int32_t detractor_max; /**< Highest detractor score, 0..9; default 6. */
    int32_t promoter_min;  /**< Lowest promoter score, detractor_max+1..10; default 9. */
    double level;          /**< Confidence level of the interval, in (0, 1); default 0.95. */
    int32_t ci_method;     /**< ::scrm_nps_ci_method; default ::SCRM_NPS_CI_ADJUSTED_WALD,
                                because it had the best coverage in Rocks (2016) and never
                                has zero width (the Wald interval does when all respondents
                                fall in one band). */
} scrm_nps_options;

/** Static initialiser with the defaults (bands 0-6 / 7-8 / 9-10, 95 %, adjusted Wald). */
#define SCRM_NPS_OPTIONS_INIT \
    { SCRM_NPS_OPTIONS_VERSION, 6, 9, 0.95, SCRM_NPS_CI_ADJUSTED_WALD }

/**
 * @brief Initialise NPS options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_NPS_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_nps_options_init(scrm_nps_options *opts, unsigned int version);

/**
 * @brief NPS calculator and mergeable accumulator: options plus the counts of
 *        the 11 scores seen so far.
 */
typedef struct scrm_nps scrm_nps;

/**
 * @brief NPS of a set of responses, with its standard error and interval.
 *
 * Standard error (the trinomial variance of the +1/0/-1 scores):
 * SE = 100 sqrt([p(1 - p) + d(1 - d) + 2pd] / n) = 100 sqrt([(p + d) - (p - d)^2] / n)
 * with p = promoters / n, d = detractors / n. The interval is
 * `ci_center` +/- z `ci_se` with z = Phi^-1((1 + level) / 2), clipped to
 * [-100, 100]. For the Wald method `ci_center` = `nps` and `ci_se` = `se`;
 * for the adjusted Wald they are the adjusted estimate and its SE (Rocks 2016;
 * MeasuringU), while `nps` stays the raw estimate.
 */
typedef struct scrm_nps_result {
    uint64_t n;                 /**< Number of responses (all bands). */
    uint64_t detractors;        /**< Responses in the detractor band. */
    uint64_t passives;          /**< Responses in the passive band. */
    uint64_t promoters;         /**< Responses in the promoter band. */
    uint64_t score_counts[SCRM_NPS_SCORES]; /**< Responses per score 0..10. */
    double detractor_share;     /**< detractors / n, in [0, 1]. */
    double passive_share;       /**< passives / n, in [0, 1]. */
    double promoter_share;      /**< promoters / n, in [0, 1]. */
    double nps;                 /**< 100 (promoters - detractors) / n, in [-100, 100]. */
    double se;                  /**< Standard error of `nps` (trinomial, >= 0). */
    double level;               /**< Confidence level of the interval. */
    int32_t method;             /**< ::scrm_nps_ci_method of the interval. */
    double ci_center;           /**< Centre of the interval (adjusted estimate for adjusted Wald). */
    double ci_se;               /**< Standard error used by the interval (> 0 for adjusted Wald). */
    double ci_low;              /**< Lower bound of the interval, >= -100. */
    double ci_high;             /**< Upper bound of the interval, <= 100. */
} scrm_nps_result;

/**
 * @brief Two-sample comparison of independent NPS results (b minus a).
 *
 * z = (NPS_b - NPS_a) / sqrt(SE_a^2 + SE_b^2), two-sided
 * p = 2 (1 - Phi(|z|)), interval (NPS_b - NPS_a) +/- z_level sqrt(SE_a^2 + SE_b^2).
 * With the adjusted Wald (MeasuringU, "How to Statistically Compare Two Net
 * Promoter Scores", https://measuringu.com/nps-significance-test/) each sample
 * is adjusted first (n + 3, P + 0.75, D + 0.75) and the test and interval use
 * the adjusted estimates and SEs. Not valid for paired samples (the same
 * respondents twice), which need a covariance term.
 */
typedef struct scrm_nps_comparison {
    double difference; /**< Raw difference b.nps - a.nps, in [-200, 200]. */
    double center;     /**< Difference the test and interval use (adjusted for adjusted Wald). */
    double se;         /**< Standard error of the difference, > 0. */
    double z;          /**< center / se. */
    double p_value;    /**< Two-sided p-value, 2 (1 - Phi(|z|)), in [0, 1]. */
    double level;      /**< Confidence level of the interval. */
    double ci_low;     /**< Lower bound of the difference's interval, >= -200. */
    double ci_high;    /**< Upper bound of the difference's interval, <= 200. */
    int32_t method;    /**< ::scrm_nps_ci_method used. */
} scrm_nps_comparison;

/**
 * @brief Create an NPS calculator with no responses.
 * @param[out] out  New calculator; NULL on failure. Free with scrm_nps_free().
 * @param[in]  opts Options, or NULL for the defaults (copied).
 * @retval SCRM_OK       Created.
 * @retval SCRM_EINVAL   @p out is NULL, or bad bands, level or method (the
 *                       message names the field and value).
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: the caller owns the handle.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_nps_new(scrm_nps **out, const scrm_nps_options *opts);

/**
 * @brief Release an NPS calculator. NULL is a no-op.
 * @param[in] nps Calculator or NULL.
 */
SCRM_API void scrm_nps_free(scrm_nps *nps);

/**
 * @brief Copy the options a calculator was created with.
 * @param[in]  nps  Calculator.
 * @param[out] opts Receives the options (version ::SCRM_NPS_OPTIONS_VERSION).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_nps_get_options(const scrm_nps *nps, scrm_nps_options *opts);

/**
 * @brief Forget every response added so far (the options are kept).
 * @param[in,out] nps Calculator.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p nps is NULL.
 * @note Thread-safety: modifies @p nps.
 */
SCRM_API int scrm_nps_reset(scrm_nps *nps);

/**
 * @brief Add @p n scores.
 *
 * Every score must be an integer 0..10 (as a double, e.g. 7.0). The call is
 * atomic: if any score is bad, nothing is added.
 * @param[in,out] nps    Calculator.
 * @param[in]     scores Array of @p n scores (borrowed for the call); may be
 *                       NULL when @p n is 0.
 * @param[in]     n      Number of scores.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL argument, or a score that is NaN, infinite, not an
 *                     integer or outside 0..10 (the message names the first
 *                     such index and its value).
 * @retval SCRM_ERANGE The total count would exceed 2^64 - 1.
 * @note Thread-safety: modifies @p nps.
 */
SCRM_API int scrm_nps_add_scores(scrm_nps *nps, const double *scores, size_t n);

/**
 * @brief Add pre-aggregated responses: @p counts[s] responses with score s.
 *
 * For callers that already hold a histogram (a database GROUP BY score, a
 * published table). Atomic: on error nothing is added.
 * @param[in,out] nps    Calculator.
 * @param[in]     counts Array of @p n counts, one per score 0..n-1.
 * @param[in]     n      Must be ::SCRM_NPS_SCORES.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL argument or @p n != ::SCRM_NPS_SCORES.
 * @retval SCRM_ERANGE A count would exceed 2^64 - 1.
 * @note Thread-safety: modifies @p nps.
 */
SCRM_API int scrm_nps_add_counts(scrm_nps *nps, const uint64_t *counts, size_t n);

/**
 * @brief Add another calculator's responses to @p nps (exact: counts add).
 * @param[in,out] nps   Calculator receiving the responses.
 * @param[in]     other Calculator with the same options (bands, level, method);
 *                      not modified. May be @p nps itself (doubles the counts).
 * @retval SCRM_OK     Merged.
 * @retval SCRM_EINVAL NULL argument or different options.
 * @retval SCRM_ERANGE A count would exceed 2^64 - 1 (nothing is changed).
 * @note Thread-safety: modifies @p nps; @p other is only read.
 */
SCRM_API int scrm_nps_merge(scrm_nps *nps, const scrm_nps *other);

/**
 * @brief Serialize the calculator (options and counts) to a versioned,
 *        endian-independent byte string.
 *
 * Format: the libscrm envelope (magic "SCRM", kind, format version 1, length,
 * CRC-32) around the options and the 11 counts, all little-endian.
 * @param[in]  nps     Calculator.
 * @param[out] buf     Destination, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Size of @p buf in bytes.
 * @param[out] out_len Bytes written, or needed when the result is ::SCRM_EBUFS.
 * @retval SCRM_OK     Written.
 * @retval SCRM_EBUFS  @p cap too small; @p out_len holds the size needed.
 * @retval SCRM_EINVAL @p nps or @p out_len is NULL.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_nps_serialize(const scrm_nps *nps, uint8_t *buf, size_t cap,
                                size_t *out_len);

/**
 * @brief Restore a calculator from scrm_nps_serialize() bytes.
 * @param[out] out New calculator; NULL on failure. Free with scrm_nps_free().
 * @param[in]  buf Bytes.
 * @param[in]  len Number of bytes.
 * @retval SCRM_OK       Restored.
 * @retval SCRM_EINVAL   NULL argument.
 * @retval SCRM_ECORRUPT Truncated, padded or corrupted bytes, another kind of
 *                       state, or invalid options or counts inside.
 * @retval SCRM_EVERSION Written by a newer format version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: @p buf is only read; the caller owns the new handle.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_nps_deserialize(scrm_nps **out, const uint8_t *buf, size_t len);

/**
 * @brief NPS, shares, standard error and interval of the responses added so far.
 * @param[in]  nps Calculator.
 * @param[out] out Result.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_ENODATA No responses.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_nps_finalize(const scrm_nps *nps, scrm_nps_result *out);

/**
 * @brief NPS of a dataset's survey table: reset, add every `score`, finalize.
 *
 * Every score must be an integer 0..10.
 * @param[in,out] nps Calculator; on success it holds the survey's responses,
 *                    on failure it is unchanged.
 * @param[in]     ds  Dataset.
 * @param[out]    out Result.
 * @retval SCRM_OK      Done.
 * @retval SCRM_EINVAL  NULL argument, or a bad score (the message names the
 *                      survey row, 0-based, and the value).
 * @retval SCRM_ENODATA The survey table is empty.
 * @note Thread-safety: modifies @p nps; @p ds is only read.
 */
SCRM_API int scrm_nps_compute(scrm_nps *nps, const scrm_dataset *ds, scrm_nps_result *out);

/** @brief One group of a grouped NPS computation. */
typedef struct scrm_nps_group {
    uint32_t segment;      /**< Segment's interned string id (scrm_dataset_string());
                                0 = unknown. Always 0 when grouping by period. */
    int64_t period_start;  /**< Start of the period (scrm_period_start());
                                ::SCRM_TIME_NONE when grouping by segment. */
    scrm_nps_result result; /**< The group's full result (n >= 1). */
} scrm_nps_group;

/**
 * @brief NPS per customer segment.
 *
 * Each survey response is joined on `survey.customer` = `customers.id` to the
 * customer's `segment` (the first customers row wins if an id repeats).
 * Responses with no customer, with a customer absent from the customers
 * table, or whose customer has no segment form the "unknown" group, key
 * `segment` = 0 (the empty string), so every response is in
 * exactly one group and the groups' n add up to the survey's. Groups are
 * sorted by segment name (byte order; unknown first); only non-empty groups
 * are reported.
 * @param[in]  nps     Calculator whose options are used; its accumulated
 *                     responses are neither used nor changed.
 * @param[in]  ds      Dataset.
 * @param[out] out     Caller buffer of @p cap groups; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len Groups written, or needed when the result is ::SCRM_EBUFS.
 * @retval SCRM_OK      Done.
 * @retval SCRM_EBUFS   @p cap too small; nothing written, @p out_len holds the count.
 * @retval SCRM_EINVAL  NULL argument or a bad score (message names the survey row).
 * @retval SCRM_ENODATA The survey table is empty (@p out_len = 0).
 * @retval SCRM_ENOMEM  Out of memory.
 * @note Thread-safety: read-only on @p nps and @p ds.
 */
SCRM_API int scrm_nps_compute_by_segment(const scrm_nps *nps, const scrm_dataset *ds,
                                         scrm_nps_group *out, size_t cap, size_t *out_len);

/**
 * @brief NPS per calendar period of the response time, for trends.
 *
 * Groups are sorted by period start; periods without responses are not
 * reported (look for gaps with scrm_period_add()). Two consecutive groups can
 * be tested against each other with scrm_nps_compare().
 * @param[in]  nps     Calculator whose options are used; its accumulated
 *                     responses are neither used nor changed.
 * @param[in]  ds      Dataset.
 * @param[in]  period  ::SCRM_PERIOD_DAY, ::SCRM_PERIOD_WEEK, ::SCRM_PERIOD_MONTH,
 *                     ::SCRM_PERIOD_QUARTER or ::SCRM_PERIOD_YEAR.
 * @param[out] out     Caller buffer of @p cap groups; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len Groups written, or needed when the result is ::SCRM_EBUFS.
 * @retval SCRM_OK      Done.
 * @retval SCRM_EBUFS   @p cap too small; nothing written, @p out_len holds the count.
 * @retval SCRM_EINVAL  NULL argument, unknown period or a bad score (message
 *                      names the survey row).
 * @retval SCRM_ERANGE  A response time outside years 0001..9999.
 * @retval SCRM_ENODATA The survey table is empty (@p out_len = 0).
 * @retval SCRM_ENOMEM  Out of memory.
 * @note Thread-safety: read-only on @p nps and @p ds.
 */
SCRM_API int scrm_nps_compute_by_period(const scrm_nps *nps, const scrm_dataset *ds,
                                        int32_t period, scrm_nps_group *out, size_t cap,
                                        size_t *out_len);

/**
 * @brief Compare two independent NPS results (b minus a): difference,
 *        standard error, z, two-sided p-value and interval.
 *
 * Only the band counts and `method` of @p a and @p b are
 * read, so results built by hand from published counts work too.
 * @param[in]  a     First result (e.g. the earlier period).
 * @param[in]  b     Second result; must use the same method as @p a.
 * @param[in]  level Confidence level of the difference's interval, in (0, 1).
 * @param[out] out   Comparison.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument, n = 0, band counts not adding up to n,
 *                     unknown or different methods, or a bad @p level.
 * @retval SCRM_EDOM   Wald method and both samples have SE 0 (every respondent
 *                     of each sample in one band): z is undefined.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_nps_compare(const scrm_nps_result *a, const scrm_nps_result *b,
                              double level, scrm_nps_comparison *out);

/**
 * @brief Intent versus actual referral (Kumar, Petersen and Leone, "How
 *        Valuable Is Word of Mouth?", Harvard Business Review 85(10), 2007).
 *
 * Kumar et al. surveyed referral intentions, then tracked actual referrals:
 * in one firm 68 % intended to refer but 33 % did, in the other 81 % and 30 %,
 * and only 12-14 % of referrals generated new customers (figures as summarised
 * by The Financial Brand; secondary write-ups disagree on which firm had which
 * share). ::scrm_nps_referral holds the mergeable counts behind those three
 * stages (intend, refer, converting referral); scrm_nps_referral_finalize()
 * derives the statistics into a ::scrm_nps_referral_result.
 *
 * Counts: the 2x2 table of survey responses where both `intends_to_refer` and
 * `referred` are known, and the referrals whose `converted` is known.
 *
 * ::scrm_nps_referral is a plain-struct accumulator (no handle: its whole
 * state is these eight counts, which the caller may store, send or edit):
 * zero-initialise it (`= {0}`), fill it with scrm_nps_referral_add() /
 * scrm_nps_referral_add_conversions() or scrm_nps_referral_compute(), combine
 * parts with scrm_nps_referral_merge() (exact; self-merge doubles), and read
 * the statistics with scrm_nps_referral_finalize(), which does not modify it.
 * Every add and merge is atomic (nothing changes on failure) and allocates
 * nothing.
 */
typedef struct scrm_nps_referral {
    uint64_t intend_referred;        /**< Intends and referred. */
    uint64_t intend_not_referred;    /**< Intends, did not refer. */
    uint64_t referred_not_intend;    /**< Did not intend, referred. */
    uint64_t neither;                /**< Neither intends nor referred. */
    uint64_t incomplete;             /**< Responses skipped: intent or referral unknown. */
    uint64_t referrals;              /**< Referrals with known conversion. */
    uint64_t referrals_converted;    /**< Referrals that converted (<= referrals). */
    uint64_t referrals_unknown;      /**< Referrals skipped: conversion unknown. */
} scrm_nps_referral;

/**
 * @brief Statistics of a ::scrm_nps_referral (scrm_nps_referral_finalize()).
 *
 * A statistic whose denominator is zero is undefined: its value is 0 and its
 * `_valid` flag is 0; no field is ever NaN.
 */
typedef struct scrm_nps_referral_result {
    uint64_t n;                      /**< Responses in the 2x2 table (sum of its 4 cells). */
    double intend_share;             /**< P(intends) among the n responses. */
    double referred_share;           /**< P(referred) among the n responses. */
    double referred_given_intend;    /**< P(referred | intends). */
    double phi;                      /**< Phi coefficient (Pearson correlation of the two
                                          indicators): (ad - bc) / sqrt(r1 r0 c1 c0), in [-1, 1]. */
    double conversion_share;         /**< referrals_converted / referrals. */
    int32_t shares_valid;            /**< 1 if n > 0 (intend_share, referred_share defined). */
    int32_t referred_given_intend_valid; /**< 1 if someone intends. */
    int32_t phi_valid;               /**< 1 if every row and column total of the 2x2 table is > 0. */
    int32_t conversion_valid;        /**< 1 if referrals > 0. */
} scrm_nps_referral_result;

/**
 * @brief Add survey responses' intent and referral flags.
 *
 * Values are 1 (true), 0 (false) or -1 (unknown, as in dataset bool columns);
 * a row with either value unknown is counted in `incomplete` only. Atomic: on
 * failure @p acc is unchanged.
 * @param[in,out] acc      Accumulator.
 * @param[in]     intends  @p n intent flags; may be NULL when @p n is 0.
 * @param[in]     referred @p n referral flags; may be NULL when @p n is 0.
 * @param[in]     n        Number of rows.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL argument or a value other than -1, 0, 1 (the message
 *                     names the index and value).
 * @retval SCRM_ERANGE A count, or the sum of the 2x2 table, would exceed 2^64 - 1.
 * @note Thread-safety: modifies @p acc.
 */
SCRM_API int scrm_nps_referral_add(scrm_nps_referral *acc, const int8_t *intends,
                                   const int8_t *referred, size_t n);

/**
 * @brief Add referrals' conversion flags (1 converted, 0 not, -1 unknown).
 *
 * Atomic: on failure @p acc is unchanged.
 * @param[in,out] acc       Accumulator.
 * @param[in]     converted @p n flags; may be NULL when @p n is 0.
 * @param[in]     n         Number of referrals.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL argument or a value other than -1, 0, 1.
 * @retval SCRM_ERANGE A count would exceed 2^64 - 1.
 * @note Thread-safety: modifies @p acc.
 */
SCRM_API int scrm_nps_referral_add_conversions(scrm_nps_referral *acc, const int8_t *converted,
                                               size_t n);

/**
 * @brief Add @p other's counts to @p acc (exact).
 * @param[in,out] acc   Accumulator.
 * @param[in]     other Accumulator to add; may be @p acc (doubles the counts).
 * @retval SCRM_OK     Merged.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_ERANGE A count, or the sum of the 2x2 table, would exceed 2^64 - 1
 *                     (nothing is changed).
 * @note Thread-safety: modifies @p acc; @p other is only read.
 */
SCRM_API int scrm_nps_referral_merge(scrm_nps_referral *acc, const scrm_nps_referral *other);

/**
 * @brief The statistics of the counts in @p acc (which is not modified).
 * @param[in]  acc Accumulator (possibly edited by hand).
 * @param[out] out Statistics.
 * @retval SCRM_OK     Done (check the `_valid` flags).
 * @retval SCRM_EINVAL NULL argument, or referrals_converted > referrals.
 * @retval SCRM_ERANGE The four cells add up to more than 2^64 - 1.
 * @note Thread-safety: reentrant; @p acc is only read.
 */
SCRM_API int scrm_nps_referral_finalize(const scrm_nps_referral *acc,
                                        scrm_nps_referral_result *out);

/**
 * @brief The referral counts of a dataset: the survey table's
 *        `intends_to_refer` and `referred` columns and the referrals table's
 *        `converted` column (either table may be empty).
 * @param[in]  ds  Dataset.
 * @param[out] out Filled from scratch (previous contents are ignored);
 *                 unchanged on failure. Pass it to scrm_nps_referral_finalize().
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument, or a flag other than -1, 0, 1.
 * @note Thread-safety: read-only on @p ds.
 */
SCRM_API int scrm_nps_referral_compute(const scrm_dataset *ds, scrm_nps_referral *out);

/** @} */

/* ---- end section: nps ---- */

/* ---- section: engagement ---- */

/**
 * @defgroup engagement Social engagement (scrm_engagement)
 * @brief Engagement KPIs from social interactions: counts by kind, unique
 * engaged users ("people talking about this"), engagement rates, Kaushik's
 * conversation / amplification / applause rates, economic value, net
 * sentiment, share of voice and period-over-period growth.
 *
 * The handle is a mergeable accumulator. Its state is kept per UTC day:
 * integer counts, exact sums of reach, impressions and sentiment (a
 * superaccumulator, so sums do not depend on the order or the split of the
 * data), and a HyperLogLog sketch of the engaged users. Periods are built
 * from days when results are requested, so merging the accumulators of any
 * split of the data gives bit-for-bit the same state, serialized bytes and
 * results as one pass (unique-user counts included, since sketches merge by
 * register maximum). Computed over a dataset (scrm_engagement_compute()) unique
 * users are counted exactly.
 *
 * Unique-user error of the accumulator: users are keyed by XXH64 of their id
 * string (scrm_engagement_hash()), mixed, and inserted into dense HyperLogLog
 * sketches of 2^p one-byte registers per day; the estimate is Ertl's corrected
 * raw estimator (unbiased from 0 to beyond 10^9 distinct users, no empirical
 * bias tables or switch to linear counting). Its relative standard error is
 * about 1.04 / sqrt(2^p): 0.81 % at the default p = 14, 1.6 % at p = 12. The
 * tests check at most 2 % relative error at p = 14 for 1, 100, 10^4 and 10^6
 * distinct users, 0 for an empty sketch, and that the union of the sketches of
 * any split equals the sketch of the whole register by register.
 *
 * Row roles. A row is an *own* row or a *competitor* row (brand flag).
 * Own rows feed every metric; competitor rows feed only share of voice and
 * @ref scrm_engagement_result::competitor_counts, unless
 * ::SCRM_ENGAGEMENT_COMPETITORS_POOLED is chosen.
 *
 * Sources: Kaushik, "Best Social Media Metrics: Conversation, Amplification,
 * Applause, Economic Value", Occam's Razor, Oct 2011,
 * https://www.kaushik.net/avinash/best-social-media-metrics-conversation-amplification-applause-economic-value/ ;
 * engagement-rate variants: NapoleonCat (followers), Popsters (reach),
 * SocialTalk (impressions); Facebook Insights "People Talking About This";
 * HyperLogLog: Flajolet, Fusy, Gandouet & Meunier (2007), estimator of Ertl,
 * "New cardinality estimation algorithms for HyperLogLog sketches",
 * arXiv:1702.01284 (2017).
 *  @{ */

/** @brief Interaction kinds. Dataset `kind` strings map to them as listed. */
enum scrm_engagement_kind {
    SCRM_ENGAGEMENT_POST = 0,    /**< "post": a post published by the brand (denominator of the per-post rates). */
    SCRM_ENGAGEMENT_COMMENT = 1, /**< "comment" or "reply". */
    SCRM_ENGAGEMENT_SHARE = 2,   /**< "share", "retweet", "repost" or "reshare". */
    SCRM_ENGAGEMENT_LIKE = 3,    /**< "like", "reaction", "favorite", "favourite" or "applause". */
    SCRM_ENGAGEMENT_MENTION = 4, /**< "mention" or "tag". */
    SCRM_ENGAGEMENT_OTHER = 5    /**< Any other kind string (e.g. "save", "click"). */
};

/** Number of ::scrm_engagement_kind values. */
#define SCRM_ENGAGEMENT_KIND_COUNT 6

/** Bit of a kind in the kind masks of ::scrm_engagement_options. */
#define SCRM_ENGAGEMENT_BIT(kind) (1u << (kind))

/** @brief How competitor rows are used. */
enum scrm_engagement_competitors {
    /** Default: competitor rows count only in share of voice and
     *  @ref scrm_engagement_result::competitor_counts. */
    SCRM_ENGAGEMENT_COMPETITORS_SOV_ONLY = 0,
    /** Competitor rows also count as own rows in every metric (a market-wide
     *  view); share of voice still uses the brand flag. */
    SCRM_ENGAGEMENT_COMPETITORS_POOLED = 1
};

/** Current version of ::scrm_engagement_options. */
#define SCRM_ENGAGEMENT_OPTIONS_VERSION 1

/** Default ::scrm_engagement_options::engagement_kinds: likes, comments and shares. */
#define SCRM_ENGAGEMENT_DEFAULT_ENGAGEMENT_KINDS                                      \
    (SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_COMMENT) | SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_SHARE) | \
     SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_LIKE))

/** Default ::scrm_engagement_options::talking_kinds: likes, comments, shares and mentions. */
#define SCRM_ENGAGEMENT_DEFAULT_TALKING_KINDS \
    (SCRM_ENGAGEMENT_DEFAULT_ENGAGEMENT_KINDS | SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_MENTION))

/**
 * @brief Options of an engagement accumulator.
 *
 * Two accumulators merge only if all fields are equal (the own-brand string
 * by content).
 */
typedef struct scrm_engagement_options {
    unsigned int version; /**< Must be ::SCRM_ENGAGEMENT_OPTIONS_VERSION. */
    int32_t period;       /**< ::scrm_period of the per-period results (day, week, month, quarter or year); default ::SCRM_PERIOD_MONTH. */
    /** Kinds whose own rows are "engagements" E, the numerator of the engagement
     *  rates: a mask of SCRM_ENGAGEMENT_BIT(); default likes + comments + shares
     *  (::SCRM_ENGAGEMENT_DEFAULT_ENGAGEMENT_KINDS), the common definition
     *  (SocialTalk, NapoleonCat); the set used is reported back by this field. */
    uint32_t engagement_kinds;
    /** Kinds whose users count as engaged ("talking about" the brand), for the
     *  unique-user counts; default likes, comments, shares and mentions
     *  (::SCRM_ENGAGEMENT_DEFAULT_TALKING_KINDS), after Facebook's "People
     *  Talking About This" story types. Must not be 0. */
    uint32_t talking_kinds;
    /** Kinds counted as mentions for share of voice; default mentions only. Must not be 0. */
    uint32_t sov_kinds;
    int32_t competitors;   /**< ::scrm_engagement_competitors; default ::SCRM_ENGAGEMENT_COMPETITORS_SOV_ONLY. */
    int32_t hll_precision; /**< HyperLogLog precision p, 4..18 (2^p one-byte registers per day with engaged users); default 14: relative standard error 1.04/2^(p/2) = 0.81 %. */
    int32_t window_days;   /**< Length of the rolling "talking about" window in days, 1..366; default 7 (Facebook's definition). */
    /** Sentiment scores with |s| <= neutral_band are neutral, above positive,
     *  below negative; 0..1, default 0 (labels positive/neutral/negative map to
     *  1/0/-1 exactly). VADER users often choose 0.05 (Hutto & Gilbert 2014). */
    double neutral_band;
    /** Economic value of one own interaction of each kind (currency units),
     *  indexed by ::scrm_engagement_kind; finite. Default all 0: no published
     *  source gives defensible per-action values, so set them from your own
     *  conversion data (Kaushik's economic value is the revenue and cost
     *  savings that social activity brings; TrueSocialMetrics measures it as
     *  the goal value of sessions referred by each network). */
    double value[SCRM_ENGAGEMENT_KIND_COUNT];
    /** Own brand name for scrm_engagement_compute(): dataset rows whose `brand`
     *  is empty or equal to this (ASCII case-insensitive) are own rows, others
     *  competitor rows. NULL (default) = only empty brands are own. Copied by
     *  scrm_engagement_new(). */
    const char *own_brand;
} scrm_engagement_options;

/** Static initialiser with the defaults. */
#define SCRM_ENGAGEMENT_OPTIONS_INIT                                                       \
    { SCRM_ENGAGEMENT_OPTIONS_VERSION, SCRM_PERIOD_MONTH, SCRM_ENGAGEMENT_DEFAULT_ENGAGEMENT_KINDS, \
      SCRM_ENGAGEMENT_DEFAULT_TALKING_KINDS, SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_MENTION),            \
      SCRM_ENGAGEMENT_COMPETITORS_SOV_ONLY, 14, 7, 0.0, { 0, 0, 0, 0, 0, 0 }, NULL }

/** @brief Bits of ::scrm_engagement_result::valid: which derived figures are defined. */
enum scrm_engagement_valid {
    SCRM_ENGAGEMENT_VALID_ER_REACH = 1u << 0,        /**< @ref scrm_engagement_result::er_reach (reach > 0). */
    SCRM_ENGAGEMENT_VALID_ER_IMPRESSIONS = 1u << 1,  /**< @ref scrm_engagement_result::er_impressions (impressions > 0). */
    SCRM_ENGAGEMENT_VALID_ER_FOLLOWERS = 1u << 2,    /**< @ref scrm_engagement_result::er_followers (followers > 0). */
    SCRM_ENGAGEMENT_VALID_PER_POST = 1u << 3,        /**< Conversation, amplification and applause rates (posts > 0). */
    SCRM_ENGAGEMENT_VALID_ECONOMIC = 1u << 4,        /**< @ref scrm_engagement_result::economic_value (some value per action is non-zero). */
    SCRM_ENGAGEMENT_VALID_NSS = 1u << 5,             /**< @ref scrm_engagement_result::net_sentiment (positive + negative > 0). */
    SCRM_ENGAGEMENT_VALID_NSS_TOTAL = 1u << 6,       /**< @ref scrm_engagement_result::net_sentiment_total and mean_sentiment (a scored row). */
    SCRM_ENGAGEMENT_VALID_SOV = 1u << 7,             /**< @ref scrm_engagement_result::share_of_voice (own + competitor mentions > 0). */
    SCRM_ENGAGEMENT_VALID_FOLLOWERS = 1u << 8,       /**< @ref scrm_engagement_result::followers (a follower count at or before the end). */
    SCRM_ENGAGEMENT_VALID_GROWTH_ENGAGEMENTS = 1u << 9, /**< @ref scrm_engagement_result::growth_engagements. */
    SCRM_ENGAGEMENT_VALID_GROWTH_USERS = 1u << 10,   /**< @ref scrm_engagement_result::growth_unique_users. */
    SCRM_ENGAGEMENT_VALID_GROWTH_FOLLOWERS = 1u << 11, /**< @ref scrm_engagement_result::growth_followers. */
    SCRM_ENGAGEMENT_EXACT_USERS = 1u << 12           /**< Not a validity bit: unique-user counts are exact (compute over a dataset), not sketch estimates. */
};

/**
 * @brief Engagement figures for one period or for the whole range.
 *
 * Figures whose denominator is zero are not defined: their bit in @ref scrm_engagement_result::valid
 * is clear and the field holds NaN. Always test scrm_engagement_result::valid before using a
 * rate. Percentages are 0..100 scale; per-post rates are per post.
 */
typedef struct scrm_engagement_result {
    int64_t start;  /**< First second of the period (overall: of the first period with data); 0 when empty. */
    int64_t end;    /**< First second after the period (overall: after the last period with data); 0 when empty. */
    uint64_t rows;  /**< Own rows (interactions) counted. */
    uint64_t counts[SCRM_ENGAGEMENT_KIND_COUNT];            /**< Own rows by ::scrm_engagement_kind. */
    uint64_t competitor_counts[SCRM_ENGAGEMENT_KIND_COUNT]; /**< Competitor rows by kind (always by brand flag). */
    uint64_t engagements; /**< E: own rows whose kind is in ::scrm_engagement_options::engagement_kinds. */
    uint64_t positive;    /**< Own rows with sentiment > neutral_band. */
    uint64_t neutral;     /**< Own rows with |sentiment| <= neutral_band. */
    uint64_t negative;    /**< Own rows with sentiment < -neutral_band. */
    uint64_t unscored;    /**< Own rows without a sentiment score. */
    uint64_t own_mentions;        /**< Own-brand rows (brand flag) of a kind in sov_kinds. */
    uint64_t competitor_mentions; /**< Competitor rows of a kind in sov_kinds. */
    double reach;        /**< Sum of reach over own rows (exact sum, one rounding). */
    double impressions;  /**< Sum of impressions over own rows (exact sum). */
    /** Followers at the end: for each channel the latest follower count dated
     *  before @ref scrm_engagement_result::end (at or before the period's last second), summed over
     *  channels; channels with no count yet contribute nothing. */
    double followers;
    /** Distinct users with an own row of a talking kind in the period
     *  ("people talking about this" for the period). */
    double unique_users;
    /** Distinct users with an own row of a talking kind in the window of
     *  window_days days ending on the period's last day, or on the last day
     *  with data if that is earlier (Facebook's rolling 7-day PTAT by default). */
    double talking_window;
    double er_reach;       /**< Engagement rate by reach, E / reach * 100 (Popsters). */
    double er_impressions; /**< Engagement rate by impressions, E / impressions * 100 (SocialTalk). */
    double er_followers;   /**< Engagement rate by followers, E / followers * 100 (NapoleonCat), followers as in @ref scrm_engagement_result::followers. */
    double conversation_rate;  /**< Comments per post (Kaushik): counts[COMMENT] / counts[POST]. */
    double amplification_rate; /**< Shares per post (Kaushik): counts[SHARE] / counts[POST]. */
    double applause_rate;      /**< Likes per post (Kaushik): counts[LIKE] / counts[POST]. */
    double economic_value;     /**< Sum over kinds of counts[k] * value[k]. */
    double net_sentiment;       /**< Polar net sentiment (P - N) / (P + N) * 100, neutral excluded, -100..100. */
    double net_sentiment_total; /**< Net sentiment over all scored rows (P - N) / (P + N + U) * 100 (U = neutral), -100..100. */
    double mean_sentiment;      /**< Mean sentiment score of scored own rows, -1..1. */
    double share_of_voice;      /**< own_mentions / (own_mentions + competitor_mentions) * 100. */
    double growth_engagements;  /**< (E - E_prev) / E_prev * 100 against the previous calendar period (periods only). */
    double growth_unique_users; /**< Same for @ref scrm_engagement_result::unique_users. */
    double growth_followers;    /**< Same for @ref scrm_engagement_result::followers. */
    uint32_t valid; /**< ::scrm_engagement_valid bits of the defined figures. */
} scrm_engagement_result;

/** @brief One day of the daily "talking about" series (scrm_engagement_days()). */
typedef struct scrm_engagement_day {
    int64_t start;        /**< 00:00:00 UTC of the day. */
    uint64_t rows;        /**< Own rows on the day. */
    uint64_t engagements; /**< Engagements E on the day. */
    double unique_users;  /**< Distinct engaged users on the day. */
    double talking_window; /**< Distinct engaged users in the window_days days ending on this day. */
    uint32_t exact;       /**< 1 if the user counts are exact, 0 if sketch estimates. */
} scrm_engagement_day;

/** @brief Engagement accumulator and calculator (opaque). */
typedef struct scrm_engagement scrm_engagement;

/**
 * @brief Initialise engagement options with the defaults (::SCRM_ENGAGEMENT_OPTIONS_INIT).
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_ENGAGEMENT_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_engagement_options_init(scrm_engagement_options *opts, unsigned int version);

/**
 * @brief Create an empty engagement accumulator.
 * @param[out] out  New handle; NULL on failure. Free with scrm_engagement_free().
 * @param[in]  opts Options, or NULL for the defaults. Copied (own_brand too).
 * @retval SCRM_OK       Created.
 * @retval SCRM_EINVAL   @p out is NULL or an option is out of range (message names it).
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_engagement_new(scrm_engagement **out, const scrm_engagement_options *opts);

/**
 * @brief Release an accumulator. NULL is a no-op.
 * @param[in] e Handle or NULL.
 */
SCRM_API void scrm_engagement_free(scrm_engagement *e);

/**
 * @brief Copy the options of an accumulator (e.g. one made by scrm_engagement_deserialize()).
 * @param[in]  e    Handle.
 * @param[out] opts Receives the options.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Ownership: @c opts->own_brand points into @p e; valid until @p e is freed.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_engagement_get_options(const scrm_engagement *e, scrm_engagement_options *opts);

/**
 * @brief Forget all data; the options are kept.
 * @param[in,out] e Handle.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p e is NULL.
 * @note Thread-safety: modifies @p e.
 */
SCRM_API int scrm_engagement_reset(scrm_engagement *e);

/**
 * @brief The 64-bit user (or channel) key of a string: XXH64 with seed 0 of its bytes.
 *
 * Keys made by this function are what scrm_engagement_add() and
 * scrm_engagement_compute() use, so sketches built from strings, from keys
 * and from datasets merge consistently.
 * @param[in] str Bytes (need not be NUL-terminated); may be NULL if @p len is 0.
 * @param[in] len Number of bytes.
 * @return The key (XXH64, https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md).
 * @note Thread-safety: reentrant.
 */
SCRM_API uint64_t scrm_engagement_hash(const char *str, size_t len);

/**
 * @brief Add @p n interactions with users given as strings.
 *
 * Equivalent to scrm_engagement_add_keys() with keys from
 * scrm_engagement_hash() of each user string. All rows are validated before
 * any is added: on failure nothing is added.
 * @param[in,out] e           Handle.
 * @param[in]     times       Times, seconds since the epoch (years 0001..9999).
 * @param[in]     users       User ids, NUL-terminated UTF-8 strings (not NULL).
 * @param[in]     kinds       ::scrm_engagement_kind values.
 * @param[in]     reach       Reach per row, finite and >= 0 (0 if unknown); NULL = all 0.
 * @param[in]     impressions Impressions per row, finite and >= 0; NULL = all 0.
 * @param[in]     sentiment   Sentiment scores in -1..1, NaN = not scored; NULL = none scored.
 * @param[in]     competitor  1 = competitor row, 0 = own row; NULL = all own.
 * @param[in]     n           Number of rows; the arrays may be NULL when it is 0.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL handle or required array, NULL user, unknown kind, reach or
 *                     impressions negative, NaN or infinite, sentiment outside -1..1,
 *                     competitor flag not 0/1 (the message names the row and value).
 * @retval SCRM_ERANGE A time outside years 0001..9999.
 * @retval SCRM_ENOMEM Out of memory (nothing added).
 * @note Ownership: arrays are read during the call only.
 * @note Thread-safety: modifies @p e.
 */
SCRM_API int scrm_engagement_add(scrm_engagement *e, const int64_t *times,
                                 const char *const *users, const int32_t *kinds,
                                 const double *reach, const double *impressions,
                                 const double *sentiment, const int8_t *competitor, size_t n);

/**
 * @brief Add @p n interactions with users given as 64-bit keys.
 *
 * Any 64-bit key works (distinct users need distinct keys; integer ids are
 * fine, keys are mixed before they reach the sketch); use
 * scrm_engagement_hash() of the user string to merge with accumulators fed
 * by strings or datasets. Arguments and validation as scrm_engagement_add().
 * @param[in,out] e           Handle.
 * @param[in]     times       Times, seconds since the epoch.
 * @param[in]     user_keys   User keys.
 * @param[in]     kinds       ::scrm_engagement_kind values.
 * @param[in]     reach       Reach per row or NULL.
 * @param[in]     impressions Impressions per row or NULL.
 * @param[in]     sentiment   Sentiment per row (NaN = not scored) or NULL.
 * @param[in]     competitor  Competitor flags (0/1) or NULL.
 * @param[in]     n           Number of rows.
 * @return As scrm_engagement_add().
 * @note Ownership: arrays are read during the call only.
 * @note Thread-safety: modifies @p e.
 */
SCRM_API int scrm_engagement_add_keys(scrm_engagement *e, const int64_t *times,
                                      const uint64_t *user_keys, const int32_t *kinds,
                                      const double *reach, const double *impressions,
                                      const double *sentiment, const int8_t *competitor,
                                      size_t n);

/**
 * @brief Add @p n follower counts (audience snapshots).
 *
 * For each channel and UTC day only the latest snapshot is kept (ties on the
 * time: the larger count), which is all the per-period follower figures need.
 * @param[in,out] e         Handle.
 * @param[in]     times     Snapshot times, seconds since the epoch.
 * @param[in]     channels  Channel names (NUL-terminated; NULL entry = unnamed channel ""),
 *                          or NULL: all rows belong to the unnamed channel.
 * @param[in]     followers Follower counts, finite and >= 0.
 * @param[in]     n         Number of rows.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL handle or array, bad follower count (row named).
 * @retval SCRM_ERANGE A time outside years 0001..9999.
 * @retval SCRM_ENOMEM Out of memory (nothing added).
 * @note Thread-safety: modifies @p e.
 */
SCRM_API int scrm_engagement_add_followers(scrm_engagement *e, const int64_t *times,
                                           const char *const *channels,
                                           const double *followers, size_t n);

/**
 * @brief Merge another accumulator into @p e (exact: counts, sums and sketches).
 * @param[in,out] e     Destination.
 * @param[in]     other Source (unchanged); may be @p e itself (no-op on the data).
 * @retval SCRM_OK     Merged.
 * @retval SCRM_EINVAL NULL argument or different options.
 * @retval SCRM_ENOMEM Out of memory (@p e unchanged).
 * @note Thread-safety: modifies @p e; @p other must not be modified concurrently.
 */
SCRM_API int scrm_engagement_merge(scrm_engagement *e, const scrm_engagement *other);

/**
 * @brief Serialize the accumulator state (options included) into a versioned,
 * endian-independent byte string with a CRC-32.
 *
 * Equal states give equal bytes (days, sums and snapshots are stored in
 * canonical form). The exact unique-user counts of scrm_engagement_compute()
 * are not part of the state; a deserialized accumulator reports sketch estimates.
 * @param[in]  e       Handle.
 * @param[out] buf     Destination, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Size of @p buf.
 * @param[out] out_len Bytes written, or needed when ::SCRM_EBUFS.
 * @retval SCRM_OK     Written.
 * @retval SCRM_EBUFS  @p cap too small; @p out_len has the size needed.
 * @retval SCRM_EINVAL NULL @p e or @p out_len.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_engagement_serialize(const scrm_engagement *e, uint8_t *buf, size_t cap,
                                       size_t *out_len);

/**
 * @brief Recreate an accumulator from scrm_engagement_serialize() bytes.
 * @param[out] out New handle; NULL on failure. Free with scrm_engagement_free().
 * @param[in]  buf Bytes.
 * @param[in]  len Number of bytes.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   NULL argument.
 * @retval SCRM_ECORRUPT Truncated, altered or inconsistent bytes (never a crash).
 * @retval SCRM_EVERSION Format version newer than this library.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_engagement_deserialize(scrm_engagement **out, const uint8_t *buf, size_t len);

/**
 * @brief Overall figures over everything added.
 *
 * The range runs from the start of the first period with an interaction to
 * the end of the last one; an empty accumulator gives all zeros and no valid
 * bits. Growth figures are never set in the overall result.
 * @param[in]  e   Handle.
 * @param[out] out Result.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_ERANGE A sum overflows a double.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_engagement_finalize(const scrm_engagement *e, scrm_engagement_result *out);

/**
 * @brief Per-period figures, one entry per calendar period from the first to
 * the last period with an interaction (empty periods between included), in
 * time order; growth is against the preceding entry.
 * @param[in]  e       Handle.
 * @param[out] out     Array of @p cap results, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Entries available.
 * @param[out] out_len Entries written, or needed when ::SCRM_EBUFS.
 * @retval SCRM_OK     Done (0 entries for an empty accumulator).
 * @retval SCRM_EBUFS  @p cap too small; @p out_len has the count needed.
 * @retval SCRM_EINVAL NULL @p e or @p out_len, or NULL @p out with @p cap > 0.
 * @retval SCRM_ERANGE A sum overflows a double.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Ownership: caller-owned buffer.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_engagement_periods(const scrm_engagement *e, scrm_engagement_result *out,
                                     size_t cap, size_t *out_len);

/**
 * @brief Daily series: one entry per UTC day from the first to the last day
 * with an interaction, with the day's distinct engaged users and the rolling
 * window count ("people talking about this" over window_days days ending on it).
 * @param[in]  e       Handle.
 * @param[out] out     Array of @p cap entries, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Entries available.
 * @param[out] out_len Entries written, or needed when ::SCRM_EBUFS.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap too small; @p out_len has the count needed.
 * @retval SCRM_EINVAL NULL @p e or @p out_len, or NULL @p out with @p cap > 0.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Ownership: caller-owned buffer.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_engagement_days(const scrm_engagement *e, scrm_engagement_day *out,
                                  size_t cap, size_t *out_len);

/**
 * @brief Reset, add a dataset's social interactions and audience, finalize.
 *
 * Social table: `time`, `user`, `kind` (mapped as in ::scrm_engagement_kind),
 * `brand` (empty or own_brand = own row), `reach` and `impressions` (missing =
 * 0), `sentiment` (missing = not scored). Audience table: `time`, `channel`,
 * `followers`. Users and channels are keyed with scrm_engagement_hash() of
 * their strings, so the accumulator left in @p e merges with others. Unique
 * users are also counted exactly from the interned ids; the results of this
 * handle (finalize, periods, days) report the exact counts
 * (::SCRM_ENGAGEMENT_EXACT_USERS) until it is next modified.
 * @param[in,out] e   Handle.
 * @param[in]     ds  Dataset (read only; may be freed afterwards).
 * @param[out]    out Overall result, as scrm_engagement_finalize().
 * @retval SCRM_OK     Done (an empty social table gives an empty result).
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_ERANGE A sum overflows a double.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: modifies @p e; @p ds is only read.
 */
SCRM_API int scrm_engagement_compute(scrm_engagement *e, const scrm_dataset *ds,
                                     scrm_engagement_result *out);

/** @} */

/* ---- end section: engagement ---- */

/* ---- section: service ---- */

/* ===================================================================== */
/** @defgroup service Social customer service, cost savings and staffing
 *  Service tickets: volume, response rate, backlog, time to answer and to
 *  resolution, SLA attainment (overall and grouped); cost savings of social
 *  customer service; Erlang C staffing.
 *  @{ */
/* ===================================================================== */

/**
 * @brief Service-metrics calculator and mergeable accumulator.
 *
 * Feed it tickets with scrm_service_add() (or a whole dataset with
 * scrm_service_compute()), merge accumulators of disjoint parts with
 * scrm_service_merge(), ship state between processes with
 * scrm_service_serialize() / scrm_service_deserialize(), and read the
 * results with scrm_service_finalize() (overall) and scrm_service_groups()
 * (one entry per channel, agent, team or period).
 *
 * Counts, sums, minima and maxima merge exactly: the accumulator of any split
 * of the tickets, merged, finalizes to the same result as one pass, bit for
 * bit. Durations are whole seconds (differences of ::SCRM_TICKETS_CREATED and
 * the response/resolution times), so their sums are kept as exact integers;
 * handle times are summed exactly as well (an exact long accumulator, rounded
 * once when read).
 */
typedef struct scrm_service scrm_service;

/** Most SLA targets per kind (first response, resolution). */
#define SCRM_SERVICE_MAX_TARGETS 4

/** @brief How scrm_service_groups() splits the tickets. */
enum scrm_service_group {
    SCRM_SERVICE_GROUP_NONE = 0,    /**< No grouping: one group, key 0, equal to the overall result. */
    SCRM_SERVICE_GROUP_CHANNEL = 1, /**< By ::SCRM_TICKETS_CHANNEL (key = interned string id; 0 = missing). */
    SCRM_SERVICE_GROUP_AGENT = 2,   /**< By ::SCRM_TICKETS_AGENT (key = interned string id; 0 = missing). */
    SCRM_SERVICE_GROUP_TEAM = 3,    /**< By ::SCRM_TICKETS_TEAM (key = interned string id; 0 = missing). */
    SCRM_SERVICE_GROUP_PERIOD = 4   /**< By calendar period of the creation time (key = period start, seconds). */
};

/** Current version of ::scrm_service_options. */
#define SCRM_SERVICE_OPTIONS_VERSION 1

/**
 * @brief Options of a ::scrm_service calculator.
 *
 * Default SLA targets: first response within 1 hour, after the Lithium /
 * Millward Brown Digital study (press release, 29 Oct 2013): 53 % of people who
 * expect a brand to answer their tweet want it within the hour, 72 % for
 * complaints, https://www.lithium.com/company/news-room/press-releases/2013/consumers-will-punish-brands-that-fail-to-respond-on-twitter-quickly ;
 * resolution within 24 hours (HubSpot: 79 % of customers expect a response to
 * their social media posts within 24 hours,
 * https://blog.hubspot.com/service/social-media-response-time). Both are
 * starting points; set the targets your service promises.
 */
typedef struct scrm_service_options {
    unsigned int version;          /**< Must be ::SCRM_SERVICE_OPTIONS_VERSION. */
    uint32_t n_response_targets;   /**< Entries used in ::scrm_service_options::response_targets (0..::SCRM_SERVICE_MAX_TARGETS); default 1. */
    double response_targets[SCRM_SERVICE_MAX_TARGETS];   /**< First-response SLA targets in seconds (finite, >= 0); default {3600}. */
    uint32_t n_resolution_targets; /**< Entries used in ::scrm_service_options::resolution_targets (0..::SCRM_SERVICE_MAX_TARGETS); default 1. */
    double resolution_targets[SCRM_SERVICE_MAX_TARGETS]; /**< Resolution SLA targets in seconds (finite, >= 0); default {86400}. */
    int32_t group_by;              /**< ::scrm_service_group; default ::SCRM_SERVICE_GROUP_NONE. */
    int32_t period;                /**< ::scrm_period used with ::SCRM_SERVICE_GROUP_PERIOD (ignored otherwise); default ::SCRM_PERIOD_MONTH. */
    int64_t now;                   /**< Time at which the backlog is measured (seconds since the epoch), or ::SCRM_TIME_NONE (default) for "end of data": the latest created, first-response or resolved time seen. */
} scrm_service_options;

/** Static initialiser with the defaults. */
#define SCRM_SERVICE_OPTIONS_INIT                                                        \
    { SCRM_SERVICE_OPTIONS_VERSION, 1, { 3600.0, 0.0, 0.0, 0.0 }, 1,                     \
      { 86400.0, 0.0, 0.0, 0.0 }, SCRM_SERVICE_GROUP_NONE, SCRM_PERIOD_MONTH, SCRM_TIME_NONE }

/**
 * @brief Initialise service options with the defaults (see ::scrm_service_options).
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_SERVICE_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_service_options_init(scrm_service_options *opts, unsigned int version);

/**
 * @brief Distribution of one duration (time to answer or time to resolution), in seconds.
 *
 * Only tickets that have the end event count: unanswered (unresolved) tickets
 * are never counted as zero durations; they appear in
 * ::scrm_service_stats::unanswered (::scrm_service_stats::unresolved) instead.
 * Quantiles use the linear interpolation between order statistics of
 * Hyndman & Fan (1996) definition 7 (the default of R and NumPy):
 * with the sorted durations x_0 <= ... <= x_{n-1} and h = (n - 1) p,
 * Q(p) = x_floor(h) + (h - floor(h)) (x_ceil(h) - x_floor(h)).
 * From scrm_service_compute() they are exact. From an accumulator
 * (scrm_service_finalize() after scrm_service_add(), merge or deserialize)
 * each order statistic is read from a log-bucket histogram: values below 128 s
 * are exact, larger ones are known to a relative error of at most 2^-7 (0.78 %),
 * and so is Q(p) (a convex combination of such values);
 * ::scrm_service_result::quantiles_exact says which. Mean, minimum and maximum are always exact.
 * All fields but ::scrm_service_durations::n are NaN when it is 0.
 */
typedef struct scrm_service_durations {
    uint64_t n;     /**< Tickets with this duration (answered, or resolved). */
    double mean;    /**< Mean duration (exact sum / n, rounded once). */
    double min;     /**< Shortest duration. */
    double median;  /**< Q(0.5). */
    double p90;     /**< Q(0.9). */
    double p95;     /**< Q(0.95). */
    double max;     /**< Longest duration. */
} scrm_service_durations;

/**
 * @brief Service metrics of one group of tickets (or of all of them).
 *
 * SLA attainment counts a ticket as meeting target T when its duration is at
 * most T seconds. Tickets without a first response (resolution) count as
 * misses: the denominator of ::scrm_service_stats::response_sla and
 * ::scrm_service_stats::resolution_sla is ::scrm_service_stats::volume, all
 * tickets of the group, so they read "share of all tickets answered
 * (resolved) within T". The attainment among answered tickets only is
 * ::scrm_service_stats::response_sla_met / answer.n.
 */
typedef struct scrm_service_stats {
    int64_t key;              /**< Group key: interned string id (channel, agent, team; 0 = missing), period start, or 0 for no grouping / the overall result. */
    uint64_t volume;          /**< Tickets created. */
    uint64_t responded;       /**< Tickets with a first response. */
    uint64_t unanswered;      /**< Tickets without a first response (volume - responded). */
    uint64_t resolved;        /**< Tickets with a resolution time. */
    uint64_t unresolved;      /**< Tickets without a resolution time (volume - resolved). */
    double response_rate;     /**< responded / volume ("inbox zero" is 1). */
    double resolution_rate;   /**< resolved / volume. */
    uint64_t backlog;         /**< Open tickets at ::scrm_service_result::now: created at or before it and not resolved by it (with "end of data": all unresolved tickets). */
    double backlog_mean_age;  /**< Mean age of the open tickets at now, seconds (NaN when backlog is 0). */
    double backlog_max_age;   /**< Age of the oldest open ticket at now, seconds (NaN when backlog is 0). */
    scrm_service_durations answer;     /**< Time to first response (first_response - created). */
    scrm_service_durations resolution; /**< Time to resolution (resolved - created). */
    uint64_t response_sla_met[SCRM_SERVICE_MAX_TARGETS];   /**< Tickets answered within each response target. */
    double response_sla[SCRM_SERVICE_MAX_TARGETS];         /**< response_sla_met / volume (unanswered = missed); 0 for unused targets. */
    uint64_t resolution_sla_met[SCRM_SERVICE_MAX_TARGETS]; /**< Tickets resolved within each resolution target. */
    double resolution_sla[SCRM_SERVICE_MAX_TARGETS];       /**< resolution_sla_met / volume (unresolved = missed); 0 for unused targets. */
    uint64_t handled;         /**< Tickets with a handle time. */
    double handle_time_total; /**< Sum of handle times, seconds (exact sum rounded once). */
    double handle_time_mean;  /**< handle_time_total / handled (NaN when handled is 0): the average handle time (AHT) for staffing. */
} scrm_service_stats;

/** @brief Result of scrm_service_finalize() and scrm_service_compute(). */
typedef struct scrm_service_result {
    scrm_service_stats overall; /**< All tickets (key 0). */
    int64_t now;                /**< Time the backlog was measured at (the option, or the latest time in the data). */
    uint64_t n_groups;          /**< Number of groups scrm_service_groups() returns. */
    int32_t group_by;           /**< ::scrm_service_group used. */
    int32_t period;             /**< ::scrm_period used with ::SCRM_SERVICE_GROUP_PERIOD, else 0. */
    int32_t quantiles_exact;    /**< 1 when quantiles are exact (scrm_service_compute()), 0 when read from the histogram. */
    uint32_t n_response_targets;   /**< Targets in use, as in the options. */
    double response_targets[SCRM_SERVICE_MAX_TARGETS];   /**< The response targets, seconds (unused = 0). */
    uint32_t n_resolution_targets; /**< Targets in use, as in the options. */
    double resolution_targets[SCRM_SERVICE_MAX_TARGETS]; /**< The resolution targets, seconds (unused = 0). */
} scrm_service_result;

/**
 * @brief Create an empty service calculator.
 * @param[out] out  New calculator; NULL on failure. Free with scrm_service_free().
 * @param[in]  opts Options, or NULL for the defaults.
 * @retval SCRM_OK       Created.
 * @retval SCRM_EINVAL   @p out is NULL, or an option is out of range (the message names it).
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: the options are copied.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_service_new(scrm_service **out, const scrm_service_options *opts);

/**
 * @brief Release a service calculator. NULL is a no-op.
 * @param[in] s Calculator or NULL.
 */
SCRM_API void scrm_service_free(scrm_service *s);

/**
 * @brief Forget all tickets added so far (the options stay).
 *
 * Also clears the failed state left by an ::SCRM_ENOMEM during add or merge.
 * @param[in,out] s Calculator.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p s is NULL.
 * @note Thread-safety: modifies @p s.
 */
SCRM_API int scrm_service_reset(scrm_service *s);

/**
 * @brief Add @p n tickets from columns.
 *
 * The tickets are validated first; if any is bad nothing is added.
 * @param[in,out] s              Calculator.
 * @param[in]     n              Number of tickets (0 is allowed).
 * @param[in]     created        Creation times, seconds since the epoch (required,
 *                               never ::SCRM_TIME_NONE).
 * @param[in]     first_response First-response times (::SCRM_TIME_NONE = unanswered),
 *                               or NULL when no ticket was answered.
 * @param[in]     resolved       Resolution times (::SCRM_TIME_NONE = unresolved), or NULL.
 * @param[in]     handle_time    Agent handle times in seconds (finite, >= 0; NaN = unknown),
 *                               or NULL.
 * @param[in]     keys           Group keys, interned string ids of the column named by
 *                               the grouping (channel, agent or team ids): required
 *                               with those groupings, ignored (may be NULL) otherwise.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL @p s is NULL, a needed array is NULL (with @p n > 0), or a bad
 *                     ticket: missing creation time, a time outside years 0001..9999,
 *                     first response or resolution before creation, negative, infinite
 *                     handle time. The message names the row (0-based) and the values.
 * @retval SCRM_ESTATE An earlier ::SCRM_ENOMEM left @p s failed; reset it.
 * @retval SCRM_ENOMEM Out of memory: @p s is left failed (::SCRM_ESTATE until reset).
 * @note Ownership: the arrays are only read during the call.
 * @note Thread-safety: modifies @p s.
 */
SCRM_API int scrm_service_add(scrm_service *s, size_t n, const int64_t *created,
                              const int64_t *first_response, const int64_t *resolved,
                              const double *handle_time, const uint32_t *keys);

/**
 * @brief Merge the tickets of @p other into @p s.
 *
 * Both must have equal options. Groups with equal keys are combined; string
 * ids are only comparable between accumulators fed from the same dataset (or
 * datasets whose strings were interned in the same order).
 * @param[in,out] s     Accumulator receiving the tickets.
 * @param[in]     other Accumulator to merge; unchanged; must not be @p s.
 * @retval SCRM_OK     Merged.
 * @retval SCRM_EINVAL NULL argument, @p other == @p s, or different options.
 * @retval SCRM_ESTATE @p s or @p other is failed (see scrm_service_add()).
 * @retval SCRM_ENOMEM Out of memory: @p s is left failed.
 * @note Thread-safety: modifies @p s; reads @p other.
 */
SCRM_API int scrm_service_merge(scrm_service *s, const scrm_service *other);

/**
 * @brief Serialize the accumulator state (options included) into a byte string.
 *
 * Versioned, little-endian, checksummed (the library's common envelope).
 * Equal states give equal bytes, whatever order the tickets were added or
 * merged in. Exact quantiles from scrm_service_compute() are not stored: a
 * deserialized accumulator reports histogram quantiles.
 * @param[in]  s       Calculator.
 * @param[out] buf     Destination, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Size of @p buf in bytes.
 * @param[out] out_len Bytes written, or needed when ::SCRM_EBUFS is returned.
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL @p s or @p out_len is NULL.
 * @retval SCRM_EBUFS  @p cap too small; @p out_len holds the size needed.
 * @retval SCRM_ESTATE @p s is failed.
 * @note Thread-safety: read-only on @p s.
 */
SCRM_API int scrm_service_serialize(const scrm_service *s, uint8_t *buf, size_t cap,
                                    size_t *out_len);

/**
 * @brief Recreate an accumulator from scrm_service_serialize() bytes.
 * @param[out] out New calculator; NULL on failure. Free with scrm_service_free().
 * @param[in]  buf Bytes.
 * @param[in]  len Number of bytes.
 * @retval SCRM_OK       Restored.
 * @retval SCRM_EINVAL   NULL argument.
 * @retval SCRM_ECORRUPT Truncated, corrupted or inconsistent bytes.
 * @retval SCRM_EVERSION Format version newer than this library.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_service_deserialize(scrm_service **out, const uint8_t *buf, size_t len);

/**
 * @brief Overall service metrics of the tickets added so far.
 * @param[in]  s   Calculator.
 * @param[out] out Result (zero-filled, with the options echoed, on ::SCRM_ENODATA).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_ENODATA No tickets were added.
 * @retval SCRM_ESTATE @p s is failed.
 * @retval SCRM_ENOMEM Out of memory (merging the group histograms).
 * @note Thread-safety: read-only on @p s.
 */
SCRM_API int scrm_service_finalize(const scrm_service *s, scrm_service_result *out);

/**
 * @brief Service metrics per group, ordered by key.
 *
 * With ::SCRM_SERVICE_GROUP_NONE there is one group (key 0). Keys are
 * interned string ids (resolve them with scrm_dataset_string()) or period
 * starts (seconds since the epoch, see scrm_period_start()).
 * @param[in]  s       Calculator.
 * @param[out] out     Array of @p cap entries, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len Number of groups (written or needed).
 * @retval SCRM_OK     Written (0 groups when no tickets were added).
 * @retval SCRM_EINVAL @p s or @p out_len is NULL, or @p out is NULL with @p cap > 0.
 * @retval SCRM_EBUFS  @p cap is smaller than the number of groups (in @p out_len).
 * @retval SCRM_ESTATE @p s is failed.
 * @note Ownership: caller-owned buffer.
 * @note Thread-safety: read-only on @p s.
 */
SCRM_API int scrm_service_groups(const scrm_service *s, scrm_service_stats *out, size_t cap,
                                 size_t *out_len);

/**
 * @brief Reset, add the dataset's tickets table, and finalize, with exact quantiles.
 *
 * Grouping keys come from ::SCRM_TICKETS_CHANNEL, ::SCRM_TICKETS_AGENT or
 * ::SCRM_TICKETS_TEAM as the options say. Afterwards scrm_service_groups()
 * also reports exact quantiles, until the next add, merge or reset. The exact
 * quantiles cost one more pass over the table and memory for the durations
 * that fall in the histogram buckets holding the wanted order statistics
 * (usually a small share of the tickets).
 * @param[in,out] s   Calculator (its previous tickets are discarded).
 * @param[in]     ds  Dataset; its tickets table may be empty.
 * @param[out]    out Overall result.
 * @retval SCRM_OK      Done.
 * @retval SCRM_EINVAL  NULL argument or a bad ticket (the message names the row).
 * @retval SCRM_ENODATA The tickets table is empty.
 * @retval SCRM_ENOMEM  Out of memory; @p s may be left failed (see
 *                      scrm_service_add()); computing again or a reset recovers.
 * @note Ownership: nothing of @p ds is kept.
 * @note Thread-safety: modifies @p s; reads @p ds.
 */
SCRM_API int scrm_service_compute(scrm_service *s, const scrm_dataset *ds,
                                  scrm_service_result *out);

/* ---- cost savings ---- */

/** Current version of ::scrm_service_savings_options. */
#define SCRM_SERVICE_SAVINGS_OPTIONS_VERSION 1

/**
 * @brief Cost assumptions of the social customer-service savings model.
 *
 * The defaults are published industry figures; they disagree between sources
 * and years by a factor of about 3, so treat them as illustrations and set
 * your own. Costs are per contact in currency units (US dollars in the sources):
 * - phone 5.25, email 4.42, web chat 3.82: ContactBabel, "US Contact Center
 *   HR & Operational Benchmarking Report" (2017), as reported in "The Shifting
 *   Costs of Customer Contacts", http://incent.info/the-shifting-costs-of-customer-contacts-121412.html
 *   (2015: 6.69, 4.14, 3.64);
 * - social 1.00: HelpSocial, "Should social customer care be in the contact
 *   center? A cost/benefit analysis" (vendor white paper): "a social media
 *   conversation is usually less than $1 per conversation, compared to a voice
 *   call where it averages around $6";
 * - where deflected contacts would otherwise have gone (mix): phone 0.40, email
 *   0.17, chat 0.15: ClickFox (2011) on what customers do after a failed social
 *   interaction (the other 25 % visit the web site and 2 % a branch, taken as
 *   costing nothing here), via
 *   http://siliconangle.com/blog/2011/07/20/failed-social-media-customer-support-will-cost-you ;
 * - agent hourly cost 15.53: US BLS median hourly wage of customer service
 *   representatives, May 2016 (wage only: add benefits and overhead for a
 *   loaded rate), https://www.bls.gov/ooh/office-and-administrative-support/customer-service-representatives.htm ;
 * - deflection rate 1 (every resolved social contact would otherwise have used
 *   the mix above) and indirect deflection 0 (illustrative: calibrate them).
 */
typedef struct scrm_service_savings_options {
    unsigned int version;            /**< Must be ::SCRM_SERVICE_SAVINGS_OPTIONS_VERSION. */
    double cost_phone;               /**< Cost per inbound phone call; default 5.25. */
    double cost_email;               /**< Cost per email; default 4.42. */
    double cost_chat;                /**< Cost per web chat session; default 3.82. */
    double cost_social;              /**< Cost per social contact, used for social contacts without a handle time; default 1.00. */
    double mix_phone;                /**< Share of deflected contacts that would have called (0..1); default 0.40. */
    double mix_email;                /**< Share that would have emailed (0..1); default 0.17. */
    double mix_chat;                 /**< Share that would have chatted (0..1); default 0.15. The three shares sum to at most 1; the rest costs nothing. */
    double deflection_rate;          /**< Direct deflection: contacts avoided per resolved social contact (0..1); default 1. */
    double indirect_deflection_rate; /**< Indirect deflection: contacts avoided per answered social contact, e.g. readers of public answers (>= 0); default 0. */
    double agent_hourly_cost;        /**< Cost of one agent hour on social contacts; default 15.53. */
    const char *social_channels;     /**< scrm_service_savings_compute(): comma-separated channel names counted as social (case-insensitive, blanks trimmed), or NULL for the built-in list "social,twitter,x,facebook,instagram,linkedin,youtube,tiktok,pinterest,reddit,messenger,whatsapp,wechat,line,telegram,community,forum". */
    const char *cost_category;       /**< scrm_service_savings_compute(): sum only program costs of this category (case-insensitive), or NULL for all rows of the costs table. */
} scrm_service_savings_options;

/** Static initialiser with the defaults. */
#define SCRM_SERVICE_SAVINGS_OPTIONS_INIT                                               \
    { SCRM_SERVICE_SAVINGS_OPTIONS_VERSION, 5.25, 4.42, 3.82, 1.00, 0.40, 0.17, 0.15,    \
      1.0, 0.0, 15.53, NULL, NULL }

/**
 * @brief Initialise savings options with the defaults (see ::scrm_service_savings_options).
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_SERVICE_SAVINGS_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_service_savings_options_init(scrm_service_savings_options *opts,
                                               unsigned int version);

/** @brief Volumes the savings are computed from (counts may be fractional, e.g. forecasts). */
typedef struct scrm_service_savings_inputs {
    double social_contacts;       /**< Contacts handled on social channels. */
    double social_answered;       /**< Of those, answered (base of indirect deflection). */
    double social_resolved;       /**< Of those, resolved on social (base of direct deflection). */
    double social_handled;        /**< Of those, contacts with a recorded handle time. */
    double social_handle_seconds; /**< Total handle time of the social_handled contacts, seconds. */
    double program_cost;          /**< Cost of the social service program (platform, tools, staff not in handle time, ...). */
} scrm_service_savings_inputs;

/**
 * @brief Cost savings, with every component, so a report can show where each number comes from.
 *
 * Model (after Petouhoff, "The ROI of Online Customer Service Communities",
 * Forrester Research, 2009: direct and indirect call deflection, minus costs):
 * - avoided_cost_per_contact = mix_phone cost_phone + mix_email cost_email + mix_chat cost_chat
 * - deflected_direct = social_resolved deflection_rate;
 *   deflected_indirect = social_answered indirect_deflection_rate
 * - avoided_cost = (deflected_direct + deflected_indirect) avoided_cost_per_contact
 * - agent_cost = social_handle_seconds / 3600 agent_hourly_cost
 *   + (social_contacts - social_handled) cost_social
 * - gross_savings = avoided_cost - agent_cost; net_savings = gross_savings - program_cost.
 */
typedef struct scrm_service_savings_result {
    scrm_service_savings_inputs inputs; /**< The volumes used (from the dataset for scrm_service_savings_compute()). */
    double avoided_cost_per_contact;    /**< Mix-weighted cost of the contact that would otherwise have happened. */
    double deflected_direct;            /**< Contacts avoided directly. */
    double deflected_indirect;          /**< Contacts avoided indirectly. */
    double deflected;                   /**< deflected_direct + deflected_indirect. */
    double avoided_cost;                /**< Cost of the avoided contacts. */
    double agent_hours;                 /**< Agent hours on social contacts with a handle time. */
    double agent_cost_measured;         /**< agent_hours agent_hourly_cost. */
    double agent_cost_estimated;        /**< Contacts without handle time at cost_social each. */
    double agent_cost;                  /**< agent_cost_measured + agent_cost_estimated. */
    double cost_per_social_contact;     /**< agent_cost / social_contacts (0 without contacts). */
    double gross_savings;               /**< avoided_cost - agent_cost. */
    double program_cost;                /**< Program cost (from the inputs). */
    double net_savings;                 /**< gross_savings - program_cost (negative: the program costs more than it saves). */
} scrm_service_savings_result;

/**
 * @brief Cost savings of social customer service from given volumes.
 *
 * Works with volumes from any source, e.g. summed from the channel groups of
 * a ::scrm_service accumulator. Golden example (Petouhoff line items): 10,000
 * questions answered, 4,000 resolved by the community, direct rate 0.6,
 * indirect rate 0.2, 6.00 per call (mix phone 1) give 2,400 + 2,000 contacts
 * avoided and 26,400 saved.
 * @param[in]  in   Volumes (finite, >= 0; social_answered, social_resolved and
 *                  social_handled at most social_contacts).
 * @param[in]  opts Options or NULL for the defaults.
 * @param[out] out  Result.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   NULL argument, or a volume/option out of range (named).
 * @retval SCRM_EVERSION Unknown options version.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_service_savings(const scrm_service_savings_inputs *in,
                                  const scrm_service_savings_options *opts,
                                  scrm_service_savings_result *out);

/**
 * @brief Cost savings of social customer service from a dataset.
 *
 * Volumes come from the tickets whose channel is one of the social channels
 * (::scrm_service_savings_options::social_channels): all of them, those with a
 * first response, those resolved, and their handle times. The program cost is
 * the sum of ::SCRM_COSTS_AMOUNT (of one category if
 * ::scrm_service_savings_options::cost_category is set). Then as scrm_service_savings().
 * @param[in]  ds   Dataset (tickets and costs tables; either may be empty).
 * @param[in]  opts Options or NULL for the defaults.
 * @param[out] out  Result.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   NULL argument, an option out of range, or a non-finite cost amount (row named).
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: nothing of @p ds is kept; option strings are read during the call.
 * @note Thread-safety: reads @p ds.
 */
SCRM_API int scrm_service_savings_compute(const scrm_dataset *ds,
                                          const scrm_service_savings_options *opts,
                                          scrm_service_savings_result *out);

/* ---- staffing (Erlang C) ---- */

/**
 * @brief Erlang B: blocking probability of @p agents servers offered @p traffic Erlangs.
 *
 * Computed with the recursion B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1))
 * (no factorials or powers, so no overflow; each step is a contraction, so the
 * relative error stays within a few ulp for any number of agents).
 * @param[in]  traffic Offered load A in Erlangs (finite, >= 0).
 * @param[in]  agents  Number of servers (>= 0; B(A, 0) = 1).
 * @param[out] out     B(A, N) in [0, 1] (0 when it underflows, below about 1e-308).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p out is NULL.
 * @retval SCRM_EDOM   @p traffic is negative, NaN or infinite.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_erlang_b(double traffic, uint32_t agents, double *out);

/** @brief Performance of an M/M/N queue (Erlang C: Poisson arrivals, exponential handle times, no abandonment). */
typedef struct scrm_erlang_result {
    double offered_load;         /**< A = arrival_rate aht, Erlangs. */
    uint32_t agents;             /**< N. */
    double wait_probability;     /**< P_w = C(A, N): probability that a contact waits. */
    double log_wait_probability; /**< ln P_w, finite even where P_w underflows to 0. */
    double service_level;        /**< SL(t) = 1 - P_w exp(-(N - A) t / aht): share answered within the target time. */
    double asa;                  /**< Average speed of answer over all contacts: P_w aht / (N - A). */
    double mean_wait_delayed;    /**< Mean wait of the contacts that wait: aht / (N - A). */
    double occupancy;            /**< A / N (at most 1). */
} scrm_erlang_result;

/**
 * @brief Erlang C performance of @p agents agents.
 *
 * C(A, N) = N B / (N - A (1 - B)) with B the Erlang B value above, and the
 * service level, average speed of answer and occupancy of the M/M/N queue as
 * documented in ::scrm_erlang_result (formulas as in the Erlang C references,
 * e.g. https://www.had2know.org/technology/erlang-c-formula-calculator.html ).
 * Times may use any unit, the same for all three; e.g. arrivals per second,
 * seconds. Where B underflows the logarithm is computed by the same recursion
 * in log space: log(1/B(k)) = log1p(exp(log(1/B(k-1))) k / A).
 * Accuracy: relative error of P_w about 1e-14 or better (tested against 60-digit
 * direct sums for N up to 12,421).
 * @param[in]  arrival_rate Contacts per time unit (finite, >= 0).
 * @param[in]  aht          Average handle time (finite, > 0).
 * @param[in]  agents       N (>= 1).
 * @param[in]  target_time  Answer-time target t of the service level (finite, >= 0).
 * @param[out] out          Result. When the queue is unstable (A >= N) it is filled
 *                          with the limits: P_w 1, service level 0, ASA and
 *                          mean_wait_delayed +infinity, occupancy 1.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL @p out is NULL.
 * @retval SCRM_EDOM   An input is NaN, infinite or out of range, or the queue is
 *                     unstable: offered load A >= N (the message gives A and N).
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_erlang_c(double arrival_rate, double aht, uint32_t agents, double target_time,
                           scrm_erlang_result *out);

/** Current version of ::scrm_staffing_options. */
#define SCRM_STAFFING_OPTIONS_VERSION 1

/** @brief Options of scrm_erlang_staffing(). */
typedef struct scrm_staffing_options {
    unsigned int version;  /**< Must be ::SCRM_STAFFING_OPTIONS_VERSION. */
    double max_occupancy;  /**< Also require occupancy A/N <= this (0 < x <= 1); default 1 (no limit). */
    double shrinkage;      /**< Share of paid time agents are not available (breaks, training, absence; 0 <= x < 1); default 0. */
    uint32_t max_agents;   /**< Give up above this many agents; 0 = default 10,000,000. */
} scrm_staffing_options;

/** Static initialiser with the defaults. */
#define SCRM_STAFFING_OPTIONS_INIT { SCRM_STAFFING_OPTIONS_VERSION, 1.0, 0.0, 0 }

/**
 * @brief Initialise staffing options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_STAFFING_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_staffing_options_init(scrm_staffing_options *opts, unsigned int version);

/** @brief Result of scrm_erlang_staffing(). */
typedef struct scrm_staffing_result {
    uint32_t agents;            /**< Fewest agents N > A meeting the service level (and occupancy) target. */
    uint32_t positions;         /**< Scheduled positions: ceil(N / (1 - shrinkage)). */
    int32_t occupancy_bound;    /**< 1 when the occupancy limit, not the service level, decided N. */
    scrm_erlang_result at;      /**< Erlang C performance with N agents (as scrm_erlang_c()). */
} scrm_staffing_result;

/**
 * @brief Fewest agents for a service-level target: P(answered within t) >= @p service_level.
 *
 * Searches N = floor(A) + 1, floor(A) + 2, ... (the service level increases
 * with N) with the Erlang B recursion carried along, so the cost is O(N).
 * Golden example (pyworkforce README): 100 contacts per 30 minutes, AHT 3
 * minutes, t = 20 s, 80 % -> 14 agents, 20 positions with 30 % shrinkage.
 * @param[in]  arrival_rate  Contacts per time unit (finite, >= 0).
 * @param[in]  aht           Average handle time (finite, > 0), same unit.
 * @param[in]  target_time   Answer-time target t (finite, >= 0), same unit.
 * @param[in]  service_level Required share answered within t (0 <= x < 1).
 * @param[in]  opts          Options or NULL for the defaults.
 * @param[out] out           Result.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   NULL @p out, or an option out of range.
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_EDOM     An input is NaN, infinite or out of range.
 * @retval SCRM_ELIMIT   More than max_agents agents would be needed.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_erlang_staffing(double arrival_rate, double aht, double target_time,
                                  double service_level, const scrm_staffing_options *opts,
                                  scrm_staffing_result *out);

/** @} */


/* ---- end section: service ---- */

/* ---- section: clv ---- */

/** @defgroup clv Customer lifetime value models
 *  Probability models of customer behaviour, fitted by maximum likelihood on
 *  per-customer sufficient statistics, and the predictions built on them:
 *  - ::SCRM_CLV_BGNBD: BG/NBD, Fader, Hardie & Lee (2005), "Counting your
 *    customers the easy way: an alternative to the Pareto/NBD model",
 *    Marketing Science 24(2), 275-284. Parameters r, alpha, a, b.
 *  - ::SCRM_CLV_MBGNBD: MBG/NBD, Batislam, Denizel & Filiztekin (2007), IJRM
 *    24(3), 201-209, with the erratum of Wagner & Hoppe (2008). Parameters r,
 *    alpha, a, b.
 *  - ::SCRM_CLV_PARETO_NBD: Pareto/NBD, Schmittlein, Morrison & Colombo (1987),
 *    Management Science 33(1), 1-24, in the form of Fader & Hardie (2005), "A
 *    note on deriving the Pareto/NBD model and related expressions"
 *    (brucehardie.com/notes/009). Parameters r, alpha, s, beta. The
 *    likelihood (the note's eq. 22-23, 2F1 branches by the sign of alpha -
 *    beta) is evaluated in log space as a sum of two positive terms instead
 *    of the note's difference A_0 (the rearrangement pymc-marketing also
 *    uses), with Euler-transformed 2F1(1, b; r+s+x+1; z) series and their
 *    analytic derivatives, so fits use exact gradients and stay finite for
 *    x in the thousands, t_x = T, T = 0 and alpha = beta.
 *  - ::SCRM_CLV_GAMMA_GAMMA: spend per transaction, Fader, Hardie & Lee (2005),
 *    "RFM and CLV: using iso-value curves for customer base analysis", JMR
 *    42(4), 415-430; Fader & Hardie (2013), "The Gamma-Gamma model of monetary
 *    value". Parameters p, q, v (gamma).
 *
 *  Inputs per customer (::scrm_clv_data): frequency x = number of REPEAT
 *  purchases (periods with a purchase after the first), recency t_x = time of
 *  the last repeat purchase since the first purchase (0 when x = 0), age T =
 *  time since the first purchase, all in one time unit of the caller's choice
 *  (days, weeks); for Gamma-Gamma the mean value of the repeat purchases.
 *  Parameters with a time dimension (alpha, beta) are in that unit.
 *  @{ */

/** @brief A fitted (or parameter-given) CLV model. Read-only after creation. */
typedef struct scrm_clv_model scrm_clv_model;

/** @brief CLV model kinds (values of the `int32_t kind` arguments). */
enum scrm_clv_kind {
    SCRM_CLV_BGNBD = 1,       /**< BG/NBD (r, alpha, a, b). */
    SCRM_CLV_MBGNBD = 2,      /**< Modified BG/NBD (r, alpha, a, b). */
    SCRM_CLV_PARETO_NBD = 3,  /**< Pareto/NBD (r, alpha, s, beta). */
    SCRM_CLV_GAMMA_GAMMA = 4, /**< Gamma-Gamma spend model (p, q, v). */
    SCRM_CLV_SBG = 5,         /**< Shifted beta-geometric, contractual (alpha, beta); see scrm_clv_sbg_fit_survivors(). */
    /** BG/BB, discrete-time non-contractual (alpha, beta, gamma, delta); Fader,
     *  Hardie & Shang (2010), "Customer-base analysis in a discrete-time
     *  noncontractual setting", Marketing Science 29(6):1086-1108. Rows:
     *  frequency x = opportunities with a transaction, recency t_x = the last of
     *  them (0 if none), age n = opportunities observed, all integers. The
     *  generic predictions mean: expected purchases E[X(n)] in the first n
     *  opportunities; conditional expected purchases in the next n* (integer)
     *  opportunities; probability alive = P(alive at opportunity n + 1), as the
     *  paper's "P(alive in 2002)" (0.11, 0.59, 0.93 for (x, t_x) = (0, 0),
     *  (2, 4), (6, 6), n = 6); probability purchases P(X(n) = x). */
    SCRM_CLV_BGBB = 6
};

/** Most parameters any kind has. */
#define SCRM_CLV_MAX_PARAMS 8

/** Current version of ::scrm_clv_data. */
#define SCRM_CLV_DATA_VERSION 1

/**
 * @brief Per-customer sufficient statistics, as parallel arrays of `n` values.
 *
 * Which arrays a kind reads: BG/NBD, MBG/NBD and Pareto/NBD read frequency,
 * recency and age; Gamma-Gamma reads frequency and monetary. Arrays a kind
 * does not read may be NULL. Arrays are borrowed for the duration of a call.
 */
typedef struct scrm_clv_data {
    unsigned int version;     /**< Must be ::SCRM_CLV_DATA_VERSION. */
    size_t n;                 /**< Number of customers (rows). */
    const double *frequency;  /**< x: repeat purchases, a non-negative integer (Gamma-Gamma: >= 1). */
    const double *recency;    /**< t_x: time of the last repeat purchase, 0 <= t_x <= T (0 when x = 0). */
    const double *age;        /**< T: time since the first purchase, >= 0. */
    const double *monetary;   /**< Mean value of the repeat purchases, > 0 (Gamma-Gamma). */
    const double *weights;    /**< Optional: number of customers the row stands for (>= 0); NULL = 1 each. */
} scrm_clv_data;

/** Static initialiser: no rows. */
#define SCRM_CLV_DATA_INIT { SCRM_CLV_DATA_VERSION, 0, NULL, NULL, NULL, NULL, NULL }

/**
 * @brief Progress callback of a fit, called once per optimizer iteration.
 * @param[in] user_data      The options' @ref scrm_clv_fit_options.progress_user_data.
 * @param[in] iteration      Iteration number, from 0.
 * @param[in] log_likelihood Penalised mean log-likelihood per customer at the current point.
 * @param[in] gradient_norm  Max-norm of the gradient (see @ref scrm_clv_fit_options.tolerance).
 * @param[in] params         Current parameters (natural, original units); valid during the call only.
 * @param[in] n_params       Number of entries in @p params.
 * @return 0 to continue; nonzero stops the fit, which then returns ::SCRM_EMAXITER.
 * @note Lifetime: called only during scrm_clv_model_fit(), on the calling
 *       thread; the library keeps no reference afterwards. It must not call
 *       back into the same fit.
 */
typedef int (*scrm_clv_progress_fn)(void *user_data, uint32_t iteration, double log_likelihood,
                                    double gradient_norm, const double *params, size_t n_params);

/** Current version of ::scrm_clv_fit_options. */
#define SCRM_CLV_FIT_OPTIONS_VERSION 1

/** @brief Options of scrm_clv_model_fit(). */
typedef struct scrm_clv_fit_options {
    unsigned int version;        /**< Must be ::SCRM_CLV_FIT_OPTIONS_VERSION. */
    uint32_t max_iterations;     /**< Optimizer iterations; default 500; must be >= 1. */
    /** Converged when every component of the gradient of the mean negative
     *  log-likelihood per customer, with respect to the log of each parameter,
     *  is at most this in absolute value; default 1e-8. */
    double tolerance;
    /** L2 penalty c * sum(theta_i^2) added to the mean negative log-likelihood
     *  per unit weight, as lifetimes' (0.11) `penalizer_coef` of BetaGeoFitter,
     *  ModifiedBetaGeoFitter, GammaGammaFitter and BetaGeoBetaBinomFitter:
     *  time parameters (alpha; Pareto/NBD alpha and beta) are taken on
     *  lifetimes' time axis, divided by the largest age of all rows (weight 0
     *  included, as lifetimes' T.max()); all others (money included) in the
     *  units given. lifetimes'
     *  ParetoNBDFitter divides its total, not mean, log-likelihood by the mean
     *  weight: its `penalizer_coef` c is c / (number of rows) here. Default 0. */
    double penalizer;
    const double *initial_params; /**< Optional start (natural, original units); NULL = default. */
    size_t n_initial_params;      /**< Entries in @ref initial_params (the kind's count). */
    scrm_clv_progress_fn progress; /**< Optional progress callback; NULL = none. */
    void *progress_user_data;      /**< Passed to @ref progress. */
} scrm_clv_fit_options;

/** Static initialiser with the defaults. */
#define SCRM_CLV_FIT_OPTIONS_INIT \
    { SCRM_CLV_FIT_OPTIONS_VERSION, 500, 1e-8, 0.0, NULL, 0, NULL, NULL }

/**
 * @brief Initialise fit options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_CLV_FIT_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 */
SCRM_API int scrm_clv_fit_options_init(scrm_clv_fit_options *opts, unsigned int version);

/** @brief What a fit found (also filled when the fit does not converge). */
typedef struct scrm_clv_fit_result {
    int32_t kind;        /**< ::scrm_clv_kind. */
    int32_t status;      /**< Status of the fit (as returned). */
    int32_t converged;   /**< 1 if the gradient test was met. */
    int32_t fitted;      /**< 1 for a fitted model, 0 for one made from given parameters. */
    uint32_t n_params;   /**< Number of parameters of the kind. */
    uint32_t iterations; /**< Optimizer iterations used. */
    uint32_t evaluations; /**< Log-likelihood evaluations. */
    double params[SCRM_CLV_MAX_PARAMS]; /**< Estimates (natural, original units). */
    /** Standard errors from the inverse Hessian of the total negative
     *  log-likelihood at the optimum (delta method from log space); infinity
     *  when the Hessian is not positive definite, 0 when not fitted. */
    double std_errors[SCRM_CLV_MAX_PARAMS];
    double log_likelihood; /**< Total (weighted) log-likelihood on the data as given. */
    double gradient_norm;  /**< Final value of the quantity @ref scrm_clv_fit_options.tolerance bounds. */
    double n_customers;    /**< Total weight (customers) fitted. */
    uint64_t n_rows;       /**< Distinct rows after collapsing identical customers. */
} scrm_clv_fit_result;

/**
 * @brief Fit a model by maximum likelihood.
 *
 * Identical rows are collapsed into weights first, so a table and its
 * weighted summary give the same fit. The optimizer is BFGS with a
 * strong-Wolfe line search on the log-parameters with analytic gradients;
 * time is rescaled internally (max age = 10) for conditioning. With 200,000
 * or more distinct rows it first runs on an evenly spaced subsample of about
 * 50,000 of them and starts the full fit from that optimum and its curvature
 * (the result is the full-data optimum to the same tolerance; iterations and
 * evaluations count the full-data part only). Standard errors come from
 * forward differences of the analytic gradient at the optimum (step 1e-6 in
 * log space, about 1e-5 relative agreement with central differences).
 * @param[out] out    New model; NULL on any failure (also ::SCRM_EMAXITER:
 *                    then @p result holds the best point, which
 *                    scrm_clv_model_new() can turn into a model).
 * @param[in]  kind   ::scrm_clv_kind.
 * @param[in]  data   Customers (weights optional).
 * @param[in]  opts   Options or NULL for defaults.
 * @param[out] result Filled with estimates, errors and diagnostics; may be NULL.
 * @retval SCRM_OK       Converged.
 * @retval SCRM_EINVAL   NULL argument, unknown or unavailable kind ("model kind
 *                       not available"), bad options or a bad row (the message
 *                       names the row, field and value).
 * @retval SCRM_EVERSION Unknown options or data version.
 * @retval SCRM_ENODATA  No rows, or total weight 0.
 * @retval SCRM_EMAXITER Not converged within max_iterations (or stopped by the
 *                       callback); best point in @p result.
 * @retval SCRM_ELOSS    No further progress possible before the tolerance was
 *                       met (precision limit); best point in @p result.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: free the model with scrm_clv_model_free(); inputs are copied.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_clv_model_fit(scrm_clv_model **out, int32_t kind, const scrm_clv_data *data,
                                const scrm_clv_fit_options *opts, scrm_clv_fit_result *result);

/**
 * @brief Make a model from known parameters (e.g. published estimates).
 * @param[out] out      New model; NULL on failure.
 * @param[in]  kind     ::scrm_clv_kind.
 * @param[in]  params   The kind's parameters, natural and in the caller's time unit.
 * @param[in]  n_params Number of parameters (must equal the kind's count).
 * @retval SCRM_OK     Created.
 * @retval SCRM_EINVAL NULL argument, unknown kind, wrong count, or a parameter
 *                     that is not finite and > 0.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Ownership: free with scrm_clv_model_free().
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_clv_model_new(scrm_clv_model **out, int32_t kind, const double *params,
                                size_t n_params);

/**
 * @brief Release a model. NULL is a no-op.
 * @param[in] model Model or NULL.
 */
SCRM_API void scrm_clv_model_free(scrm_clv_model *model);

/**
 * @brief Parameters, errors and fit diagnostics of a model.
 * @param[in]  model Model.
 * @param[out] out   Filled (for models from scrm_clv_model_new(): fitted = 0).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_clv_model_info(const scrm_clv_model *model, scrm_clv_fit_result *out);

/**
 * @brief Covariance matrix of a fitted model's parameters.
 *
 * The inverse Hessian H^-1 of the total (weighted, penalised) negative
 * log-likelihood in the log-parameters, computed by scrm_clv_model_fit() for
 * the standard errors, mapped to the natural parameters by the delta method:
 * out[i * n + j] = p_i p_j (H^-1)_ij, in the parameters' units (time
 * parameters in the caller's time unit), so that the diagonal is the square of
 * @ref scrm_clv_fit_result.std_errors.
 * @param[in]  model   Model.
 * @param[out] out     n * n entries, row-major, n = the kind's parameter count;
 *                     may be NULL with @p cap 0 to measure.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len n * n (written on every return but ::SCRM_EINVAL).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap < n * n.
 * @retval SCRM_EINVAL NULL @p model or @p out_len.
 * @retval SCRM_ENODATA The model carries no covariance: made by
 *                     scrm_clv_model_new() or scrm_clv_model_deserialize()
 *                     (the serialized form does not hold it), or the Hessian
 *                     at the optimum was not positive definite (standard
 *                     errors infinite).
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_model_covariance(const scrm_clv_model *model, double *out, size_t cap,
                                       size_t *out_len);

/**
 * @brief Name of a model kind ("BG/NBD", ...).
 * @param[in] kind ::scrm_clv_kind.
 * @return Static string, or NULL when the kind is unknown or not available.
 * @note Ownership: static; do not free.
 */
SCRM_API const char *scrm_clv_kind_name(int32_t kind);

/**
 * @brief Number of parameters of a model kind.
 * @param[in] kind ::scrm_clv_kind.
 * @return The count, or 0 when the kind is unknown or not available.
 */
SCRM_API uint32_t scrm_clv_kind_param_count(int32_t kind);

/**
 * @brief Name of a parameter ("r", "alpha", ...).
 * @param[in] kind  ::scrm_clv_kind.
 * @param[in] index 0-based parameter index.
 * @return Static string, or NULL for an unknown kind or index.
 * @note Ownership: static; do not free.
 */
SCRM_API const char *scrm_clv_kind_param_name(int32_t kind, uint32_t index);

/**
 * @brief Write a model to bytes (versioned envelope, little-endian, CRC-32).
 * @param[in]  model   Model.
 * @param[out] buf     Destination, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Bytes available in @p buf.
 * @param[out] out_len Bytes written, or needed when ::SCRM_EBUFS.
 * @retval SCRM_OK     Written.
 * @retval SCRM_EBUFS  @p cap too small; @p out_len has the size needed.
 * @retval SCRM_EINVAL NULL @p model or @p out_len.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_model_serialize(const scrm_clv_model *model, uint8_t *buf, size_t cap,
                                      size_t *out_len);

/**
 * @brief Restore a model written by scrm_clv_model_serialize().
 * @param[out] out New model; NULL on failure.
 * @param[in]  buf Bytes.
 * @param[in]  len Number of bytes.
 * @retval SCRM_OK       Restored.
 * @retval SCRM_EINVAL   NULL argument, or a kind this build does not have.
 * @retval SCRM_ECORRUPT Truncated or corrupted bytes (never a crash).
 * @retval SCRM_EVERSION Written by a newer format version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: free with scrm_clv_model_free().
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_clv_model_deserialize(scrm_clv_model **out, const uint8_t *buf, size_t len);

/**
 * @brief Expected number of repeat purchases in (0, t] of a new customer, E[X(t)].
 *
 * BG/NBD: FHL (2005) eq. 9; MBG/NBD: Batislam et al.; Pareto/NBD: Fader &
 * Hardie (2005 note), r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)].
 * Computed in a form that stays finite for a + b < 1, a = 1 and s = 1.
 * @param[in]  model   Transaction model.
 * @param[in]  t       Horizons (>= 0), @p n values.
 * @param[in]  n       Number of horizons.
 * @param[out] out     E[X(t_i)] for each horizon.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len Entries written (or needed when ::SCRM_EBUFS).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap < @p n.
 * @retval SCRM_EINVAL NULL argument, negative or NaN t, or a kind without this prediction.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_expected_purchases(const scrm_clv_model *model, const double *t, size_t n,
                                         double *out, size_t cap, size_t *out_len);

/**
 * @brief Expected repeat purchases in the next @p t time units given each
 *        customer's history (x, t_x, T): E[Y(t) | x, t_x, T].
 *
 * BG/NBD: FHL (2005) eq. 10; MBG/NBD: Wagner & Hoppe (2008); Pareto/NBD:
 * Fader & Hardie (2005 note), (r+x)(beta+T) / ((alpha+T)(s-1))
 * [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive), with its limit at s = 1.
 * @param[in]  model     Transaction model.
 * @param[in]  t         Horizon (>= 0).
 * @param[in]  customers Frequency, recency and age of each customer.
 * @param[out] out       One value per customer.
 * @param[in]  cap       Entries available in @p out.
 * @param[out] out_len   Entries written (or needed when ::SCRM_EBUFS).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap too small.
 * @retval SCRM_EINVAL NULL argument, bad row (message names it), bad @p t or kind.
 * @retval SCRM_EMAXITER A series or quadrature did not converge at these
 *                      parameters (extreme values; the message names the row).
 * @retval SCRM_EDOM   Not computable at these parameters.
 * @retval SCRM_EVERSION Unknown data version.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_conditional_expected_purchases(const scrm_clv_model *model, double t,
                                                     const scrm_clv_data *customers, double *out,
                                                     size_t cap, size_t *out_len);

/**
 * @brief Probability that each customer is still alive given (x, t_x, T).
 *
 * BG/NBD: Fader, Hardie & Lee, note 021 (1 for x = 0); MBG/NBD: Batislam et
 * al. (2007) eq. 5; Pareto/NBD: Fader & Hardie (2005 note), the likelihood of
 * being alive at T over the full likelihood, in log space.
 * @param[in]  model     Transaction model.
 * @param[in]  customers Frequency, recency and age of each customer.
 * @param[out] out       One probability per customer.
 * @param[in]  cap       Entries available in @p out.
 * @param[out] out_len   Entries written (or needed when ::SCRM_EBUFS).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap too small.
 * @retval SCRM_EINVAL NULL argument, bad row or kind.
 * @retval SCRM_EMAXITER A series or quadrature did not converge at these
 *                      parameters (extreme values; the message names the row).
 * @retval SCRM_EDOM   Not computable at these parameters.
 * @retval SCRM_EVERSION Unknown data version.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_probability_alive(const scrm_clv_model *model,
                                        const scrm_clv_data *customers, double *out, size_t cap,
                                        size_t *out_len);

/**
 * @brief P(X(t) = n): probability that a new customer makes exactly n repeat
 *        purchases in (0, t].
 *
 * BG/NBD: FHL 2005 eq. 8. Pareto/NBD: the two cases of Fader & Hardie,
 * "Deriving an expression for P(X(t) = x) under the Pareto/NBD model"
 * (brucehardie.com/notes/012): alive through t, or dead at some tau <= t;
 * the second term is integrated numerically (adaptive Gauss-Kronrod in
 * log(1 + tau/alpha), relative accuracy about 1e-13) instead of the note's
 * 2F1 difference, which cancels.
 * @param[in]  model     Transaction model.
 * @param[in]  t         Horizons (>= 0), @p len values.
 * @param[in]  purchases Counts n (non-negative integers), @p len values.
 * @param[in]  len       Number of (t, n) pairs.
 * @param[out] out       One probability per pair.
 * @param[in]  cap       Entries available in @p out.
 * @param[out] out_len   Entries written (or needed when ::SCRM_EBUFS).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap < @p len.
 * @retval SCRM_EINVAL NULL argument, bad t or n, or a kind without this prediction.
 * @retval SCRM_EMAXITER A series or quadrature did not converge at these
 *                      parameters (extreme values; the message names the row).
 * @retval SCRM_EDOM   Not computable at these parameters.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_probability_purchases(const scrm_clv_model *model, const double *t,
                                            const double *purchases, size_t len, double *out,
                                            size_t cap, size_t *out_len);

/**
 * @brief Gamma-Gamma conditional expected value per transaction,
 *        E[M | x, mbar] = (1 - w) v p / (q - 1) + w mbar with w = p x / (p x + q - 1)
 *        (Fader & Hardie 2013, eq. 5). Customers with x = 0 get the population mean.
 * @param[in]  model     Gamma-Gamma model (q > 1 for a finite mean).
 * @param[in]  customers Frequency and monetary of each customer.
 * @param[out] out       One value per customer.
 * @param[in]  cap       Entries available in @p out.
 * @param[out] out_len   Entries written (or needed when ::SCRM_EBUFS).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap too small.
 * @retval SCRM_EINVAL NULL argument, bad row, not a spend model.
 * @retval SCRM_EDOM   q <= 1: the population mean does not exist.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_expected_spend(const scrm_clv_model *model, const scrm_clv_data *customers,
                                     double *out, size_t cap, size_t *out_len);

/** Time units per month for customer value: days (lifetimes' freq "D"). */
#define SCRM_CLV_UNITS_PER_MONTH_DAYS 30.0
/** Time units per month: weeks (lifetimes' freq "W"). */
#define SCRM_CLV_UNITS_PER_MONTH_WEEKS 4.345
/** Time units per month: months. */
#define SCRM_CLV_UNITS_PER_MONTH_MONTHS 1.0
/** Time units per month: hours (lifetimes' freq "H"). */
#define SCRM_CLV_UNITS_PER_MONTH_HOURS 720.0

/** Current version of ::scrm_clv_value_options. */
#define SCRM_CLV_VALUE_OPTIONS_VERSION 1

/** @brief Options of scrm_clv_customer_value(); defaults are lifetimes'. */
typedef struct scrm_clv_value_options {
    unsigned int version;  /**< Must be ::SCRM_CLV_VALUE_OPTIONS_VERSION. */
    uint32_t months;       /**< Horizon in months (steps); default 12. */
    double discount_rate;  /**< Discount rate per month, > -1; default 0.01. */
    /** Model time units per month; default ::SCRM_CLV_UNITS_PER_MONTH_DAYS (30). */
    double units_per_month;
    /** Fraction of the spend that is margin, applied to the value per
     *  transaction; default 1 (value = spend, as lifetimes). */
    double margin;
} scrm_clv_value_options;

/** Static initialiser with the defaults. */
#define SCRM_CLV_VALUE_OPTIONS_INIT \
    { SCRM_CLV_VALUE_OPTIONS_VERSION, 12, 0.01, SCRM_CLV_UNITS_PER_MONTH_DAYS, 1.0 }

/**
 * @brief Initialise customer value options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_CLV_VALUE_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 */
SCRM_API int scrm_clv_value_options_init(scrm_clv_value_options *opts, unsigned int version);

/**
 * @brief Customer lifetime value: discounted expected future margin over a horizon.
 *
 * Agrees with lifetimes' `GammaGammaFitter.customer_lifetime_value`:
 * @code
 * CLV_i = sum_{k=1..K} margin * M_i * (E_i(k f) - E_i((k-1) f)) / (1 + d)^k
 * @endcode
 * with K = months, f = units_per_month, d = discount_rate, E_i(t) =
 * conditional expected repeat purchases in the next t units (see
 * scrm_clv_conditional_expected_purchases()) and M_i the spend model's
 * conditional expected value per transaction (scrm_clv_expected_spend()), or
 * the customer's own monetary value when @p spend is NULL. Purchases expected
 * in month k are discounted as if they happened at its end; past purchases and
 * acquisition cost are not included.
 *
 * Computation: E_i(t) is the expectation given alive times P(alive), and the
 * discounted sum of the first factor depends only on (x, T). For frequencies
 * shared by at least 64 customers it is interpolated in log(c + T) (c the
 * smallest time parameter) at 9 to 129 Chebyshev points, accepted only when
 * the coefficients have decayed to 1e-15 and two direct checks agree to
 * 1e-13; otherwise, and for rarer frequencies, it is summed customer by
 * customer. Results agree with the one-by-one definition to about 1e-14
 * relative.
 * @param[in]  transactions Transaction model (BG/NBD, MBG/NBD, Pareto/NBD).
 * @param[in]  spend        Gamma-Gamma model, or NULL.
 * @param[in]  customers    Frequency, recency, age and monetary of each customer.
 * @param[in]  opts         Options or NULL for defaults.
 * @param[out] out          One value per customer.
 * @param[in]  cap          Entries available in @p out.
 * @param[out] out_len      Entries written (or needed when ::SCRM_EBUFS).
 * @retval SCRM_OK       Done.
 * @retval SCRM_EBUFS    @p cap too small.
 * @retval SCRM_EINVAL   NULL argument, bad options or row, wrong model kinds.
 * @retval SCRM_EDOM     The spend model has q <= 1.
 * @retval SCRM_EVERSION Unknown options or data version.
 * @note Thread-safety: read-only on both models.
 */
SCRM_API int scrm_clv_customer_value(const scrm_clv_model *transactions,
                                     const scrm_clv_model *spend, const scrm_clv_data *customers,
                                     const scrm_clv_value_options *opts, double *out, size_t cap,
                                     size_t *out_len);

/** @} */

/* ---- end section: clv ---- */

/* ---- section: customer-base (RFM summary, closed forms, sBG, BG/BB) ---- */

/** @defgroup rfm Customer base: RFM summary
 *  Per-customer frequency, recency, age and monetary value, the sufficient
 *  statistics of the "buy till you die" models (Fader, Hardie & Lee 2005,
 *  "Counting your customers the easy way", Marketing Science 24(2)).
 *  @{ */

/** @brief A per-customer RFM summary (opaque; built from a dataset or arrays). */
typedef struct scrm_rfm scrm_rfm;

/** @brief Which transaction value the monetary columns average. */
enum scrm_rfm_value {
    SCRM_RFM_VALUE_AMOUNT = 1, /**< The `amount` column (default). */
    SCRM_RFM_VALUE_MARGIN = 2  /**< The `margin` column (datasets only; must be present in every row used). */
};

/** @brief Columns of an RFM summary, read with scrm_rfm_column(). */
enum scrm_rfm_column {
    SCRM_RFM_FREQUENCY = 1,         /**< x: repeat purchase periods in calibration (distinct periods after the first). */
    SCRM_RFM_RECENCY = 2,           /**< t_x: first purchase period to last calibration purchase period, in units (0 if x = 0). */
    SCRM_RFM_AGE = 3,               /**< T: first purchase period to the calibration end's period, in units. */
    SCRM_RFM_MONETARY = 4,          /**< Mean value per repeat purchase period in calibration (first period excluded; 0 if x = 0). */
    SCRM_RFM_HOLDOUT_FREQUENCY = 5, /**< Purchase periods in the holdout (0 without a holdout). */
    SCRM_RFM_HOLDOUT_MONETARY = 6,  /**< Mean value per holdout purchase period (0 if none). */
    SCRM_RFM_FIRST = 7              /**< Start of the first purchase period, seconds since the epoch. */
};

/** Current version of ::scrm_rfm_options. */
#define SCRM_RFM_OPTIONS_VERSION 1

/**
 * @brief Options of an RFM summary.
 *
 * Transactions are bucketed into calendar periods (scrm_rfm_options::period); several
 * purchases in one period count as one purchase whose value is their sum, as
 * in Fader, Hardie & Lee (2005) and lifetimes. Durations are measured between
 * period starts, in scrm_rfm_options::unit: days and weeks exactly (86,400 and 604,800
 * seconds); months as calendar months, a partial month counting as the share
 * of its own month's length (quarters = months / 3, years = months / 12).
 */
typedef struct scrm_rfm_options {
    unsigned int version;    /**< Must be ::SCRM_RFM_OPTIONS_VERSION. */
    int32_t period;          /**< ::scrm_period bucket; default ::SCRM_PERIOD_DAY. */
    int32_t unit;            /**< ::scrm_period used as the time unit of t_x, T and the holdout length; default ::SCRM_PERIOD_DAY. */
    int32_t value;           /**< ::scrm_rfm_value; default ::SCRM_RFM_VALUE_AMOUNT. */
    int64_t calibration_end; /**< End of calibration: its period is the last one included and T is measured to its start. ::SCRM_TIME_NONE (default) = the latest transaction. */
    int64_t observation_end; /**< End of the holdout (its period included); ::SCRM_TIME_NONE (default) = no holdout. Requires scrm_rfm_options::calibration_end. */
} scrm_rfm_options;

/** Static initialiser with the defaults. */
#define SCRM_RFM_OPTIONS_INIT                                                             \
    { SCRM_RFM_OPTIONS_VERSION, SCRM_PERIOD_DAY, SCRM_PERIOD_DAY, SCRM_RFM_VALUE_AMOUNT, \
      SCRM_TIME_NONE, SCRM_TIME_NONE }

/**
 * @brief Initialise RFM options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_RFM_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_rfm_options_init(scrm_rfm_options *opts, unsigned int version);

/** @brief Counts describing what an RFM summary used. */
typedef struct scrm_rfm_info {
    uint64_t customers;          /**< Customers in the summary (first purchase in calibration). */
    uint64_t transactions;       /**< Transactions used (calibration and holdout). */
    uint64_t after_end;          /**< Transactions ignored because they fall after the last included period. */
    uint64_t late_customers;     /**< Customers left out because their first purchase is after the calibration end. */
    int64_t calibration_end;     /**< Start of the calibration end's period (seconds since the epoch). */
    int64_t observation_end;     /**< Start of the observation end's period, or ::SCRM_TIME_NONE without a holdout. */
    double holdout_duration;     /**< Holdout length in units (0 without a holdout). */
} scrm_rfm_info;

/**
 * @brief Summarise the transactions table of a dataset per customer.
 *
 * Customers appear in the order of their first row in the table; their key
 * (scrm_rfm_customers()) is the interned id of the customer string, which
 * scrm_dataset_string() resolves.
 * @param[out] out  New summary; NULL on failure. Free with scrm_rfm_free().
 * @param[in]  opts Options or NULL for defaults.
 * @param[in]  ds   Dataset with a transactions table.
 * @retval SCRM_OK       Built.
 * @retval SCRM_EINVAL   NULL argument, bad options (unknown period/unit/value,
 *                       observation end before calibration end, holdout without
 *                       calibration end) or a missing margin when margins are used.
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENODATA  No transactions, or no customer whose first purchase is
 *                       in calibration.
 * @retval SCRM_ERANGE   A time outside years 0001..9999.
 * @retval SCRM_ELIMIT   2^32 - 1 or more transactions or strings.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: the summary copies what it needs; @p ds may be freed first.
 * @note Thread-safety: reads @p ds only.
 */
SCRM_API int scrm_rfm_new(scrm_rfm **out, const scrm_rfm_options *opts, const scrm_dataset *ds);

/**
 * @brief Summarise transactions given as arrays.
 *
 * Customers appear in the order of their first row; their key is the id given.
 * @param[out] out      New summary; NULL on failure. Free with scrm_rfm_free().
 * @param[in]  opts     Options or NULL for defaults (scrm_rfm_options::value is ignored).
 * @param[in]  customer Customer id of each transaction.
 * @param[in]  time     Time of each transaction, seconds since the epoch.
 * @param[in]  value    Value of each transaction (finite), or NULL for all zero.
 * @param[in]  n        Number of transactions.
 * @retval SCRM_OK       Built.
 * @retval SCRM_EINVAL   NULL argument, bad options, a missing time or a
 *                       non-finite value (the message names the row).
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENODATA  @p n is 0 or no customer's first purchase is in calibration.
 * @retval SCRM_ERANGE   A time outside years 0001..9999.
 * @retval SCRM_ELIMIT   2^32 - 1 or more transactions.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: input arrays are read during the call only.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_rfm_new_from_arrays(scrm_rfm **out, const scrm_rfm_options *opts,
                                      const int64_t *customer, const int64_t *time,
                                      const double *value, size_t n);

/**
 * @brief Release a summary. NULL is a no-op.
 * @param[in] rfm Summary or NULL.
 */
SCRM_API void scrm_rfm_free(scrm_rfm *rfm);

/**
 * @brief What a summary used (counts, resolved end dates, holdout length).
 * @param[in]  rfm Summary.
 * @param[out] out Filled on success.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_rfm_get_info(const scrm_rfm *rfm, scrm_rfm_info *out);

/**
 * @brief Customer keys, one per summary row.
 * @param[in]  rfm     Summary.
 * @param[out] out     Caller buffer; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len Number of rows (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL @p rfm or @p out_len, or NULL @p out with @p cap > 0.
 * @retval SCRM_EBUFS  @p cap is smaller than the row count.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_rfm_customers(const scrm_rfm *rfm, int64_t *out, size_t cap, size_t *out_len);

/**
 * @brief One column of the summary, one value per row.
 * @param[in]  rfm     Summary.
 * @param[in]  column  ::scrm_rfm_column.
 * @param[out] out     Caller buffer; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len Number of rows (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL argument or unknown column.
 * @retval SCRM_EBUFS  @p cap is smaller than the row count.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_rfm_column(const scrm_rfm *rfm, int32_t column, double *out, size_t cap,
                             size_t *out_len);

/**
 * @brief Collapse identical (x, t_x, T) rows into weighted rows.
 *
 * The likelihoods of the customer-base models depend on a customer only
 * through (x, t_x, T), so fitting on distinct rows with their counts as
 * weights gives the same estimates at a fraction of the cost. Rows come out
 * sorted by x, then t_x, then T. Each output buffer may be NULL when @p cap is 0.
 * @param[in]  rfm     Summary.
 * @param[out] x       Frequencies.
 * @param[out] t_x     Recencies.
 * @param[out] T       Ages.
 * @param[out] weight  Number of customers with that row.
 * @param[in]  cap     Entries available in each buffer.
 * @param[out] out_len Number of distinct rows (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_EBUFS  @p cap is smaller than the number of distinct rows.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_rfm_collapse(const scrm_rfm *rfm, double *x, double *t_x, double *T,
                               double *weight, size_t cap, size_t *out_len);

/** @} */

/** @defgroup closed_form Customer base: closed-form CLV
 *  Lifetime value with constant retention, after Gupta & Lehmann (2003),
 *  "Customers as assets", Journal of Interactive Marketing 17(1):9-24.
 *  @{ */

/** @brief When each period's margin is received. */
enum scrm_clv_timing {
    SCRM_CLV_TIMING_END = 1,  /**< At the end of periods 1, 2, ...: the first margin is discounted once and needs one retention (Gupta & Lehmann's m r / (1 + i - r)). */
    SCRM_CLV_TIMING_BEGIN = 2 /**< At the start of periods 0, 1, ...: the first margin is received now, undiscounted (m (1 + i) / (1 + i - r)). */
};

/** Current version of ::scrm_clv_terms. */
#define SCRM_CLV_TERMS_VERSION 1

/**
 * @brief Inputs of the closed-form lifetime value.
 *
 * With q = r (1 + g) / (1 + d), the value per customer is
 * - end of period: m (r / (1 + d)) (1 - q^N) / (1 - q), infinite horizon m r / (1 + d - r (1 + g));
 * - start of period: m (1 - q^N) / (1 - q), infinite horizon m (1 + d) / (1 + d - r (1 + g));
 *
 * where the margin received in the k-th payment (k = 1, 2, ...) is
 * m (1 + g)^(k-1) and is paid only if the customer is still there, which
 * happens with probability r^k (end of period) or r^(k-1) (start of period).
 * Sources: Gupta & Lehmann (2003) for m r / (1 + i - r); the growth form
 * m r / (1 + i - r (1 + g)) from Gupta & Lehmann, "Models of Customer Value",
 * in Wierenga (ed.), Handbook of Marketing Decision Models, Springer 2008
 * (doi:10.1007/978-0-387-78213-3_8). The finite and start-of-period forms are
 * the same geometric sums truncated or shifted by one period.
 */
typedef struct scrm_clv_terms {
    unsigned int version; /**< Must be ::SCRM_CLV_TERMS_VERSION. */
    double margin;        /**< m: margin per period in the first period (finite; may be negative). */
    double retention;     /**< r: retention probability per period, 0 <= r <= 1. */
    double discount;      /**< d: discount rate per period, d > -1. */
    double growth;        /**< g: margin growth per period, g > -1 (default 0). */
    int32_t timing;       /**< ::scrm_clv_timing; default ::SCRM_CLV_TIMING_END. */
    uint32_t horizon;     /**< Number of margins N; 0 (default) = infinite horizon. */
} scrm_clv_terms;

/** Static initialiser: everything 0, end-of-period timing, infinite horizon. */
#define SCRM_CLV_TERMS_INIT { SCRM_CLV_TERMS_VERSION, 0.0, 0.0, 0.0, 0.0, SCRM_CLV_TIMING_END, 0 }

/**
 * @brief Initialise closed-form terms with the defaults of ::SCRM_CLV_TERMS_INIT.
 * @param[out] terms   Terms to fill.
 * @param[in]  version ::SCRM_CLV_TERMS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p terms is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_clv_terms_init(scrm_clv_terms *terms, unsigned int version);

/**
 * @brief Closed-form customer lifetime value (see ::scrm_clv_terms).
 *
 * Computed as a geometric sum with `expm1`/`log1p`, so it stays accurate when
 * q is close to 1 and over long horizons. With m = 1 it is the "margin
 * multiple" of Gupta & Lehmann (2003): r = 0.8, d = 0.1 gives 2.67.
 * @param[in]  terms Inputs.
 * @param[out] out   Lifetime value per customer.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   NULL argument, unknown timing, or a NaN/infinite input.
 * @retval SCRM_EVERSION Unknown terms version.
 * @retval SCRM_EDOM     r outside [0, 1], d <= -1, g <= -1, or an infinite
 *                       horizon with r (1 + g) >= 1 + d (the sum diverges).
 * @retval SCRM_ERANGE   The value overflows a double.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_clv_closed_form(const scrm_clv_terms *terms, double *out);

/**
 * @brief Project a cohort period by period (Gupta & Lehmann 2003, general form).
 *
 * For payments k = 1 .. N (N = @p terms->horizon, which must be finite) with
 * S_k the share still active at payment k (r^k at the end of period, r^(k-1)
 * at the start; with @p retention given, the product of its first k, resp.
 * k - 1, entries):
 * survivors[k-1] = customers S_k, margin[k-1] = survivors[k-1] m (1 + g)^(k-1),
 * discounted[k-1] = margin[k-1] / (1 + d)^k (end) or / (1 + d)^(k-1) (start).
 * The sum of @p discounted equals customers times scrm_clv_closed_form() when
 * retention is constant.
 * @param[in]  terms      Inputs (finite horizon required).
 * @param[in]  customers  Cohort size at acquisition (finite, >= 0).
 * @param[in]  retention  Per-period retention rates r_1 .. r_N in [0, 1], or
 *                        NULL for the constant @p terms->retention.
 * @param[out] survivors  Customers active at each payment; may be NULL.
 * @param[out] margin     Cohort margin at each payment; may be NULL.
 * @param[out] discounted Present value of each payment; may be NULL.
 * @param[in]  cap        Entries available in each non-NULL buffer.
 * @param[out] out_len    N (also on ::SCRM_EBUFS).
 * @retval SCRM_OK       Written.
 * @retval SCRM_EINVAL   NULL @p terms or @p out_len, an infinite horizon, a
 *                       NaN input, or unknown timing.
 * @retval SCRM_EDOM     An input outside its domain (see scrm_clv_closed_form()).
 * @retval SCRM_EBUFS    @p cap < N.
 * @retval SCRM_ERANGE   A value overflows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_clv_cohort(const scrm_clv_terms *terms, double customers,
                             const double *retention, double *survivors, double *margin,
                             double *discounted, size_t cap, size_t *out_len);

/** @} */

/** @defgroup sbg Customer base: shifted-beta-geometric (sBG) retention
 *  Contractual retention after Fader & Hardie (2007), "How to project
 *  customer retention", Journal of Interactive Marketing 21(1):76-90, and
 *  Fader & Hardie (2010), "Customer-base valuation in a contractual setting:
 *  the perils of ignoring heterogeneity", Marketing Science 29(1):85-93.
 *
 *  Each customer churns at every renewal opportunity with a constant
 *  probability theta, theta ~ Beta(alpha, beta) across customers. A model of
 *  kind ::SCRM_CLV_SBG (parameters alpha, beta) is fitted by
 *  scrm_clv_model_fit() on rows where `frequency` is the number of renewals a
 *  customer made and `age` the number of renewal opportunities observed
 *  (frequency < age: churned at renewal frequency + 1; frequency = age: still
 *  active), or from a cohort's survivor curve with scrm_clv_sbg_fit_survivors().
 *  The model handle is an ordinary ::scrm_clv_model: scrm_clv_model_info(),
 *  scrm_clv_model_serialize() and scrm_clv_model_deserialize() apply.
 *  @{ */

/**
 * @brief Fit an sBG model to a cohort's survivor curve.
 *
 * @p survivors[t] is the number (or share) of the cohort still active after t
 * renewal opportunities, t = 0 .. n-1: survivors[0] is the cohort at
 * acquisition. Customers lost between t-1 and t churned at renewal t; those
 * left at n-1 are right-censored. This is the likelihood of Fader & Hardie
 * (2007); on their "regular" and "high end" segments (years 0..7) it
 * gives alpha, beta = 0.704, 1.182 (LL -1680.27) and 0.668, 3.806 (LL -1611.16).
 * @param[out] out       New model; NULL on failure. Free with scrm_clv_model_free().
 * @param[in]  survivors Non-increasing, finite, >= 0, survivors[0] > 0.
 * @param[in]  n         Number of values (>= 2).
 * @param[in]  opts      Fit options or NULL for defaults.
 * @param[out] result    Estimates, standard errors, log-likelihood and
 *                       convergence; may be NULL. Filled also on ::SCRM_EMAXITER.
 * @retval SCRM_OK       Fitted.
 * @retval SCRM_EINVAL   NULL argument, a negative, non-finite or increasing value.
 * @retval SCRM_ENODATA  n < 2 or an empty cohort.
 * @retval SCRM_EMAXITER Not converged (best point in @p result; no model).
 * @retval SCRM_ELOSS    No further progress before the tolerance was met.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Ownership: @p survivors is read during the call only.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_clv_sbg_fit_survivors(scrm_clv_model **out, const double *survivors, size_t n,
                                        const scrm_clv_fit_options *opts,
                                        scrm_clv_fit_result *result);

/**
 * @brief Survival S(t) = B(alpha, beta + t) / B(alpha, beta): the share of a
 *        new cohort still active after t renewal opportunities (Fader & Hardie
 *        2007).
 * @param[in]  model   A model of kind ::SCRM_CLV_SBG.
 * @param[in]  t       Periods (finite, >= 0; integers in the model's sense).
 * @param[in]  n       Number of values in @p t.
 * @param[out] out     Caller buffer of @p n values.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len @p n (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL argument, a model of another kind, or a bad @p t.
 * @retval SCRM_EBUFS  @p cap < @p n.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_sbg_survival(const scrm_clv_model *model, const double *t, size_t n,
                                   double *out, size_t cap, size_t *out_len);

/**
 * @brief Retention rate r(t) = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1):
 *        the share of customers active after t - 1 renewals who renew at the
 *        t-th opportunity (Fader & Hardie 2007). It rises with t
 *        because of heterogeneity (the sorting effect).
 * @param[in]  model   A model of kind ::SCRM_CLV_SBG.
 * @param[in]  t       Periods (finite, >= 1).
 * @param[in]  n       Number of values in @p t.
 * @param[out] out     Caller buffer of @p n values.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len @p n (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL argument, a model of another kind, or t < 1.
 * @retval SCRM_EBUFS  @p cap < @p n.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_sbg_retention(const scrm_clv_model *model, const double *t, size_t n,
                                    double *out, size_t cap, size_t *out_len);

/**
 * @brief Discounted expected residual lifetime (DERL), in periods.
 *
 * Fader & Hardie (2010), eq. 6: for a customer who has made n - 1 renewals and
 * is about to decide on the n-th,
 * DERL = B(alpha, beta + n) / B(alpha, beta + n - 1) 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d)),
 * the expected number of further payments, each discounted at d per period
 * (the next one, received at the coming renewal, undiscounted). Multiplied by
 * the margin per period it is the customer's residual lifetime value. With
 * d = 0 and alpha > 1 it is (beta + n - 1) / (alpha - 1).
 * @param[in]  model    A model of kind ::SCRM_CLV_SBG.
 * @param[in]  discount d per period: > 0, or 0 when alpha > 1.
 * @param[in]  renewals Renewals made so far (n - 1 above): integers >= 0.
 * @param[in]  n        Number of values in @p renewals.
 * @param[out] out      Caller buffer of @p n values.
 * @param[in]  cap      Entries available in @p out.
 * @param[out] out_len  @p n (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL argument, a model of another kind, NaN discount,
 *                     or a renewal count that is negative or not an integer.
 * @retval SCRM_EDOM   The sum diverges (d < 0, or d = 0 with alpha <= 1).
 * @retval SCRM_EBUFS  @p cap < @p n.
 * @note Thread-safety: read-only on @p model.
 */
SCRM_API int scrm_clv_sbg_derl(const scrm_clv_model *model, double discount,
                               const double *renewals, size_t n, double *out, size_t cap,
                               size_t *out_len);

/** @} */

/** @defgroup rfm_hist Customer base: mergeable RFM histogram
 *  A mergeable accumulator of weighted distinct (x, t_x, T) rows: the input
 *  the BG/NBD, MBG/NBD, Pareto/NBD and BG/BB likelihoods need, since they
 *  depend on a customer only through (x, t_x, T) (Fader, Hardie & Lee 2005,
 *  "Counting your customers the easy way", Marketing Science 24(2)). Build one
 *  histogram per partition (thread, process, database worker), merge them,
 *  then fit with scrm_rfm_hist_fit() on the merged rows. It follows the
 *  accumulator protocol of the KPI calculators: new / add / merge / serialize /
 *  deserialize / rows / reset / free.
 *
 *  Weights are summed per row with compensated (Neumaier) summation, so
 *  merging the histograms of any split of the data gives exactly the rows and
 *  weights of one pass when the weights are integers (below 2^53 in total), and
 *  agrees to a few units in the last place otherwise. A row is identified by the
 *  bit patterns of x, t_x and T (-0.0 counts as 0.0).
 *  @{ */

/** @brief A mergeable histogram of weighted (x, t_x, T) rows (opaque). */
typedef struct scrm_rfm_hist scrm_rfm_hist;

/** Current version of ::scrm_rfm_hist_options. */
#define SCRM_RFM_HIST_OPTIONS_VERSION 1

/** @brief Options of an RFM histogram. */
typedef struct scrm_rfm_hist_options {
    unsigned int version; /**< Must be ::SCRM_RFM_HIST_OPTIONS_VERSION. */
    /** Most distinct rows the histogram may hold; an add or merge that would
     *  exceed it fails with ::SCRM_ELIMIT and changes nothing. 0 (default) =
     *  the built-in limit of 2^32 - 2 rows; larger values are capped to it. */
    uint64_t max_rows;
} scrm_rfm_hist_options;

/** Static initialiser with the defaults. */
#define SCRM_RFM_HIST_OPTIONS_INIT { SCRM_RFM_HIST_OPTIONS_VERSION, 0 }

/**
 * @brief Initialise RFM histogram options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_RFM_HIST_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_rfm_hist_options_init(scrm_rfm_hist_options *opts, unsigned int version);

/** @brief Size of an RFM histogram (scrm_rfm_hist_get_info()). */
typedef struct scrm_rfm_hist_info {
    uint64_t rows;       /**< Distinct (x, t_x, T) rows. */
    double total_weight; /**< Sum of the weights (customers), compensated sum over the rows. */
    uint64_t max_rows;   /**< The limit in force (the option, or 2^32 - 2 when it is 0). */
} scrm_rfm_hist_info;

/**
 * @brief Create an empty RFM histogram.
 * @param[out] out  New histogram; NULL on failure. Free with scrm_rfm_hist_free().
 * @param[in]  opts Options or NULL for defaults.
 * @retval SCRM_OK       Created.
 * @retval SCRM_EINVAL   NULL @p out.
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_rfm_hist_new(scrm_rfm_hist **out, const scrm_rfm_hist_options *opts);

/**
 * @brief Release a histogram. NULL is a no-op.
 * @param[in] hist Histogram or NULL.
 */
SCRM_API void scrm_rfm_hist_free(scrm_rfm_hist *hist);

/**
 * @brief Forget every row (the options stay).
 * @param[in,out] hist Histogram.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL @p hist.
 * @note Thread-safety: not thread-safe on the same handle.
 */
SCRM_API int scrm_rfm_hist_reset(scrm_rfm_hist *hist);

/**
 * @brief Add customers given as parallel arrays.
 *
 * Every row is validated before anything is added: x, t_x, T and the weight
 * must be finite, x >= 0, 0 <= t_x <= T, t_x = 0 when x = 0, and
 * 0 < weight <= 1e270 (so that summed weights cannot overflow). On any error
 * nothing from the call is added.
 * @param[in,out] hist   Histogram.
 * @param[in]     x      Frequencies (repeat purchases).
 * @param[in]     t_x    Recencies.
 * @param[in]     T      Ages.
 * @param[in]     weight Customers each row stands for, or NULL for 1 each.
 * @param[in]     n      Number of rows (0 adds nothing; the arrays may then be NULL).
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL @p hist, a NULL array with @p n > 0, or a bad row
 *                     (the message names the row index and the field).
 * @retval SCRM_ELIMIT More distinct rows than scrm_rfm_hist_options::max_rows.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Ownership: the arrays are read during the call only.
 * @note Thread-safety: not thread-safe on the same handle; use one histogram
 *       per thread and scrm_rfm_hist_merge().
 */
SCRM_API int scrm_rfm_hist_add(scrm_rfm_hist *hist, const double *x, const double *t_x,
                               const double *T, const double *weight, size_t n);

/**
 * @brief Add every customer of an RFM summary (weight 1 each), as
 *        scrm_rfm_hist_add() with its frequency, recency and age columns.
 * @param[in,out] hist Histogram.
 * @param[in]     rfm  Summary.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_ELIMIT Too many distinct rows (nothing added).
 * @retval SCRM_ENOMEM Out of memory (nothing added).
 * @note Thread-safety: reads @p rfm only; not thread-safe on @p hist.
 */
SCRM_API int scrm_rfm_hist_add_rfm(scrm_rfm_hist *hist, const scrm_rfm *rfm);

/**
 * @brief Add the rows of @p other into @p hist (weights of equal rows add).
 * @param[in,out] hist  Histogram.
 * @param[in]     other Histogram with the same options (may be @p hist itself:
 *                      every weight doubles).
 * @retval SCRM_OK     Merged.
 * @retval SCRM_EINVAL NULL argument or different options.
 * @retval SCRM_ERANGE A summed weight would overflow a double (nothing changed).
 * @retval SCRM_ELIMIT The union has too many distinct rows (nothing changed).
 * @retval SCRM_ENOMEM Out of memory (nothing changed).
 * @note Thread-safety: reads @p other only; not thread-safe on @p hist.
 */
SCRM_API int scrm_rfm_hist_merge(scrm_rfm_hist *hist, const scrm_rfm_hist *other);

/**
 * @brief Serialize the histogram (options and rows) into versioned,
 *        endian-independent bytes with a CRC.
 *
 * Rows are written sorted by x, t_x, T, so equal histograms give equal bytes.
 * @param[in]  hist    Histogram.
 * @param[out] buf     Caller buffer; may be NULL when @p cap is 0 (to measure).
 * @param[in]  cap     Bytes available in @p buf.
 * @param[out] out_len Bytes written, or needed on ::SCRM_EBUFS.
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL @p hist or @p out_len.
 * @retval SCRM_EBUFS  @p cap is too small (@p out_len has the size).
 * @retval SCRM_ENOMEM Out of memory (for the sort).
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_rfm_hist_serialize(const scrm_rfm_hist *hist, uint8_t *buf, size_t cap,
                                     size_t *out_len);

/**
 * @brief Restore a histogram from scrm_rfm_hist_serialize() bytes.
 *
 * Every row is validated as scrm_rfm_hist_add() does; rows must be strictly
 * ascending (no duplicates) and within the stored row limit.
 * @param[out] out New histogram; NULL on failure. Free with scrm_rfm_hist_free().
 * @param[in]  buf Bytes.
 * @param[in]  len Number of bytes.
 * @retval SCRM_OK       Restored.
 * @retval SCRM_EINVAL   NULL @p out or @p buf.
 * @retval SCRM_ECORRUPT Truncated or corrupted bytes, a bad row, a duplicate
 *                       or unsorted row, or not an RFM histogram.
 * @retval SCRM_EVERSION A newer format version than this library knows.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_rfm_hist_deserialize(scrm_rfm_hist **out, const uint8_t *buf, size_t len);

/**
 * @brief Size of the histogram: distinct rows, total weight, row limit.
 * @param[in]  hist Histogram.
 * @param[out] out  Filled on success.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_rfm_hist_get_info(const scrm_rfm_hist *hist, scrm_rfm_hist_info *out);

/**
 * @brief The distinct rows and their weights, sorted by x, then t_x, then T
 *        (the contract of scrm_rfm_collapse()).
 * @param[in]  hist    Histogram.
 * @param[out] x       Frequencies.
 * @param[out] t_x     Recencies.
 * @param[out] T       Ages.
 * @param[out] weight  Summed weight of each row.
 * @param[in]  cap     Entries available in each buffer; each buffer may be NULL when @p cap is 0.
 * @param[out] out_len Number of distinct rows (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL @p hist or @p out_len, or a NULL buffer with @p cap > 0.
 * @retval SCRM_EBUFS  @p cap is smaller than the number of rows (nothing written).
 * @retval SCRM_ENOMEM Out of memory (for the sort).
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_rfm_hist_rows(const scrm_rfm_hist *hist, double *x, double *t_x, double *T,
                                double *weight, size_t cap, size_t *out_len);

/**
 * @brief Fit a customer-base model on the histogram's rows.
 *
 * Equivalent to scrm_clv_model_fit() with a ::scrm_clv_data whose frequency,
 * recency, age and weights are the sorted rows of scrm_rfm_hist_rows(), so the
 * result does not depend on how the histogram was split and merged. Kinds
 * that read only these columns apply: ::SCRM_CLV_BGNBD, ::SCRM_CLV_MBGNBD,
 * ::SCRM_CLV_PARETO_NBD, ::SCRM_CLV_BGBB (integer rows) and ::SCRM_CLV_SBG
 * (frequency = renewals, age = opportunities); ::SCRM_CLV_GAMMA_GAMMA needs
 * monetary values and is refused.
 * @param[out] out    New model; NULL on failure. Free with scrm_clv_model_free().
 * @param[in]  kind   ::scrm_clv_kind.
 * @param[in]  hist   Histogram.
 * @param[in]  opts   Fit options or NULL for defaults.
 * @param[out] result As for scrm_clv_model_fit(); may be NULL.
 * @return The status of scrm_clv_model_fit() (::SCRM_OK, ::SCRM_EMAXITER,
 *         ::SCRM_ELOSS, ...).
 * @retval SCRM_EINVAL  NULL @p out or @p hist, unknown kind, Gamma-Gamma, or a
 *                      row the kind refuses.
 * @retval SCRM_ENODATA The histogram is empty.
 * @retval SCRM_ENOMEM  Out of memory.
 * @note Thread-safety: read-only on @p hist.
 */
SCRM_API int scrm_rfm_hist_fit(scrm_clv_model **out, int32_t kind, const scrm_rfm_hist *hist,
                               const scrm_clv_fit_options *opts, scrm_clv_fit_result *result);

/** @} */

/* ---- end section: customer-base ---- */

/* ---- section: crv ---- */

/** @defgroup crv Customer referral value (CRV)
 *  The value a customer brings through the customers they refer, after Kumar,
 *  Petersen & Leone (2007), "How valuable is word of mouth?", Harvard Business
 *  Review 85(10):139-146, and Kumar, Petersen & Leone (2010), "Driving
 *  profitability by encouraging customer referrals: who, when, and how",
 *  Journal of Marketing 74(5):1-17.
 *
 *  Form implemented (the HBR 2007 "calculating CRV" structure, per referrer i,
 *  over T periods at discount rate r per period):
 *
 *      CRV_i = sum_t sum_{y in n1} (A_ty - a_ty - M_ty + ACQ1_ty) / (1+r)^t
 *            + sum_t sum_{y in n2} ACQ2_ty / (1+r)^t
 *
 *  where n1 are the referees who would not have become customers without the
 *  referral (their contribution margin A, less the referral incentive a and the
 *  marketing cost M of retaining them, plus the acquisition cost ACQ1 the
 *  referral saved) and n2 those who would have joined anyway (only the
 *  acquisition cost saved, ACQ2). Which group a referee belongs to is rarely
 *  known, so each referee carries a probability p of being in n1 (by default
 *  1 - the share who would have joined anyway, an input) and contributes the
 *  expectation p (A - a - M + ACQ) + (1 - p) ACQ. Periods are counted from the
 *  referral: period 1 is the one containing it and is discounted once; the
 *  incentive and the acquisition saving fall in period 1. Kumar et al. used
 *  monthly periods and a one-year horizon (the defaults here).
 *
 *  Note: the exact symbols were checked against secondary reproductions of the
 *  HBR exhibit (the original text was not available); the two-group structure
 *  (incremental referees credited with their margin and the acquisition saving,
 *  the others with the saving only) is as the authors describe it.
 *
 *  The calculator is a mergeable accumulator (per-referrer compensated sums).
 *  @{ */

/** @brief A CRV calculator: per-referrer accumulated referral value (opaque). */
typedef struct scrm_crv scrm_crv;

/** @brief Where the acquisition cost saved per referee comes from. */
enum scrm_crv_acquisition {
    SCRM_CRV_ACQUISITION_FIXED = 1,    /**< scrm_crv_options::acquisition_saving for every referee (default). */
    SCRM_CRV_ACQUISITION_CUSTOMERS = 2 /**< Datasets: the mean `acquisition_cost` of customers who were not referred. */
};

/** @brief Where a referee's contribution margin comes from (datasets). */
enum scrm_crv_source {
    SCRM_CRV_SOURCE_MARGIN = 1, /**< The transactions' `margin` column (default); a referee transaction without one is an error. */
    SCRM_CRV_SOURCE_AMOUNT = 2  /**< The `amount` column times scrm_crv_options::margin_rate. */
};

/** Current version of ::scrm_crv_options. */
#define SCRM_CRV_OPTIONS_VERSION 1

/** @brief Options of a CRV calculator. Two calculators merge only with equal options. */
typedef struct scrm_crv_options {
    unsigned int version;       /**< Must be ::SCRM_CRV_OPTIONS_VERSION. */
    int32_t period;             /**< ::scrm_period of one period; default ::SCRM_PERIOD_MONTH. */
    uint32_t horizon;           /**< Periods T counted after each referral, 1..1200; default 12. */
    double discount_rate;       /**< r per period, > -1; default 0.01. */
    double share_anyway;        /**< Share of referees who would have joined anyway, [0, 1]; default 0. */
    int32_t acquisition_source; /**< ::scrm_crv_acquisition; default ::SCRM_CRV_ACQUISITION_FIXED. */
    double acquisition_saving;  /**< ACQ per referee (>= 0) with ::SCRM_CRV_ACQUISITION_FIXED; default 0. */
    double retention_cost;      /**< M per referee and active period (>= 0); default 0. */
    int32_t margin_source;      /**< ::scrm_crv_source (datasets); default ::SCRM_CRV_SOURCE_MARGIN. */
    double margin_rate;         /**< Margin share of `amount` with ::SCRM_CRV_SOURCE_AMOUNT, finite; default 1. */
    int64_t observation_end;    /**< Datasets: end of the data; ::SCRM_TIME_NONE (default) = the latest transaction or referral. */
} scrm_crv_options;

/** Static initialiser with the defaults. */
#define SCRM_CRV_OPTIONS_INIT                                                           \
    { SCRM_CRV_OPTIONS_VERSION, SCRM_PERIOD_MONTH, 12, 0.01, 0.0,                      \
      SCRM_CRV_ACQUISITION_FIXED, 0.0, 0.0, SCRM_CRV_SOURCE_MARGIN, 1.0, SCRM_TIME_NONE }

/**
 * @brief Initialise CRV options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_CRV_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_crv_options_init(scrm_crv_options *opts, unsigned int version);

/** @brief Totals of a CRV calculator (scrm_crv_finalize()). Money values are present values. */
typedef struct scrm_crv_result {
    uint64_t referrers;            /**< Referrers with at least one counted referee. */
    double referees;               /**< Referees counted (converted referrals). */
    double incremental_referees;   /**< Expected referees who would not have joined otherwise (sum of p). */
    double value;                  /**< Sum of CRV over referrers. */
    double mean_value;             /**< value / referrers (0 without referrers). */
    double margin;                 /**< Discounted referee margins, weighted by p. */
    double retention_cost;         /**< Discounted retention costs, weighted by p. */
    double incentive_cost;         /**< Discounted referral incentives, weighted by p. */
    double acquisition_saving;     /**< Discounted acquisition costs saved (all referees). */
    uint64_t referrals;            /**< Datasets: referral rows read. */
    uint64_t not_converted;        /**< Datasets: referral rows without a converted referee (no value). */
    uint64_t duplicates;           /**< Datasets: later referrals of an already counted referee (ignored). */
    uint64_t after_end;            /**< Datasets: referrals after the observation end (ignored). */
} scrm_crv_result;

/** @brief Per-referrer columns, read with scrm_crv_column(). */
enum scrm_crv_column {
    SCRM_CRV_VALUE = 1,              /**< CRV = margin - retention cost - incentive cost + acquisition saving. */
    SCRM_CRV_MARGIN = 2,             /**< Discounted referee margins, weighted by p. */
    SCRM_CRV_RETENTION_COST = 3,     /**< Discounted retention costs, weighted by p. */
    SCRM_CRV_INCENTIVE_COST = 4,     /**< Discounted incentives, weighted by p. */
    SCRM_CRV_ACQUISITION_SAVING = 5, /**< Discounted acquisition costs saved. */
    SCRM_CRV_REFEREES = 6,           /**< Referees counted. */
    SCRM_CRV_INCREMENTAL = 7         /**< Sum of p over the referees. */
};

/**
 * @brief Create an empty CRV calculator.
 * @param[out] out  New calculator; NULL on failure. Free with scrm_crv_free().
 * @param[in]  opts Options or NULL for defaults.
 * @retval SCRM_OK       Created.
 * @retval SCRM_EINVAL   NULL @p out or an option out of range.
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_crv_new(scrm_crv **out, const scrm_crv_options *opts);

/**
 * @brief Release a calculator. NULL is a no-op.
 * @param[in] crv Calculator or NULL.
 */
SCRM_API void scrm_crv_free(scrm_crv *crv);

/**
 * @brief The options a calculator was made with.
 * @param[in]  crv Calculator.
 * @param[out] out Options.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_crv_get_options(const scrm_crv *crv, scrm_crv_options *out);

/** @brief Forget everything added (options are kept). @param[in,out] crv Calculator (NULL: no-op). */
SCRM_API void scrm_crv_reset(scrm_crv *crv);

/**
 * @brief Add converted referees, one per entry, to their referrers.
 *
 * For referee y with probability p_y of being incremental, m_y active periods
 * and discount factors v_k = (1 + r)^-k:
 * margin += p_y sum_{k<=m_y} A_yk v_k; retention cost += p_y M sum_{k<=m_y} v_k;
 * incentive cost += p_y a_y v_1; acquisition saving += ACQ_y v_1.
 * Either every entry is added or, on error, none.
 * @param[in,out] crv        Calculator.
 * @param[in]     referrer   Referrer key of each referee (any int64 ids).
 * @param[in]     margins    Row-major n x horizon matrix: A_yk, the referee's
 *                           margin in period k = 1..horizon (finite); NULL = all 0.
 * @param[in]     active     Active periods m_y (0..horizon) of each referee:
 *                           periods observed or projected, which carry margins
 *                           and retention costs; NULL = horizon for all.
 * @param[in]     incentive  a_y: referral incentive paid (finite, >= 0); NULL = 0.
 * @param[in]     acquisition ACQ_y: acquisition cost saved (finite, >= 0); NULL =
 *                           scrm_crv_options::acquisition_saving.
 * @param[in]     incremental p_y in [0, 1]; NULL = 1 - scrm_crv_options::share_anyway.
 * @param[in]     n          Number of referees.
 * @retval SCRM_OK     Added.
 * @retval SCRM_EINVAL NULL @p crv, NULL @p referrer with n > 0, or a bad value
 *                     (the message names the entry).
 * @retval SCRM_ENOMEM Out of memory (nothing added).
 * @note Ownership: inputs are read during the call only.
 * @note Thread-safety: modifies @p crv.
 */
SCRM_API int scrm_crv_add(scrm_crv *crv, const int64_t *referrer, const double *margins,
                          const uint32_t *active, const double *incentive,
                          const double *acquisition, const double *incremental, size_t n);

/**
 * @brief Add another calculator's referrers into @p crv (exact: sums merge).
 * @param[in,out] crv   Destination.
 * @param[in]     other Source (unchanged; may not be @p crv).
 * @retval SCRM_OK     Merged.
 * @retval SCRM_EINVAL NULL argument, the same handle twice, or different options.
 * @retval SCRM_ENOMEM Out of memory (@p crv unchanged).
 * @note Thread-safety: modifies @p crv, reads @p other.
 */
SCRM_API int scrm_crv_merge(scrm_crv *crv, const scrm_crv *other);

/**
 * @brief Save the state as a versioned, checksummed byte string.
 * @param[in]  crv     Calculator.
 * @param[out] buf     Destination, or NULL with @p cap 0 to measure.
 * @param[in]  cap     Size of @p buf.
 * @param[out] out_len Bytes written, or needed on ::SCRM_EBUFS.
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL @p crv or @p out_len.
 * @retval SCRM_EBUFS  @p cap too small.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_crv_serialize(const scrm_crv *crv, uint8_t *buf, size_t cap, size_t *out_len);

/**
 * @brief Restore a calculator saved with scrm_crv_serialize().
 * @param[out] out New calculator; NULL on failure. Free with scrm_crv_free().
 * @param[in]  buf Bytes.
 * @param[in]  len Number of bytes.
 * @retval SCRM_OK       Restored.
 * @retval SCRM_EINVAL   NULL argument.
 * @retval SCRM_ECORRUPT Truncated, altered or inconsistent bytes.
 * @retval SCRM_EVERSION A newer format.
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_crv_deserialize(scrm_crv **out, const uint8_t *buf, size_t len);

/**
 * @brief Totals over all referrers.
 * @param[in]  crv Calculator.
 * @param[out] out Totals.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_crv_finalize(const scrm_crv *crv, scrm_crv_result *out);

/**
 * @brief Referrer keys in ascending order (the row order of scrm_crv_column()).
 * @param[in]  crv     Calculator.
 * @param[out] out     Caller buffer; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available.
 * @param[out] out_len Number of referrers (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL @p crv or @p out_len.
 * @retval SCRM_EBUFS  @p cap too small.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_crv_referrers(const scrm_crv *crv, int64_t *out, size_t cap, size_t *out_len);

/**
 * @brief One per-referrer column, rows in ascending key order.
 * @param[in]  crv     Calculator.
 * @param[in]  column  ::scrm_crv_column.
 * @param[out] out     Caller buffer; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available.
 * @param[out] out_len Number of referrers (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL argument or unknown column.
 * @retval SCRM_EBUFS  @p cap too small.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_crv_column(const scrm_crv *crv, int32_t column, double *out, size_t cap,
                             size_t *out_len);

/**
 * @brief CRV of given customers (0 for customers who referred nobody), to put
 *        next to their CLV.
 * @param[in]  crv       Calculator.
 * @param[in]  customers Customer keys (same key space as the referrers).
 * @param[in]  n         Number of customers.
 * @param[out] out       Caller buffer of @p n values.
 * @param[in]  cap       Entries available.
 * @param[out] out_len   @p n (also on ::SCRM_EBUFS).
 * @retval SCRM_OK     Written.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_EBUFS  @p cap < @p n.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_crv_lookup(const scrm_crv *crv, const int64_t *customers, size_t n,
                             double *out, size_t cap, size_t *out_len);

/**
 * @brief Compute from a dataset: reset, add the referrals table, finalize.
 *
 * A referral counts when it has a referee and `converted` is not false; a
 * referee referred more than once counts for the earliest referral. Its
 * margins are its transactions from the referral time on, summed per period
 * (period 1 contains the referral), over the horizon; periods that start
 * after the observation end are not active (no margin, no retention cost).
 * The incentive is the referral's `incentive_cost` (missing = 0). Keys are
 * the dataset's interned ids of the referrer strings (scrm_dataset_string()).
 * @param[in,out] crv Calculator (reset first).
 * @param[in]     ds  Dataset with referrals and transactions (and customers
 *                    for ::SCRM_CRV_ACQUISITION_CUSTOMERS).
 * @param[out]    out Totals; may be NULL.
 * @retval SCRM_OK      Computed.
 * @retval SCRM_EINVAL  NULL argument, or a referee transaction without a
 *                      margin under ::SCRM_CRV_SOURCE_MARGIN.
 * @retval SCRM_ENODATA No referrals, or no non-referred customer with an
 *                      acquisition cost under ::SCRM_CRV_ACQUISITION_CUSTOMERS.
 * @retval SCRM_ENOMEM  Out of memory.
 * @note Ownership: nothing of @p ds is kept.
 * @note Thread-safety: modifies @p crv, reads @p ds.
 */
SCRM_API int scrm_crv_compute(scrm_crv *crv, const scrm_dataset *ds, scrm_crv_result *out);

/** @brief Kumar, Petersen & Leone's (2007) customer segments by CLV and CRV. */
enum scrm_crv_segment {
    SCRM_CRV_CHAMPION = 1, /**< High CLV, high CRV. */
    SCRM_CRV_AFFLUENT = 2, /**< High CLV, low CRV. */
    SCRM_CRV_ADVOCATE = 3, /**< Low CLV, high CRV. */
    SCRM_CRV_MISER = 4     /**< Low CLV, low CRV. */
};

/** @brief How a high/low threshold is chosen. */
enum scrm_crv_split {
    SCRM_CRV_SPLIT_MEDIAN = 1, /**< The median of the values given (default). */
    SCRM_CRV_SPLIT_MEAN = 2,   /**< Their mean. */
    SCRM_CRV_SPLIT_VALUE = 3   /**< A fixed threshold from the options. */
};

/** Current version of ::scrm_crv_segment_options. */
#define SCRM_CRV_SEGMENT_OPTIONS_VERSION 1

/**
 * @brief Options of scrm_crv_segments().
 *
 * A value is "high" when it is strictly above its threshold. With the median
 * split at most half the customers are high on each axis; when more than half
 * have a CRV of 0 (usual: most customers refer nobody), the CRV median is 0 and
 * every customer with a positive CRV is high.
 */
typedef struct scrm_crv_segment_options {
    unsigned int version;  /**< Must be ::SCRM_CRV_SEGMENT_OPTIONS_VERSION. */
    int32_t clv_split;     /**< ::scrm_crv_split for CLV; default ::SCRM_CRV_SPLIT_MEDIAN. */
    double clv_threshold;  /**< CLV threshold with ::SCRM_CRV_SPLIT_VALUE. */
    int32_t crv_split;     /**< ::scrm_crv_split for CRV; default ::SCRM_CRV_SPLIT_MEDIAN. */
    double crv_threshold;  /**< CRV threshold with ::SCRM_CRV_SPLIT_VALUE. */
} scrm_crv_segment_options;

/** Static initialiser with the defaults (median splits). */
#define SCRM_CRV_SEGMENT_OPTIONS_INIT \
    { SCRM_CRV_SEGMENT_OPTIONS_VERSION, SCRM_CRV_SPLIT_MEDIAN, 0.0, SCRM_CRV_SPLIT_MEDIAN, 0.0 }

/**
 * @brief Initialise segment options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_CRV_SEGMENT_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_crv_segment_options_init(scrm_crv_segment_options *opts, unsigned int version);

/** @brief Thresholds used and per-segment counts and means (index = segment - 1). */
typedef struct scrm_crv_segment_summary {
    double clv_threshold;  /**< CLV threshold used. */
    double crv_threshold;  /**< CRV threshold used. */
    uint64_t count[4];     /**< Customers per segment: champions, affluents, advocates, misers. */
    double clv_mean[4];    /**< Mean CLV per segment (0 when empty). */
    double crv_mean[4];    /**< Mean CRV per segment (0 when empty). */
} scrm_crv_segment_summary;

/**
 * @brief Assign Kumar's four segments from per-customer CLV and CRV.
 * @param[in]  clv     CLV per customer (finite).
 * @param[in]  crv     CRV per customer (finite), e.g. from scrm_crv_lookup().
 * @param[in]  n       Number of customers (>= 1).
 * @param[in]  opts    Options or NULL for median splits.
 * @param[out] segment ::scrm_crv_segment per customer; may be NULL (summary only).
 * @param[in]  cap     Entries available in @p segment.
 * @param[out] out_len @p n (also on ::SCRM_EBUFS).
 * @param[out] summary Thresholds, counts and means; may be NULL.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   NULL input, a non-finite value or threshold, or an unknown split.
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ENODATA  @p n is 0.
 * @retval SCRM_EBUFS    @p segment given and @p cap < @p n.
 * @retval SCRM_ENOMEM   Out of memory (median).
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_crv_segments(const double *clv, const double *crv, size_t n,
                               const scrm_crv_segment_options *opts, int32_t *segment,
                               size_t cap, size_t *out_len, scrm_crv_segment_summary *summary);

/** @} */


/* ---- end section: crv ---- */

/* ---- section: roi ---- */

/** @defgroup finance ROI: finance primitives
 *  Reentrant functions on cash-flow arrays, named `scrm_finance_<what>` (the
 *  `scrm_roi_` prefix belongs to the business-case models below). Convention
 *  throughout: `flows[0]`
 *  occurs at time 0 (now, undiscounted) and `flows[t]` at the end of period
 *  t, discounted by (1 + rate)^t, as in numpy-financial's `npv`/`irr`
 *  (numpy_financial/_financial.py). Spreadsheet NPV() treats its first value as
 *  occurring at the end of period 1 instead: Excel/LibreOffice
 *  `NPV(r, v1..vn)` equals scrm_finance_npv() of `{0, v1, ..., vn}`, and
 *  `NPV(r, v1..vn) + v0` equals scrm_finance_npv() of `{v0, v1, ..., vn}`
 *  (Microsoft, "NPV function"; ECMA-376 Part 1, 18.17.7.226). Rates are per
 *  period of the flows; scrm_finance_rate_per_period() converts an annual rate.
 *  @{ */

/**
 * @brief Net present value: sum over t of flows[t] / (1 + rate)^t.
 *
 * Discount factors are built by repeated multiplication with 1/(1 + rate)
 * (relative error below n ulps) and summed with compensated (Neumaier)
 * summation. Example (numpy-financial documentation): rate 0.08, flows
 * {-40000, 5000, 8000, 12000, 30000} give 3065.2226681795255.
 * @param[in]  rate  Discount rate per period, > -1.
 * @param[in]  flows @p n cash flows, flows[0] at time 0; may be NULL if @p n is 0.
 * @param[in]  n     Number of flows (0 gives 0).
 * @param[out] out   The NPV.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL @p out, NULL @p flows with @p n > 0, a NaN rate or a
 *                     non-finite flow (the message names its index).
 * @retval SCRM_EDOM   @p rate <= -1 or infinite.
 * @retval SCRM_ERANGE The sum overflows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_finance_npv(double rate, const double *flows, size_t n, double *out);

/**
 * @brief Every internal rate of return: all r > -1 with scrm_finance_npv(r, flows) = 0.
 *
 * Robust instead of guess-dependent (unlike spreadsheet IRR() and
 * numpy-financial's Newton iteration): with x = 1/(1 + r) the NPV is the
 * polynomial sum flows[t] x^t, whose positive roots lie between the Fujiwara
 * bounds of the polynomial and of its reverse. That interval is scanned on a
 * grid of 4,096 points in log x; every sign change is refined with Brent's
 * method (Brent 1973, "Algorithms for Minimization without Derivatives",
 * ch. 4) to full precision, and every grid point where |NPV| has a local
 * minimum without a sign change is searched (golden section) for a pair of
 * close roots or a double root. So the count is 0 when no IRR exists (e.g. all
 * flows of one sign), 1 when it is unique and several when the flows change
 * sign more than once and several rates give NPV 0 (Descartes' rule of signs:
 * at most one root per sign change). Never pick one of several roots
 * silently: report them all and let the caller decide. Two distinct roots
 * closer than the grid spacing (about 0.1% in 1 + r for typical flows) can be
 * reported as one double root. Roots lie in r > -1; one closer to -1 than a
 * double can resolve (huge early flows against small later ones) rounds to -1.
 *
 * Examples (numpy-financial documentation, rounded there to 5 digits):
 * {-100, 39, 59, 55, 20} -> 0.2809484211599611; {-100, 0, 0, 74} ->
 * -0.09549583034897258; {-100, 100, 0, -7} -> -0.08329966618493256.
 * @param[in]  flows   @p n cash flows, flows[0] at time 0.
 * @param[in]  n       Number of flows, >= 1.
 * @param[out] roots   Receives the roots in ascending order (per period); may be
 *                     NULL when @p cap is 0.
 * @param[in]  cap     Entries available in @p roots.
 * @param[out] n_roots Number of roots found (0 none, 1 unique, > 1 several).
 * @retval SCRM_OK     Done (also when there is no root: *n_roots = 0).
 * @retval SCRM_EBUFS  More roots than @p cap; *n_roots is the number needed and
 *                     the first @p cap roots are written.
 * @retval SCRM_EINVAL NULL argument, @p n = 0 or a non-finite flow.
 * @retval SCRM_EDOM   All flows are zero: every rate is a root.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_finance_irr(const double *flows, size_t n, double *roots, size_t cap,
                              size_t *n_roots);

/** @brief Result of scrm_finance_payback() and scrm_finance_discounted_payback(). */
typedef struct scrm_finance_payback_result {
    int32_t reached;      /**< 1 if the cumulative flow recovers (>= 0) within the flows, else 0. */
    int32_t stays;        /**< 1 if, once recovered, the cumulative flow never falls below 0 again. */
    int64_t whole_period; /**< First period k with cumulative flow >= 0 after being negative (0 if never negative); -1 if not reached. */
    double period;        /**< Payback in periods, interpolated within period k: (k - 1) + (-cum[k-1]) / flow[k]; +infinity if not reached. */
} scrm_finance_payback_result;

/**
 * @brief Payback period: when the cumulative cash flow first recovers.
 *
 * With cum[k] = flows[0] + ... + flows[k], the payback is the first k with
 * cum[k-1] < 0 <= cum[k], interpolated linearly within period k (the flow of
 * period k assumed to arrive evenly over it): (k - 1) + (-cum[k-1]) / flows[k].
 * If the cumulative flow is never negative the payback is 0. Later outlays can
 * push it below zero again: scrm_finance_payback_result::stays says whether that happens.
 * Example: {-100, 39, 59, 55, 20} -> 2.036363636363636 (cum -100, -61, -2, 53).
 * @param[in]  flows @p n cash flows, flows[0] at time 0.
 * @param[in]  n     Number of flows, >= 1.
 * @param[out] out   Result.
 * @retval SCRM_OK     Done (also when not reached).
 * @retval SCRM_EINVAL NULL argument, @p n = 0 or a non-finite flow.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_finance_payback(const double *flows, size_t n,
                                  scrm_finance_payback_result *out);

/**
 * @brief Discounted payback: scrm_finance_payback() of flows[t] / (1 + rate)^t.
 *
 * Example: {-100, 39, 59, 55, 20} at 10% per period -> 2.382.
 * @param[in]  flows @p n cash flows, flows[0] at time 0.
 * @param[in]  n     Number of flows, >= 1.
 * @param[in]  rate  Discount rate per period, > -1.
 * @param[out] out   Result.
 * @retval SCRM_OK     Done (also when not reached).
 * @retval SCRM_EINVAL NULL argument, @p n = 0, a non-finite flow or a NaN rate.
 * @retval SCRM_EDOM   @p rate <= -1 or infinite.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_finance_discounted_payback(const double *flows, size_t n, double rate,
                                             scrm_finance_payback_result *out);

/**
 * @brief Convert an annual rate to the equivalent rate per period.
 *
 * Compound equivalence: (1 + rate_per_year)^(1 / periods_per_year) - 1, e.g.
 * 10% a year is 0.7974% a month. Computed as expm1(log1p(r) / k) for accuracy
 * at small rates.
 * @param[in]  rate_per_year    Annual rate, > -1.
 * @param[in]  periods_per_year Periods in a year, > 0 (12 months, 4 quarters;
 *                              scrm_finance_periods_per_year()).
 * @param[out] out              Rate per period.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL @p out, NaN arguments, or @p periods_per_year <= 0 or infinite.
 * @retval SCRM_EDOM   @p rate_per_year <= -1 or infinite.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_finance_rate_per_period(double rate_per_year, double periods_per_year,
                                          double *out);

/**
 * @brief Number of periods of a kind in one year.
 *
 * Month 12, quarter 4, year 1; week 365.2425 / 7 and day 365.2425 (the mean
 * Gregorian year).
 * @param[in]  period ::scrm_period.
 * @param[out] out    Periods per year.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL Unknown period or NULL @p out.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_finance_periods_per_year(int32_t period, double *out);

/**
 * @brief Return on investment: (benefits - costs) / costs.
 *
 * Example: benefits 150, costs 100 -> 0.5 (50%). Pass present values for the
 * PV-based ROI of Forrester's Total Economic Impact presentations.
 * @param[in]  benefits Total benefits (finite).
 * @param[in]  costs    Total costs, > 0.
 * @param[out] out      The ROI as a fraction.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL @p out or a non-finite argument.
 * @retval SCRM_EDOM   @p costs <= 0 (ROI undefined).
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_finance_roi(double benefits, double costs, double *out);

/** @} */

/** @defgroup roi_model ROI: business-case models
 *  A `scrm_roi_model` is a program's business case: cost and benefit lines
 *  over a horizon of months, quarters or years, discounted at an annual rate.
 *
 *  Timeline: time 0 is the start (an upfront investment, undiscounted); flow t
 *  (t = 1..horizon) is everything that happens in period t, booked at the end
 *  of period t and discounted by (1 + i)^-t, where i is the annual rate
 *  converted per period with scrm_finance_rate_per_period(). The flow vectors
 *  have horizon + 1 entries, so scrm_finance_npv(), scrm_finance_irr() and
 *  scrm_finance_payback() apply to them directly. A line is active from its `first` to its `last` period
 *  (0 = time 0; `first == last` is a one-off), its value in period p is
 *  base * (1 + growth)^(p - first).
 *
 *  Every line has a name (unique in the model) and a `source` text saying where
 *  its number came from (generated from the inputs when not given), so a report
 *  can show "service savings: 1,240 contacts x 5.20 per period".
 *
 *  Any numeric input of a line (and the discount rate) can be made uncertain
 *  with a distribution; scenarios override input values by name; one-at-a-time
 *  sensitivity and Monte Carlo use the distributions.
 *  @{ */

/** @brief A business case (opaque). Free with scrm_roi_model_free(). */
typedef struct scrm_roi_model scrm_roi_model;

/** @brief Kinds of lines; each takes the inputs listed. */
enum scrm_roi_line_kind {
    SCRM_ROI_LINE_AMOUNT = 1,     /**< Cost or benefit: ::SCRM_ROI_INPUT_AMOUNT per period, ::SCRM_ROI_INPUT_GROWTH. */
    SCRM_ROI_LINE_TABLE = 2,      /**< Cost from the dataset's program costs table, summed per period, times ::SCRM_ROI_INPUT_SCALE. */
    SCRM_ROI_LINE_SERVICE = 3,    /**< Service cost savings: contacts moved (::SCRM_ROI_INPUT_VOLUME) x saving per contact (::SCRM_ROI_INPUT_UNIT_VALUE), ::SCRM_ROI_INPUT_GROWTH. */
    SCRM_ROI_LINE_RETENTION = 4,  /**< Retention uplift valued through CLV: customers (::SCRM_ROI_INPUT_VOLUME) x (CLV(r1) - CLV(r0)) with margin ::SCRM_ROI_INPUT_UNIT_VALUE, ::SCRM_ROI_INPUT_R0, ::SCRM_ROI_INPUT_R1, ::SCRM_ROI_INPUT_CLV_DISCOUNT. */
    SCRM_ROI_LINE_REFERRAL = 5,   /**< Referral value: referrers (::SCRM_ROI_INPUT_VOLUME) x value per referrer (::SCRM_ROI_INPUT_UNIT_VALUE), ::SCRM_ROI_INPUT_GROWTH. */
    SCRM_ROI_LINE_ENGAGEMENT = 6, /**< Engagement valued per action: actions (::SCRM_ROI_INPUT_VOLUME) x value per action (::SCRM_ROI_INPUT_UNIT_VALUE), ::SCRM_ROI_INPUT_GROWTH. */
    SCRM_ROI_LINE_CONVERSION = 7  /**< Incremental margin from conversions: conversions (::SCRM_ROI_INPUT_VOLUME) x margin per conversion (::SCRM_ROI_INPUT_UNIT_VALUE), ::SCRM_ROI_INPUT_GROWTH. */
};

/** @brief Numeric inputs of lines (and of the model), addressed as (line, input). */
enum scrm_roi_input {
    SCRM_ROI_INPUT_AMOUNT = 1,        /**< Amount per active period (costs: >= 0; benefits: finite). */
    SCRM_ROI_INPUT_VOLUME = 2,        /**< Count per active period (contacts, customers, referrers, actions, conversions), >= 0. */
    SCRM_ROI_INPUT_UNIT_VALUE = 3,    /**< Value per unit (saving per contact, margin per customer and retention period, value per referrer or action, margin per conversion), finite. */
    SCRM_ROI_INPUT_GROWTH = 4,        /**< Growth per period of the line's value, > -1. */
    SCRM_ROI_INPUT_R0 = 5,            /**< Retention rate per retention period without the program, in [0, 1]. */
    SCRM_ROI_INPUT_R1 = 6,            /**< Retention rate per retention period with the program, in [0, 1]. */
    SCRM_ROI_INPUT_CLV_DISCOUNT = 7,  /**< Discount rate per retention period used in the CLV, >= 0. */
    SCRM_ROI_INPUT_SCALE = 8,         /**< Multiplier on a costs-table line (e.g. a cost overrun), >= 0. */
    SCRM_ROI_INPUT_DISCOUNT_RATE = 9  /**< The model's annual discount rate, > -1 (line ::SCRM_ROI_MODEL_LINE). */
};

/** Line index that addresses the model's own inputs (the discount rate). */
#define SCRM_ROI_MODEL_LINE (-1)

/** @brief Which flows scrm_roi_model_flows() returns (a line index >= 0 returns that line's flows). */
enum scrm_roi_flows {
    SCRM_ROI_FLOWS_NET = -1,          /**< Benefits minus costs. */
    SCRM_ROI_FLOWS_BENEFITS = -2,     /**< Sum of benefit lines. */
    SCRM_ROI_FLOWS_COSTS = -3,        /**< Sum of cost lines (positive numbers). */
    SCRM_ROI_FLOWS_DISCOUNTED_NET = -4 /**< Net flows times (1 + i)^-t. */
};

/** Current version of ::scrm_roi_options. */
#define SCRM_ROI_OPTIONS_VERSION 1

/** @brief Options of a business case. */
typedef struct scrm_roi_options {
    unsigned int version;  /**< Must be ::SCRM_ROI_OPTIONS_VERSION. */
    int32_t period;        /**< ::SCRM_PERIOD_MONTH (default), ::SCRM_PERIOD_QUARTER or ::SCRM_PERIOD_YEAR. */
    int32_t horizon;       /**< Number of periods after time 0, 1..100,000; default 36. */
    double discount_rate;  /**< Annual discount rate, > -1; default 0.10 (the rate Forrester's TEI studies commonly use). */
    int64_t start;         /**< Time 0 in seconds since the epoch, moved back to the start of its period; ::SCRM_TIME_NONE (default) = not tied to the calendar (costs-table lines then need it). */
} scrm_roi_options;

/** Static initialiser with the defaults. */
#define SCRM_ROI_OPTIONS_INIT \
    { SCRM_ROI_OPTIONS_VERSION, SCRM_PERIOD_MONTH, 36, 0.10, SCRM_TIME_NONE }

/**
 * @brief Initialise business-case options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_ROI_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION @p version is 0 or newer than this library knows.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_roi_options_init(scrm_roi_options *opts, unsigned int version);

/**
 * @brief Create an empty business case.
 * @param[out] out  New model; NULL on failure. Free with scrm_roi_model_free().
 * @param[in]  opts Options or NULL for defaults.
 * @retval SCRM_OK       Created.
 * @retval SCRM_EINVAL   NULL @p out, unsupported period, horizon outside
 *                       1..100,000, NaN discount rate.
 * @retval SCRM_EDOM     Discount rate <= -1 or infinite.
 * @retval SCRM_EVERSION Unknown options version.
 * @retval SCRM_ERANGE   Start outside years 0001..9999 (or its horizon is).
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_roi_model_new(scrm_roi_model **out, const scrm_roi_options *opts);

/**
 * @brief Release a business case. NULL is a no-op.
 * @param[in] model Model or NULL.
 */
SCRM_API void scrm_roi_model_free(scrm_roi_model *model);

/**
 * @brief The options a model was created with (start moved to its period start).
 * @param[in]  model Model.
 * @param[out] out   Options.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_get_options(const scrm_roi_model *model, scrm_roi_options *out);

/**
 * @brief Time of flow @p t: the start for t = 0, the end of period t otherwise.
 * @param[in]  model Model with a start time.
 * @param[in]  t     0..horizon.
 * @param[out] out   Seconds since the epoch.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument or @p t outside 0..horizon.
 * @retval SCRM_ESTATE The model has no start time.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_flow_time(const scrm_roi_model *model, int32_t t, int64_t *out);

/**
 * @brief Add a cost line of constant (or growing) amount.
 *
 * Generated source text when @p source is NULL, e.g.
 * "cost: 2,500.00 per period, periods 1-36, +1.00% per period".
 * @param[in,out] model  Model.
 * @param[in]     name   Line name, unique in the model (1..255 bytes; copied).
 * @param[in]     source Where the number comes from (copied), or NULL to generate one.
 * @param[in]     first  First active period, 0..horizon (0 = time 0).
 * @param[in]     last   Last active period, first..horizon, or -1 for the horizon.
 * @param[in]     amount Cost per active period, >= 0.
 * @param[in]     growth Growth of the amount per period, > -1 (0 = constant).
 * @param[out]    line   Index of the new line (0, 1, ... in order of addition); may be NULL.
 * @retval SCRM_OK       Added.
 * @retval SCRM_EINVAL   NULL @p model or @p name, empty, duplicate or too long name,
 *                       periods outside the horizon, a NaN/infinite/out-of-domain
 *                       value (the message names the line and input).
 * @retval SCRM_ENOMEM   Out of memory.
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_add_cost(scrm_roi_model *model, const char *name, const char *source,
                                     int32_t first, int32_t last, double amount, double growth,
                                     int32_t *line);

/**
 * @brief Add a benefit line of constant (or growing) amount.
 *
 * As scrm_roi_model_add_cost(), but a benefit, and @p amount may be any finite number.
 * @param[in,out] model  Model.
 * @param[in]     name   Line name, unique in the model (copied).
 * @param[in]     source Provenance text (copied), or NULL to generate one.
 * @param[in]     first  First active period, 0..horizon.
 * @param[in]     last   Last active period, first..horizon, or -1 for the horizon.
 * @param[in]     amount Benefit per active period (finite).
 * @param[in]     growth Growth per period, > -1.
 * @param[out]    line   Index of the new line; may be NULL.
 * @return As scrm_roi_model_add_cost().
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_add_benefit(scrm_roi_model *model, const char *name,
                                        const char *source, int32_t first, int32_t last,
                                        double amount, double growth, int32_t *line);

/**
 * @brief Add a cost line from the program costs table of a dataset.
 *
 * Rows whose `time` falls in period t (from the end of period t-1, inclusive,
 * to the end of period t) add their `amount` to flow t; rows before the start
 * or after the horizon are left out (the generated source text counts them).
 * The per-period sums are copied: the dataset may be freed afterwards. The
 * line's only input is ::SCRM_ROI_INPUT_SCALE (1 = as recorded).
 * @param[in,out] model    Model with a start time.
 * @param[in]     name     Line name, unique in the model (copied).
 * @param[in]     source   Provenance text (copied), or NULL to generate one, e.g.
 *                         "costs table: 24 rows, category 'ads', total 48,000.00".
 * @param[in]     ds       Dataset (its costs table may be empty).
 * @param[in]     category Only rows of this category, or NULL for all rows.
 * @param[out]    line     Index of the new line; may be NULL.
 * @retval SCRM_OK        Added.
 * @retval SCRM_EINVAL    NULL argument, bad or duplicate name.
 * @retval SCRM_ESTATE    The model has no start time.
 * @retval SCRM_ENOTFOUND @p category does not occur in the dataset.
 * @retval SCRM_ERANGE    A sum overflows.
 * @retval SCRM_ENOMEM    Out of memory.
 * @note Ownership: copies what it needs from @p ds.
 * @note Thread-safety: modifies @p model, reads @p ds.
 */
SCRM_API int scrm_roi_model_add_costs_table(scrm_roi_model *model, const char *name,
                                            const char *source, const scrm_dataset *ds,
                                            const char *category, int32_t *line);

/**
 * @brief Add service cost savings: contacts moved to a cheaper channel x saving per contact.
 *
 * Feed it from the service KPIs, e.g. contacts deflected from phone to social
 * per period and the difference of cost per contact between the channels
 * (Petouhoff's call-deflection method: "The ROI of Online Customer Service
 * Communities", Forrester Research, 2009).
 * @param[in,out] model    Model.
 * @param[in]     name     Line name, unique in the model (copied).
 * @param[in]     source   Provenance text (copied), or NULL to generate one.
 * @param[in]     first    First active period, 0..horizon.
 * @param[in]     last     Last active period, first..horizon, or -1 for the horizon.
 * @param[in]     contacts Contacts moved per active period, >= 0.
 * @param[in]     saving   Saving per contact (finite).
 * @param[in]     growth   Growth per period, > -1.
 * @param[out]    line     Index of the new line; may be NULL.
 * @return As scrm_roi_model_add_cost().
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_add_service_savings(scrm_roi_model *model, const char *name,
                                                const char *source, int32_t first, int32_t last,
                                                double contacts, double saving, double growth,
                                                int32_t *line);

/**
 * @brief Add a retention uplift valued through customer lifetime value.
 *
 * Value per active period = customers x (CLV(r1) - CLV(r0)) with the
 * Gupta-Lehmann closed form CLV(r) = m r / (1 + d - r) (margin m per customer
 * and retention period, retention r, discount d per retention period; margins
 * at the end of each retention period, infinite horizon: Gupta & Lehmann,
 * "Customers as Assets", J. Interactive Marketing 17(1), 2003). E.g. m = 100, d = 0.10: r 0.80 -> 266.67, r 0.85 -> 340.00, an uplift
 * of 73.33 per customer. The CLV is already a present value of future margins,
 * so the uplift is booked when it is won: a one-off (first == last) for one
 * cohort, or every period for a new cohort each period.
 * @param[in,out] model     Model.
 * @param[in]     name      Line name, unique in the model (copied).
 * @param[in]     source    Provenance text (copied), or NULL to generate one.
 * @param[in]     first     First active period, 0..horizon.
 * @param[in]     last      Last active period, first..horizon, or -1 for the horizon.
 * @param[in]     customers Customers affected per active period, >= 0.
 * @param[in]     r0        Retention without the program, in [0, 1].
 * @param[in]     r1        Retention with the program, in [0, 1].
 * @param[in]     margin    Margin per customer and retention period (finite).
 * @param[in]     discount  Discount rate per retention period for the CLV, >= 0;
 *                          1 + discount - r must stay > 0 (r = 1 needs discount > 0).
 * @param[out]    line      Index of the new line; may be NULL.
 * @retval SCRM_EDOM 1 + discount - r0 or r1 is 0 (infinite CLV). Other codes as
 *                   scrm_roi_model_add_cost().
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_add_retention(scrm_roi_model *model, const char *name,
                                          const char *source, int32_t first, int32_t last,
                                          double customers, double r0, double r1, double margin,
                                          double discount, int32_t *line);

/**
 * @brief Add referral value: referrers x value per referrer.
 *
 * The value per referrer is typically a customer referral value (Kumar,
 * Petersen & Leone, "How Valuable Is Word of Mouth?", Harvard Business
 * Review 85(10), 2007) from the CRV calculator.
 * @param[in,out] model     Model.
 * @param[in]     name      Line name, unique in the model (copied).
 * @param[in]     source    Provenance text (copied), or NULL to generate one.
 * @param[in]     first     First active period, 0..horizon.
 * @param[in]     last      Last active period, first..horizon, or -1 for the horizon.
 * @param[in]     referrers Referrers per active period, >= 0.
 * @param[in]     value     Value per referrer (finite).
 * @param[in]     growth    Growth per period, > -1.
 * @param[out]    line      Index of the new line; may be NULL.
 * @return As scrm_roi_model_add_cost().
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_add_referrals(scrm_roi_model *model, const char *name,
                                          const char *source, int32_t first, int32_t last,
                                          double referrers, double value, double growth,
                                          int32_t *line);

/**
 * @brief Add engagement valued per action: actions x economic value per action.
 * @param[in,out] model   Model.
 * @param[in]     name    Line name, unique in the model (copied).
 * @param[in]     source  Provenance text (copied), or NULL to generate one.
 * @param[in]     first   First active period, 0..horizon.
 * @param[in]     last    Last active period, first..horizon, or -1 for the horizon.
 * @param[in]     actions Actions (likes, shares, comments, ...) per active period, >= 0.
 * @param[in]     value   Value per action (finite).
 * @param[in]     growth  Growth per period, > -1.
 * @param[out]    line    Index of the new line; may be NULL.
 * @return As scrm_roi_model_add_cost().
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_add_engagement(scrm_roi_model *model, const char *name,
                                           const char *source, int32_t first, int32_t last,
                                           double actions, double value, double growth,
                                           int32_t *line);

/**
 * @brief Add incremental margin from conversions: conversions x margin per conversion.
 *
 * Use incremental gross margin rather than revenue: a return on marketing
 * spend counts the margin it adds, not the sales.
 * @param[in,out] model       Model.
 * @param[in]     name        Line name, unique in the model (copied).
 * @param[in]     source      Provenance text (copied), or NULL to generate one.
 * @param[in]     first       First active period, 0..horizon.
 * @param[in]     last        Last active period, first..horizon, or -1 for the horizon.
 * @param[in]     conversions Incremental conversions per active period, >= 0.
 * @param[in]     margin      Margin per conversion (finite).
 * @param[in]     growth      Growth per period, > -1.
 * @param[out]    line        Index of the new line; may be NULL.
 * @return As scrm_roi_model_add_cost().
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_add_conversions(scrm_roi_model *model, const char *name,
                                            const char *source, int32_t first, int32_t last,
                                            double conversions, double margin, double growth,
                                            int32_t *line);

/** @brief Description of a line (scrm_roi_model_line_info()). */
typedef struct scrm_roi_line_info {
    const char *name;   /**< Line name (borrowed from the model). */
    const char *source; /**< Provenance text (borrowed from the model). */
    int32_t kind;       /**< ::scrm_roi_line_kind. */
    int32_t is_cost;    /**< 1 for a cost line, 0 for a benefit line. */
    int32_t first;      /**< First active period. */
    int32_t last;       /**< Last active period. */
} scrm_roi_line_info;

/**
 * @brief Number of lines in a model.
 * @param[in]  model Model.
 * @param[out] out   Line count.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_line_count(const scrm_roi_model *model, int32_t *out);

/**
 * @brief Describe one line.
 * @param[in]  model Model.
 * @param[in]  line  Line index.
 * @param[out] out   Description.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument or unknown line.
 * @note Ownership: the strings are borrowed; valid until the model is freed.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_line_info(const scrm_roi_model *model, int32_t line,
                                      scrm_roi_line_info *out);

/**
 * @brief Find a line by name.
 * @param[in]  model Model.
 * @param[in]  name  Line name.
 * @param[out] line  Its index.
 * @retval SCRM_OK        Found.
 * @retval SCRM_ENOTFOUND No line has that name.
 * @retval SCRM_EINVAL    NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_find_line(const scrm_roi_model *model, const char *name,
                                      int32_t *line);

/**
 * @brief Name of an input ("amount", "volume", "unit_value", "growth", "r0",
 *        "r1", "clv_discount", "scale", "discount_rate").
 * @param[in] input ::scrm_roi_input.
 * @return Static string, or NULL for an unknown input.
 * @note Ownership: static; do not free.
 */
SCRM_API const char *scrm_roi_input_name(int32_t input);

/**
 * @brief Base value of an input (as given when the line was added, or set since).
 * @param[in]  model Model.
 * @param[in]  line  Line index or ::SCRM_ROI_MODEL_LINE.
 * @param[in]  input ::scrm_roi_input the line takes.
 * @param[out] out   Value.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument, unknown line, or an input the line does not take.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_get_input(const scrm_roi_model *model, int32_t line, int32_t input,
                                      double *out);

/**
 * @brief Change the base value of an input (validated as when adding the line).
 * @param[in,out] model Model.
 * @param[in]     line  Line index or ::SCRM_ROI_MODEL_LINE.
 * @param[in]     input ::scrm_roi_input the line takes.
 * @param[in]     value New value.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL model, unknown line or input, NaN or out-of-domain value.
 * @retval SCRM_EDOM   The value makes a CLV or the discount rate undefined.
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_set_input(scrm_roi_model *model, int32_t line, int32_t input,
                                      double value);

/** @brief Result of evaluating a business case (scrm_roi_model_evaluate()). */
typedef struct scrm_roi_result {
    double benefits;          /**< Total benefits, undiscounted. */
    double costs;             /**< Total costs, undiscounted. */
    double benefits_pv;       /**< Present value of the benefits. */
    double costs_pv;          /**< Present value of the costs. */
    double npv;               /**< benefits_pv - costs_pv: NPV of the net flows. */
    double roi;               /**< (benefits_pv - costs_pv) / costs_pv, Forrester TEI style; NaN when costs_pv <= 0. */
    double roi_undiscounted;  /**< (benefits - costs) / costs; NaN when costs <= 0. */
    double irr;               /**< IRR per period of the net flows when exactly one exists, else NaN. */
    double irr_annual;        /**< The same as an annual rate, (1 + irr)^k - 1 (k periods a year); NaN likewise. */
    int32_t irr_count;        /**< Number of IRRs: 0 none, 1 unique, > 1 several (scrm_finance_irr() lists them). */
    int32_t horizon;          /**< Periods after time 0 (flows have horizon + 1 entries). */
    double rate_per_period;   /**< Discount rate per period used. */
    scrm_finance_payback_result payback;            /**< Undiscounted payback, in periods. */
    scrm_finance_payback_result discounted_payback; /**< Discounted payback, in periods. */
} scrm_roi_result;

/**
 * @brief Evaluate the business case at base values or in a scenario.
 * @param[in]  model    Model.
 * @param[in]  scenario Scenario name (scrm_roi_model_set_scenario()), or NULL for base values.
 * @param[out] out      Result.
 * @retval SCRM_OK        Done.
 * @retval SCRM_EINVAL    NULL @p model or @p out.
 * @retval SCRM_ENOTFOUND Unknown scenario.
 * @retval SCRM_EDOM      A CLV is undefined with the scenario's values.
 * @retval SCRM_ERANGE    A flow or total overflows.
 * @retval SCRM_ENOMEM    Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_evaluate(const scrm_roi_model *model, const char *scenario,
                                     scrm_roi_result *out);

/**
 * @brief Per-period flows (horizon + 1 values, index 0 = time 0).
 * @param[in]  model    Model.
 * @param[in]  scenario Scenario name, or NULL for base values.
 * @param[in]  which    ::scrm_roi_flows, or a line index for that line's flows
 *                      (positive amounts, costs included).
 * @param[out] out      Receives the flows; may be NULL when @p cap is 0.
 * @param[in]  cap      Entries available in @p out.
 * @param[out] out_len  horizon + 1.
 * @retval SCRM_OK        Done.
 * @retval SCRM_EBUFS     @p cap < horizon + 1; *out_len says how many are needed.
 * @retval SCRM_EINVAL    NULL argument or unknown @p which.
 * @retval SCRM_ENOTFOUND Unknown scenario.
 * @retval SCRM_EDOM      A CLV is undefined with the scenario's values.
 * @retval SCRM_ERANGE    A flow overflows.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_flows(const scrm_roi_model *model, const char *scenario,
                                  int32_t which, double *out, size_t cap, size_t *out_len);

/** @} */

/** @defgroup roi_uncertainty ROI: uncertainty (distributions, scenarios, sensitivity, Monte Carlo)
 *  Every draw comes from a seeded xoshiro256** generator (Blackman & Vigna,
 *  ACM TOMS 47(4), 2021) seeded through splitmix64, transformed with IEEE-754
 *  basic operations and the library's own log/exp (never the C library's), so
 *  the same seed gives the same numbers, bit for bit, on every platform with
 *  IEEE double arithmetic (not x87 extended precision).
 *  @{ */

/** @brief Distributions of uncertain inputs; parameters p1, p2, p3. */
enum scrm_dist_kind {
    SCRM_DIST_FIXED = 0,         /**< The constant p1 (certain in Monte Carlo; no tornado bar). */
    SCRM_DIST_UNIFORM = 1,       /**< Uniform on [p1, p2), p1 < p2. */
    SCRM_DIST_TRIANGULAR = 2,    /**< Triangular: min p1, mode p2, max p3 (p1 <= p2 <= p3, p1 < p3). */
    SCRM_DIST_PERT = 3,          /**< PERT: p1 + (p3 - p1) Beta(1 + 4 (p2 - p1) / (p3 - p1), 1 + 4 (p3 - p2) / (p3 - p1)), min p1, mode p2, max p3; mean (p1 + 4 p2 + p3) / 6 (Malcolm et al. 1959; Vose, "Risk Analysis", 3rd ed., 2008). */
    SCRM_DIST_NORMAL = 4,        /**< Normal: mean p1, standard deviation p2 > 0. */
    SCRM_DIST_LOGNORMAL = 5,     /**< Lognormal given the mean p1 and standard deviation p2 > 0 of log X. */
    SCRM_DIST_LOGNORMAL_MEAN = 6 /**< Lognormal given the mean p1 > 0 and standard deviation p2 > 0 of X itself: sigma^2 = log(1 + (p2/p1)^2), mu = log(p1) - sigma^2 / 2. */
};

/**
 * @brief Make an input uncertain (or replace its distribution).
 *
 * Draws are by inversion (one uniform per draw: uniform, triangular, normal,
 * lognormal with Wichura's AS 241 normal quantile) or, for PERT, by the Beta
 * ratio of two Marsaglia-Tsang gamma variates. Bounded distributions must lie
 * within the input's domain; draws of unbounded ones (normal, lognormal)
 * outside it are clamped to it in Monte Carlo and counted
 * (scrm_roi_mc_summary::clamped). The base value of the input (used by
 * scrm_roi_model_evaluate()) is not changed.
 * @param[in,out] model Model.
 * @param[in]     line  Line index or ::SCRM_ROI_MODEL_LINE.
 * @param[in]     input ::scrm_roi_input the line takes.
 * @param[in]     kind  ::scrm_dist_kind.
 * @param[in]     p1    First parameter.
 * @param[in]     p2    Second parameter (ignored by ::SCRM_DIST_FIXED).
 * @param[in]     p3    Third parameter (triangular and PERT only).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL model, unknown line, input or kind, NaN or infinite
 *                     parameter, inverted bounds, mode outside the bounds,
 *                     sd <= 0, or a bounded support outside the input's domain.
 *                     The message names the line and the input.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_set_uncertain(scrm_roi_model *model, int32_t line, int32_t input,
                                          int32_t kind, double p1, double p2, double p3);

/**
 * @brief Make an input certain again (no-op if it was not uncertain).
 * @param[in,out] model Model.
 * @param[in]     line  Line index or ::SCRM_ROI_MODEL_LINE.
 * @param[in]     input ::scrm_roi_input the line takes.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL model, unknown line or input.
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_clear_uncertain(scrm_roi_model *model, int32_t line, int32_t input);

/**
 * @brief Set an input's value in a named scenario (created on first use).
 *
 * A scenario ("pessimistic", "expected", "optimistic" or any name) is a set of
 * overrides of base values; inputs it does not override keep their base values.
 * @param[in,out] model    Model.
 * @param[in]     scenario Scenario name (1..255 bytes; copied).
 * @param[in]     line     Line index or ::SCRM_ROI_MODEL_LINE.
 * @param[in]     input    ::scrm_roi_input the line takes.
 * @param[in]     value    Value in that scenario (validated like a base value).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument, bad name, unknown line or input, bad value.
 * @retval SCRM_EDOM   The value makes a CLV undefined.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: modifies @p model.
 */
SCRM_API int scrm_roi_model_set_scenario(scrm_roi_model *model, const char *scenario,
                                         int32_t line, int32_t input, double value);

/**
 * @brief Number of scenarios defined.
 * @param[in]  model Model.
 * @param[out] out   Count.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_scenario_count(const scrm_roi_model *model, int32_t *out);

/**
 * @brief Name of scenario @p index (in order of creation).
 * @param[in] model Model.
 * @param[in] index 0..count-1.
 * @return The name (borrowed; valid until the model is freed), or NULL for a
 *         NULL model or an index out of range.
 * @note Thread-safety: read-only.
 */
SCRM_API const char *scrm_roi_model_scenario_name(const scrm_roi_model *model, int32_t index);

/** Current version of ::scrm_roi_sensitivity_options. */
#define SCRM_ROI_SENSITIVITY_OPTIONS_VERSION 1

/** @brief Options of one-at-a-time sensitivity. */
typedef struct scrm_roi_sensitivity_options {
    unsigned int version;  /**< Must be ::SCRM_ROI_SENSITIVITY_OPTIONS_VERSION. */
    double low;            /**< Probability of the low value, 0 <= low < high; default 0.05 (P5). */
    double high;           /**< Probability of the high value, low < high <= 1; default 0.95 (P95). */
    const char *scenario;  /**< Values of the other inputs: scenario name, or NULL (default) for base values. */
} scrm_roi_sensitivity_options;

/** Static initialiser with the defaults (P5 and P95, base values). */
#define SCRM_ROI_SENSITIVITY_OPTIONS_INIT { SCRM_ROI_SENSITIVITY_OPTIONS_VERSION, 0.05, 0.95, NULL }

/**
 * @brief Initialise sensitivity options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_ROI_SENSITIVITY_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION Unknown version.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_roi_sensitivity_options_init(scrm_roi_sensitivity_options *opts,
                                               unsigned int version);

/** @brief One bar of a tornado table. */
typedef struct scrm_roi_sensitivity_row {
    int32_t line;       /**< Line index, or ::SCRM_ROI_MODEL_LINE. */
    int32_t input;      /**< ::scrm_roi_input. */
    double base_value;  /**< The input's value where the others are held. */
    double low_value;   /**< The input's low value: its distribution's quantile at the low probability (clamped into the input's domain). */
    double high_value;  /**< The input's high value (quantile at the high probability). */
    double npv_low;     /**< NPV with the input at low_value, every other input at its held value. */
    double npv_high;    /**< NPV with the input at high_value. */
    double roi_low;     /**< ROI (PV based) with the input at low_value. */
    double roi_high;    /**< ROI with the input at high_value. */
    double swing;       /**< |npv_high - npv_low|, the bar's length. */
} scrm_roi_sensitivity_row;

/**
 * @brief One-at-a-time sensitivity: a tornado table sorted by swing in NPV.
 *
 * Every uncertain input (except ::SCRM_DIST_FIXED ones) is moved, alone, to
 * the quantiles of its distribution at the low and high probabilities (default
 * P5 and P95, which exist for every distribution kind, unlike bounds) while all
 * other inputs keep their base (or scenario) values; rows are sorted by swing,
 * largest first, ties in (line, input) order (the usual one-at-a-time
 * tornado presentation).
 * @param[in]  model   Model.
 * @param[in]  opts    Options or NULL for defaults.
 * @param[out] rows    Receives the rows; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available in @p rows.
 * @param[out] out_len Number of rows (uncertain inputs).
 * @retval SCRM_OK        Done.
 * @retval SCRM_EBUFS     @p cap too small; *out_len is the number needed.
 * @retval SCRM_EINVAL    NULL argument, probabilities outside 0 <= low < high <= 1.
 * @retval SCRM_EVERSION  Unknown options version.
 * @retval SCRM_ENOTFOUND Unknown scenario.
 * @retval SCRM_EDOM      A CLV is undefined at a low or high value.
 * @retval SCRM_ERANGE    A flow overflows.
 * @retval SCRM_ENOMEM    Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_model_sensitivity(const scrm_roi_model *model,
                                        const scrm_roi_sensitivity_options *opts,
                                        scrm_roi_sensitivity_row *rows, size_t cap,
                                        size_t *out_len);

/**
 * @brief Progress callback of long computations.
 * @param[in] user  The pointer given with the callback.
 * @param[in] done  Units of work done so far (iterations).
 * @param[in] total Units of work in all.
 * @return 0 to continue, nonzero to stop (the computation then returns ::SCRM_ESTATE).
 * @note Lifetime: called only during the call it was given to, always on the
 *       calling thread (also when worker threads are used), so a ctypes or
 *       other foreign callback is safe; it must not call back into the object
 *       being computed.
 */
typedef int (*scrm_progress_fn)(void *user, uint64_t done, uint64_t total);

/** Current version of ::scrm_roi_mc_options. */
#define SCRM_ROI_MC_OPTIONS_VERSION 1

/** @brief Options of a Monte Carlo run. */
typedef struct scrm_roi_mc_options {
    unsigned int version;        /**< Must be ::SCRM_ROI_MC_OPTIONS_VERSION. */
    uint64_t iterations;         /**< Draws, 1..2^32; default 10,000. */
    uint64_t seed;               /**< Seed; any value (default 1). Same seed, same model: same results. */
    uint32_t threads;            /**< Worker threads; 0 or 1 (default) = the calling thread only. Results do not depend on it. */
    const char *scenario;        /**< Values of the certain inputs: scenario name, or NULL (default) for base values. */
    scrm_progress_fn progress;   /**< Optional progress callback, or NULL. */
    void *progress_user;         /**< Passed to @ref progress. */
} scrm_roi_mc_options;

/** Static initialiser with the defaults. */
#define SCRM_ROI_MC_OPTIONS_INIT { SCRM_ROI_MC_OPTIONS_VERSION, 10000, 1, 1, NULL, NULL, NULL }

/**
 * @brief Initialise Monte Carlo options with the defaults.
 * @param[out] opts    Options to fill.
 * @param[in]  version ::SCRM_ROI_MC_OPTIONS_VERSION.
 * @retval SCRM_OK       Done.
 * @retval SCRM_EINVAL   @p opts is NULL.
 * @retval SCRM_EVERSION Unknown version.
 * @note Thread-safety: reentrant.
 */
SCRM_API int scrm_roi_mc_options_init(scrm_roi_mc_options *opts, unsigned int version);

/** @brief A finished Monte Carlo run: every draw's outputs (opaque). Free with scrm_roi_mc_free(). */
typedef struct scrm_roi_mc scrm_roi_mc;

/** @brief Outputs recorded per draw. */
enum scrm_roi_metric {
    SCRM_ROI_METRIC_NPV = 1,               /**< NPV. */
    SCRM_ROI_METRIC_ROI = 2,               /**< ROI (PV based); NaN in draws with costs_pv <= 0. */
    SCRM_ROI_METRIC_BENEFITS_PV = 3,       /**< Present value of benefits. */
    SCRM_ROI_METRIC_COSTS_PV = 4,          /**< Present value of costs. */
    SCRM_ROI_METRIC_PAYBACK = 5,           /**< Payback in periods; +infinity when not reached. */
    SCRM_ROI_METRIC_DISCOUNTED_PAYBACK = 6 /**< Discounted payback in periods; +infinity when not reached. */
};

/**
 * @brief Run a Monte Carlo simulation of the business case.
 *
 * Each draw samples every uncertain input from its distribution (inputs that
 * are not uncertain keep their base or scenario value) and records NPV, ROI,
 * the present values and both paybacks. Draws are made in blocks of 1,024
 * iterations; block b samples input (line, input) from its own generator
 * seeded with (seed, b, line, input), so results do not depend on the thread
 * count, and adding an uncertain input leaves the draws of the others
 * unchanged (common random numbers across model variants).
 * @param[out] out   New run; NULL on failure. Free with scrm_roi_mc_free().
 * @param[in]  model Model.
 * @param[in]  opts  Options or NULL for defaults.
 * @retval SCRM_OK        Done.
 * @retval SCRM_EINVAL    NULL argument, iterations 0 or above 2^32.
 * @retval SCRM_EVERSION  Unknown options version.
 * @retval SCRM_ENOTFOUND Unknown scenario.
 * @retval SCRM_EDOM      A draw makes a CLV undefined (the message names the draw).
 * @retval SCRM_ERANGE    A flow overflows in a draw.
 * @retval SCRM_ESTATE    The progress callback asked to stop.
 * @retval SCRM_ENOMEM    Out of memory (six doubles per iteration are kept).
 * @note Ownership: the run copies nothing from @p model after returning; free
 *       them in any order.
 * @note Thread-safety: reads @p model only (concurrent runs on one model are safe).
 */
SCRM_API int scrm_roi_mc_run(scrm_roi_mc **out, const scrm_roi_model *model,
                             const scrm_roi_mc_options *opts);

/**
 * @brief Release a Monte Carlo run. NULL is a no-op.
 * @param[in] mc Run or NULL.
 */
SCRM_API void scrm_roi_mc_free(scrm_roi_mc *mc);

/** @brief Summary statistics of one metric over the draws where it is defined. */
typedef struct scrm_roi_stats {
    uint64_t n;   /**< Draws where the metric is defined (not NaN). */
    double mean;  /**< Mean (NaN if n = 0; +infinity if any draw is +infinity). */
    double sd;    /**< Sample standard deviation, n - 1 denominator (0 if n = 1; NaN with infinite draws). */
    double min;   /**< Smallest value. */
    double p5;    /**< 5th percentile. */
    double p50;   /**< Median. */
    double p95;   /**< 95th percentile. */
    double max;   /**< Largest value. */
} scrm_roi_stats;

/** @brief Summary of a Monte Carlo run. */
typedef struct scrm_roi_mc_summary {
    uint64_t iterations;             /**< Draws. */
    uint64_t seed;                   /**< Seed used. */
    scrm_roi_stats npv;              /**< NPV. */
    scrm_roi_stats roi;              /**< ROI over draws with costs_pv > 0. */
    scrm_roi_stats benefits_pv;      /**< Present value of benefits. */
    scrm_roi_stats costs_pv;         /**< Present value of costs. */
    double p_roi_positive;           /**< Share of draws with NPV > 0 (= ROI > 0 when costs_pv > 0). */
    double p_payback;                /**< Share of draws whose payback is reached within the horizon. */
    double p_discounted_payback;     /**< Share whose discounted payback is reached within the horizon. */
    uint64_t clamped;                /**< Sampled values clamped into their input's domain (all draws, all inputs). */
} scrm_roi_mc_summary;

/**
 * @brief Summary of a run: mean, sd, P5/P50/P95 per metric, probabilities.
 *
 * Percentiles interpolate linearly between order statistics: position
 * (n - 1) p, as numpy.percentile's default ("linear", Hyndman & Fan type 7).
 * P5 and P95 are percentiles, not exceedance levels (P95 is exceeded by 5%).
 * @param[in]  mc  Run.
 * @param[out] out Summary.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_mc_summarize(const scrm_roi_mc *mc, scrm_roi_mc_summary *out);

/**
 * @brief Any percentiles of a metric (same interpolation as scrm_roi_mc_summarize()).
 * @param[in]  mc     Run.
 * @param[in]  metric ::scrm_roi_metric.
 * @param[in]  probs  @p n probabilities in [0, 1] (0.05 = P5).
 * @param[in]  n      Number of probabilities.
 * @param[out] out    @p n values (NaN if the metric is never defined).
 * @retval SCRM_OK     Done.
 * @retval SCRM_EINVAL NULL argument, unknown metric, probability outside [0, 1] or NaN.
 * @retval SCRM_ENOMEM Out of memory.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_mc_percentiles(const scrm_roi_mc *mc, int32_t metric, const double *probs,
                                     size_t n, double *out);

/**
 * @brief Every draw's value of a metric, in draw order (for histograms).
 * @param[in]  mc      Run.
 * @param[in]  metric  ::scrm_roi_metric.
 * @param[out] out     Receives the values; may be NULL when @p cap is 0.
 * @param[in]  cap     Entries available in @p out.
 * @param[out] out_len Number of draws.
 * @retval SCRM_OK     Done.
 * @retval SCRM_EBUFS  @p cap too small; *out_len is the number needed.
 * @retval SCRM_EINVAL NULL argument or unknown metric.
 * @note Thread-safety: read-only.
 */
SCRM_API int scrm_roi_mc_samples(const scrm_roi_mc *mc, int32_t metric, double *out, size_t cap,
                                 size_t *out_len);

/** @} */

/* ---- end section: roi ---- */

#ifdef __cplusplus
}
#endif

#endif /* SCRM_H */
