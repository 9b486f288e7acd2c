/* The edit stage: rebuilds the job from a finished output folder and the
 * user's edits there, so `ai-video-editor render OUTPUT_DIR` re-renders
 * without running any analysis (docs/EDITING.md).
 *
 * Reads, all from the output folder (job->output_dir):
 *   timeline.json    the base timeline, as written or edited by hand
 *   transcript.json  the words as last written, with their cut flags
 *   transcript.txt   the text the user edited; the words whose state they
 *                    changed there are cut or restored on top of the base
 *   broll/broll_plan.json  B-roll cards to composite again (if any)
 * and leaves the job as plan + speech + broll would have: job->timeline,
 * analysis.words (+ asr_engine), analysis.overlays; writes the new
 * timeline.json, and keeps the analysis run's metrics as
 * analytics/analysis_metrics.json. The transcript, render and enhance stages
 * then do the rest.
 * It runs only where no plan ran in the same job (plan stages its own
 * timeline.json): in `process` it is always skipped. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "core/fsutil.h"
#include "edit/edit.h"
#include "core/transcript_align.h"
#include "core/transcript_txt.h"

typedef struct edit_ctx {
    char *path;      /* scratch for file names */
    char *text;      /* file contents */
    ave_word *words; /* from transcript.json, until handed to the job */
    size_t word_count;
    ttxt_doc doc;
    ttxt_align_result al;
    int64_t mem; /* reserved against --max-memory for doc */
} edit_ctx;

static int edit_enabled(const ave_job *job, const void *opts)
{
    (void)opts;
    return ave_job_output_path(job, "timeline.json") == NULL;
}

/* Load OUTPUT/name into ctx->text; 1 when it does not exist. */
static int load(ave_job *job, edit_ctx *c, const char *name, size_t *len)
{
    int ret;

    free(c->path);
    free(c->text);
    c->text = NULL;
    if (!(c->path = ave_fs_join(job->output_dir, name)))
        return ave_job_fail(job, AVE_ERR_NOMEM, "edit: out of memory");
    ret = ave_fs_read_file(c->path, EDIT_MAX_JSON, &c->text, len);
    if (ret == AVE_ERR_INPUT && errno == ENOENT)
        return 1;
    if (ret < 0)
        return ave_job_fail(job, ret, "%s: cannot read: %s", c->path,
                            ret == AVE_ERR_NOMEM ? "out of memory" : strerror(errno));
    return 0;
}

/* One warning for every edited word that matched nothing, naming a few. */
static void warn_unmatched(const edit_ctx *c)
{
    char list[256] = "";
    size_t k = 0;

    for (size_t i = 0; i < c->al.unmatched_count && i < 4; i++) {
        const ttxt_token *t = &c->doc.tokens[c->al.unmatched[i]];
        k += (size_t)snprintf(list + k, sizeof(list) - k, "%s\"%s\" (line %d)", i ? ", " : "",
                              t->text, c->doc.lines[t->line].lineno);
        if (k >= sizeof(list))
            break;
    }
    ave_log(AVE_LOG_WARNING, EDIT_LOG,
            "%s: %zu edited word(s) match no word of the transcript and were ignored: %s%s; "
            "the words around them were left as they were (a word is corrected only where "
            "as many words are typed as it replaces)",
            c->path, c->al.unmatched_count, list, c->al.unmatched_count > 4 ? ", ..." : "");
}

/* Words the user retyped take the typed text: the transcript, subtitles,
 * metadata and thumbnails of this render say what was meant. The user
 * vouched for the word, so it is as sure as a word can be. */
static void apply_corrections(edit_ctx *c)
{
    for (size_t i = 0; i < c->al.fixed_count; i++) {
        ave_word *w = &c->words[c->al.fixed_word[i]];
        const char *typed = c->doc.tokens[c->al.fixed_token[i]].text;
        size_t n = 0;
        for (; typed[n] && n + 1 < sizeof(w->text); n++)
            w->text[n] = (char)tolower((unsigned char)typed[n]);
        w->text[n] = '\0';
        w->confidence = 1.0f;
    }
    if (c->al.fixed_count)
        ave_log(AVE_LOG_INFO, EDIT_LOG, "%s: %zu word(s) corrected", c->path, c->al.fixed_count);
}

static int apply_text(ave_job *job, edit_ctx *c, const edit_grid *g, edit_stats *st)
{
    size_t len;
    int ret = load(job, c, "transcript.txt", &len);

    if (ret != 0)
        return ret < 0 ? ret : 0;
    ret = ttxt_parse(c->text, len, &c->doc);
    if (ret == AVE_ERR_LIMIT)
        return ave_job_fail(job, ret,
                            "%s: more than %u M words; a transcript.txt holds at most that "
                            "many (one written for 48 h of speech holds about 0.5 M)",
                            c->path, TTXT_MAX_TOKENS >> 20);
    if (ret < 0)
        return ave_job_fail(job, AVE_ERR_NOMEM, "edit: out of memory");
    /* The parsed words are the one large buffer here (a hand-pasted line
     * of millions of words is 112 bytes a word): charge --max-memory. */
    c->mem = (int64_t)c->doc.token_count * (int64_t)sizeof(ttxt_token);
    if ((ret = ave_job_mem_reserve(job, c->mem)) < 0) {
        c->mem = 0;
        return ret;
    }
    ret = ttxt_align(c->words, c->word_count, &c->doc, &c->al);
    if (ret == AVE_ERR_LIMIT) {
        /* Say which it is: lines that lost their time (the usual case), or
         * one line far longer than anything written. */
        size_t untimed = 0, i = 0;
        while (i < c->doc.line_count && c->doc.lines[i].lineno < c->al.limit_line)
            i++;
        /* the stretch: its first line, then up to the next line with a time */
        for (size_t k = i; k < c->doc.line_count && (k == i || c->doc.lines[k].time_us < 0); k++)
            untimed += c->doc.lines[k].time_us < 0;
        if (untimed > 0)
            return ave_job_fail(job, ret,
                                "%s: too many lines without their [time] to align (from line "
                                "%d: %zu words of the transcript against %zu edited words); "
                                "put the times back at the start of the lines",
                                c->path, c->al.limit_line, c->al.limit_words, c->al.limit_tokens);
        return ave_job_fail(job, ret,
                            "%s: line %d is too long to align: %zu edited words against the "
                            "%zu words it was written with (at most %u M pairs); shorten it",
                            c->path, c->al.limit_line, c->al.limit_tokens, c->al.limit_words,
                            TTXT_ALIGN_MAX_CELLS >> 20);
    }
    if (ret < 0)
        return ave_job_fail(job, ret, "edit: out of memory");
    if (c->al.unmatched_count)
        warn_unmatched(c);
    apply_corrections(c);
    ave_job_metric_number(job, "edit", "words_corrected", (double)c->al.fixed_count);
    ret = edit_apply_words(&job->timeline, c->words, c->word_count, c->al.keep, g, st);
    if (ret < 0)
        return ave_job_fail(job, ret, "edit: cannot apply the transcript edits: %s",
                            ave_strerror(ret));
    ave_log(AVE_LOG_INFO, EDIT_LOG, "%s: %zu word(s) cut, %zu restored (%zu/%zu lines anchored)",
            c->path, st->words_cut, st->words_restored, c->al.anchored_lines, c->doc.line_count);
    ave_job_metric_number(job, "edit", "unmatched_words", (double)c->al.unmatched_count);
    return 1;
}

static int load_words(ave_job *job, edit_ctx *c)
{
    char err[160], engine[sizeof(job->analysis.asr_engine)];
    size_t len;
    int ret = load(job, c, "transcript.json", &len);

    if (ret != 0)
        return ret;
    if ((ret = edit_transcript_parse(c->text, &c->words, &c->word_count, engine, sizeof(engine),
                                     err, sizeof(err))) < 0)
        return ave_job_fail(job, ret, "%s: %s", c->path, err);
    snprintf(job->analysis.asr_engine, sizeof(job->analysis.asr_engine), "%s", engine);
    return 0;
}

static int load_timeline(ave_job *job, edit_ctx *c, const edit_grid *g)
{
    ave_timeline tl;
    edit_snap_stats snap;
    int64_t probed = job->timeline.duration_us, kept;
    edit_source src;
    char err[160];
    size_t len;
    int ret = load(job, c, "timeline.json", &len);

    if (ret > 0)
        return ave_job_fail(job, AVE_ERR_INPUT,
                            "%s: not found: render needs the output folder "
                            "of a finished `process` run",
                            c->path);
    if (ret < 0)
        return ret;
    if ((ret = edit_timeline_parse(c->text, probed, g, &tl, &src, &snap, err, sizeof(err))) < 0)
        return ave_job_fail(job, ret, "%s: %s", c->path, err);
    /* A different recording would be cut at meaningless times: known by its
     * content fingerprint, or (files from before it was recorded) at least
     * by its length. */
    if (src.fingerprint[0] && job->input_fingerprint[0] &&
        strcmp(src.fingerprint, job->input_fingerprint)) {
        ave_timeline_free(&tl);
        return ave_job_fail(job, AVE_ERR_INPUT,
                            "%s: made for another recording than %s (its content differs); "
                            "render the original file, or run `process` on this one",
                            c->path, job->input_path);
    }
    if (src.duration_us && llabs(src.duration_us - probed) > 100000) {
        ave_timeline_free(&tl);
        return ave_job_fail(job, AVE_ERR_INPUT,
                            "%s: made for an input of %.3f s, but %s lasts "
                            "%.3f s",
                            c->path, (double)src.duration_us / 1e6, job->input_path,
                            (double)probed / 1e6);
    }
    kept = ave_timeline_kept_duration(&tl);
    /* Pieces shorter than a frame cannot all be cut where asked: say what
     * the frame grid made of them rather than leave a surprise. */
    if (snap.pieces_short > 0 && g->num > 0)
        ave_log(AVE_LOG_WARNING, EDIT_LOG,
                "%s: %zu piece(s) shorter than a video frame (%.1f ms): each frame goes with "
                "what most of it asks; kept %.3f s of the %.3f s asked",
                c->path, snap.pieces_short, 1000.0 * g->num / g->den, (double)kept / 1e6,
                (double)snap.kept_asked_us / 1e6);
    if (kept <= 0 && snap.kept_asked_us > 0) {
        ave_timeline_free(&tl);
        return ave_job_fail(job, AVE_ERR_INPUT,
                            "%s: keeps only %.3f s, in pieces too short for one video frame "
                            "(%.1f ms) to be half kept; nothing to render",
                            c->path, (double)snap.kept_asked_us / 1e6, 1000.0 * g->num / g->den);
    }
    ave_timeline_free(&job->timeline);
    job->timeline = tl;
    return 0;
}

/* The metrics of the analysis run (stage timings, cache use, API cost) would
 * be lost when this job writes its own performance_metrics.json: keep them
 * as analytics/analysis_metrics.json. Metrics written by an earlier render
 * (its "edit" stage ran) are not analysis metrics and are left alone. */
static int keep_analysis_metrics(ave_job *job, edit_ctx *c)
{
    size_t len;
    int ret = load(job, c, "analytics/performance_metrics.json", &len);

    if (ret != 0)
        return ret < 0 ? ret : 0;
    cJSON *root = cJSON_Parse(c->text);
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "stage_status");
    const cJSON *edit = cJSON_GetObjectItemCaseSensitive(st, "edit");
    int from_render = cJSON_IsString(edit) && !strcmp(edit->valuestring, "ok");

    cJSON_Delete(root);
    if (!root || from_render)
        return 0;
    return ave_job_write_file(job, "analytics/analysis_metrics.json", c->text, len);
}

static int edit_run(void *priv, const void *opts, ave_job *job)
{
    const ave_media_info *mi = &job->media;
    edit_grid g = {0, 0};
    edit_stats st = {0, 0, 0};
    edit_ctx c;
    char *json = NULL;
    int ret, from_text = 0;
    int64_t before;

    (void)priv;
    (void)opts;
    memset(&c, 0, sizeof(c));
    if (mi->has_video && !mi->vfr && mi->fps_num > 0 && mi->fps_den > 0)
        g = (edit_grid){mi->fps_den, mi->fps_num};
    if ((ret = load_timeline(job, &c, &g)) < 0 || (ret = load_words(job, &c)) < 0)
        goto out;
    before = ave_timeline_kept_duration(&job->timeline);
    if (ret == 0 && (ret = apply_text(job, &c, &g, &st)) < 0) /* with words only */
        goto out;
    from_text = c.doc.line_count > 0;
    if ((ret = ave_job_progress(job, 0.5)) < 0 || (ret = edit_load_overlays(job)) < 0 ||
        (ret = keep_analysis_metrics(job, &c)) < 0)
        goto out;
    job->analysis.words = c.words; /* the job owns them now */
    job->analysis.word_count = c.word_count;
    c.words = NULL;
    if (!(json = ave_timeline_json_words(&job->timeline, job->input_path, job->input_fingerprint,
                                         job->analysis.words, job->analysis.word_count))) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "edit: out of memory");
        goto out;
    }
    if ((ret = ave_job_write_file(job, "timeline.json", json, strlen(json))) < 0)
        goto out;
    ave_log(AVE_LOG_INFO, EDIT_LOG, "edited video: %.2f s -> %.2f s (%zu cut(s))",
            (double)before / 1e6, (double)ave_timeline_kept_duration(&job->timeline) / 1e6,
            ave_timeline_removed_count(&job->timeline));
    ave_job_metric_string(job, "edit", "source",
                          from_text ? "timeline.json+transcript.txt" : "timeline.json");
    ave_job_metric_number(job, "edit", "words_cut", (double)st.words_cut);
    ave_job_metric_number(job, "edit", "words_restored", (double)st.words_restored);
    ave_job_metric_number(job, "edit", "edited_duration_s",
                          (double)ave_timeline_kept_duration(&job->timeline) / 1e6);
    ave_job_metric_number(job, "timeline", "cut_count",
                          (double)ave_timeline_removed_count(&job->timeline));
    ave_job_metric_number(job, "timeline", "edited_duration_s",
                          (double)ave_timeline_kept_duration(&job->timeline) / 1e6);
    ret = 0;
out:
    free(json);
    free(c.path);
    free(c.text);
    free(c.words);
    ttxt_doc_free(&c.doc);
    ttxt_align_free(&c.al);
    if (c.mem)
        ave_job_mem_release(job, c.mem);
    return ret;
}

const ave_stage ave_stage_edit = {
    .name = "edit",
    .description = "render command: apply the edits made to timeline.json and transcript.txt "
                   "in the output folder (no analysis)",
    .flags = 0,
    .weight = 0.01,
    .enabled = edit_enabled,
    .run = edit_run,
};
