/* One chat-completions request with the manners a paid API expects (libcurl).
 *
 * 429 and 5xx answers are retried after Retry-After (seconds, capped at
 * 60 s) or an exponential backoff (backoff_s, 2x, 4x ...); other 4xx answers,
 * connection failures and timeouts are not, since repeating them rarely
 * helps and the offline result is good enough. Requests are spaced by the
 * rate limit (60 / rate seconds apart). The rate limit is per job: the
 * library keeps no global state, so parallel batch jobs each get the full
 * rate. Every request the server answered counts as an API call: refused
 * ones here at no cost, the accepted one by the caller with the cost of its
 * usage tokens. The key goes only into the Authorization header; no
 * message names it, and URLs are shown without user:password. Redirects are
 * not followed (they could forward the key). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "ave/ave.h"
#include "core/dynbuf.h"
#include "core/http_url.h"
#include "core/secret.h"
#include "content/ai.h"

#define AI_MAX_RESPONSE (4u << 20)
#define AI_MAX_WAIT_S 60.0

static void curl_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Retry-After in seconds (the HTTP-date form is rare for APIs: ignored). */
static size_t on_header(char *ptr, size_t size, size_t nmemb, void *opaque)
{
    double *retry_after = opaque;
    size_t n = size * nmemb;
    static const char name[] = "retry-after:";

    if (n > sizeof(name) - 1 && !strncasecmp(ptr, name, sizeof(name) - 1)) {
        char tmp[32];
        size_t k = n - (sizeof(name) - 1) < sizeof(tmp) - 1 ? n - (sizeof(name) - 1)
                                                             : sizeof(tmp) - 1;
        memcpy(tmp, ptr + sizeof(name) - 1, k);
        tmp[k] = '\0';
        char *end;
        double v = strtod(tmp, &end);
        if (end != tmp && v >= 0)
            *retry_after = v;
    }
    return n;
}

/* Sleep seconds in short steps, stopping early when the job must stop. */
static int wait_s(ave_job *job, double seconds)
{
    double until = ave_now() + seconds;
    while (ave_now() < until) {
        int ret = ave_job_progress(job, 0.5);
        if (ret)
            return ret;
        double left = until - ave_now();
        struct timespec ts = {0, (long)((left < 0.05 ? (left > 0 ? left : 0) : 0.05) * 1e9)};
        nanosleep(&ts, NULL);
    }
    return 0;
}

int ai_http_post(ave_job *job, const ai_service *svc, const char *body, char **resp,
                 ai_stats *st, char *why, size_t whylen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    char *url = NULL, *auth = NULL, *shown = NULL;
    struct curl_slist *hdr = NULL, *tmp;
    CURL *curl = NULL;
    double interval = svc->rate_per_min > 0 ? 60.0 / svc->rate_per_min : 0, last = -1e9;
    double backoff = svc->backoff_s >= 0 ? svc->backoff_s : 1;
    int ret = AVE_ERR_IO;

    *resp = NULL;
    why[0] = '\0';
    if (strncmp(svc->url, "http://", 7) && strncmp(svc->url, "https://", 8)) {
        snprintf(why, whylen, "the API URL must start with http:// or https://");
        return AVE_ERR_USAGE;
    }
    pthread_once(&once, curl_once);
    if (!(url = ave_http_endpoint(svc->url, "/chat/completions")) ||
        !(shown = ave_http_url_for_display(url)) || !(curl = curl_easy_init()))
        goto nomem;
    if (!(tmp = curl_slist_append(hdr, "Content-Type: application/json")))
        goto nomem;
    hdr = tmp;
    if (svc->key && svc->key[0]) {
        size_t n = strlen(svc->key) + sizeof("Authorization: Bearer ");
        if (!(auth = malloc(n)))
            goto nomem;
        snprintf(auth, n, "Authorization: Bearer %s", svc->key);
        if (!(tmp = curl_slist_append(hdr, auth)))
            goto nomem;
        hdr = tmp;
    }
    for (int attempt = 0;; attempt++) {
        dynbuf b = DYNBUF_INIT(AI_MAX_RESPONSE);
        double retry_after = -1, wait;
        long status = 0;
        CURLcode cr;

        if (interval > 0 && ave_now() - last < interval &&
            (ret = wait_s(job, interval - (ave_now() - last))) != 0)
            goto out;
        if ((ret = ave_job_progress(job, 0.5)) != 0)
            goto out;
        last = ave_now();
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, dynbuf_write);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &retry_after);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(svc->timeout_s * 1000 + 0.5));
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        cr = curl_easy_perform(curl);
        st->requests++;
        if (cr != CURLE_OK) {
            dynbuf_free(&b);
            snprintf(why, whylen, "%s: %s", shown,
                     cr == CURLE_OPERATION_TIMEDOUT ? "no answer within --api-timeout"
                                                    : curl_easy_strerror(cr));
            ret = AVE_ERR_IO; /* even a timeout: AVE_ERR_TIMEOUT means the job's --timeout */
            goto out;
        }
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) { /* counted by the caller, with its cost */
            ret = dynbuf_take(&b, resp, NULL);
            goto out;
        }
        dynbuf_free(&b);
        ave_job_count_api_call(job, "content", 0); /* refused: costs nothing */
        if ((status != 429 && status < 500) || attempt >= svc->max_retries) {
            snprintf(why, whylen, "%s: HTTP %ld%s", shown, status,
                     attempt ? " after retries" : "");
            ret = AVE_ERR_IO;
            goto out;
        }
        wait = retry_after >= 0 ? retry_after : backoff;
        if (wait > AI_MAX_WAIT_S)
            wait = AI_MAX_WAIT_S;
        ave_log(AVE_LOG_INFO, CONTENT_LOG, "%s: HTTP %ld, retrying in %.1f s", shown, status,
                wait);
        backoff *= 2;
        st->retries++;
        if ((ret = wait_s(job, wait)) != 0)
            goto out;
    }
nomem:
    snprintf(why, whylen, "out of memory");
    ret = AVE_ERR_NOMEM;
out:
    ave_secret_headers_free(hdr); /* do not leave the key in freed memory */
    ave_secret_free(auth);
    free(url);
    free(shown);
    if (curl)
        curl_easy_cleanup(curl);
    return ret;
}
