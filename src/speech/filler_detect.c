/* The filler detector's entry point for the speech stage: measures the
 * analysis audio, collects candidates from the acoustic detector and the
 * gaps between recognised words, merges them, adds the recogniser's and the
 * keyword spotter's evidence, fuses (filler_fuse.c) and writes the result
 * into job->analysis.words: recognised hesitations get their score, missed
 * fillers are inserted as new words that the filler cut then removes.
 *
 * Runs after transcription, before any cut. The cost is one pass of frame
 * analysis (~1% of real time) plus keyword spotting on short windows around
 * the candidates only. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ave/ave.h"
#include "speech/filler_detect.h"
#include "speech/filler_held.h"
#include "speech/filler_realign.h"
#include "speech/filler_steady.h"
#include "speech/filler_whole.h"

#define STAGE "speech"
#define KWS_BATCH 16 /* candidates spotted between progress checks */
/* A filler word grows over its fading tail (and onset) up to this far, and
 * never closer than the guard to a neighbour (the cut adds its margin). */
#define GROW_MAX_US 200000
#define GROW_GUARD_US 20000
#define WHOLE_MAX_US 300000

/* CPU time of this thread: detection runs on the stage's thread only, so
 * this is its cost even on a loaded machine. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_start(const void *x, const void *y)
{
    const ave_filler_cand *a = x, *b = y;
    if (a->start_us != b->start_us)
        return a->start_us < b->start_us ? -1 : 1;
    return a->end_us < b->end_us ? -1 : a->end_us > b->end_us;
}

/* A gap the second pass confirmed is cut where that pass aligned the
 * hesitation: the candidate's span is the first pass's gap plus its held
 * sound, which ended 90-230 ms early on three real fillers. Candidates
 * stay sorted by start (ave_filler_apply merges in that order). */
static void use_realigned_spans(ave_filler_cand *cands, size_t nc, float cut)
{
    int moved = 0;
    for (size_t i = 0; i < nc; i++) {
        ave_filler_cand *c = &cands[i];
        if (c->confidence < cut || c->realign < AVE_FILLER_REALIGN_MIN ||
            c->hes_end_us <= c->hes_start_us)
            continue;
        ave_log(AVE_LOG_DEBUG, STAGE,
                "filler candidate %.3f-%.3f s cut at %.3f-%.3f s (second pass)", c->start_us / 1e6,
                c->end_us / 1e6, c->hes_start_us / 1e6, c->hes_end_us / 1e6);
        c->start_us = c->hes_start_us;
        c->end_us = c->hes_end_us;
        moved = 1;
    }
    if (moved)
        qsort(cands, nc, sizeof(*cands), by_start);
}

/* H: the share of a voiced gap's voiced frames on one spectral shape
 * (filler_steady.h); only voiced gaps use it. A share at the rule over too
 * short a held sound reads 0, so c->steady >= AVE_GAP_STEADY_MIN means the
 * whole rule holds; a share under it is kept for the debug log. */
static int measure_shape(const ave_filler_frames *fr, ave_filler_cand *c)
{
    ave_gap_shape g;
    int ret;

    c->steady = 0.0f;
    if (!c->island || c->end_us <= c->start_us)
        return 0;
    if ((ret = ave_gap_shape_measure(fr, c->start_us, c->end_us, &g)) < 0)
        return ret;
    c->steady = ave_gap_shape_steady(&g) || g.on < AVE_GAP_STEADY_MIN ? g.on : 0.0f;
    return 0;
}

/* R: a recognised hesitation overlapping the candidate by half of either. */
static void recogniser_evidence(const ave_word *w, size_t n, ave_filler_cand *c)
{
    for (size_t i = 0; i < n; i++) {
        int64_t ov;
        if (!(w[i].flags & AVE_WORD_FILLER))
            continue;
        ov = ave_span_overlap(w[i].start_us, w[i].end_us, c->start_us, c->end_us);
        if (2 * ov >= c->end_us - c->start_us || 2 * ov >= w[i].end_us - w[i].start_us) {
            c->recog = 1;
            c->sources |= AVE_FILLER_SRC_RECOGNISER;
        }
    }
}

int speech_detect_fillers(ave_job *job, const ave_pcm *pcm, const char *model_dir, float cut,
                          float review, ave_filler_stats *st)
{
    ave_filler_frames fr;
    ave_filler_cand *cands = NULL;
    ave_filler_kws *kws = NULL;
    ave_filler_realign *realign = NULL;
    ave_filler_rule rule;
    ave_filler_stats s;
    size_t nc = 0, nsugg = 0, held_cut = 0, held_sugg = 0, whole = 0, trimmed = 0;
    float snr_threshold;
    double t0 = ave_now(), c0 = cpu_s();
    int ret;

    memset(&s, 0, sizeof(s));
    ave_filler_rule_default(&rule);
    if (!pcm->samples || pcm->count == 0)
        return 0;
    if ((ret = ave_filler_frames_compute(pcm->samples, pcm->count, pcm->sample_rate, &fr)) < 0)
        return ave_job_fail(job, ret, "%s: filler detection: %s", job->input_path,
                            ave_strerror(ret));
    snr_threshold = ave_filler_threshold_for_snr(&rule, fr.speech_db - fr.floor_db);
    /* ave_filler_apply decides on scores: the score that --filler-confidence
     * stands for on this recording. */
    rule.threshold = ave_filler_score_for_confidence(cut, snr_threshold);
    if ((ret = ave_filler_acoustic(&fr, &cands, &nc)) < 0 ||
        (ret = ave_filler_gap_candidates(&fr, job->analysis.words, job->analysis.word_count,
                                         &cands, &nc)) < 0) {
        ret = ave_job_fail(job, ret, "%s: filler detection: %s", job->input_path,
                           ave_strerror(ret));
        goto out;
    }
    ave_filler_merge(cands, &nc);
    for (size_t i = 0; i < nc; i++) {
        ave_filler_cand *c = &cands[i];
        ave_filler_measure(&fr, c);
        if ((ret = measure_shape(&fr, c)) < 0) {
            ret = ave_job_fail(job, ret, "%s: filler detection: %s", job->input_path,
                               ave_strerror(ret));
            goto out;
        }
        c->gap = ave_filler_gap_share(&fr, job->analysis.words, job->analysis.word_count,
                                      c->start_us, c->end_us, c->island);
        if (ave_filler_gap_void(&fr, job->analysis.words, job->analysis.word_count, c))
            c->gap = 0;
        if (c->gap > 0)
            c->sources |= AVE_FILLER_SRC_GAP;
        recogniser_evidence(job->analysis.words, job->analysis.word_count, c);
    }
    if ((ret = ave_filler_kws_open(&kws, model_dir, job->scratch_dir)) < 0) {
        ave_log(AVE_LOG_VERBOSE, STAGE, "keyword spotting unavailable (%s): fusing without it",
                ave_strerror(ret));
        kws = NULL;
    }
    for (size_t i = 0; kws && i < nc; i += KWS_BATCH) {
        size_t m = nc - i < KWS_BATCH ? nc - i : KWS_BATCH;
        if ((ret = ave_job_progress(job, 0.95 + 0.04 * (double)i / (double)nc)) < 0)
            goto out;
        if ((ret = ave_filler_kws_score(kws, pcm->samples, pcm->count, pcm->sample_rate,
                                        cands + i, m)) < 0) {
            ret = ave_job_fail(job, ret, "%s: keyword spotting failed", job->input_path);
            goto out;
        }
    }
    /* The second pass loads the full dictionary (a second) and decodes
     * each window twice: only where its answer can change something. */
    for (size_t i = 0; i < nc; i++) {
        cands[i].score = ave_filler_fuse(&cands[i], &rule);
        cands[i].realign_moot = !ave_filler_realign_matters(&cands[i], snr_threshold, cut);
    }
    {
        int want = 0;
        for (size_t i = 0; !want && i < nc; i++)
            want = ave_filler_realign_wanted(&cands[i]) && !cands[i].realign_moot;
        for (size_t i = 0; !want && i < job->analysis.word_count; i++)
            want = ave_held_wanted(&job->analysis.words[i]);
        if (want && ave_filler_realign_open(&realign, model_dir) < 0)
            realign = NULL;
    }
    if ((ret = ave_filler_realign_score(realign, pcm->samples, pcm->count, pcm->sample_rate,
                                        job->analysis.words, job->analysis.word_count, cands,
                                        nc)) < 0) {
        ret = ave_job_fail(job, ret, "%s: filler second pass failed", job->input_path);
        goto out;
    }
    for (size_t i = 0; i < nc; i++) {
        ave_filler_cand *c = &cands[i]; /* c->score fused above */
        c->confidence = ave_filler_confidence(c, snr_threshold);
        /* A candidate the confidence alone lifts over the cut threshold
         * (the user lowered it under the voiced-gap level) is accepted. */
        if (c->confidence >= cut && c->score < rule.threshold)
            c->score = rule.threshold;
        ave_log(AVE_LOG_DEBUG, STAGE,
                "filler candidate %.3f-%.3f s: R %.0f K %.2f A %.2f G %.2f B %.1f I %d P %d S %.2f "
                "L %.1f V %.2f H %.2f -> %.2f, confidence %.2f%s",
                c->start_us / 1e6, c->end_us / 1e6, c->recog, c->kws, c->acoustic, c->gap,
                c->bounded, c->island, c->paused, c->realign, c->level_db, c->voiced, c->steady,
                c->score, c->confidence,
                c->confidence >= cut      ? " filler"
                : c->confidence >= review ? " suggested"
                                          : "");
        if (c->score < rule.threshold)
            continue;
        s.by_kws += !!(c->sources & AVE_FILLER_SRC_KWS);
        s.by_acoustic += c->acoustic >= rule.min_acoustic;
        s.by_gap += c->gap >= 0.5f;
    }
    use_realigned_spans(cands, nc, cut);
    if ((ret = ave_filler_apply(&job->analysis.words, &job->analysis.word_count, cands, nc,
                                &rule, &s.inserted)) < 0 ||
        (ret = ave_filler_suggest(&job->analysis.words, &job->analysis.word_count, cands, nc,
                                  review, cut, rule.min_len_us, &nsugg)) < 0) {
        ret = ave_job_fail(job, ret, "%s: out of memory placing fillers", job->input_path);
        goto out;
    }
    /* Held sounds the recogniser wrote as words: after the candidates, so
     * that only words they left standing are asked. */
    if ((ret = ave_filler_held_check(realign, pcm->samples, pcm->count, pcm->sample_rate, &fr,
                                     &job->analysis.words, &job->analysis.word_count, cut,
                                     review, &held_cut, &held_sugg)) < 0) {
        ret = ave_job_fail(job, ret, "%s: filler second pass failed", job->input_path);
        goto out;
    }
    s.suggested = nsugg + held_sugg +
                  ave_filler_demote_unsure(job->analysis.words, job->analysis.word_count, cands,
                                           nc, rule.min_acoustic, 0.5f * (review + cut));
    ave_filler_grow_to_sound(job->analysis.words, job->analysis.word_count, &fr, GROW_GUARD_US,
                             GROW_MAX_US, !strcmp(job->analysis.asr_engine, "pocketsphinx"));
    whole = ave_filler_make_whole(job->analysis.words, job->analysis.word_count, &fr,
                                  GROW_GUARD_US, WHOLE_MAX_US);
    trimmed =
        ave_gap_steady_trim(job->analysis.words, job->analysis.word_count, cands, nc, &fr, cut);
    for (size_t i = 0; i < job->analysis.word_count; i++) {
        unsigned f = job->analysis.words[i].flags;
        s.detected += !!(f & AVE_WORD_FILLER);
        s.by_recogniser += (f & AVE_WORD_FILLER) && !(f & AVE_WORD_ACOUSTIC);
    }
    s.candidates = nc;
    s.seconds = ave_now() - t0;
    s.cpu_seconds = cpu_s() - c0;
    ave_log(AVE_LOG_VERBOSE, STAGE,
            "fillers: %zu detected (%zu inserted), %zu suggested, from %zu candidate(s) in "
            "%.2f s; supported by recogniser %zu, keywords %zu, acoustics %zu, gaps %zu",
            s.detected, s.inserted, s.suggested, nc, s.seconds, s.by_recogniser, s.by_kws,
            s.by_acoustic, s.by_gap);
    ave_job_metric_number(job, STAGE, "filler_snr_db", fr.speech_db - fr.floor_db);
    ave_job_metric_number(job, STAGE, "filler_threshold", snr_threshold);
    ave_job_metric_number(job, STAGE, "filler_cut_confidence", cut);
    ave_job_metric_number(job, STAGE, "filler_review_confidence", review);
    ave_job_metric_number(job, STAGE, "fillers_suggested", (double)s.suggested);
    ave_job_metric_number(job, STAGE, "fillers_detected", (double)s.detected);
    ave_job_metric_number(job, STAGE, "fillers_inserted", (double)s.inserted);
    ave_job_metric_number(job, STAGE, "fillers_held_words", (double)held_cut);
    ave_job_metric_number(job, STAGE, "fillers_made_whole", (double)whole);
    ave_job_metric_number(job, STAGE, "fillers_steady_trimmed", (double)trimmed);
    ave_job_metric_number(job, STAGE, "filler_candidates", (double)nc);
    ave_job_metric_number(job, STAGE, "fillers_by_recogniser", (double)s.by_recogniser);
    ave_job_metric_number(job, STAGE, "fillers_by_kws", (double)s.by_kws);
    ave_job_metric_number(job, STAGE, "fillers_by_acoustic", (double)s.by_acoustic);
    ave_job_metric_number(job, STAGE, "fillers_by_gap", (double)s.by_gap);
    ave_job_metric_number(job, STAGE, "filler_detect_time_s", s.seconds);
    ave_job_metric_number(job, STAGE, "filler_detect_cpu_s", s.cpu_seconds);
    if (st)
        *st = s;
    ret = 0;
out:
    ave_filler_kws_close(kws);
    ave_filler_realign_close(realign);
    ave_filler_frames_free(&fr);
    free(cands);
    return ret;
}
