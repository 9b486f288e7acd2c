/* The AI service's request and answer, and the exchange with its cache.
 *
 * The request gives the model what the offline analysis found (keyphrases,
 * chapter titles, the extractive summary) and the start of the transcript,
 * asks for one JSON object and says exactly which fields and lengths are
 * wanted. The answer is not trusted: the message content must parse as that
 * object (a ```json fence around it is tolerated, as local models add one),
 * every title must be a 20-100 character string and the summary 50-300
 * characters; anything else is a failure and the offline result stays.
 * Chapters, tags and times always come from the offline analysis: a model
 * has no business inventing timestamps. Valid answers are cached under the
 * SHA-256 of the URL, model and request body for an hour (kind "api"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "ave/cache.h"
#include "core/dynbuf.h"
#include "content/ai.h"

#define EXCERPT_CHARS 3000
/* A usage count above this is no count (cJSON reads "1e999" as infinity,
 * which would price the call at infinity): estimate from the length instead.
 * No model answers with a trillion tokens. */
#define AI_MAX_TOKENS 1e12
/* Far above any prompt built here (about EXCERPT_CHARS + 4 KB). */
#define PROMPT_MAX (64u << 10)

static const char system_prompt[] =
    "You write YouTube metadata for educational videos. Answer with one JSON object and "
    "nothing else: {\"titles\": {\"seo\": string, \"curiosity\": string, \"educational\": "
    "string, \"listicle\": string, \"emotional\": string}, \"summary\": string}. Each title "
    "50-60 characters and naming the main keyphrase; the summary 125-200 characters, "
    "describing what the video teaches, no hashtags, no links, no invented facts. In the "
    "transcript, \"...\" stands for words the speech recogniser could not make out: do not "
    "guess them.";

char *ai_build_request(const char *model, const ave_keyphrase *kp, size_t kp_count,
                       const ave_chapter *ch, size_t ch_count, const char *summary,
                       const content_text *t)
{
    cJSON *root = cJSON_CreateObject(), *msgs, *m;
    char *out = NULL;
    /* The size the prompt is written to: the chapter list stops 200 bytes
     * short of it, the transcript excerpt near EXCERPT_CHARS + 1000. The
     * buffer's own cap only stops a runaway (keyphrases, titles and the
     * summary are bounded). */
    const size_t budget = EXCERPT_CHARS + 4096;
    dynbuf user = DYNBUF_INIT(PROMPT_MAX);

    if (!root)
        goto out;
    dynbuf_adds(&user, "Keyphrases (best first):");
    for (size_t i = 0; i < kp_count && i < 10; i++)
        dynbuf_printf(&user, "%s %s", i ? "," : "", kp[i].text);
    dynbuf_adds(&user, "\nChapters:");
    for (size_t i = 0; i < ch_count && user.len < budget - 200; i++)
        dynbuf_printf(&user, "%s %s", i ? "," : "", ch[i].title);
    dynbuf_printf(&user, "\nSummary: %s\nTranscript (start):", summary);
    /* Unsure words stay out, as from the description: a service would
     * build a title around a misheard word as readily as around a real one. */
    for (size_t i = 0; i < t->count && user.len + 50 < budget && user.len < EXCERPT_CHARS + 1000;
         i++) {
        int unsure = t->tok[i].conf < CONTENT_MIN_QUOTED_RELIABILITY;
        if (!unsure)
            dynbuf_printf(&user, " %s", t->tok[i].text);
        else if (i == 0 || t->tok[i - 1].conf >= CONTENT_MIN_QUOTED_RELIABILITY)
            dynbuf_adds(&user, " ...");
    }
    if (user.err)
        goto out;
    if (!cJSON_AddStringToObject(root, "model", model) ||
        !cJSON_AddNumberToObject(root, "temperature", 0.4) ||
        !(m = cJSON_AddObjectToObject(root, "response_format")) ||
        !cJSON_AddStringToObject(m, "type", "json_object") ||
        !(msgs = cJSON_AddArrayToObject(root, "messages")))
        goto out;
    for (int i = 0; i < 2; i++) {
        if (!(m = cJSON_CreateObject()))
            goto out;
        cJSON_AddItemToArray(msgs, m);
        if (!cJSON_AddStringToObject(m, "role", i ? "user" : "system") ||
            !cJSON_AddStringToObject(m, "content", i ? user.data : system_prompt))
            goto out;
    }
    out = cJSON_PrintUnformatted(root);
out:
    cJSON_Delete(root);
    dynbuf_free(&user);
    return out;
}

/* The message content of a chat-completions answer, as a parsed object. */
static cJSON *content_object(const cJSON *root, char *why, size_t whylen)
{
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(root, "choices");
    const cJSON *c0 = cJSON_IsArray(choices) ? cJSON_GetArrayItem(choices, 0) : NULL;
    const cJSON *msg = c0 ? cJSON_GetObjectItemCaseSensitive(c0, "message") : NULL;
    const cJSON *text = msg ? cJSON_GetObjectItemCaseSensitive(msg, "content") : NULL;
    const char *s, *e;
    cJSON *obj;

    if (!cJSON_IsString(text)) {
        snprintf(why, whylen, "answer has no choices[0].message.content");
        return NULL;
    }
    s = strchr(text->valuestring, '{'); /* skips a ```json fence */
    e = strrchr(text->valuestring, '}');
    if (!s || !e || e < s || !(obj = cJSON_ParseWithLength(s, (size_t)(e - s + 1)))) {
        snprintf(why, whylen, "message content is not a JSON object");
        return NULL;
    }
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        snprintf(why, whylen, "message content is not a JSON object");
        return NULL;
    }
    return obj;
}

int ai_parse_response(const char *resp, const ave_keyphrase *kp, size_t kp_count,
                      meta_package *m, ai_stats *st, char *why, size_t whylen)
{
    cJSON *root = cJSON_Parse(resp), *obj = NULL;
    const cJSON *titles, *summary, *usage, *tok;
    meta_title got[META_STRATEGY_COUNT];
    int ret = AVE_ERR_INPUT;

    if (!root) {
        snprintf(why, whylen, "answer is not JSON");
        goto out;
    }
    if ((usage = cJSON_GetObjectItemCaseSensitive(root, "usage")) &&
        (tok = cJSON_GetObjectItemCaseSensitive(usage, "total_tokens")) && cJSON_IsNumber(tok) &&
        tok->valuedouble >= 0 && tok->valuedouble <= AI_MAX_TOKENS) {
        st->tokens += tok->valuedouble;
    } else {
        st->tokens += (double)strlen(resp) / 4;
        st->tokens_estimated = 1;
    }
    if (!(obj = content_object(root, why, whylen)))
        goto out;
    titles = cJSON_GetObjectItemCaseSensitive(obj, "titles");
    summary = cJSON_GetObjectItemCaseSensitive(obj, "summary");
    if (!cJSON_IsObject(titles)) {
        snprintf(why, whylen, "answer lacks a \"titles\" object");
        goto out;
    }
    for (int s = 0; s < META_STRATEGY_COUNT; s++) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(titles, meta_strategy_name(s));
        size_t len = cJSON_IsString(t) ? strlen(t->valuestring) : 0;
        if (len < 20 || len > 100) {
            snprintf(why, whylen, "title \"%s\" missing or not 20-100 characters",
                     meta_strategy_name(s));
            goto out;
        }
        memset(&got[s], 0, sizeof(got[s]));
        snprintf(got[s].text, sizeof(got[s].text), "%s", t->valuestring);
        meta_score_title(&got[s], kp, kp_count);
        got[s].reliability = meta_title_reliability(got[s].text, kp, kp_count);
    }
    if (!cJSON_IsString(summary) || strlen(summary->valuestring) < 50 ||
        strlen(summary->valuestring) > 300) {
        snprintf(why, whylen, "\"summary\" missing or not 50-300 characters");
        goto out;
    }
    memcpy(m->titles, got, sizeof(got));
    snprintf(m->summary, sizeof(m->summary), "%s", summary->valuestring);
    ret = 0;
out:
    cJSON_Delete(obj);
    cJSON_Delete(root);
    return ret;
}

static ave_cache *open_cache(const ave_job *job)
{
    ave_cache_options o;
    ave_cache *c = NULL;

    if (!job->cfg->enable_caching)
        return NULL;
    ave_cache_options_for_config(&o, job->cfg);
    if (ave_cache_open(&c, &o) < 0)
        return NULL; /* a cache that cannot open only costs a request */
    return c;
}

int ai_draft(ave_job *job, const ai_service *svc, const ave_keyphrase *kp, size_t kp_count,
             const ave_chapter *ch, size_t ch_count, const content_text *t, meta_package *m,
             ai_stats *st, char *why, size_t whylen)
{
    char *req = ai_build_request(svc->model, kp, kp_count, ch, ch_count, m->summary, t);
    char *resp = NULL, key[AVE_CACHE_HEX_LEN] = "", ident[1024];
    void *blob = NULL;
    size_t size = 0;
    ave_cache *cache = NULL;
    int ret;

    if (!req) {
        snprintf(why, whylen, "out of memory");
        return AVE_ERR_NOMEM;
    }
    snprintf(ident, sizeof(ident), "%s\n%s", svc->url, svc->model);
    if (!(cache = open_cache(job)))
        ave_log(AVE_LOG_VERBOSE, CONTENT_LOG, "no response cache");
    if (cache &&
        ave_cache_make_key(req, "content-ai", 1, ident, key) == 0 &&
        ave_cache_get(cache, AVE_CACHE_API, key, NULL, NULL, &blob, &size) == 0 && blob) {
        if ((resp = malloc(size + 1))) {
            memcpy(resp, blob, size);
            resp[size] = '\0';
        }
        free(blob);
        if (resp) {
            ai_stats ignore = {0};
            if (ai_parse_response(resp, kp, kp_count, m, &ignore, why, whylen) == 0) {
                st->cache_hit = 1;
                ret = 0;
                goto out;
            }
            free(resp);
            resp = NULL;
        }
    }
    if ((ret = ai_http_post(job, svc, req, &resp, st, why, whylen)) < 0)
        goto out;
    double before = st->tokens;
    ret = ai_parse_response(resp, kp, kp_count, m, st, why, whylen);
    double cost = (st->tokens - before) / 1000 * svc->price_per_1k;
    st->cost += cost;
    ave_job_count_api_call(job, "content", cost); /* the answered request, with its cost */
    if (ret == 0 && cache && key[0] &&
        ave_cache_put(cache, AVE_CACHE_API, key, NULL, resp, strlen(resp)) < 0)
        ave_log(AVE_LOG_VERBOSE, CONTENT_LOG, "could not cache the answer");
out:
    ave_cache_close(cache);
    free(resp);
    free(req);
    return ret;
}
