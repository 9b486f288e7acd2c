/* AI_VIDEO_EDITOR_* environment variables -> settings (source AVE_SRC_ENV).
 *
 * AI_VIDEO_EDITOR_MAX_MEMORY sets --max-memory: the rest of the name is
 * lower-cased and resolved like a flag ('_' and '-' are the same), so stage
 * options work too, optionally prefixed with the stage name
 * (AI_VIDEO_EDITOR_RENDER_CROSSFADE_MS). The original tool's names
 * (AI_VIDEO_EDITOR_MAX_MEMORY_GB) resolve through settings_lookup_compat.
 * Unknown names only warn: future stages read their own variables (service
 * URLs and keys) and other tools of the family may share the prefix.
 * An empty variable counts as unset. envp is borrowed and never modified. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ave/error.h"
#include "ave/log.h"
#include "config_internal.h"

#define ENV_PREFIX "AI_VIDEO_EDITOR_"

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && !memcmp(s + len - n, suffix, n);
}

/* Resolve the lower-cased variable suffix; tries "<stage>_<option>" when the
 * plain name is unknown. */
static int env_lookup(const ave_settings *s, const char *lname, settings_ref *ref)
{
    char qualified[160];

    if (settings_lookup_compat(s, lname, ref) == 0)
        return 0;
    for (const char *us = strchr(lname, '_'); us; us = strchr(us + 1, '_')) {
        int n = snprintf(qualified, sizeof qualified, "%.*s.%s", (int)(us - lname), lname,
                         us + 1);
        if (n > 0 && (size_t)n < sizeof qualified && settings_lookup(s, qualified, ref) == 0)
            return 0;
    }
    return AVE_ERR_USAGE;
}

int ave_settings_apply_env(ave_settings *s, char *const *envp, char *err, size_t errlen)
{
    const size_t plen = strlen(ENV_PREFIX);

    if (err && errlen)
        err[0] = '\0';
    if (!s)
        return AVE_ERR_INTERNAL;
    for (size_t i = 0; envp && envp[i]; i++) {
        const char *var = envp[i], *eq = strchr(var, '=');
        char lname[128], reason[256];
        settings_ref ref;
        int ret;

        if (!eq || strncmp(var, ENV_PREFIX, plen) != 0)
            continue;
        size_t name_len = (size_t)(eq - var), suffix_len = name_len - plen;
        const char *value = eq + 1;
        if (!suffix_len)
            continue;
        if (suffix_len < sizeof lname) {
            for (size_t k = 0; k < suffix_len; k++)
                lname[k] = (char)tolower((unsigned char)var[plen + k]);
            lname[suffix_len] = '\0';
        } else {
            lname[0] = '\0'; /* too long to be an option: unknown */
        }

        if (!lname[0] || env_lookup(s, lname, &ref) < 0) {
            if (ends_with(var, name_len, "_URL") || ends_with(var, name_len, "_KEY"))
                continue; /* read by the stage that talks to that service */
            ave_log(AVE_LOG_WARNING, "config", "ignoring unknown environment variable %.*s",
                    (int)name_len, var);
            continue;
        }
        if (ref.opt->flags & AVE_OPTF_NO_ENV) {
            ave_log(AVE_LOG_WARNING, "config",
                    "ignoring %.*s: --%s cannot be set from the environment", (int)name_len,
                    var, ref.opt->name);
            continue;
        }
        if (!*value)
            continue;
        if ((ret = settings_assign(&ref, value, AVE_SRC_ENV, reason, sizeof reason)) < 0) {
            if (ret == AVE_ERR_NOMEM)
                snprintf(err, errlen, "%.*s: out of memory", (int)name_len, var);
            else
                snprintf(err, errlen, "%.*s: %s", (int)name_len, var, reason);
            return ret;
        }
    }
    return 0;
}
