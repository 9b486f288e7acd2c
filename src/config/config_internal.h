/* Private glue between the files of src/config/: how settings resolve an
 * option name to its storage, and the in-memory form of a profiles file.
 * Nothing here is part of the public API. */
#ifndef AVE_CONFIG_INTERNAL_H
#define AVE_CONFIG_INTERNAL_H

#include <stddef.h>
#include "ave/config.h"
#include "ave/options.h"

/* Where one option lives inside an ave_settings. Borrowed pointers. */
typedef struct settings_ref {
    const char *owner;      /* NULL: global option, else the stage name */
    const ave_option *opt;
    void *target;           /* struct the option's offset applies to */
    unsigned char *source;  /* enum ave_source of the current value */
} settings_ref;

/* Resolve name ("quality", "crossfade-ms", "render.crossfade-ms"; '_' or
 * '-'); 0 when found, AVE_ERR_USAGE when not. */
int settings_lookup(const ave_settings *s, const char *name, settings_ref *ref);

/* settings_lookup that also accepts the original tool's names
 * ("max_memory_gb"); used for profile keys and environment variables. */
int settings_lookup_compat(const ave_settings *s, const char *name, settings_ref *ref);

/* Validate value for ref->opt and store it when source is not below the
 * source of the current value (so callers may apply levels in any order).
 * On failure writes the bare reason ("'best' is not one of ...") to reason
 * and leaves the value untouched. */
int settings_assign(const settings_ref *ref, const char *value, int source, char *reason,
                    size_t len);

/* The known option name closest to name (plain names), or NULL when
 * nothing is close enough to be a plausible typo. Borrowed from a table. */
const char *settings_suggest(const ave_settings *s, const char *name);

/* ---- profiles ---- */

typedef struct profile_kv {
    char *key;
    char *value;
    int line; /* 1-based */
} profile_kv;

typedef struct profile {
    char *name;
    char *description; /* NULL when absent */
    char *inherits;    /* NULL when absent */
    int line;          /* line of the profile's name */
    int inherits_line;
    const char *file;  /* borrowed from the owning profile_set */
    profile_kv *kv;
    size_t kv_count;
} profile;

typedef struct profile_set {
    char *file; /* file name used in messages ("<built-in>" for built-ins) */
    profile *items;
    size_t count;
} profile_set;

/* Parse YAML text (len bytes) into set, which must be zeroed. file names the
 * source in messages. On failure writes "FILE:LINE: ..." to err; set must be
 * cleared with profile_set_clear either way. */
int profile_set_parse(profile_set *set, const char *file, const char *text, size_t len,
                      char *err, size_t errlen);

/* Read and parse the file at path (size capped). Same contract as above. */
int profile_set_load(profile_set *set, const char *path, char *err, size_t errlen);

/* Parse the built-in profiles into set (zeroed). */
int profile_set_builtin(profile_set *set, char *err, size_t errlen);

void profile_set_clear(profile_set *set);

/* Profile by exact name, or NULL. */
const profile *profile_set_find(const profile_set *set, const char *name);

/* The embedded YAML text of the built-in profiles. */
const char *profile_builtin_yaml(void);

#endif
