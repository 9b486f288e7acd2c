/* Generic operations on declarative option tables (see ave/options.h):
 * defaults, lookup, parsing with range/choice checks, canonical formatting.
 *
 * Every flag, profile key and environment variable goes through
 * ave_option_parse, so its messages are the ones users see; they name the
 * offending value but not the option (callers prefix "--name: ",
 * "FILE:LINE: key 'name': " or "VARIABLE: ").
 * Assumes tables are static, NULL-name terminated, and that offsets fit the
 * target struct. For INT and DOUBLE a range applies only when min < max
 * (min == max == 0 means unbounded). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ave/error.h"
#include "ave/options.h"

#define FIELD(target, opt, type) ((type *)((char *)(target) + (opt)->offset))
#define CFIELD(target, opt, type) ((const type *)((const char *)(target) + (opt)->offset))

/* Longest slice of a user's value quoted back in a message. */
#define QUOTE_MAX 80

int ave_options_set_defaults(const ave_option *table, void *target)
{
    /* Overwrites without freeing: target is zeroed or its strings were
     * released with ave_options_free_strings. */
    for (const ave_option *o = table; o && o->name; o++) {
        switch (o->type) {
        case AVE_OPT_BOOL:
        case AVE_OPT_ENUM:
            *FIELD(target, o, int) = (int)o->def.i;
            break;
        case AVE_OPT_INT:
            *FIELD(target, o, int64_t) = o->def.i;
            break;
        case AVE_OPT_DOUBLE:
            *FIELD(target, o, double) = o->def.d;
            break;
        case AVE_OPT_STRING: {
            char *copy = NULL;
            if (o->def.s && !(copy = strdup(o->def.s)))
                return AVE_ERR_NOMEM;
            *FIELD(target, o, char *) = copy;
            break;
        }
        default:
            return AVE_ERR_INTERNAL;
        }
    }
    return 0;
}

void ave_options_free_strings(const ave_option *table, void *target)
{
    for (const ave_option *o = table; o && o->name; o++) {
        if (o->type == AVE_OPT_STRING) {
            free(*FIELD(target, o, char *));
            *FIELD(target, o, char *) = NULL;
        }
    }
}

/* Equal names with '-' and '_' treated as the same character. */
static int names_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = *a == '_' ? '-' : *a, cb = *b == '_' ? '-' : *b;
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}

const ave_option *ave_options_find(const ave_option *table, const char *name)
{
    if (!name)
        return NULL;
    for (const ave_option *o = table; o && o->name; o++)
        if (names_equal(o->name, name))
            return o;
    return NULL;
}

/* Copy value without surrounding white space into buf (bounded). Returns 0
 * when it did not fit, which callers report as a bad value. */
static int trimmed(const char *value, char *buf, size_t len)
{
    while (isspace((unsigned char)*value))
        value++;
    size_t n = strlen(value);
    while (n && isspace((unsigned char)value[n - 1]))
        n--;
    if (n >= len)
        return 0;
    memcpy(buf, value, n);
    buf[n] = '\0';
    return 1;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on", NULL};
    static const char *const no[] = {"0", "false", "no", "off", NULL};
    for (int i = 0; yes[i]; i++) {
        if (!strcasecmp(v, yes[i])) {
            *out = 1;
            return 1;
        }
        if (!strcasecmp(v, no[i])) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}

/* Choice names compare case-insensitively with '-' == '_', so
 * "high-quality" selects "high_quality". */
static int choice_matches(const char *choice, const char *v)
{
    for (; *choice && *v; choice++, v++) {
        int a = tolower((unsigned char)(*choice == '-' ? '_' : *choice));
        int b = tolower((unsigned char)(*v == '-' ? '_' : *v));
        if (a != b)
            return 0;
    }
    return *choice == *v;
}

static void list_choices(const ave_option *opt, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; opt->choices && opt->choices[i] && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? "|" : "", opt->choices[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int range_error(const ave_option *opt, double v, const char *text, char *err,
                       size_t errlen)
{
    if (!(opt->min < opt->max))
        return 0;
    if (v < opt->min) {
        snprintf(err, errlen, "%s is below the minimum %g", text, opt->min);
        return 1;
    }
    if (v > opt->max) {
        snprintf(err, errlen, "%s is above the maximum %g", text, opt->max);
        return 1;
    }
    return 0;
}

/* Every comma-separated item of a LIST value (blanks around items ignored,
 * empty items skipped) is one of opt's choices; else a reason in err. */
static int list_items_valid(const ave_option *opt, const char *value, char *err, size_t errlen)
{
    while (*value) {
        size_t n = strcspn(value, ",");
        const char *a = value, *b = value + n;

        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (a < b) {
            char item[QUOTE_MAX + 1];
            int ok = 0;

            snprintf(item, sizeof item, "%.*s", (int)(b - a), a);
            for (int i = 0; (size_t)(b - a) <= QUOTE_MAX && opt->choices[i]; i++)
                ok |= choice_matches(opt->choices[i], item);
            if (!ok) {
                char choices[256];
                list_choices(opt, choices, sizeof choices);
                snprintf(err, errlen, "'%s' is not one of %s", item, choices);
                return 0;
            }
        }
        value += n + (value[n] == ',');
    }
    return 1;
}

/* A size unit after the number ("GB", " mb", "GiB", "K"...): scales *gb and
 * returns 1, or 0 when unit is not one (then the value is refused). */
static int size_unit_to_gb(const char *unit, double *gb)
{
    static const struct {
        const char *name;
        double per_gb;
    } units[] = {{"b", 1024.0 * 1024 * 1024}, {"k", 1024.0 * 1024}, {"m", 1024.0},
                 {"g", 1.0}, {"t", 1.0 / 1024}};
    char u[8];
    size_t n = 0;
    while (*unit == ' ')
        unit++;
    for (; *unit && n < sizeof(u) - 1; unit++)
        u[n++] = (char)tolower((unsigned char)*unit);
    u[n] = '\0';
    if (*unit || !n)
        return 0;
    /* "b" alone is bytes; otherwise a prefix with an optional "b" or "ib". */
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        size_t k = strlen(units[i].name);
        if (strncmp(u, units[i].name, k))
            continue;
        const char *rest = u + k;
        if (*rest && (i == 0 || (strcmp(rest, "b") && strcmp(rest, "ib"))))
            continue;
        *gb /= units[i].per_gb;
        return 1;
    }
    return 0;
}

int ave_option_parse(const ave_option *opt, void *target, const char *value, char *err,
                     size_t errlen)
{
    char v[128], sink[1]; /* sink: callers may pass no err buffer */
    char *end;

    if (!err || !errlen) {
        err = sink;
        errlen = sizeof sink;
    }
    err[0] = '\0';
    if (!opt || !target)
        return AVE_ERR_INTERNAL;
    if (!value && opt->type == AVE_OPT_BOOL)
        value = "true"; /* a bare --flag */
    if (!value) {
        snprintf(err, errlen, "a value is required");
        return AVE_ERR_USAGE;
    }

    if (opt->type == AVE_OPT_STRING) {
        /* An empty value means "none" (e.g. an empty environment variable
         * or --output= to fall back to the built-in default). */
        char *copy = NULL;
        if ((opt->flags & AVE_OPTF_LIST) && opt->choices && !list_items_valid(opt, value, err,
                                                                               errlen))
            return AVE_ERR_USAGE;
        if (*value && !(copy = strdup(value)))
            return AVE_ERR_NOMEM;
        free(*FIELD(target, opt, char *));
        *FIELD(target, opt, char *) = copy;
        return 0;
    }

    if (!trimmed(value, v, sizeof v) || !v[0]) {
        /* Too long or blank: no number, boolean or choice looks like that. */
        snprintf(err, errlen, "'%.*s' is not a valid value", QUOTE_MAX, value);
        return AVE_ERR_USAGE;
    }

    switch (opt->type) {
    case AVE_OPT_BOOL: {
        int b;
        if (!parse_bool(v, &b)) {
            snprintf(err, errlen, "'%s' is not a boolean (use true/false, yes/no, on/off, 1/0)",
                     v);
            return AVE_ERR_USAGE;
        }
        *FIELD(target, opt, int) = b;
        return 0;
    }
    case AVE_OPT_INT: {
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (end == v || *end) {
            snprintf(err, errlen, "'%s' is not an integer", v);
            return AVE_ERR_USAGE;
        }
        if (errno == ERANGE) {
            snprintf(err, errlen, "%s is out of range", v);
            return AVE_ERR_USAGE;
        }
        if (range_error(opt, (double)n, v, err, errlen))
            return AVE_ERR_USAGE;
        *FIELD(target, opt, int64_t) = (int64_t)n;
        return 0;
    }
    case AVE_OPT_DOUBLE: {
        errno = 0;
        double d = strtod(v, &end);
        if (end != v && (opt->flags & AVE_OPTF_SIZE_GB) && size_unit_to_gb(end, &d))
            end += strlen(end);
        if (end == v || *end || !isfinite(d)) {
            snprintf(err, errlen, "'%s' is not a number%s", v,
                     opt->flags & AVE_OPTF_SIZE_GB ? " of GB (or with a unit: 512MB, 4GB)" : "");
            return AVE_ERR_USAGE;
        }
        if (range_error(opt, d, v, err, errlen))
            return AVE_ERR_USAGE;
        *FIELD(target, opt, double) = d;
        return 0;
    }
    case AVE_OPT_ENUM: {
        for (int i = 0; opt->choices && opt->choices[i]; i++) {
            if (choice_matches(opt->choices[i], v)) {
                *FIELD(target, opt, int) = i;
                return 0;
            }
        }
        char choices[256];
        list_choices(opt, choices, sizeof choices);
        snprintf(err, errlen, "'%s' is not one of %s", v, choices);
        return AVE_ERR_USAGE;
    }
    default:
        snprintf(err, errlen, "option has an unknown type %d", opt->type);
        return AVE_ERR_INTERNAL;
    }
}

/* Shortest %g text that reads back as exactly d, so "0.1" stays "0.1" and
 * the canonical form still identifies the value (it feeds cache keys).
 * Whole numbers keep all their digits ("700", not "7e+02"). */
static int format_double(double d, char *buf, size_t len)
{
    char tmp[64];
    int prec;
    for (prec = 1; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    if (fabs(d) >= 1 && fabs(d) < 1e17) {
        int digits = (int)floor(log10(fabs(d))) + 1;
        if (digits > prec)
            prec = digits;
    }
    return snprintf(buf, len, "%.*g", prec, d);
}

int ave_option_format(const ave_option *opt, const void *target, char *buf, size_t len)
{
    int n;

    if (!opt || !target || !buf || !len)
        return AVE_ERR_INTERNAL;
    switch (opt->type) {
    case AVE_OPT_BOOL:
        n = snprintf(buf, len, "%s", *CFIELD(target, opt, int) ? "true" : "false");
        break;
    case AVE_OPT_INT:
        n = snprintf(buf, len, "%" PRId64, *CFIELD(target, opt, int64_t));
        break;
    case AVE_OPT_DOUBLE:
        n = format_double(*CFIELD(target, opt, double), buf, len);
        break;
    case AVE_OPT_ENUM: {
        int idx = *CFIELD(target, opt, int), count = 0;
        while (opt->choices && opt->choices[count])
            count++;
        if (idx < 0 || idx >= count) {
            snprintf(buf, len, "?");
            return AVE_ERR_INTERNAL;
        }
        n = snprintf(buf, len, "%s", opt->choices[idx]);
        break;
    }
    case AVE_OPT_STRING: {
        const char *s = *CFIELD(target, opt, char *);
        if ((opt->flags & AVE_OPTF_SECRET) && s && s[0])
            s = "***"; /* readers of the value use the field, never this text */
        n = snprintf(buf, len, "%s", s ? s : "");
        break;
    }
    default:
        buf[0] = '\0';
        return AVE_ERR_INTERNAL;
    }
    /* Truncated text is still terminated; the code tells the caller. */
    return n >= 0 && (size_t)n < len ? 0 : AVE_ERR_LIMIT;
}

int ave_option_is_set(const ave_option *opt, const void *target)
{
    switch (opt->type) {
    case AVE_OPT_BOOL:
    case AVE_OPT_ENUM:
        return *CFIELD(target, opt, int) != (int)opt->def.i;
    case AVE_OPT_INT:
        return *CFIELD(target, opt, int64_t) != opt->def.i;
    case AVE_OPT_DOUBLE:
        return *CFIELD(target, opt, double) != opt->def.d;
    case AVE_OPT_STRING: {
        const char *s = *CFIELD(target, opt, char *);
        if (!s || !opt->def.s)
            return s != opt->def.s;
        return strcmp(s, opt->def.s) != 0;
    }
    default:
        return 0;
    }
}
