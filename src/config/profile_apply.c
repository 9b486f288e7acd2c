/* Applying a named profile to settings, and listing the profile names.
 *
 * Profiles come from the built-ins and, optionally, one YAML file; a file
 * profile replaces a built-in of the same name (and may inherit from it by
 * naming itself in `inherits`). An inheritance chain is applied from its
 * root down, so each profile overrides its ancestors. Every value goes
 * through ave_settings' precedence with source AVE_SRC_PROFILE, so a profile
 * never beats the environment or a flag. The chain is first applied to a
 * scratch ave_settings: on any error the caller's settings are unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "config_internal.h"

typedef struct profile_sources {
    profile_set builtin, file;
    int have_file;
} profile_sources;

static void sources_clear(profile_sources *src)
{
    profile_set_clear(&src->builtin);
    profile_set_clear(&src->file);
}

static int sources_load(profile_sources *src, const char *path, char *err, size_t errlen)
{
    int ret;

    memset(src, 0, sizeof *src);
    if ((ret = profile_set_builtin(&src->builtin, err, errlen)) < 0)
        return ret == AVE_ERR_USAGE ? AVE_ERR_INTERNAL : ret; /* our own text is broken */
    if (!path)
        return 0;
    src->have_file = 1;
    return profile_set_load(&src->file, path, err, errlen);
}

static const profile *sources_find(const profile_sources *src, const char *name)
{
    const profile *p = profile_set_find(&src->file, name);
    return p ? p : profile_set_find(&src->builtin, name);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, de-duplicated "a, b, c" of every profile name. */
static int sources_list(const profile_sources *src, char *buf, size_t len)
{
    size_t n = src->builtin.count + src->file.count, used = 0, k = 0;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    int ret = 0;

    if (!len)
        return AVE_ERR_LIMIT;
    buf[0] = '\0';
    if (!names)
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < src->builtin.count; i++)
        names[k++] = src->builtin.items[i].name;
    for (size_t i = 0; i < src->file.count; i++)
        names[k++] = src->file.items[i].name;
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(names[i], names[i - 1]))
            continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= len - used) {
            ret = AVE_ERR_LIMIT; /* buf holds a terminated prefix */
            break;
        }
        used += (size_t)w;
    }
    free(names);
    return ret;
}

int ave_profiles_list(const char *path, char *buf, size_t len)
{
    profile_sources src;
    int ret;

    if (!buf || !len)
        return AVE_ERR_INTERNAL;
    /* On a bad file buf receives its error message instead of the list. */
    if ((ret = sources_load(&src, path, buf, len)) == 0)
        ret = sources_list(&src, buf, len);
    sources_clear(&src);
    return ret;
}

static int apply_kv(ave_settings *s, const profile *p, const profile_kv *kv, char *err,
                    size_t errlen)
{
    settings_ref ref;
    char reason[256];
    int ret;

    if (settings_lookup_compat(s, kv->key, &ref) < 0) {
        const char *hint = settings_suggest(s, kv->key);
        if (hint)
            snprintf(err, errlen, "%s:%d: key '%s': unknown option (did you mean '%s'?)", p->file,
                     kv->line, kv->key, hint);
        else
            snprintf(err, errlen, "%s:%d: key '%s': unknown option", p->file, kv->line,
                     kv->key);
        return AVE_ERR_USAGE;
    }
    if (ref.opt->flags & AVE_OPTF_CLI_ONLY) {
        snprintf(err, errlen, "%s:%d: key '%s': cannot be set in a profile", p->file, kv->line,
                 kv->key);
        return AVE_ERR_USAGE;
    }
    if ((ret = settings_assign(&ref, kv->value, AVE_SRC_PROFILE, reason, sizeof reason)) < 0)
        snprintf(err, errlen, "%s:%d: key '%s': %s", p->file, kv->line, kv->key,
                 ret == AVE_ERR_NOMEM ? "out of memory" : reason);
    return ret;
}

/* Fill chain with name's profile and its ancestors (leaf first). */
static int resolve_chain(const profile_sources *src, const char *path, const char *name,
                         const profile **chain, size_t *depth, char *err, size_t errlen)
{
    char avail[512];
    const profile *p = sources_find(src, name);

    *depth = 0;
    if (!p) {
        sources_list(src, avail, sizeof avail);
        snprintf(err, errlen, "%s%sno profile '%s' (available: %s)", path ? path : "",
                 path ? ": " : "", name, avail);
        return AVE_ERR_USAGE;
    }
    for (;;) {
        chain[(*depth)++] = p;
        if (!p->inherits)
            return 0;
        const profile *parent;
        /* A file profile naming itself extends the built-in it replaces. */
        if (p->file == src->file.file && !strcmp(p->inherits, p->name)) {
            parent = profile_set_find(&src->builtin, p->name);
            if (!parent)
                parent = p; /* no such built-in: report the cycle below */
        } else
            parent = sources_find(src, p->inherits);
        if (!parent) {
            sources_list(src, avail, sizeof avail);
            snprintf(err, errlen, "%s:%d: profile '%s' inherits unknown profile '%s' (available: %s)",
                     p->file, p->inherits_line, p->name, p->inherits, avail);
            return AVE_ERR_USAGE;
        }
        for (size_t i = 0; i < *depth; i++) {
            if (chain[i] != parent)
                continue;
            char cycle[256];
            size_t used = 0;
            for (size_t j = i; j < *depth && used < sizeof cycle; j++) {
                int w = snprintf(cycle + used, sizeof cycle - used, "%s -> ", chain[j]->name);
                used = w < 0 ? sizeof cycle : used + (size_t)w;
            }
            snprintf(err, errlen, "%s:%d: profile '%s': inheritance cycle %s%s", p->file,
                     p->inherits_line, p->name, cycle, parent->name);
            return AVE_ERR_USAGE;
        }
        p = parent;
    }
}

static int apply_chain(ave_settings *s, const profile **chain, size_t depth, char *err,
                       size_t errlen)
{
    int ret;
    for (size_t i = depth; i-- > 0;)
        for (size_t j = 0; j < chain[i]->kv_count; j++)
            if ((ret = apply_kv(s, chain[i], &chain[i]->kv[j], err, errlen)) < 0)
                return ret;
    return 0;
}

int ave_settings_apply_profile(ave_settings *s, const char *path, const char *name, char *err,
                               size_t errlen)
{
    char sink[1]; /* callers may pass no err buffer */
    profile_sources src;
    ave_settings *scratch = NULL;
    const profile **chain = NULL;
    size_t depth = 0;
    int ret;

    if (!err || !errlen) {
        err = sink;
        errlen = sizeof sink;
    }
    err[0] = '\0';
    if (!s)
        return AVE_ERR_INTERNAL;
    if ((ret = sources_load(&src, path, err, errlen)) < 0 || !name)
        goto out; /* with name NULL: the file has been checked, nothing to apply */
    /* A chain cannot be longer than the number of profiles without a cycle. */
    chain = malloc((src.builtin.count + src.file.count + 1) * sizeof *chain);
    if (!chain) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    if ((ret = resolve_chain(&src, path, name, chain, &depth, err, errlen)) < 0)
        goto out;
    size_t stage_count;
    const struct ave_stage *const *stages = ave_settings_stages(s, &stage_count);
    if ((ret = ave_settings_new_for_stages(&scratch, stages, stage_count)) < 0 ||
        (ret = apply_chain(scratch, chain, depth, err, errlen)) < 0)
        goto out;
    ret = apply_chain(s, chain, depth, err, errlen);
out:
    if (ret == AVE_ERR_NOMEM && !err[0])
        snprintf(err, errlen, "out of memory while applying profile '%s'", name ? name : "");
    free(chain);
    ave_settings_free(scratch);
    sources_clear(&src);
    return ret;
}
