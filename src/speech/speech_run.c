/* Runs a recogniser over the speech regions. Regions are independent
 * utterances, so with --parallel each thread owns one engine state (its own
 * PocketSphinx decoder: they scale almost linearly on 2 cores) and takes the
 * next region from a shared counter. The calling thread decodes too and is
 * the only one that touches the job (progress, timeout, errors): the job is
 * not thread-safe. Results are stored per region, so the concatenation is in
 * time order whatever thread finished first. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "speech/asr_words.h"
#include "speech/speech_run.h"

#define STAGE "speech"
#define MAX_THREADS 8

typedef struct region_out {
    ave_word *words;
    size_t count;
} region_out;

typedef struct shared {
    pthread_mutex_t lock;
    const ave_asr_engine *eng;
    const ave_pcm *pcm;
    const ave_interval *regions;
    size_t nreg, next, calls;
    int64_t done_us, total_us;
    region_out *out;
    int stop;      /* set on error or when the job must stop */
    int err_code;  /* first engine error */
    char err[512];
} shared;

typedef struct worker {
    shared *sh;
    void *state;
    pthread_t tid;
    int started;
} worker;

static size_t us_to_sample(int64_t us, int rate)
{
    return us <= 0 ? 0 : (size_t)((double)us * rate / 1e6 + 0.5);
}

/* Decode one region; returns 0 when there is no more work. */
static int step(worker *w)
{
    shared *sh = w->sh;
    size_t i, a, b;
    ave_word *words = NULL;
    size_t count = 0;
    char err[512] = "";
    int r;

    pthread_mutex_lock(&sh->lock);
    if (sh->stop || sh->next >= sh->nreg) {
        pthread_mutex_unlock(&sh->lock);
        return 0;
    }
    i = sh->next++;
    sh->calls++;
    pthread_mutex_unlock(&sh->lock);

    a = us_to_sample(sh->regions[i].start_us, sh->pcm->sample_rate);
    b = us_to_sample(sh->regions[i].end_us, sh->pcm->sample_rate);
    if (b > sh->pcm->count)
        b = sh->pcm->count;
    if (a > b)
        a = b;
    r = sh->eng->transcribe(w->state, sh->pcm->samples + a, b - a, sh->pcm->sample_rate,
                            (int64_t)((double)a * 1e6 / sh->pcm->sample_rate + 0.5), &words,
                            &count, err, sizeof(err));

    pthread_mutex_lock(&sh->lock);
    if (r < 0) {
        if (!sh->err_code) {
            sh->err_code = r;
            snprintf(sh->err, sizeof(sh->err), "%s", err[0] ? err : ave_strerror(r));
        }
        sh->stop = 1;
        free(words);
    } else {
        sh->out[i].words = words;
        sh->out[i].count = count;
        sh->done_us += sh->regions[i].end_us - sh->regions[i].start_us;
    }
    pthread_mutex_unlock(&sh->lock);
    return 1;
}

static void *worker_main(void *opaque)
{
    worker *w = opaque;
    while (step(w))
        ;
    return NULL;
}

static int collect(shared *sh, ave_speech_result *res)
{
    size_t total = 0, k = 0;

    for (size_t i = 0; i < sh->nreg; i++)
        total += sh->out[i].count;
    if (total && !(res->words = malloc(total * sizeof(*res->words))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < sh->nreg; i++) {
        if (sh->out[i].count)
            memcpy(res->words + k, sh->out[i].words, sh->out[i].count * sizeof(ave_word));
        k += sh->out[i].count;
    }
    /* Padded regions never overlap, but an engine may place a word a frame
     * outside its chunk; keep the documented order regardless. */
    ave_asr_words_sort(res->words, total);
    res->count = total;
    return 0;
}

int ave_speech_run(ave_job *job, const ave_asr_engine *eng, const ave_asr_config *cfg,
                   int threads, const ave_interval *regions, size_t nreg, ave_speech_result *res)
{
    worker workers[MAX_THREADS];
    shared sh;
    char err[512] = "";
    int ret = 0, nstarted = 0;

    memset(res, 0, sizeof(*res));
    memset(workers, 0, sizeof(workers));
    memset(&sh, 0, sizeof(sh));
    if (threads < 1 || !eng->parallel)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if ((size_t)threads > nreg)
        threads = nreg > 0 ? (int)nreg : 1;
    if (pthread_mutex_init(&sh.lock, NULL) != 0)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: cannot create a mutex", job->input_path);
    sh.eng = eng;
    sh.pcm = &job->analysis.audio;
    sh.regions = regions;
    sh.nreg = nreg;
    for (size_t i = 0; i < nreg; i++)
        sh.total_us += regions[i].end_us - regions[i].start_us;
    if (nreg && !(sh.out = calloc(nreg, sizeof(*sh.out)))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }

    for (int t = 0; t < threads; t++) {
        workers[t].sh = &sh;
        if ((ret = eng->open(&workers[t].state, cfg, err, sizeof(err))) < 0) {
            ret = ave_job_fail(job, ret, "%s: speech recognition (%s): %s", job->input_path,
                               eng->name, err);
            goto out;
        }
    }
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&workers[t].tid, NULL, worker_main, &workers[t]) != 0) {
            ave_log(AVE_LOG_WARNING, STAGE, "cannot start a decoding thread; using %d", t);
            break;
        }
        workers[t].started = 1;
        nstarted++;
    }
    res->threads = 1 + nstarted;

    /* The calling thread decodes and keeps the job informed. */
    while (step(&workers[0])) {
        double frac;
        int r;

        pthread_mutex_lock(&sh.lock);
        frac = sh.total_us > 0 ? (double)sh.done_us / (double)sh.total_us : 1.0;
        pthread_mutex_unlock(&sh.lock);
        if ((r = ave_job_progress(job, 0.05 + 0.9 * frac)) < 0) {
            pthread_mutex_lock(&sh.lock);
            sh.stop = 1;
            pthread_mutex_unlock(&sh.lock);
            ret = r;
            break;
        }
    }
out:
    for (int t = 1; t < MAX_THREADS; t++)
        if (workers[t].started)
            pthread_join(workers[t].tid, NULL);
    if (ret == 0 && sh.err_code)
        ret = ave_job_fail(job, sh.err_code, "%s: speech recognition (%s): %s", job->input_path,
                           eng->name, sh.err);
    /* A timeout that struck while the last regions finished still counts. */
    if (ret == 0)
        ret = ave_job_progress(job, 0.95);
    if (ret == 0 && (ret = collect(&sh, res)) < 0)
        ret = ave_job_fail(job, ret, "%s: out of memory collecting words", job->input_path);
    if (ret == 0) {
        res->decoded_s = (double)sh.total_us / 1e6;
        res->calls = sh.calls;
    } else {
        res->calls = sh.calls; /* API calls made still count */
        free(res->words);
        res->words = NULL;
        res->count = 0;
    }
    for (int t = 0; t < MAX_THREADS; t++)
        if (workers[t].state)
            eng->close(workers[t].state);
    for (size_t i = 0; sh.out && i < nreg; i++)
        free(sh.out[i].words);
    free(sh.out);
    pthread_mutex_destroy(&sh.lock);
    return ret;
}
