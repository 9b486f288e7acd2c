/* The transcript stage: writes what the speech stage heard, after the plan
 * stage has finalised the cuts. Outputs:
 *   transcript.json        words (source times, confidence, filler / stutter /
 *                          cut flags, edited times of kept words), segments
 *   subtitles/source.srt|.vtt  cues on the input's timeline
 *   subtitles/edited.srt|.vtt  cues on the edited video's timeline
 *   transcript.txt         the text to edit for `render` (transcript_txt.c)
 * The edited files exist only when this run planned an edit (timeline.json
 * was written): `transcribe` runs no plan or render, so it writes the source
 * subtitles and a transcript with "edited": false and no cut flags.
 * A word counts as cut when most of it lies in removed time on the final
 * timeline (plan may have undone a short filler cut), and its AVE_WORD_CUT
 * flag in job->analysis is brought in line with that for later stages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "speech/subtitles.h"
#include "core/transcript_txt.h"

#define STAGE "transcript"
#define SEGMENT_GAP_US 600000 /* a pause this long ends a segment */
#define SEGMENT_MAX_WORDS 12

static double sec(int64_t us)
{
    return (double)us / 1e6;
}

static int transcript_enabled(const ave_job *job, const void *opts)
{
    (void)opts;
    return job->analysis.asr_engine[0] != '\0';
}

static void language(const ave_job *job, char *buf, size_t len)
{
    const char *owner = NULL;
    const ave_option *opt = ave_settings_find_option(job->settings, "asr-language", &owner);
    const void *target = owner ? ave_settings_stage_opts(job->settings, owner) : NULL;

    snprintf(buf, len, "en");
    if (opt && target)
        ave_option_format(opt, target, buf, len);
}

static int add_word(cJSON *arr, const ave_word *w, const ave_timeline *tl)
{
    cJSON *o = cJSON_CreateObject();
    int64_t es, ee;

    if (!o)
        return -1;
    cJSON_AddItemToArray(arr, o);
    if (!cJSON_AddStringToObject(o, "text", w->text) ||
        !cJSON_AddNumberToObject(o, "start", sec(w->start_us)) ||
        !cJSON_AddNumberToObject(o, "end", sec(w->end_us)) ||
        !cJSON_AddNumberToObject(o, "confidence", (double)(int)(w->confidence * 1000 + 0.5) / 1000) ||
        !cJSON_AddBoolToObject(o, "filler", !!(w->flags & AVE_WORD_FILLER)) ||
        !cJSON_AddBoolToObject(o, "stutter", !!(w->flags & AVE_WORD_STUTTER)))
        return -1;
    if (w->flags & AVE_WORD_ACOUSTIC && !cJSON_AddBoolToObject(o, "acoustic", 1))
        return -1;
    /* A suggestion's confidence is the detector's, not the recogniser's. */
    if (w->flags & AVE_WORD_SUGGESTED &&
        (!cJSON_AddBoolToObject(o, "suggested", 1) ||
         !cJSON_AddNumberToObject(o, "filler_confidence",
                                  (double)(int)(w->filler_score * 1000 + 0.5) / 1000)))
        return -1;
    if (!tl)
        return 0;
    if (!cJSON_AddBoolToObject(o, "cut", !!(w->flags & AVE_WORD_CUT)) ||
        ((w->flags & AVE_WORD_MUTED) && !cJSON_AddBoolToObject(o, "muted", 1)))
        return -1;
    if (!(w->flags & AVE_WORD_CUT) && ave_timeline_map(tl, w->start_us, &es) == 0 &&
        ave_timeline_map(tl, w->end_us, &ee) == 0 &&
        (!cJSON_AddNumberToObject(o, "edited_start", sec(es)) ||
         !cJSON_AddNumberToObject(o, "edited_end", sec(ee))))
        return -1;
    return 0;
}

static int add_segment(cJSON *arr, const ave_word *w, size_t first, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    size_t len = 0, k = 0;
    char *text;

    if (!o)
        return -1;
    cJSON_AddItemToArray(arr, o);
    for (size_t i = first; i < first + n; i++)
        len += strlen(w[i].text) + 1;
    if (!(text = malloc(len + 1)))
        return -1;
    for (size_t i = first; i < first + n; i++) {
        size_t l = strlen(w[i].text);
        if (k)
            text[k++] = ' ';
        memcpy(text + k, w[i].text, l);
        k += l;
    }
    text[k] = '\0';
    int ok = cJSON_AddNumberToObject(o, "start", sec(w[first].start_us)) &&
             cJSON_AddNumberToObject(o, "end", sec(w[first + n - 1].end_us)) &&
             cJSON_AddStringToObject(o, "text", text) &&
             cJSON_AddNumberToObject(o, "first_word", (double)first) &&
             cJSON_AddNumberToObject(o, "word_count", (double)n);
    free(text);
    return ok ? 0 : -1;
}

static char *transcript_json(const ave_job *job, const ave_timeline *tl)
{
    const ave_word *w = job->analysis.words;
    size_t n = job->analysis.word_count, first = 0;
    cJSON *root = cJSON_CreateObject(), *words, *segs;
    char lang[32], *text = NULL;

    language(job, lang, sizeof(lang));
    if (!root || !cJSON_AddNumberToObject(root, "version", 1) ||
        !cJSON_AddStringToObject(root, "input", job->input_path) ||
        !cJSON_AddStringToObject(root, "engine", job->analysis.asr_engine) ||
        !cJSON_AddStringToObject(root, "language", lang) ||
        !cJSON_AddBoolToObject(root, "edited", tl != NULL) ||
        !(segs = cJSON_AddArrayToObject(root, "segments")) ||
        !(words = cJSON_AddArrayToObject(root, "words")))
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (add_word(words, &w[i], tl) < 0)
            goto out;
        if (i + 1 == n || w[i + 1].start_us - w[i].end_us > SEGMENT_GAP_US ||
            i + 1 - first >= SEGMENT_MAX_WORDS) {
            if (add_segment(segs, w, first, i + 1 - first) < 0)
                goto out;
            first = i + 1;
        }
    }
    text = cJSON_Print(root);
out:
    cJSON_Delete(root);
    return text;
}

static int write_subs(ave_job *job, const ave_timeline *tl, const char *name, size_t *ncues)
{
    ave_sub_params p;
    ave_cue *cues = NULL;
    size_t count = 0, len = 0;
    char *doc = NULL, path[64];
    int ret;

    ave_sub_params_default(&p);
    if ((ret = ave_subs_build(job->analysis.words, job->analysis.word_count, tl, &p, &cues,
                              &count)) < 0)
        goto out;
    *ncues = count;
    snprintf(path, sizeof(path), "subtitles/%s.srt", name);
    if ((ret = ave_subs_to_srt(cues, count, &doc, &len)) < 0 ||
        (ret = ave_job_write_file(job, path, doc, len)) < 0)
        goto out;
    free(doc);
    doc = NULL;
    snprintf(path, sizeof(path), "subtitles/%s.vtt", name);
    if ((ret = ave_subs_to_vtt(cues, count, &doc, &len)) < 0 ||
        (ret = ave_job_write_file(job, path, doc, len)) < 0)
        goto out;
out:
    if (ret == AVE_ERR_NOMEM)
        ret = ave_job_fail(job, ret, "%s: out of memory writing subtitles", job->input_path);
    free(doc);
    ave_cues_free(cues, count);
    return ret;
}

static int transcript_run(void *priv, const void *opts, ave_job *job)
{
    /* Edited outputs only describe an edit this run actually planned. */
    const ave_timeline *tl = ave_job_output_path(job, "timeline.json") ? &job->timeline : NULL;
    size_t cut = 0, src_cues = 0, ed_cues = 0;
    char *text;
    int ret;

    (void)priv;
    (void)opts;
    for (size_t i = 0; i < job->analysis.word_count; i++) {
        ave_word *w = &job->analysis.words[i];
        if (!tl)
            continue;
        if (ave_sub_word_kept(tl, w))
            w->flags &= ~(unsigned)AVE_WORD_CUT;
        else
            w->flags |= AVE_WORD_CUT, cut++;
    }
    if (!(text = transcript_json(job, tl)))
        return ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory writing the transcript",
                            job->input_path);
    ret = ave_job_write_file(job, "transcript.json", text, strlen(text));
    free(text);
    if (ret < 0)
        return ret;
    if ((ret = ave_job_progress(job, 0.5)) < 0 || (ret = write_subs(job, NULL, "source", &src_cues)) < 0)
        return ret;
    if (tl && (ret = write_subs(job, tl, "edited", &ed_cues)) < 0)
        return ret;
    if (tl && (ret = ttxt_write_output(job)) < 0) /* editable text: docs/EDITING.md */
        return ret;
    ave_log(AVE_LOG_INFO, STAGE, "%zu word(s), %zu cut; %zu subtitle cue(s)%s", job->analysis.word_count,
            cut, src_cues, tl ? " (source), edited subtitles too" : " (source only: no edit planned)");
    ave_job_metric_number(job, "speech", "words_cut", (double)cut);
    ave_job_metric_number(job, "speech", "subtitle_cues", (double)src_cues);
    if (tl)
        ave_job_metric_number(job, "speech", "edited_subtitle_cues", (double)ed_cues);
    return ave_job_progress(job, 1.0);
}

const ave_stage ave_stage_transcript = {
    .name = "transcript",
    .description = "write transcript.json and subtitles for the source and the edited video",
    .flags = 0,
    .weight = 0.01,
    .enabled = transcript_enabled,
    .run = transcript_run,
};
