/* Declarative option tables.
 *
 * One table (name, type, offset, default, range, help) drives CLI flags,
 * --help, profile keys, AI_VIDEO_EDITOR_* environment variables, range checks
 * and the canonical strings written to the metrics. The global configuration
 * (ave_config) has one table; every stage may declare its own for its private
 * options struct. */
#ifndef AVE_OPTIONS_H
#define AVE_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ave_opt_type {
    AVE_OPT_BOOL,   /* stored as int (0/1); CLI: --name, --no-name, --name=true */
    AVE_OPT_INT,    /* stored as int64_t */
    AVE_OPT_DOUBLE, /* stored as double */
    AVE_OPT_ENUM,   /* stored as int: index into choices */
    AVE_OPT_STRING  /* stored as char* (malloc'd, owned by the target struct) */
};

enum ave_opt_flags {
    AVE_OPTF_CLI_ONLY = 1 << 0, /* not settable from a profile */
    AVE_OPTF_NO_ENV = 1 << 1,   /* not read from the environment */
    AVE_OPTF_PATH = 1 << 2,     /* a filesystem path (documentation only) */
    AVE_OPTF_NO_RESULT = 1 << 3, /* cannot change any analysis result (speed, outputs,
                                    limits): left out of cache keys */
    AVE_OPTF_SECRET = 1 << 4,    /* a credential: ave_option_format shows "***" when set,
                                    so it never reaches metrics, --help or cache keys */
    AVE_OPTF_LIST = 1 << 5,      /* STRING: a comma-separated list; with choices, every
                                    item must be one of them; a flag given again on the
                                    command line appends to it instead of replacing it */
    AVE_OPTF_SIZE_GB = 1 << 6    /* DOUBLE in GB that also takes a unit, as the original
                                    tool's guide writes sizes: "4GB", "512MB", "1.5 GiB",
                                    "2T"; a plain number is GB (powers of 1024) */
};

typedef struct ave_option {
    const char *name;  /* flag name without "--", e.g. "max-memory" */
    int type;          /* enum ave_opt_type */
    size_t offset;     /* offsetof() into the target struct */
    union {
        int64_t i;     /* BOOL, INT, ENUM (index) */
        double d;      /* DOUBLE */
        const char *s; /* STRING (may be NULL) */
    } def;
    double min, max;           /* inclusive range for INT and DOUBLE */
    const char *const *choices; /* ENUM: NULL-terminated list */
    const char *help;
    /* Name of the stage that acts on this option, or NULL. When set to a
     * non-default value and no such stage is registered, the job records it
     * as requested-but-unavailable. */
    const char *stage;
    unsigned flags; /* enum ave_opt_flags */
} ave_option;

/* A table ends with an entry whose name is NULL. */

/* Write every default into target (strings strdup'd). On failure the strings
 * already set are left for ave_options_free_strings. */
int ave_options_set_defaults(const ave_option *table, void *target);

/* Free every STRING field of target and set them to NULL. */
void ave_options_free_strings(const ave_option *table, void *target);

/* Find an option by name; '_' and '-' are interchangeable. NULL if none. */
const ave_option *ave_options_find(const ave_option *table, const char *name);

/* Parse value for opt into target, with range and choice checks. On failure
 * returns AVE_ERR_USAGE and writes a one-line reason (without the option name)
 * into err. Booleans accept 1/0/true/false/yes/no/on/off. */
int ave_option_parse(const ave_option *opt, void *target, const char *value, char *err,
                     size_t errlen);

/* Canonical text of opt's current value in target ("true", "2.5", "high"). */
int ave_option_format(const ave_option *opt, const void *target, char *buf, size_t len);

/* 1 when target's value differs from opt's default. */
int ave_option_is_set(const ave_option *opt, const void *target);

#ifdef __cplusplus
}
#endif
#endif
