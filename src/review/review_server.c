/* The review server: libmicrohttpd on 127.0.0.1, a random token on every
 * request, and the routes of the review page (docs/REVIEW.md):
 *
 *   GET  /                 analytics/report.html (the editor is its "Edit" section)
 *   GET  /media/NAME       the recorded input (NAME = its file name), ranges
 *   GET  /api/edit         {"etag", "input", "timeline", "transcript", "render"}
 *   POST /api/save         the edit -> timeline.json + transcript.txt
 *   POST /api/render       start re-rendering; GET /api/render: its progress
 *   GET  /PATH             any other file of the output folder, ranges
 *
 * What is served is decided here, not by the file system: the path is
 * checked before decoding (ave_review_resolve), the opened file's real path
 * must lie inside the folder (or be the recorded input), hidden files are
 * never served, and the Host header must name this server (a page of another
 * site that resolves its name to 127.0.0.1 cannot use it). Bodies are
 * capped; one save at a time, none while a render runs. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "ave/ave.h"
#include "ave/edit.h"
#include "core/fsutil.h"
#include "review/review_internal.h"

#define MAX_URL 2048

/* --- access ------------------------------------------------------------------ */

/* Compares all REVIEW_TOKEN_HEX bytes whatever differs, so the time taken says
 * nothing about how much of a guess was right. */
static int token_ok(const ave_review *rv, const char *given)
{
    unsigned diff = 0;
    if (!given || strlen(given) != REVIEW_TOKEN_HEX)
        return 0;
    for (size_t i = 0; i < REVIEW_TOKEN_HEX; i++)
        diff |= (unsigned)(given[i] ^ rv->token[i]);
    return diff == 0;
}

/* 0 when the request may go on, else the status to refuse it with. */
static int check_access(ave_review *rv, struct MHD_Connection *c, review_req *cx, const char *url,
                        const char *method)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host || (strcmp(host, rv->host_ip) && strcmp(host, rv->host_name)))
        return MHD_HTTP_FORBIDDEN;
    if (strlen(url) > MAX_URL)
        return MHD_HTTP_URI_TOO_LONG;
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    if (token_ok(rv, q))
        cx->set_cookie = 1;
    else if (!token_ok(rv, MHD_lookup_connection_value(c, MHD_COOKIE_KIND, REVIEW_COOKIE)))
        return MHD_HTTP_FORBIDDEN;
    if (!strcmp(method, "POST")) {
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > rv->max_body)
            return MHD_HTTP_CONTENT_TOO_LARGE;
    } else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        return MHD_HTTP_METHOD_NOT_ALLOWED;
    }
    return 0;
}

static enum MHD_Result route(ave_review *rv, struct MHD_Connection *c, review_req *cx,
                             const char *url, int post)
{
    char rel[PATH_MAX];

    if (post) {
        if (cx->too_big)
            return review_send_error(rv, c, cx, MHD_HTTP_CONTENT_TOO_LARGE,
                                     "request body too large");
        if (!strcmp(url, "/api/save"))
            return review_api_save(rv, c, cx);
        if (!strcmp(url, "/api/render"))
            return review_api_render(rv, c, cx, 1);
        return review_send_error(rv, c, cx, MHD_HTTP_NOT_FOUND, "no such action");
    }
    if (!strcmp(url, "/api/edit"))
        return review_api_edit(rv, c, cx);
    if (!strcmp(url, "/api/render"))
        return review_api_render(rv, c, cx, 0);
    if (ave_review_resolve(url, rel, sizeof(rel)) < 0)
        return review_send_error(rv, c, cx, MHD_HTTP_FORBIDDEN, "path refused");
    if (rel[0] == '\0') {
        char *page = ave_fs_join(rv->root, "analytics/report.html");
        enum MHD_Result r = page ? review_send_path(rv, c, cx, page, 1) : MHD_NO;
        free(page);
        return r;
    }
    if (!strncmp(rel, "media/", 6)) {
        /* The recorded input, under its own name (the page's relative URL). */
        if (!rv->input || strcmp(rel + 6, rv->input_name))
            return review_send_error(rv, c, cx, MHD_HTTP_NOT_FOUND, "no such media");
        return review_send_path(rv, c, cx, rv->input, 0);
    }
    char *path = ave_fs_join(rv->root, rel);
    enum MHD_Result r = path ? review_send_path(rv, c, cx, path, 0) : MHD_NO;
    free(path);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    ave_review *rv = cls;
    review_req *cx = *con_cls;
    (void)version;

    if (!cx) {
        if (!(cx = calloc(1, sizeof(*cx))))
            return MHD_NO;
        *con_cls = cx;
        cx->refuse = check_access(rv, c, cx, url, method);
        if (cx->refuse)
            return review_send_error(rv, c, NULL, (unsigned)cx->refuse,
                                     cx->refuse == MHD_HTTP_FORBIDDEN
                                         ? "forbidden: open the URL that `ai-video-editor review` "
                                           "printed (it carries the token)"
                                         : "request refused");
        if (strcmp(method, "POST"))
            return route(rv, c, cx, url, 0);
        return MHD_YES; /* the body comes in the next calls */
    }
    if (cx->refuse) {
        *upload_size = 0; /* answered already; the body is dropped */
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cx->too_big && cx->len + *upload_size <= rv->max_body) {
            char *nb = realloc(cx->body, cx->len + *upload_size + 1);
            if (!nb)
                return MHD_NO;
            cx->body = nb;
            memcpy(cx->body + cx->len, upload_data, *upload_size);
            cx->len += *upload_size;
            cx->body[cx->len] = '\0';
        } else {
            cx->too_big = 1;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return route(rv, c, cx, url, 1);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    review_req *cx = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (cx) {
        free(cx->body);
        free(cx);
        *con_cls = NULL;
    }
}

/* Leave escapes in place: ave_review_resolve decodes the path itself, after
 * its checks; the token is hex, so no query value needs decoding. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* libmicrohttpd's messages, at verbose level (a closed connection is not
 * news). Declared a printf-like function so the format check holds. */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    ave_log(AVE_LOG_VERBOSE, REVIEW_LOG, "libmicrohttpd: %s", msg);
}

/* --- life cycle -------------------------------------------------------------- */

static int make_token(char *hex)
{
    unsigned char raw[REVIEW_TOKEN_HEX / 2];
    size_t got = 0;
    while (got < sizeof(raw)) {
        ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return AVE_ERR_INTERNAL;
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof(raw); i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

/* One line into msg (MSG_LEN bytes), returning code. */
#define MSG_LEN 512
__attribute__((format(printf, 3, 4))) static int failf(char *msg, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, MSG_LEN, fmt, ap);
    va_end(ap);
    return code;
}

int ave_review_start(ave_review **out, const ave_review_config *cfg, char *err, size_t errlen)
{
    ave_review *rv = NULL;
    char *input = NULL, real[PATH_MAX], msg[MSG_LEN] = "";
    int r;

    *out = NULL;
    if (errlen)
        err[0] = '\0';
    if (!(rv = calloc(1, sizeof(*rv)))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    rv->max_body = cfg->max_body ? cfg->max_body : AVE_REVIEW_MAX_BODY;
    if (!realpath(cfg->output_dir, real)) {
        r = failf(msg, AVE_ERR_INPUT, "%s: %s", cfg->output_dir, strerror(errno));
        goto out;
    }
    if (!(rv->root = strdup(real))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    char *tl = ave_fs_join(rv->root, "timeline.json");
    int have_tl = tl && access(tl, R_OK) == 0;
    free(tl);
    if (!have_tl) {
        r = failf(msg, AVE_ERR_INPUT,
                  "%s has no timeline.json: review a folder that `ai-video-editor process` wrote",
                  cfg->output_dir);
        goto out;
    }
    if (cfg->input) {
        if (!(input = strdup(cfg->input))) {
            r = AVE_ERR_NOMEM;
            goto out;
        }
    } else if ((r = ave_edit_input_path(cfg->output_dir, &input, msg, sizeof(msg))) < 0) {
        goto out;
    }
    /* A missing input is not fatal: the page still edits, without playback. */
    if (realpath(input, real)) {
        if (!(rv->input = strdup(real))) {
            r = AVE_ERR_NOMEM;
            goto out;
        }
        const char *slash = strrchr(rv->input, '/');
        rv->input_name = slash ? slash + 1 : rv->input;
    } else {
        ave_log(AVE_LOG_WARNING, REVIEW_LOG,
                "%s: %s; the page edits without playing the video (name it: review OUTPUT_DIR "
                "INPUT)",
                input, strerror(errno));
    }
    if ((r = make_token(rv->token)) < 0) {
        snprintf(msg, sizeof(msg), "no random numbers for the access token");
        goto out;
    }
    if (pthread_mutex_init(&rv->save_lock, NULL)) {
        r = AVE_ERR_INTERNAL;
        goto out;
    }
    rv->lock_ready = 1;
    if ((r = review_render_init(&rv->render, cfg->render, cfg->render_opaque, rv->root)) < 0)
        goto out;
    rv->render_ready = 1;

    /* The socket is bound here, not by the daemon: the Host names the
     * request thread checks must hold the port before the first request
     * can arrive (filled after MHD_start_daemon they raced with it). */
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) {
        r = failf(msg, AVE_ERR_IO, "cannot listen on 127.0.0.1:%d: %s", cfg->port,
                  strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    unsigned port = ntohs(sa.sin_port);
    snprintf(rv->host_ip, sizeof(rv->host_ip), "127.0.0.1:%u", port);
    snprintf(rv->host_name, sizeof(rv->host_name), "localhost:%u", port);
    rv->daemon = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, rv,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED, on_completed, rv,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, rv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, rv,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_END);
    if (!rv->daemon) {
        close(fd);
        r = failf(msg, AVE_ERR_IO, "cannot serve on 127.0.0.1:%u", port);
        goto out;
    }
    snprintf(rv->url, sizeof(rv->url), "http://127.0.0.1:%u/?token=%s", port, rv->token);
    *out = rv;
    rv = NULL;
    r = 0;
out:
    if (r < 0 && errlen)
        snprintf(err, errlen, "%s", msg[0] ? msg : ave_strerror(r));
    free(input);
    ave_review_stop(rv);
    return r;
}

const char *ave_review_url(const ave_review *rv)
{
    return rv ? rv->url : "";
}

void ave_review_stop(ave_review *rv)
{
    if (!rv)
        return;
    if (rv->daemon)
        MHD_stop_daemon(rv->daemon);
    if (rv->render_ready)
        review_render_destroy(&rv->render);
    if (rv->lock_ready)
        pthread_mutex_destroy(&rv->save_lock);
    free(rv->root);
    free(rv->input);
    free(rv);
}
