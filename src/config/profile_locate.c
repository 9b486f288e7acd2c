/* Where performance_profiles.yaml is looked for.
 *
 * Order: an explicit --profiles-file, ./performance_profiles.yaml,
 * $XDG_CONFIG_HOME/ai-video-editor/, ~/.config/ai-video-editor/. The first
 * that exists wins, even if unreadable, so the user hears about a broken
 * file rather than silently getting built-ins. An explicit path is returned
 * unchecked: reading it (ave_settings_apply_profile) reports "cannot read"
 * with the system's reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ave/config.h"
#include "ave/error.h"

#define PROFILES_NAME "performance_profiles.yaml"
#define APP_DIR "ai-video-editor"

/* If base/rest names an existing file, store a malloc'd copy in *out. */
static int try_path(const char *base, const char *rest, char **out)
{
    struct stat st;
    char *path;
    size_t len;

    if (!base || !*base)
        return 0;
    len = strlen(base) + strlen(rest) + 2;
    if (!(path = malloc(len)))
        return AVE_ERR_NOMEM;
    snprintf(path, len, "%s/%s", base, rest);
    if (stat(path, &st) == 0) {
        *out = path;
        return 1;
    }
    free(path);
    return 0;
}

int ave_profiles_locate(const char *explicit_path, char **path_out)
{
    int ret;

    *path_out = NULL;
    if (explicit_path) {
        if (!(*path_out = strdup(explicit_path)))
            return AVE_ERR_NOMEM;
        return 0;
    }
    if ((ret = try_path(".", PROFILES_NAME, path_out)) != 0)
        return ret < 0 ? ret : 0;
    if ((ret = try_path(getenv("XDG_CONFIG_HOME"), APP_DIR "/" PROFILES_NAME, path_out)) != 0)
        return ret < 0 ? ret : 0;
    if ((ret = try_path(getenv("HOME"), ".config/" APP_DIR "/" PROFILES_NAME, path_out)) != 0)
        return ret < 0 ? ret : 0;
    return 0;
}
