/* Private to src/content: the optional AI service (an OpenAI-compatible
 * chat-completions endpoint) that drafts titles and the description.
 *
 * ai_http.c sends one request with retries (429/5xx, exponential backoff,
 * Retry-After), the rate limit and token/cost accounting; ai_json.c builds
 * the request from the offline results and validates the answer; the
 * response cache is the shared results cache (include/ave/cache.h, kind
 * "api", 1 h). Any failure is reported through why[] and the caller keeps
 * the offline result. */
#ifndef AVE_CONTENT_AI_H
#define AVE_CONTENT_AI_H

#include <stddef.h>

#include "ave/job.h"
#include "content/content.h"

typedef struct ai_service {
    const char *url;        /* base URL or full .../chat/completions; borrowed */
    const char *key;        /* borrowed; NULL/empty: no Authorization header */
    const char *model;
    double timeout_s;       /* per request */
    double rate_per_min;    /* 0: unlimited */
    double price_per_1k;    /* USD per 1000 tokens */
    int max_retries;        /* after the first attempt */
    double backoff_s;       /* first wait; doubles each retry */
} ai_service;

/* What one exchange cost, for the metrics. */
typedef struct ai_stats {
    int requests, retries, cache_hit;
    double tokens, cost;
    int tokens_estimated;   /* the server sent no usage: chars / 4 */
} ai_stats;

/* POST body to the service; *resp (malloc'd, caller frees) receives the body
 * of the 2xx answer. Retries 429 and 5xx with backoff, waits for the rate
 * limit, counts every request with ave_job_count_api_call("content", ...).
 * Returns 0, or < 0 with a one-line reason (never containing the key) in
 * why. AVE_ERR_TIMEOUT/AVE_ERR_CANCELLED from the job are passed up. */
int ai_http_post(ave_job *job, const ai_service *svc, const char *body, char **resp,
                 ai_stats *st, char *why, size_t whylen);

/* Build the chat-completions request (malloc'd JSON text) from the offline
 * results: keyphrases, chapter titles, summary and a transcript excerpt in
 * which each run of words under CONTENT_MIN_QUOTED_RELIABILITY is "...". */
char *ai_build_request(const char *model, const ave_keyphrase *kp, size_t kp_count,
                       const ave_chapter *ch, size_t ch_count, const char *summary,
                       const content_text *t);

/* Validate an answer: the message content must be a JSON object with
 * "titles" holding the five strategies (strings of 20-100 characters) and a
 * "summary" of 50-300 characters. On success fills m->titles (scored
 * against kp) and m->summary, and adds the usage tokens to st. Returns 0 or
 * AVE_ERR_INPUT with the reason in why. */
int ai_parse_response(const char *resp, const ave_keyphrase *kp, size_t kp_count,
                      meta_package *m, ai_stats *st, char *why, size_t whylen);

/* The whole exchange with caching: looks the request up in the "api" cache
 * (when enabled), else posts it and caches a valid answer. Returns 0 when m
 * now holds the service's titles and summary; < 0 (reason in why) when the
 * offline result must be kept. */
int ai_draft(ave_job *job, const ai_service *svc, const ave_keyphrase *kp, size_t kp_count,
             const ave_chapter *ch, size_t ch_count, const content_text *t, meta_package *m,
             ai_stats *st, char *why, size_t whylen);

#endif
