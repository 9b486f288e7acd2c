/* Rendering from the review page: the host's render function (the same job
 * as `ai-video-editor render OUTPUT_DIR`) runs on a thread of its own, one
 * at a time, while the server keeps answering; the page polls the state
 * (GET /api/render) for its progress bar and reloads when `generation`
 * changes. A second start while one runs is refused, not queued: the page
 * shows the running one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "review/review_internal.h"

int review_render_init(review_render *rr, ave_review_render_fn fn, void *opaque,
                       const char *output_dir)
{
    memset(rr, 0, sizeof(*rr));
    rr->fn = fn;
    rr->opaque = opaque;
    rr->output_dir = output_dir;
    atomic_init(&rr->cancel, 0);
    return pthread_mutex_init(&rr->lock, NULL) ? AVE_ERR_INTERNAL : 0;
}

static int on_progress(void *opaque, const char *stage, double fraction, double eta_s)
{
    review_render *rr = opaque;
    (void)eta_s;
    pthread_mutex_lock(&rr->lock);
    rr->fraction = fraction;
    snprintf(rr->stage, sizeof(rr->stage), "%s", stage ? stage : "");
    pthread_mutex_unlock(&rr->lock);
    return 0; /* cancelling goes through cancel_flag */
}

static void *render_main(void *arg)
{
    review_render *rr = arg;
    char err[512] = "";
    ave_job_callbacks cb = {.progress = on_progress, .opaque = rr, .cancel_flag = &rr->cancel};

    int r = rr->fn(rr->opaque, rr->output_dir, &cb, err, sizeof(err));
    pthread_mutex_lock(&rr->lock);
    rr->state = r < 0 ? RENDER_FAILED : RENDER_DONE;
    rr->fraction = r < 0 ? rr->fraction : 1;
    snprintf(rr->message, sizeof(rr->message), "%s",
             r < 0 ? (err[0] ? err : ave_strerror(r)) : "rendered");
    rr->generation++;
    pthread_mutex_unlock(&rr->lock);
    ave_log(r < 0 ? AVE_LOG_WARNING : AVE_LOG_INFO, REVIEW_LOG, "render %s: %s",
            r < 0 ? "failed" : "done", rr->message);
    return NULL;
}

int review_render_start(review_render *rr)
{
    int r = 0;
    if (!rr->fn)
        return AVE_ERR_UNSUPPORTED;
    pthread_mutex_lock(&rr->lock);
    if (rr->state == RENDER_RUNNING) {
        r = AVE_ERR_LIMIT;
        goto out;
    }
    if (rr->joinable) {
        /* The previous render has finished (state says so): reap it. */
        pthread_join(rr->thread, NULL);
        rr->joinable = 0;
    }
    rr->state = RENDER_RUNNING;
    rr->fraction = 0;
    rr->stage[0] = '\0';
    snprintf(rr->message, sizeof(rr->message), "starting");
    if (pthread_create(&rr->thread, NULL, render_main, rr)) {
        rr->state = RENDER_FAILED;
        snprintf(rr->message, sizeof(rr->message), "cannot start a thread");
        r = AVE_ERR_INTERNAL;
        goto out;
    }
    rr->joinable = 1;
out:
    pthread_mutex_unlock(&rr->lock);
    return r;
}

int review_render_busy(review_render *rr)
{
    pthread_mutex_lock(&rr->lock);
    int busy = rr->state == RENDER_RUNNING;
    pthread_mutex_unlock(&rr->lock);
    return busy;
}

char *review_render_status_json(review_render *rr)
{
    static const char *const names[] = {"idle", "running", "done", "failed"};
    cJSON *o = cJSON_CreateObject();
    char *s = NULL;

    pthread_mutex_lock(&rr->lock);
    if (o && cJSON_AddStringToObject(o, "state", names[rr->state]) &&
        cJSON_AddNumberToObject(o, "fraction", rr->fraction) &&
        cJSON_AddStringToObject(o, "stage", rr->stage) &&
        cJSON_AddStringToObject(o, "message", rr->message) &&
        cJSON_AddNumberToObject(o, "generation", rr->generation))
        s = cJSON_PrintUnformatted(o);
    pthread_mutex_unlock(&rr->lock);
    cJSON_Delete(o);
    return s;
}

void review_render_destroy(review_render *rr)
{
    atomic_store(&rr->cancel, 1);
    if (rr->joinable)
        pthread_join(rr->thread, NULL);
    rr->joinable = 0;
    pthread_mutex_destroy(&rr->lock);
}
