/* The HTTP recogniser: an OpenAI-compatible /v1/audio/transcriptions client
 * (libcurl), which self-hosted whisper servers also speak. Each chunk is
 * uploaded as a 16 kHz mono WAV in a multipart form with
 * response_format=verbose_json and timestamp_granularities[]=word.
 *
 * The API key is sent only in the Authorization header; it never appears in
 * a message (error text is scrubbed of it, and URLs lose any user:password
 * part before they are shown). Assumes the server answers within
 * --api-timeout; only http and https are allowed, redirects are not
 * followed (they could forward the key elsewhere). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "ave/ave.h"
#include "core/dynbuf.h"
#include "core/http_url.h"
#include "core/secret.h"
#include "speech/asr.h"
#include "speech/asr_response.h"
#include "speech/wav_encode.h"

#define MAX_RESPONSE (16u << 20) /* a transcript of hours is a few MB */

typedef struct http_state {
    char *endpoint;   /* full URL */
    char *shown;      /* endpoint without credentials, for messages */
    char *auth;       /* "Authorization: Bearer ..." or NULL */
    char *key;        /* for scrubbing messages */
    char *model, *language;
    long timeout_ms;
} http_state;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Replace every occurrence of the key in msg with "***". */
static void scrub(char *msg, const char *key)
{
    size_t klen = key ? strlen(key) : 0;
    char *p;

    if (klen < 4)
        return; /* a key that short would scrub ordinary words; it is not sent in text anyway */
    while ((p = strstr(msg, key))) {
        memcpy(p, "***", 3);
        memmove(p + 3, p + klen, strlen(p + klen) + 1);
    }
}

static void http_close(void *state)
{
    http_state *s = state;
    if (!s)
        return;
    free(s->endpoint);
    free(s->shown);
    ave_secret_free(s->auth); /* do not leave the key in freed memory */
    ave_secret_free(s->key);
    free(s->model);
    free(s->language);
    free(s);
}

static int http_open(void **state, const ave_asr_config *cfg, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    http_state *s;

    *state = NULL;
    if (!cfg || !cfg->url || !cfg->url[0]) {
        snprintf(err, errlen, "--asr http needs a server: set --asr-url or AI_VIDEO_EDITOR_ASR_URL");
        return AVE_ERR_USAGE;
    }
    if (strncmp(cfg->url, "http://", 7) && strncmp(cfg->url, "https://", 8)) {
        snprintf(err, errlen, "--asr-url must start with http:// or https://");
        return AVE_ERR_USAGE;
    }
    pthread_once(&once, curl_init_once);
    if (!(s = calloc(1, sizeof(*s))))
        goto nomem;
    if (!(s->endpoint = ave_http_endpoint(cfg->url, "/audio/transcriptions")) || !(s->shown = ave_http_url_for_display(s->endpoint)) ||
        !(s->model = strdup(cfg->model && cfg->model[0] ? cfg->model : "whisper-1")) ||
        !(s->language = strdup(cfg->language ? cfg->language : "")))
        goto nomem;
    if (cfg->api_key && cfg->api_key[0]) {
        size_t n = strlen(cfg->api_key) + sizeof("Authorization: Bearer ");
        if (!(s->key = strdup(cfg->api_key)) || !(s->auth = malloc(n)))
            goto nomem;
        snprintf(s->auth, n, "Authorization: Bearer %s", cfg->api_key);
    }
    s->timeout_ms = cfg->timeout_s > 0 ? (long)(cfg->timeout_s * 1000 + 0.5) : 0;
    *state = s;
    return 0;
nomem:
    http_close(s);
    snprintf(err, errlen, "out of memory");
    return AVE_ERR_NOMEM;
}

/* curl calls this about once a second and more often during transfers;
 * non-zero aborts the request (CURLE_ABORTED_BY_CALLBACK). */
static int on_transfer(void *opaque, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    const atomic_int *stop = opaque;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return stop && atomic_load(stop);
}

static int add_field(curl_mime *mime, const char *name, const char *value)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    return part && curl_mime_name(part, name) == CURLE_OK &&
           curl_mime_data(part, value, CURL_ZERO_TERMINATED) == CURLE_OK;
}

/* curl_slist_append returns NULL on failure without freeing the list. */
static int add_header(struct curl_slist **list, const char *h)
{
    struct curl_slist *l = curl_slist_append(*list, h);
    if (l)
        *list = l;
    return l != NULL;
}

static int http_transcribe(void *state, const int16_t *pcm, size_t n, int rate, int64_t offset_us,
                           const atomic_int *stop, ave_word **words, size_t *count, char *err,
                           size_t errlen)
{
    http_state *s = state;
    CURL *curl = NULL;
    curl_mime *mime = NULL;
    curl_mimepart *part;
    struct curl_slist *headers = NULL;
    dynbuf body = DYNBUF_INIT(MAX_RESPONSE);
    uint8_t *wav = NULL;
    size_t wav_len = 0;
    char cerr[CURL_ERROR_SIZE] = "";
    long status = 0;
    CURLcode cc;
    int ret;

    *words = NULL;
    *count = 0;
    err[0] = '\0';
    if ((ret = ave_wav_encode_s16(pcm, n, rate, &wav, &wav_len)) < 0) {
        snprintf(err, errlen, "cannot encode %.1f s of audio for upload", (double)n / rate);
        goto out;
    }
    ret = AVE_ERR_NOMEM;
    if (!(curl = curl_easy_init()) || !(mime = curl_mime_init(curl)) ||
        !(part = curl_mime_addpart(mime)) || curl_mime_name(part, "file") != CURLE_OK ||
        curl_mime_data(part, (const char *)wav, wav_len) != CURLE_OK ||
        curl_mime_filename(part, "audio.wav") != CURLE_OK ||
        curl_mime_type(part, "audio/wav") != CURLE_OK || !add_field(mime, "model", s->model) ||
        !add_field(mime, "response_format", "verbose_json") ||
        !add_field(mime, "timestamp_granularities[]", "word") ||
        (s->language[0] && !add_field(mime, "language", s->language)) ||
        !add_header(&headers, "Accept: application/json") ||
        /* No "Expect: 100-continue" round trip: simple servers stall on it. */
        !add_header(&headers, "Expect:") || (s->auth && !add_header(&headers, s->auth))) {
        snprintf(err, errlen, "cannot prepare the request");
        goto out;
    }
    curl_easy_setopt(curl, CURLOPT_URL, s->endpoint);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, dynbuf_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "ai-video-editor/" AVE_VERSION_STRING);
    if (s->timeout_ms > 0)
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s->timeout_ms);

    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_transfer);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)stop);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);

    cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", s->shown,
                 body.err == AVE_ERR_LIMIT ? "response too large"
                 : cerr[0]                 ? cerr
                                           : curl_easy_strerror(cc));
        ret = cc == CURLE_OPERATION_TIMEDOUT      ? AVE_ERR_TIMEOUT
              : cc == CURLE_ABORTED_BY_CALLBACK ? AVE_ERR_CANCELLED
                                                : AVE_ERR_IO;
        goto out;
    }
    if (status < 200 || status > 299) {
        /* Servers explain refusals in the body; show its start. */
        snprintf(err, errlen, "%s: HTTP %ld: %.200s", s->shown, status,
                 body.data ? body.data : "(no body)");
        for (char *p = err; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        ret = status == 401 || status == 403 ? AVE_ERR_USAGE : AVE_ERR_IO;
        goto out;
    }
    {
        char perr[256];
        ret = ave_asr_parse_response(body.data, body.len, offset_us, words, count, perr, sizeof(perr));
        if (ret < 0)
            snprintf(err, errlen, "%s: %s", s->shown, perr);
    }
out:
    scrub(err, s->key);
    ave_secret_headers_free(headers);
    curl_mime_free(mime);
    if (curl)
        curl_easy_cleanup(curl);
    dynbuf_free(&body);
    free(wav);
    return ret;
}

const ave_asr_engine ave_asr_http = {
    .name = "http",
    .api_service = "asr",
    .parallel = 1, /* one curl handle per state: --api-batch-size uploads at once */
    /* ~19 MB of WAV per request, under the reference API's 25 MB limit;
     * whole pauses stay inside a chunk so the service sees the context. */
    .max_chunk_s = 600,
    .merge_gap_s = 0,
    .whole_file = 1,
    .open = http_open,
    .transcribe = http_transcribe,
    .close = http_close,
};
