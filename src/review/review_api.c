/* The review page's API: GET /api/edit (the folder's current timeline.json
 * and transcript.json with the version tag a save must quote), POST
 * /api/save (ave_review_apply_save, then both files replaced atomically),
 * GET/POST /api/render (state, start). One save at a time and none while a
 * render runs, since the render rewrites both files (save_lock). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "review/review_internal.h"

/* --- the API ----------------------------------------------------------------- */

enum MHD_Result review_api_edit(ave_review *rv, struct MHD_Connection *c, const review_req *cx)
{
    char *tl = NULL, *tr = NULL, *status = NULL, *out = NULL, tag[17];
    size_t tl_len = 0, tr_len = 0;
    enum MHD_Result r;

    if (review_read(rv->root, "timeline.json", &tl, &tl_len) < 0) {
        r = review_send_error(rv, c, cx, MHD_HTTP_NOT_FOUND, "timeline.json cannot be read");
        goto out;
    }
    if (review_read(rv->root, "transcript.json", &tr, &tr_len) < 0)
        tr = NULL; /* no speech: the page edits the cuts only */
    status = review_render_status_json(&rv->render);
    ave_review_etag(tl, tl_len, tag);
    /* The files are spliced in as they are: the page parses them, and a file
     * edited into invalid JSON shows there as an error, not a 500. */
    cJSON *name = cJSON_CreateString(rv->input_name ? rv->input_name : "");
    char *qname = name ? cJSON_PrintUnformatted(name) : NULL;
    cJSON_Delete(name);
    size_t n = tl_len + tr_len + (status ? strlen(status) : 0) + (qname ? strlen(qname) : 0) + 128;
    if (!qname || !status || !(out = malloc(n))) {
        r = review_send_error(rv, c, cx, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        free(qname);
        goto out;
    }
    int len = snprintf(out, n,
                       "{\"etag\":\"%s\",\"input\":%s,\"media\":%s,\"timeline\":%s,"
                       "\"transcript\":%s,\"render\":%s}",
                       tag, qname, rv->input ? "true" : "false", tl, tr ? tr : "null", status);
    free(qname);
    r = review_send_buf(rv, c, cx, MHD_HTTP_OK, "application/json", out, (size_t)len);
out:
    free(tl);
    free(tr);
    free(status);
    free(out);
    return r;
}

enum MHD_Result review_api_save(ave_review *rv, struct MHD_Connection *c, const review_req *cx)
{
    char *tl = NULL, *tr = NULL, tag[17], err[512] = "";
    size_t tl_len = 0, tr_len = 0;
    ave_review_save sv = {0};
    enum MHD_Result res;
    int r;

    pthread_mutex_lock(&rv->save_lock);
    if (review_render_busy(&rv->render)) {
        res = review_send_error(rv, c, cx, MHD_HTTP_CONFLICT,
                                "a render is running: save again when it has finished");
        goto out;
    }
    if (review_read(rv->root, "timeline.json", &tl, &tl_len) < 0) {
        res = review_send_error(rv, c, cx, MHD_HTTP_INTERNAL_SERVER_ERROR,
                                "timeline.json cannot be read");
        goto out;
    }
    if (review_read(rv->root, "transcript.json", &tr, &tr_len) < 0)
        tr = NULL;
    ave_review_etag(tl, tl_len, tag);
    r = ave_review_apply_save(tl, tl_len, tr ? tr : "{\"words\":[]}", tr ? tr_len : 12, tag,
                              cx->body ? cx->body : "", cx->len, &sv, err, sizeof(err));
    if (r < 0) {
        int stale = strstr(err, "stale") != NULL;
        ave_log(AVE_LOG_WARNING, REVIEW_LOG, "save refused: %s", err[0] ? err : ave_strerror(r));
        res = review_send_error(rv, c, cx,
                                stale                ? MHD_HTTP_CONFLICT
                                : r == AVE_ERR_USAGE ? MHD_HTTP_BAD_REQUEST
                                                     : MHD_HTTP_INTERNAL_SERVER_ERROR,
                                err[0] ? err : ave_strerror(r));
        goto out;
    }
    /* transcript.txt first: the page's version check is on timeline.json, so
     * a crash between the two leaves a folder whose old timeline a reloaded
     * page sees, never a new timeline with the old text. */
    if ((tr && (r = review_write_atomic(rv->root, "transcript.txt", sv.transcript_txt,
                                        sv.transcript_len)) < 0) ||
        (r = review_write_atomic(rv->root, "timeline.json", sv.timeline_json, sv.timeline_len)) <
            0) {
        snprintf(err, sizeof(err), "cannot write the edit into %s: %s", rv->root, ave_strerror(r));
        ave_log(AVE_LOG_ERROR, REVIEW_LOG, "%s", err);
        res = review_send_error(rv, c, cx, MHD_HTTP_INTERNAL_SERVER_ERROR, err);
        goto out;
    }
    ave_review_etag(sv.timeline_json, sv.timeline_len, tag);
    ave_log(AVE_LOG_INFO, REVIEW_LOG,
            "saved timeline.json and transcript.txt (%zu word(s) corrected)", sv.corrected);
    char body[96];
    int n = snprintf(body, sizeof(body), "{\"etag\":\"%s\",\"corrected\":%zu}", tag, sv.corrected);
    res = review_send_buf(rv, c, cx, MHD_HTTP_OK, "application/json", body, (size_t)n);
out:
    pthread_mutex_unlock(&rv->save_lock);
    ave_review_save_free(&sv);
    free(tl);
    free(tr);
    return res;
}

enum MHD_Result review_api_render(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                  int start)
{
    if (start) {
        pthread_mutex_lock(&rv->save_lock);
        int r = review_render_start(&rv->render);
        pthread_mutex_unlock(&rv->save_lock);
        if (r == AVE_ERR_LIMIT)
            return review_send_error(rv, c, cx, MHD_HTTP_CONFLICT, "a render is already running");
        if (r == AVE_ERR_UNSUPPORTED)
            return review_send_error(rv, c, cx, MHD_HTTP_NOT_IMPLEMENTED,
                                     "rendering is not available");
        if (r < 0)
            return review_send_error(rv, c, cx, MHD_HTTP_INTERNAL_SERVER_ERROR, ave_strerror(r));
        ave_log(AVE_LOG_INFO, REVIEW_LOG, "render started");
    }
    char *s = review_render_status_json(&rv->render);
    if (!s)
        return review_send_error(rv, c, cx, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    enum MHD_Result r = review_send_buf(rv, c, cx, start ? MHD_HTTP_ACCEPTED : MHD_HTTP_OK,
                                        "application/json", s, strlen(s));
    free(s);
    return r;
}
