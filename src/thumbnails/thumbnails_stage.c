/* The "thumbnails" stage: scores the frames the frames stage sampled, picks
 * the best ones from different scenes, grabs them at full resolution and
 * composes finished 1280x720 JPEGs per strategy of the content type:
 * thumbnails/<strategy>/<name>.jpg (<name>_2.jpg, ... for further picks),
 * thumbnails/recommended.jpg (the best pick in the type's first strategy)
 * and thumbnails/thumbnails.json (every candidate's score breakdown).
 *
 * Runs last so it sees the final timeline: frames the edit removed, or
 * that sit next to a cut, are never chosen. Without frame analysis (the
 * frames stage did not run) it warns and writes nothing. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/name_words.h"
#include "thumbnails/thumb.h"

typedef struct thumb_opts {
    int enabled;      /* --thumbnails */
    char *text;       /* --thumbnail-text */
    int64_t count;    /* --thumbnail-count: picks per strategy */
    char *strategies; /* --thumbnail-strategies: comma list, NULL = per --type */
} thumb_opts;

#define OFF(f) offsetof(thumb_opts, f)
static const ave_option thumb_options[] = {
    {.name = "thumbnails",
     .type = AVE_OPT_BOOL,
     .offset = OFF(enabled),
     .def.i = 1,
     .stage = "thumbnails",
     .help = "compose scored thumbnails into thumbnails/ (needs the frames stage)"},
    {.name = "thumbnail-text",
     .type = AVE_OPT_STRING,
     .offset = OFF(text),
     .stage = "thumbnails",
     .help = "hook text on the thumbnails (default: the content headline, else the file name)"},
    {.name = "thumbnail-count",
     .type = AVE_OPT_INT,
     .offset = OFF(count),
     .def.i = 2,
     .min = 1,
     .max = 5,
     .stage = "thumbnails",
     .help = "thumbnails per strategy, each from a different scene where possible"},
    {.name = "thumbnail-strategies",
     .type = AVE_OPT_STRING,
     .offset = OFF(strategies),
     .stage = "thumbnails",
     .help = "comma list of educational, authority, curiosity, emotional, performance "
             "(default: by --type)"},
    {.name = NULL},
};
#undef OFF

#define SHORTLIST_EXTRA 3
#define MIN_GAP_US 3000000
#define MAX_STYLES 8

typedef struct thumb_run {
    thumb_candidate *cands;
    int *shortlist, *picks;
    thumb_image *grabs;
    size_t n, nshort, npicks, ngrabs;
    int baseline;
    const thumb_style *styles[MAX_STYLES];
    size_t nstyles;
    thumb_written *files;
    size_t nfiles;
    char text[512];
    const char *text_source;
    const char *text_note; /* why there is no headline on it, or NULL */
    int64_t reserved;
} thumb_run;

static int choose_styles(ave_job *job, const thumb_opts *o, thumb_run *r)
{
    size_t n;
    const thumb_style *st;
    char buf[256], *save = NULL;

    if (!o->strategies || !*o->strategies) {
        st = thumb_styles_for(job->cfg->content_type, &n);
        for (size_t i = 0; i < n && i < MAX_STYLES; i++)
            r->styles[r->nstyles++] = &st[i];
        return 0;
    }
    snprintf(buf, sizeof(buf), "%s", o->strategies);
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        if (!(st = thumb_style_find(tok)))
            return ave_job_fail(job, AVE_ERR_USAGE,
                                "--thumbnail-strategies: unknown strategy '%s'", tok);
        if (r->nstyles < MAX_STYLES)
            r->styles[r->nstyles++] = st;
    }
    return 0;
}

/* --thumbnail-text, else the content stage's headline (set only when its
 * keyphrase was heard reliably), else the file name when it reads as words,
 * else no text: a thumbnail with a guess on it is worse than a clean one. */
static void choose_text(const ave_job *job, const thumb_opts *o, thumb_run *r)
{
    const char *why = !job->analysis.word_count ? "no speech was recognised"
                      : job->analysis.keyphrase_count
                          ? "no keyphrase was heard reliably enough for a headline (see "
                            "metadata.json \"reliability\")"
                          : "the transcript has no keyphrase";

    r->text_note = NULL;
    if (o->text && *o->text) {
        snprintf(r->text, sizeof(r->text), "%s", o->text);
        r->text_source = "option";
    } else if (job->analysis.headline && *job->analysis.headline) {
        snprintf(r->text, sizeof(r->text), "%s", job->analysis.headline);
        r->text_source = "headline";
    } else if (ave_name_words(job->input_name, r->text, sizeof(r->text))) {
        r->text_source = "file name";
        r->text_note = why;
    } else {
        r->text[0] = '\0';
        r->text_source = "none";
        r->text_note = job->analysis.word_count || job->analysis.keyphrase_count
                           ? "no headline the recogniser was sure of, and the file name is not "
                             "words: no text"
                           : "no speech and the file name is not words: no text";
    }
    if (r->text_note)
        ave_log(AVE_LOG_INFO, THUMB_LOG, "thumbnail text from the %s: %s", r->text_source,
                r->text_note);
}

/* The eye band measured on the grabs re-ranks the shortlist. */
static void measure_eyes(const ave_job *job, thumb_run *r, const int *grab_cand)
{
    for (size_t g = 0; g < r->ngrabs; g++) {
        thumb_candidate *c = &r->cands[grab_cand[g]];
        const ave_frame_features *f = &job->analysis.frames[c->frame];
        if (f->face_count <= 0 || c->eyes_measured)
            continue;
        c->comp[THUMB_C_EYES] = thumb_eyes_contrast(r->grabs[g].px, r->grabs[g].width,
                                                    r->grabs[g].height, r->grabs[g].width,
                                                    &f->faces[0]);
        c->eyes_measured = 1;
        thumb_score_total(c);
    }
}

/* Final picks: selection again, over the shortlist only (all grabbed). */
static int final_picks(thumb_run *r, size_t want)
{
    thumb_candidate *sub = calloc(r->nshort + 1, sizeof(*sub));
    int *p = calloc(r->nshort + 1, sizeof(*p));
    if (!sub || !p) {
        free(sub);
        free(p);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < r->nshort; i++)
        sub[i] = r->cands[r->shortlist[i]];
    r->npicks = thumb_select(sub, r->nshort, want, MIN_GAP_US, p);
    for (size_t i = 0; i < r->npicks; i++)
        r->picks[i] = r->shortlist[p[i]];
    free(sub);
    free(p);
    return 0;
}

static int write_jpeg(ave_job *job, const thumb_image *img, const char *rel, int64_t *bytes)
{
    const char *tmp;
    int ret;
    if ((ret = ave_job_output_begin(job, rel, &tmp)) < 0)
        return ret;
    if ((ret = thumb_jpeg_write(job, img, tmp, THUMB_MAX_BYTES, bytes)) < 0) {
        ave_job_output_abort(job, rel);
        return ret;
    }
    return ave_job_output_commit(job, rel);
}

/* Compose and write every strategy x pick, and recommended.jpg. */
static int compose_all(ave_job *job, thumb_run *r, const int *grab_of_pick, size_t per_style)
{
    size_t nper = per_style < r->npicks ? per_style : r->npicks;
    int ret = 0;

    for (size_t s = 0; s < r->nstyles; s++)
        for (size_t k = 0; k < nper; k++) {
            const thumb_candidate *c = &r->cands[r->picks[k]];
            const ave_frame_features *f = &job->analysis.frames[c->frame];
            thumb_written *w = &r->files[r->nfiles];
            thumb_image out = {0};
            int64_t bytes = 0;

            if ((ret = thumb_compose(&r->grabs[grab_of_pick[k]], f->faces, f->face_count,
                                     r->styles[s], r->text, &out, &w->text_box)) < 0)
                return ave_job_fail(job, ret, "thumbnails: cannot compose the %s thumbnail",
                                    r->styles[s]->name);
            w->cand = r->picks[k];
            w->strategy = r->styles[s]->name;
            if (k == 0)
                snprintf(w->relpath, sizeof(w->relpath), "thumbnails/%s/%s.jpg", w->strategy,
                         job->input_name);
            else
                snprintf(w->relpath, sizeof(w->relpath), "thumbnails/%s/%s_%zu.jpg", w->strategy,
                         job->input_name, k + 1);
            ret = write_jpeg(job, &out, w->relpath, &w->bytes);
            if (ret == 0 && s == 0 && k == 0)
                ret = write_jpeg(job, &out, "thumbnails/recommended.jpg", &bytes);
            thumb_image_free(&out);
            if (ret < 0)
                return ret;
            r->nfiles++;
            if ((ret = ave_job_progress(job, 0.5 + 0.45 * (double)r->nfiles /
                                                   (double)(r->nstyles * nper))) != 0)
                return ret;
        }
    return 0;
}

static void record_metrics(ave_job *job, const thumb_run *r)
{
    int counts[THUMB_X_COUNT] = {0};
    char key[64];
    if (!r->cands)
        return;
    for (size_t i = 0; i < r->n; i++)
        counts[r->cands[i].exclusion]++;
    ave_job_metric_number(job, "thumbnails", "candidates", (double)r->n);
    ave_job_metric_number(job, "thumbnails", "eligible", counts[THUMB_X_NONE]);
    for (int x = 1; x < THUMB_X_COUNT; x++) {
        snprintf(key, sizeof(key), "excluded_%s", thumb_exclusion_name(x));
        ave_job_metric_number(job, "thumbnails", key, counts[x]);
    }
    ave_job_metric_number(job, "thumbnails", "files", (double)r->nfiles);
    ave_job_metric_string(job, "thumbnails", "text_source", r->text_source);
    if (r->text_note)
        ave_job_metric_string(job, "thumbnails", "text_note", r->text_note);
    if (r->npicks) {
        const thumb_candidate *best = &r->cands[r->picks[0]];
        ave_job_metric_number(job, "thumbnails", "recommended_time", (double)best->pts_us / 1e6);
        ave_job_metric_number(job, "thumbnails", "recommended_score", best->total);
        if (r->baseline >= 0) {
            double b = r->cands[r->baseline].total;
            ave_job_metric_number(job, "thumbnails", "baseline_score", b);
            if (b > 0)
                ave_job_metric_number(job, "thumbnails", "recommended_vs_baseline", best->total / b);
        }
    }
}

static int thumbnails_run(void *priv, const void *opts, ave_job *job)
{
    const thumb_opts *o = opts;
    thumb_run r;
    thumb_input in = {job->analysis.frames, job->analysis.frame_count, job->analysis.scenes,
                      job->analysis.scene_count, &job->timeline, job->media.duration_us};
    int64_t times[16];
    int grab_cand[16], grab_of_pick[16];
    size_t want;
    int ret;

    (void)priv;
    memset(&r, 0, sizeof(r));
    if (!o)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "thumbnails: options missing");
    if (!job->analysis.frame_count) {
        ave_log(AVE_LOG_WARNING, THUMB_LOG, "no frame analysis (frames stage off); no thumbnails");
        return 0;
    }
    want = (size_t)o->count;
    r.n = job->analysis.frame_count;
    r.cands = calloc(r.n, sizeof(*r.cands));
    r.shortlist = calloc(want + SHORTLIST_EXTRA, sizeof(int));
    r.picks = calloc(want + SHORTLIST_EXTRA, sizeof(int));
    r.grabs = calloc(want + SHORTLIST_EXTRA + 1, sizeof(*r.grabs));
    r.files = calloc(MAX_STYLES * want, sizeof(*r.files));
    if (!r.cands || !r.shortlist || !r.picks || !r.grabs || !r.files) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "thumbnails: out of memory");
        goto out;
    }
    if ((ret = choose_styles(job, o, &r)) < 0)
        goto out;
    choose_text(job, o, &r);
    thumb_score_all(&in, r.cands);
    r.baseline = thumb_baseline(r.cands, r.n, job->media.duration_us);
    r.nshort = thumb_select(r.cands, r.n, want + SHORTLIST_EXTRA, MIN_GAP_US, r.shortlist);
    if (!r.nshort) {
        ave_log(AVE_LOG_WARNING, THUMB_LOG,
                "all %zu sampled frames are black, blurred, in transitions or cut; no thumbnails",
                r.n);
        ret = thumb_json_write(job, &(thumb_report){r.cands, r.n, r.baseline, NULL, 0, NULL, 0,
                                                    r.text, r.text_source, NULL, r.text_note});
        goto out;
    }
    for (size_t i = 0; i < r.nshort; i++) {
        grab_cand[i] = r.shortlist[i];
        times[i] = r.cands[r.shortlist[i]].pts_us;
    }
    r.ngrabs = r.nshort;
    r.reserved = (int64_t)job->media.width * job->media.height * 4 * (int64_t)r.ngrabs;
    if ((ret = ave_job_mem_reserve(job, r.reserved)) < 0) {
        r.reserved = 0;
        goto out;
    }
    if ((ret = thumb_grab(job, times, r.ngrabs, r.grabs)) != 0)
        goto out;
    measure_eyes(job, &r, grab_cand);
    if ((ret = final_picks(&r, want)) < 0) {
        ret = ave_job_fail(job, ret, "thumbnails: out of memory");
        goto out;
    }
    for (size_t k = 0; k < r.npicks; k++)
        for (size_t g = 0; g < r.ngrabs; g++)
            if (grab_cand[g] == r.picks[k])
                grab_of_pick[k] = (int)g;
    if ((ret = compose_all(job, &r, grab_of_pick, want)) != 0)
        goto out;
    ret = thumb_json_write(job, &(thumb_report){r.cands, r.n, r.baseline, r.picks, r.npicks,
                                                r.files, r.nfiles, r.text, r.text_source,
                                                "thumbnails/recommended.jpg", r.text_note});
    if (ret == 0) {
        const thumb_candidate *b = &r.cands[r.picks[0]];
        ave_log(AVE_LOG_INFO, THUMB_LOG,
                "%zu thumbnails from %zu picks; recommended %.2f s, score %.3f (baseline %.3f)",
                r.nfiles, r.npicks, (double)b->pts_us / 1e6, b->total,
                r.baseline >= 0 ? r.cands[r.baseline].total : 0.0);
    }
out:
    record_metrics(job, &r);
    for (size_t i = 0; r.grabs && i < r.ngrabs; i++)
        thumb_image_free(&r.grabs[i]);
    if (r.reserved)
        ave_job_mem_release(job, r.reserved);
    free(r.cands);
    free(r.shortlist);
    free(r.picks);
    free(r.grabs);
    free(r.files);
    return ret;
}

static int thumbnails_enabled(const ave_job *job, const void *opts)
{
    const thumb_opts *o = opts;
    (void)job;
    return o && o->enabled;
}

const ave_stage ave_stage_thumbnails = {
    .name = "thumbnails",
    .description = "scored, composed thumbnails (thumbnails/)",
    .flags = AVE_STAGE_NEEDS_VIDEO,
    .weight = 0.5,
    .options = thumb_options,
    .opts_size = sizeof(thumb_opts),
    .enabled = thumbnails_enabled,
    .run = thumbnails_run,
};
