/* The "export" stage: the edit as NLE timelines that reference the original
 * media, so a user can refine the cut in Premiere, Resolve, Final Cut Pro
 * or anything that reads EDL/OTIO (docs/EXPORTS.md).
 *
 * --export premiere,resolve,fcpxml,edl,otio,json (a comma list, and/or the
 * flag repeated) picks the formats; --export-only (global, so render,
 * enhance and broll can skip themselves) implies all formats when none is
 * named. Runs after content, when the timeline is final and the chapters
 * are known; it only formats, so it is never cached. Files go to
 * exports/<input-name>.<ext> through the atomic output staging. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ave/ave.h"
#include "export/export.h"

#define STAGE "export"

enum { FMT_PREMIERE, FMT_RESOLVE, FMT_FCPXML, FMT_EDL, FMT_OTIO, FMT_JSON, FMT_COUNT };

static const char *const format_names[] = {"premiere", "resolve", "fcpxml", "edl",
                                           "otio",     "json",    NULL};
/* What follows <input-name> in exports/. */
static const char *const format_suffix[] = {".premiere.xml", ".resolve.xml", ".fcpxml",
                                            ".edl",          ".otio",        ".edit.json"};

typedef struct export_opts {
    char *formats; /* comma list of format_names, NULL: none */
} export_opts;

static const ave_option export_options[] = {
    {.name = "export", .type = AVE_OPT_STRING, .offset = offsetof(export_opts, formats),
     .def.s = NULL, .choices = format_names, .stage = "export",
     .flags = AVE_OPTF_NO_RESULT | AVE_OPTF_LIST,
     .help = "write the edit for an NLE, referencing the original media: premiere, resolve "
             "(FCP7 XML), fcpxml (Final Cut Pro), edl (CMX3600), otio (OpenTimelineIO), json; "
             "a comma list or the flag repeated (exports/)"},
    {.name = NULL},
};

/* Bit mask of the formats named in list (an option value already checked
 * against format_names; unknown names are ignored here). */
static unsigned format_mask(const char *list)
{
    unsigned mask = 0;

    while (list && *list) {
        size_t n = strcspn(list, ",");
        const char *a = list, *b = list + n;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        for (int f = 0; f < FMT_COUNT; f++)
            if ((size_t)(b - a) == strlen(format_names[f]) &&
                !strncasecmp(a, format_names[f], (size_t)(b - a)))
                mask |= 1u << f;
        list += n + (list[n] == ',');
    }
    return mask;
}

static unsigned wanted(const ave_job *job, const export_opts *o)
{
    unsigned mask = o ? format_mask(o->formats) : 0;
    if (!mask && job->cfg && job->cfg->export_only)
        mask = (1u << FMT_COUNT) - 1;
    return mask;
}

static int export_enabled(const ave_job *job, const void *opts)
{
    return wanted(job, opts) != 0;
}

static int write_one(ave_job *job, const export_edit *e, int f)
{
    char rel[512], *text = NULL;
    int ret;

    switch (f) {
    case FMT_PREMIERE: ret = export_xmeml(e, 4, &text); break;
    case FMT_RESOLVE: ret = export_xmeml(e, 5, &text); break;
    case FMT_FCPXML: ret = export_fcpxml(e, &text); break;
    case FMT_EDL: ret = export_edl(e, &text); break;
    case FMT_OTIO: ret = export_otio(e, &text); break;
    default: ret = export_json(e, &text); break;
    }
    if (ret < 0)
        return ave_job_fail(job, ret, "%s: cannot build the %s export: %s", job->input_path,
                            format_names[f], ave_strerror(ret));
    if (snprintf(rel, sizeof rel, "exports/%s%s", e->name, format_suffix[f]) >= (int)sizeof rel)
        ret = ave_job_fail(job, AVE_ERR_USAGE, "%s: input name too long for an export file",
                           job->input_path);
    else
        ret = ave_job_write_file(job, rel, text, strlen(text));
    free(text);
    if (ret == 0)
        ave_log(AVE_LOG_VERBOSE, STAGE, "wrote %s", rel);
    return ret;
}

static int export_run(void *priv, const void *opts, ave_job *job)
{
    unsigned mask = wanted(job, opts);
    export_edit e;
    char names[128] = "";
    int ret, done = 0, total = 0;

    (void)priv;
    if ((ret = export_edit_build(job, &e)) < 0)
        return ret;
    for (int f = 0; f < FMT_COUNT; f++)
        total += (mask >> f) & 1;
    for (int f = 0; f < FMT_COUNT && ret == 0; f++) {
        if (!(mask & (1u << f)))
            continue;
        if ((ret = write_one(job, &e, f)) < 0)
            break;
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", *names ? "," : "",
                 format_names[f]);
        ret = ave_job_progress(job, (double)++done / total);
    }
    if (ret == 0) {
        ave_log(AVE_LOG_INFO, STAGE, "%s: %zu clip(s), %zu chapter marker(s) at %d/%d fps",
                names, e.clip_count, e.marker_count, e.rate.num, e.rate.den);
        ave_job_metric_string(job, STAGE, "formats", names);
        ave_job_metric_number(job, STAGE, "clips", (double)e.clip_count);
        ave_job_metric_number(job, STAGE, "markers", (double)e.marker_count);
        ave_job_metric_number(job, STAGE, "edited_frames", (double)e.rec_frames);
        ave_job_metric_bool(job, STAGE, "drop_frame", e.rate.drop);
    }
    export_edit_free(&e);
    return ret;
}

const ave_stage ave_stage_export = {
    .name = "export",
    .description = "NLE timelines of the edit (FCP7 XML, FCPXML, EDL, OTIO, JSON) in exports/",
    .flags = 0,
    .weight = 0.01,
    .options = export_options,
    .opts_size = sizeof(export_opts),
    .enabled = export_enabled,
    .run = export_run,
};
