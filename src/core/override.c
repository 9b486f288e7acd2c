/* Per-job changes to the global settings (ave_job_override).
 *
 * The settings are shared by every job of a command, so a change decided for
 * one input (a long 4K file gets a faster preset) goes into the job's own copy
 * of the config, never into the settings. Each change is listed in the
 * metrics with its reason, so a user can see why the run differs from the
 * flags they gave. */
#include <string.h>

#include "ave/error.h"
#include "ave/log.h"
#include "core/job_internal.h"

static int record_change(ave_job *job, const char *name, const char *from, const char *to,
                         const char *reason)
{
    cJSON *section = ave_job_metrics_section(job, "adaptive");
    cJSON *changes = section ? cJSON_GetObjectItemCaseSensitive(section, "changes") : NULL;
    cJSON *item;
    if (!section)
        return AVE_ERR_NOMEM;
    if (!changes && !(changes = cJSON_AddArrayToObject(section, "changes")))
        return AVE_ERR_NOMEM;
    if (!(item = cJSON_CreateObject()))
        return AVE_ERR_NOMEM;
    cJSON_AddItemToArray(changes, item);
    if (!cJSON_AddStringToObject(item, "setting", name) ||
        !cJSON_AddStringToObject(item, "from", from) || !cJSON_AddStringToObject(item, "to", to) ||
        !cJSON_AddStringToObject(item, "reason", reason ? reason : ""))
        return AVE_ERR_NOMEM;
    return 0;
}

int ave_job_override(ave_job *job, const char *name, const char *value, const char *reason)
{
    const ave_option *opt = ave_options_find(ave_config_options(), name);
    char err[160], from[64], to[64];
    ave_config trial;
    int ret;

    if (!opt || opt->type == AVE_OPT_STRING)
        return AVE_ERR_USAGE;
    if ((ret = ave_option_format(opt, &job->internal->cfg, from, sizeof(from))) < 0)
        return ret;
    /* Parse into a copy so a bad value leaves the job's config untouched. */
    trial = job->internal->cfg;
    if ((ret = ave_option_parse(opt, &trial, value, err, sizeof(err))) < 0)
        return ret;
    job->internal->cfg = trial;
    if ((ret = ave_option_format(opt, &trial, to, sizeof(to))) < 0)
        return ret;
    if (!strcmp(from, to))
        return 0;
    ave_log(AVE_LOG_INFO, "adaptive", "--%s %s -> %s: %s", opt->name, from, to,
            reason ? reason : "");
    return record_change(job, opt->name, from, to, reason);
}
