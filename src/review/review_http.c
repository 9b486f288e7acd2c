/* The review server's responses: JSON errors, buffers, and files (whole or
 * the one byte range asked for), each with the headers every answer carries
 * (common_headers): no caching, no sniffing, no referrer, the page's
 * Content-Security-Policy on the page and `sandbox` on every other file, so
 * an HTML or SVG file of the folder never runs as a page of this origin.
 * Files are opened only through review_open_inside (inside the folder, or
 * the recorded input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "review/review_internal.h"

/* --- responses --------------------------------------------------------------- */

static const char page_csp[] =
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";
/* Any other file: shown, never run as a page of this origin. */
static const char file_csp[] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'";

static void common_headers(ave_review *rv, struct MHD_Response *resp, const review_req *cx,
                           const char *type, const char *csp)
{
    char cookie[128];
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    if (cx && cx->set_cookie) {
        snprintf(cookie, sizeof(cookie), REVIEW_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict",
                 rv->token);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    }
}

enum MHD_Result review_send_buf(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                unsigned status, const char *type, const char *data, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    common_headers(rv, resp, cx, type, file_csp);
    enum MHD_Result r = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* {"error": msg} with the status. */
enum MHD_Result review_send_error(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                  unsigned status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    char *s = o && cJSON_AddStringToObject(o, "error", msg) ? cJSON_PrintUnformatted(o) : NULL;
    enum MHD_Result r =
        review_send_buf(rv, c, cx, status, "application/json", s ? s : "{}", s ? strlen(s) : 2);
    free(s);
    cJSON_Delete(o);
    return r;
}

static const char *mime_type(const char *name)
{
    static const char *const table[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".json", "application/json"},
        {".mp4", "video/mp4"},
        {".m4a", "audio/mp4"},
        {".mov", "video/quicktime"},
        {".mkv", "video/x-matroska"},
        {".webm", "video/webm"},
        {".wav", "audio/wav"},
        {".mp3", "audio/mpeg"},
        {".jpg", "image/jpeg"},
        {".png", "image/png"},
        {".vtt", "text/vtt; charset=utf-8"},
        {".srt", "text/plain; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof(table) / sizeof(table[0]); i++)
        if (!strcasecmp(dot, table[i][0]))
            return table[i][1];
    return "application/octet-stream";
}

/* A file already opened (fd taken over): whole, or the one Range asked for. */
static enum MHD_Result send_fd(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                               int fd, uint64_t size, const char *name, int page)
{
    const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
    uint64_t a = 0, z = 0;
    char cr[96];
    int rr = page ? 0 : ave_review_range(range, size, &a, &z);

    if (rr < 0) {
        close(fd);
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        snprintf(cr, sizeof(cr), "bytes */%llu", (unsigned long long)size);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        common_headers(rv, resp, cx, "text/plain", file_csp);
        enum MHD_Result r = MHD_queue_response(c, MHD_HTTP_RANGE_NOT_SATISFIABLE, resp);
        MHD_destroy_response(resp);
        return r;
    }
    uint64_t off = rr ? a : 0, len = rr ? z - a + 1 : size;
    struct MHD_Response *resp = MHD_create_response_from_fd_at_offset64(len, fd, (int64_t)off);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    common_headers(rv, resp, cx, mime_type(name), page ? page_csp : file_csp);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCEPT_RANGES, page ? "none" : "bytes");
    if (rr) {
        snprintf(cr, sizeof(cr), "bytes %llu-%llu/%llu", (unsigned long long)a,
                 (unsigned long long)z, (unsigned long long)size);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
    }
    enum MHD_Result r = MHD_queue_response(c, rr ? MHD_HTTP_PARTIAL_CONTENT : MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Serve path (absolute) if it is inside the folder or is the input. */
enum MHD_Result review_send_path(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                 const char *path, int page)
{
    uint64_t size = 0;
    int fd = review_open_inside(rv->root, path, rv->input, &size);
    if (fd == AVE_ERR_INPUT)
        return review_send_error(rv, c, cx, MHD_HTTP_NOT_FOUND, "not found");
    if (fd < 0)
        return review_send_error(rv, c, cx, MHD_HTTP_FORBIDDEN, "not a file of this output folder");
    return send_fd(rv, c, cx, fd, size, path, page);
}
