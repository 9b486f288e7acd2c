/* Setting up a re-render like the run that made the folder (ave/edit.h):
 * its input from timeline.json and its settings from the "configuration"
 * section of analytics/performance_metrics.json ({"stage.name": {"value",
 * "source"}}, written by the pipeline for every option). Values are applied
 * through ave_settings_set, so they are checked exactly as flags are. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "ave/edit.h"
#include "core/fsutil.h"
#include "edit/edit.h"

/* Parsed OUTPUT/rel into *root; 1 when the file does not exist. */
static int read_json(const char *output_dir, const char *rel, cJSON **root, char *err,
                     size_t errlen)
{
    char *path = ave_fs_join(output_dir, rel), *text = NULL;
    size_t len;
    int ret;

    *root = NULL;
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return AVE_ERR_NOMEM;
    }
    ret = ave_fs_read_file(path, EDIT_MAX_JSON, &text, &len);
    if (ret == AVE_ERR_INPUT && errno == ENOENT) {
        snprintf(err, errlen, "%s: not found", path);
        ret = 1;
    } else if (ret < 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path,
                 ret == AVE_ERR_NOMEM ? "out of memory" : strerror(errno));
    } else if (!(*root = cJSON_Parse(text))) {
        snprintf(err, errlen, "%s: not valid JSON", path);
        ret = AVE_ERR_INPUT;
    }
    free(text);
    free(path);
    return ret;
}

int ave_edit_input_path(const char *output_dir, char **input, char *err, size_t errlen)
{
    cJSON *root = NULL;
    const cJSON *in;
    int ret = read_json(output_dir, "timeline.json", &root, err, errlen);

    *input = NULL;
    if (ret > 0) {
        size_t l = strlen(err);
        snprintf(err + l, errlen - l, " (not the output folder of a finished `process` run?)");
        return AVE_ERR_INPUT;
    }
    if (ret < 0)
        return ret;
    in = cJSON_GetObjectItemCaseSensitive(root, "input");
    if (!cJSON_IsString(in) || !in->valuestring[0]) {
        snprintf(err, errlen, "%s/timeline.json: no \"input\"", output_dir);
        ret = AVE_ERR_INPUT;
    } else if (!(*input = strdup(in->valuestring))) {
        snprintf(err, errlen, "out of memory");
        ret = AVE_ERR_NOMEM;
    }
    cJSON_Delete(root);
    return ret;
}

static int source_of(const char *name)
{
    return !strcmp(name, "profile")       ? AVE_SRC_PROFILE
           : !strcmp(name, "environment") ? AVE_SRC_ENV
           : !strcmp(name, "flag")        ? AVE_SRC_FLAG
                                          : AVE_SRC_DEFAULT;
}

/* Options describing the earlier run itself rather than how to edit. */
static int run_specific(const char *name)
{
    static const char *const skip[] = {"output", "profile", "profiles-file", NULL};
    for (size_t i = 0; skip[i]; i++)
        if (!strcmp(name, skip[i]))
            return 1;
    return 0;
}

int ave_edit_recorded_settings(ave_settings *s, const char *output_dir, int *applied, char *err,
                               size_t errlen)
{
    cJSON *root = NULL;
    const cJSON *config, *item;
    int ret = read_json(output_dir, "analytics/performance_metrics.json", &root, err, errlen);
    int count = 0;

    if (applied)
        *applied = 0;
    if (ret != 0)
        return ret > 0 ? 0 : ret;
    config = cJSON_GetObjectItemCaseSensitive(root, "configuration");
    cJSON_ArrayForEach(item, config)
    {
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
        const cJSON *source = cJSON_GetObjectItemCaseSensitive(item, "source");
        const char *key = item->string, *dot = key ? strchr(key, '.') : NULL;
        const ave_option *opt = key ? ave_settings_find_option(s, key, NULL) : NULL;
        int src = cJSON_IsString(source) ? source_of(source->valuestring) : AVE_SRC_DEFAULT;
        char why[256];

        if (!opt || !cJSON_IsString(value) || src == AVE_SRC_DEFAULT ||
            run_specific(dot ? dot + 1 : key) || (opt->flags & AVE_OPTF_SECRET) ||
            ave_settings_source(s, key) != AVE_SRC_DEFAULT)
            continue;
        if (ave_settings_set(s, key, value->valuestring, src, why, sizeof(why)) < 0) {
            ave_log(AVE_LOG_WARNING, EDIT_LOG, "recorded setting %s=%s not applied: %s", key,
                    value->valuestring, why);
            continue;
        }
        count++;
    }
    if (applied)
        *applied = count;
    cJSON_Delete(root);
    return 0;
}
