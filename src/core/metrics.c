/* Metrics collected during a job, written as analytics/performance_metrics.json.
 * Stages add figures under their own section; the pipeline adds the seed
 * tool's top-level keys. cJSON keeps insertion order, so the file reads in
 * pipeline order. */
#include <string.h>

#include "ave/error.h"
#include "core/job_internal.h"

cJSON *ave_job_metrics_section(ave_job *job, const char *section)
{
    cJSON *root = job->internal->metrics;
    if (!section)
        return root;
    cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, section);
    if (cJSON_IsObject(obj))
        return obj;
    if (obj)
        cJSON_DeleteItemFromObjectCaseSensitive(root, section);
    obj = cJSON_AddObjectToObject(root, section);
    return obj;
}

/* Replace-or-add so a stage that runs twice (or a retry) keeps one value. */
static int set_item(ave_job *job, const char *section, const char *key, cJSON *item)
{
    int r;
    ave_job_lock(job);
    cJSON *obj = item ? ave_job_metrics_section(job, section) : NULL;
    if (!obj) {
        cJSON_Delete(item);
        r = AVE_ERR_NOMEM;
    } else if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
        r = cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item) ? 0 : AVE_ERR_NOMEM;
    } else {
        r = cJSON_AddItemToObject(obj, key, item) ? 0 : AVE_ERR_NOMEM;
    }
    ave_job_unlock(job);
    return r;
}

int ave_job_metric_number(ave_job *job, const char *section, const char *key, double value)
{
    return set_item(job, section, key, cJSON_CreateNumber(value));
}

int ave_job_metric_string(ave_job *job, const char *section, const char *key, const char *value)
{
    return set_item(job, section, key, value ? cJSON_CreateString(value) : cJSON_CreateNull());
}

int ave_job_metric_bool(ave_job *job, const char *section, const char *key, int value)
{
    return set_item(job, section, key, cJSON_CreateBool(value));
}

static int count_api_call(ave_job *job, const char *service, double cost)
{
    cJSON *calls = ave_job_metrics_section(job, "api_calls_made");
    if (!calls)
        return AVE_ERR_NOMEM;
    cJSON *count = cJSON_GetObjectItemCaseSensitive(calls, service);
    if (count)
        cJSON_SetNumberValue(count, count->valuedouble + 1);
    else if (!cJSON_AddNumberToObject(calls, service, 1))
        return AVE_ERR_NOMEM;
    cJSON *root = job->internal->metrics;
    cJSON *total = cJSON_GetObjectItemCaseSensitive(root, "total_api_cost");
    if (total)
        cJSON_SetNumberValue(total, total->valuedouble + cost);
    else if (!cJSON_AddNumberToObject(root, "total_api_cost", cost))
        return AVE_ERR_NOMEM;
    return 0;
}

int ave_job_count_api_call(ave_job *job, const char *service, double cost)
{
    ave_job_lock(job);
    int r = count_api_call(job, service, cost);
    ave_job_unlock(job);
    return r;
}

int ave_job_metric_get(const ave_job *job, const char *section, const char *key, double *value)
{
    int r = AVE_ERR_USAGE;
    ave_job_lock(job);
    const cJSON *obj = job->internal->metrics;
    if (section)
        obj = cJSON_GetObjectItemCaseSensitive(obj, section);
    const cJSON *item = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    if (cJSON_IsNumber(item)) {
        *value = item->valuedouble;
        r = 0;
    }
    ave_job_unlock(job);
    return r;
}

int ave_job_metrics_json(const ave_job *job, char **json)
{
    ave_job_lock(job);
    *json = cJSON_PrintUnformatted(job->internal->metrics);
    ave_job_unlock(job);
    return *json ? 0 : AVE_ERR_NOMEM;
}
