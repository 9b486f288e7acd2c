/* analytics/waveform.json: the strip's columns (peak and level) kept beside
 * the report, so a page written by `render`, which decodes no analysis
 * audio, still draws the waveform, and the review editor still shows where
 * the speech is after a re-render. The input is the same recording (render
 * refuses another duration), so the columns still fit; a file whose
 * duration or sizes differ, or whose values are out of range, is ignored.
 * About 14 KB. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/fsutil.h"
#include "report/report.h"

#define WAVE_PATH "analytics/waveform.json"
#define WAVE_MAX_BYTES (1 << 20)
#define WAVE_MAX_COLUMNS 100000

int report_wave_save(ave_job *job, const report_strip *s, double input_s)
{
    cJSON *o = cJSON_CreateObject(), *pk = cJSON_CreateArray(), *lv = cJSON_CreateArray();
    char *text = NULL;
    int r = AVE_ERR_NOMEM;

    if (!o || !pk || !lv || !cJSON_AddItemToObject(o, "peak", pk)) {
        cJSON_Delete(pk);
        cJSON_Delete(lv);
        goto out;
    }
    if (!cJSON_AddItemToObject(o, "level", lv)) {
        cJSON_Delete(lv);
        goto out;
    }
    if (!cJSON_AddNumberToObject(o, "version", 1) ||
        !cJSON_AddNumberToObject(o, "duration", input_s))
        goto out;
    for (size_t c = 0; c < s->columns; c++) {
        /* Three decimals: the strip is 1000 units wide, 100 high. */
        cJSON *a = cJSON_CreateNumber(round(s->peak[c] * 1000) / 1000);
        if (!a || !cJSON_AddItemToArray(pk, a)) {
            cJSON_Delete(a);
            goto out;
        }
        cJSON *b = cJSON_CreateNumber(round(s->level[c] * 10) / 10);
        if (!b || !cJSON_AddItemToArray(lv, b)) {
            cJSON_Delete(b);
            goto out;
        }
    }
    if (!(text = cJSON_PrintUnformatted(o)))
        goto out;
    r = ave_job_write_file(job, WAVE_PATH, text, strlen(text));
out:
    free(text);
    cJSON_Delete(o);
    return r;
}

/* n floats of an array, each in [lo, hi]; 0 when anything is off. */
static int read_floats(const cJSON *arr, float *out, size_t n, double lo, double hi)
{
    const cJSON *it;
    size_t i = 0;
    if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != n)
        return 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsNumber(it) || !(it->valuedouble >= lo && it->valuedouble <= hi))
            return 0;
        out[i++] = (float)it->valuedouble;
    }
    return 1;
}

int report_wave_load(const ave_job *job, double input_s, report_strip *s)
{
    char *path = ave_fs_join(job->output_dir, WAVE_PATH), *text = NULL;
    float *peak = NULL, *level = NULL;
    cJSON *o = NULL;
    size_t len = 0;
    int r = 0;

    if (!path)
        return AVE_ERR_NOMEM;
    if (ave_fs_read_file(path, WAVE_MAX_BYTES, &text, &len) < 0)
        goto out; /* none yet: no waveform, as before */
    o = cJSON_ParseWithLength(text, len);
    const cJSON *pk = cJSON_GetObjectItemCaseSensitive(o, "peak");
    double dur = report_json_num(o, "duration");
    size_t n = cJSON_IsArray(pk) ? (size_t)cJSON_GetArraySize(pk) : 0;
    if (!(fabs(dur - input_s) < 0.01) || n == 0 || n > WAVE_MAX_COLUMNS)
        goto out;
    peak = malloc(n * sizeof(float));
    level = malloc(n * sizeof(float));
    if (!peak || !level) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    if (!read_floats(pk, peak, n, 0, 1) ||
        !read_floats(cJSON_GetObjectItemCaseSensitive(o, "level"), level, n, -200, 0))
        goto out;
    s->peak = peak;
    s->level = level;
    s->columns = n;
    peak = level = NULL;
out:
    free(peak);
    free(level);
    cJSON_Delete(o);
    free(text);
    free(path);
    return r;
}
