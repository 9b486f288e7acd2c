/* The "broll" stage: plans B-roll cards for the strong concepts and chapter
 * starts the content stage found, renders each to broll/<n>_<kind>.png,
 * writes broll/broll_plan.json and hands the cards to the render stage as
 * job->analysis.overlays (source times; render composites them).
 *
 * On with --enable-broll-generation, and by default ("auto") for
 * --type educational in --mode balanced or high-quality when the user did
 * not set the flag either way. Runs after plan (final timeline) and content;
 * without concepts or chapters it writes an empty plan. Card pictures are
 * the video's display size (1280x720 when unknown), and again the size of
 * each --aspect version render will make (broll/<n>_<kind>_9x16.png), so
 * those show the card in their own layout rather than letterboxed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/aspect.h"
#include "ave/config.h"
#include "ave/error.h"
#include "ave/log.h"
#include "ave/stage.h"
#include "broll/broll.h"
#include "broll/broll_json.h"

typedef struct broll_opts {
    double min_score;
    double max_per_minute;
    double min_gap_s;
    int placement; /* 0 auto, 1 full, 2 pip */
    int64_t fade_ms;
} broll_opts;

static const char *const placement_choices[] = {"auto", "full", "pip", NULL};

#define OFF(f) offsetof(broll_opts, f)
static const ave_option broll_options[] = {
    {.name = "broll-min-score", .type = AVE_OPT_DOUBLE, .offset = OFF(min_score), .def.d = 0.5,
     .min = 0, .max = 1, .stage = "broll",
     .help = "concepts scoring below this (0..1) get no B-roll card"},
    {.name = "broll-max-per-minute", .type = AVE_OPT_DOUBLE, .offset = OFF(max_per_minute),
     .def.d = 4, .min = 0.5, .max = 20, .stage = "broll",
     .help = "at most this many cards in any minute of the edited video"},
    {.name = "broll-min-gap", .type = AVE_OPT_DOUBLE, .offset = OFF(min_gap_s), .def.d = 4,
     .min = 0, .max = 120, .stage = "broll",
     .help = "seconds of plain video between two cards"},
    {.name = "broll-placement", .type = AVE_OPT_ENUM, .offset = OFF(placement), .def.i = 0,
     .choices = placement_choices, .stage = "broll",
     .help = "full frame, picture-in-picture, or auto (PIP while a face is visible)"},
    {.name = "broll-fade-ms", .type = AVE_OPT_INT, .offset = OFF(fade_ms), .def.i = 300,
     .min = 0, .max = 2000, .stage = "broll", .help = "card fade in and out, milliseconds"},
    {.name = NULL},
};
#undef OFF

/* Who turned the stage on, or NULL when it is off. */
static const char *enabled_by(const ave_job *job)
{
    int src = job->settings ? ave_settings_source(job->settings, "enable-broll-generation")
                            : AVE_SRC_DEFAULT;
    if (src != AVE_SRC_DEFAULT)
        return !job->cfg->enable_broll_generation ? NULL
               : src == AVE_SRC_FLAG              ? "flag"
               : src == AVE_SRC_ENV               ? "environment"
                                                  : "profile";
    if (job->cfg->enable_broll_generation)
        return "flag";
    if (job->cfg->content_type == AVE_TYPE_EDUCATIONAL && job->cfg->mode >= AVE_MODE_BALANCED)
        return "auto";
    return NULL;
}

static int broll_enabled(const ave_job *job, const void *opts)
{
    (void)opts;
    /* cards only exist to be composited by render, which --export-only skips */
    return enabled_by(job) != NULL && !job->cfg->export_only;
}

/* The card picture size: the display size (rotation applied). */
static void card_size(const ave_job *job, int *w, int *h)
{
    int rot = job->media.rotation_deg % 180 != 0;
    *w = rot ? job->media.height : job->media.width;
    *h = rot ? job->media.width : job->media.height;
    if (*w < 64 || *h < 64)
        *w = 1280, *h = 720;
}

/* Which --aspect versions render will make (by ave_aspect_get index):
 * render's "aspect" option, read by name from the shared settings, and
 * 9:16 for the shorts when the content stage picked highlights. Rotated
 * video gets none (render skips it). */
static void wanted_aspects(const ave_job *job, int want[AVE_ASPECT_COUNT])
{
    const ave_option *opt;
    const char *owner = NULL, *list = NULL;
    const void *opts;

    memset(want, 0, AVE_ASPECT_COUNT * sizeof(*want));
    if (job->media.rotation_deg % 360)
        return;
    if (job->settings &&
        (opt = ave_settings_find_option(job->settings, "render.aspect", &owner)) && owner &&
        opt->type == AVE_OPT_STRING && (opts = ave_settings_stage_opts(job->settings, owner)))
        list = *(char *const *)((const char *)opts + opt->offset);
    while (list && *list) {
        size_t len = strcspn(list, ",");
        int k = ave_aspect_find(list, len);
        if (k >= 0)
            want[k] = 1;
        list += len + (list[len] == ',');
    }
    if (job->analysis.highlight_count)
        want[0] = 1;
}

/* Draw card at w x h into the staged output rel and return its staged path
 * (malloc'd, caller frees) in *path. */
static int write_card(ave_job *job, const broll_card *card, int w, int h, int placement,
                      int corner, const char *rel, char **path)
{
    broll_card_layout lay;
    const char *tmp, *staged;
    int ret;

    if ((ret = ave_job_output_begin(job, rel, &tmp)) < 0)
        return ret;
    if ((ret = broll_card_render(card, w, h, placement, corner, tmp, &lay)) < 0) {
        ave_job_output_abort(job, rel);
        return ave_job_fail(job, ret, "%s: cannot write the B-roll card", tmp);
    }
    if (lay.ellipsized)
        ave_log(AVE_LOG_VERBOSE, BROLL_LOG, "%s: text shortened to fit", rel);
    if ((ret = ave_job_output_commit(job, rel)) < 0)
        return ret;
    if (!(staged = ave_job_output_path(job, rel)))
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: committed card not found", rel);
    if (!(*path = strdup(staged)))
        return ave_job_fail(job, AVE_ERR_NOMEM, "broll: out of memory");
    return 0;
}

/* Draw card i again at the size of aspect k into broll/<n>_<kind>_<tag>.png
 * and keep its path on ov. A PIP card stays a PIP where the aspect's
 * picture is big enough to read one (broll_pip_ok), else it becomes a
 * full-frame card, as on a small source. */
static int render_aspect(ave_job *job, const broll_card *card, const broll_item *it,
                         const char *file, int k, int w, int h, ave_overlay *ov)
{
    const ave_aspect_info *as = ave_aspect_get(k);
    int aw, ah, placement = it->placement;
    char rel[96];

    ave_aspect_size(w, h, as->num, as->den, &aw, &ah);
    if (placement == AVE_OVERLAY_PIP && !broll_pip_ok(aw, ah))
        placement = AVE_OVERLAY_FULL;
    broll_aspect_file(file, as->tag, rel, sizeof(rel));
    return write_card(job, card, aw, ah, placement, it->corner, rel, &ov->aspect_image[k]);
}

/* Render card i (and again for each wanted aspect) and append its overlay.
 * rel receives the relative path. */
static int render_one(ave_job *job, const broll_params *p, const broll_item *it, size_t i, int w,
                      int h, const int want[AVE_ASPECT_COUNT], char *rel, size_t rel_len)
{
    ave_analysis *a = &job->analysis;
    broll_card card;
    ave_overlay *ov;
    char *path = NULL;
    int ret;

    snprintf(rel, rel_len, "broll/%zu_%s.png", i + 1, broll_kind_name(it->kind));
    broll_card_from_item(a, it, &card);
    if ((ret = write_card(job, &card, w, h, it->placement, it->corner, rel, &path)) < 0)
        return ret;
    ov = &a->overlays[a->overlay_count];
    memset(ov, 0, sizeof(*ov));
    ov->image_path = path;
    ov->start_us = it->src_start_us;
    ov->end_us = it->src_end_us;
    ov->placement = it->placement;
    ov->fade_ms = p->fade_ms;
    a->overlay_count++;
    for (int k = 0; k < AVE_ASPECT_COUNT; k++)
        if (want[k] && (ret = render_aspect(job, &card, it, rel, k, w, h, ov)) < 0)
            return ret;
    return 0;
}

static int broll_run(void *priv, const void *opts, ave_job *job)
{
    const broll_opts *o = opts;
    ave_analysis *a = &job->analysis;
    broll_params p;
    broll_plan_stats stats;
    broll_item *items = NULL;
    char (*files)[64] = NULL;
    const char **names = NULL;
    size_t n = 0;
    int w, h, ret, want[AVE_ASPECT_COUNT];
    int64_t reserved = 0;

    (void)priv;
    broll_params_default(&p);
    if (o) {
        p.min_score = o->min_score;
        p.max_per_minute = o->max_per_minute;
        p.min_gap_us = (int64_t)(o->min_gap_s * 1e6);
        p.placement = o->placement == 1 ? AVE_OVERLAY_FULL : o->placement == 2 ? AVE_OVERLAY_PIP : -1;
        p.fade_ms = (int)o->fade_ms;
    }
    card_size(job, &w, &h);
    wanted_aspects(job, want);
    if (p.placement < 0 && !broll_pip_ok(w, h))
        p.placement = AVE_OVERLAY_FULL;
    if (a->overlay_count) /* a rerun replaces earlier cards */
        ave_log(AVE_LOG_WARNING, BROLL_LOG, "replacing %zu earlier overlays", a->overlay_count);
    for (size_t i = 0; i < a->overlay_count; i++) {
        free(a->overlays[i].image_path);
        for (int k = 0; k < AVE_ASPECT_COUNT; k++)
            free(a->overlays[i].aspect_image[k]);
    }
    free(a->overlays);
    a->overlays = NULL;
    a->overlay_count = 0;
    if (broll_plan(a, &job->timeline, &p, &items, &n, &stats) < 0)
        return ave_job_fail(job, AVE_ERR_NOMEM, "broll: out of memory planning cards");
    if (n && (!(a->overlays = calloc(n, sizeof(*a->overlays))) ||
              !(files = calloc(n, sizeof(*files))) || !(names = calloc(n, sizeof(*names))))) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "broll: out of memory");
        goto out;
    }
    /* one ARGB picture at a time, plus cairo's PNG encoder */
    if ((ret = ave_job_mem_reserve(job, (int64_t)w * h * 4)) < 0)
        goto out;
    reserved = (int64_t)w * h * 4;
    for (size_t i = 0; i < n; i++) {
        if ((ret = render_one(job, &p, &items[i], i, w, h, want, files[i], sizeof(files[i]))) < 0)
            goto out;
        names[i] = files[i];
        if ((ret = ave_job_progress(job, (i + 1.0) / (n + 1.0))) != 0)
            goto out;
    }
    {
        broll_json_info info = {enabled_by(job), w, h, &p, items, names, n, &stats, a};
        if ((ret = broll_json_write(job, &info)) < 0)
            goto out;
    }
    ave_job_metric_number(job, "broll", "cards", (double)n);
    ave_job_metric_number(job, "broll", "candidates", (double)stats.candidates);
    ave_job_metric_string(job, "broll", "enabled_by", enabled_by(job));
    ave_log(AVE_LOG_INFO, BROLL_LOG, "%zu card(s) from %zu candidate(s) (%zu below score, %zu "
            "spacing, %zu cut)", n, stats.candidates, stats.below_threshold, stats.spacing,
            stats.cut);
    ret = 0;
out:
    if (reserved)
        ave_job_mem_release(job, reserved);
    free(items);
    free(files);
    free(names);
    return ret;
}

const ave_stage ave_stage_broll = {
    .name = "broll",
    .description = "B-roll cards for strong concepts (broll/), composited by render",
    .flags = AVE_STAGE_NEEDS_VIDEO,
    .weight = 0.2,
    .options = broll_options,
    .opts_size = sizeof(broll_opts),
    .enabled = broll_enabled,
    .run = broll_run,
};
