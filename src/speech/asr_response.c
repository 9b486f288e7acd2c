/* OpenAI-compatible transcription responses. The reference API puts word
 * times in a top-level "words" array when timestamp_granularities[]=word is
 * requested; self-hosted whisper servers often nest them in segments. Both
 * are accepted; anything else is reported, never guessed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/error.h"
#include "speech/asr_response.h"
#include "speech/asr_words.h"

/* Word times past this (seconds into the uploaded chunk) are not times: the
 * probe refuses inputs over 48 h, and beyond ~9.2e12 s llround could not
 * even hold them in microseconds. */
#define ASR_MAX_TIME_S (48.0 * 3600)

static int64_t sec_to_us(double s)
{
    return (int64_t)llround(s * 1e6);
}

static int add_words(const cJSON *arr, int64_t offset_us, ave_word **v, size_t *n, size_t *cap,
                     char *err, size_t errlen)
{
    const cJSON *it;

    cJSON_ArrayForEach(it, arr) {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "word");
        const cJSON *start = cJSON_GetObjectItemCaseSensitive(it, "start");
        const cJSON *end = cJSON_GetObjectItemCaseSensitive(it, "end");
        const cJSON *prob = cJSON_GetObjectItemCaseSensitive(it, "probability");
        double conf = cJSON_IsNumber(prob) ? prob->valuedouble : 1.0;
        ave_word w;

        if (!cJSON_IsString(text) || !cJSON_IsNumber(start) || !cJSON_IsNumber(end) ||
            !isfinite(start->valuedouble) || !isfinite(end->valuedouble) ||
            start->valuedouble < 0 || end->valuedouble < start->valuedouble ||
            end->valuedouble > ASR_MAX_TIME_S) {
            snprintf(err, errlen, "a word without valid \"word\", \"start\" and \"end\"");
            return AVE_ERR_INPUT;
        }
        if (!ave_asr_make_word(&w, text->valuestring, offset_us + sec_to_us(start->valuedouble),
                               offset_us + sec_to_us(end->valuedouble), conf))
            continue;
        if (ave_asr_words_push(v, n, cap, &w) < 0) {
            snprintf(err, errlen, "out of memory");
            return AVE_ERR_NOMEM;
        }
    }
    return 0;
}

int ave_asr_parse_response(const char *body, size_t len, int64_t offset_us, ave_word **words,
                           size_t *count, char *err, size_t errlen)
{
    cJSON *root = NULL;
    const cJSON *arr, *segs, *seg, *text;
    ave_word *v = NULL;
    size_t n = 0, cap = 0;
    int ret = 0;

    *words = NULL;
    *count = 0;
    if (!body || !(root = cJSON_ParseWithLength(body, len)) || !cJSON_IsObject(root)) {
        snprintf(err, errlen, "the response is not a JSON object");
        ret = AVE_ERR_INPUT;
        goto out;
    }
    arr = cJSON_GetObjectItemCaseSensitive(root, "words");
    segs = cJSON_GetObjectItemCaseSensitive(root, "segments");
    text = cJSON_GetObjectItemCaseSensitive(root, "text");
    if (cJSON_IsArray(arr)) {
        ret = add_words(arr, offset_us, &v, &n, &cap, err, errlen);
    } else if (cJSON_IsArray(segs)) {
        cJSON_ArrayForEach(seg, segs) {
            const cJSON *sw = cJSON_GetObjectItemCaseSensitive(seg, "words");
            if (!cJSON_IsArray(sw)) {
                snprintf(err, errlen, "segments without word timestamps (the server ignored "
                                      "timestamp_granularities[]=word)");
                ret = AVE_ERR_INPUT;
                goto out;
            }
            if ((ret = add_words(sw, offset_us, &v, &n, &cap, err, errlen)) < 0)
                goto out;
        }
    } else if (cJSON_IsString(text) && text->valuestring[0] != '\0') {
        snprintf(err, errlen, "the response has text but no word timestamps");
        ret = AVE_ERR_INPUT;
    } else if (!cJSON_IsString(text)) {
        snprintf(err, errlen, "the response has neither \"words\", \"segments\" nor \"text\"");
        ret = AVE_ERR_INPUT;
    }
    if (ret < 0)
        goto out;
    ave_asr_words_sort(v, n);
    *words = v;
    *count = n;
    v = NULL;
out:
    free(v);
    cJSON_Delete(root);
    return ret;
}
