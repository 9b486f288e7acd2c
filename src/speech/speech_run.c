/* Runs a recogniser over the speech regions. Regions are independent
 * utterances, so with --parallel each thread owns one engine state (its own
 * PocketSphinx decoder: they scale almost linearly on 2 cores), loads it
 * itself (the loads overlap too) and takes the next region from a shared
 * list ordered longest first, so the last region to start is a short one and
 * the threads finish together. The calling thread only watches: it is
 * the one that touches the job (progress, timeout, Ctrl-C, errors; the job is
 * not thread-safe) and it must notice a stop request within a fraction of a
 * second, which it could not while decoding a 30-second region itself. The
 * engines poll the shared stop flag. Results are stored per region, so the
 * concatenation is in time order whatever thread finished first. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
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
    pthread_cond_t changed; /* a region finished or a worker exited */
    const ave_asr_engine *eng;
    const ave_pcm *pcm;
    const ave_asr_config *cfg;
    const ave_interval *regions;
    size_t *order; /* region indexes, longest first */
    size_t nreg, next, calls;
    double load_wall_s, load_cpu_s, decode_cpu_s; /* summed over threads (wall: slowest) */
    double busiest_cpu_s;                         /* one thread's load + decode, the most */
    int64_t done_us, total_us;
    region_out *out;
    /* API pacing (ave_speech_pacing): requests leave in batches of
     * batch_size, all at once, the next batch only when the last one has
     * answered and batch_interval_s after it started. */
    int batch_size;
    double batch_interval_s, batch_start;
    size_t batch_taken, batch_done, batches;
    atomic_int stop; /* set on error or when the job must stop; engines poll it */
    int running;     /* workers not yet exited */
    int cond_ready;  /* changed was initialised */
    int err_code;    /* first engine error */
    char err[512];
} shared;

typedef struct worker {
    shared *sh;
    void *state;
    pthread_t tid;
    int started;
} worker;

static double thread_cpu_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}


static size_t us_to_sample(int64_t us, int rate)
{
    return us <= 0 ? 0 : (size_t)((double)us * rate / 1e6 + 0.5);
}

/* Record the first error (under the lock) and stop everyone. */
static void fail_locked(shared *sh, int code, const char *msg)
{
    if (!sh->err_code) {
        sh->err_code = code;
        snprintf(sh->err, sizeof(sh->err), "%s", msg[0] ? msg : ave_strerror(code));
    }
    atomic_store(&sh->stop, 1);
}

static void deadline_in(struct timespec *ts, double s)
{
    clock_gettime(CLOCK_REALTIME, ts);
    long ns = ts->tv_nsec + (long)((s - (double)(long)s) * 1e9);
    ts->tv_sec += (time_t)s + ns / 1000000000L;
    ts->tv_nsec = ns % 1000000000L;
}

/* With the lock held: when the current batch is full, wait until all of it
 * has answered and the rate limit's interval since it started has passed,
 * then open the next batch. Returns -1 when the job stops meanwhile. */
static int wait_for_batch(shared *sh)
{
    struct timespec ts;
    for (;;) {
        if (atomic_load(&sh->stop))
            return -1;
        if (sh->batches > 0 && sh->batch_taken < (size_t)sh->batch_size)
            return 0; /* room in the open batch */
        double left = sh->batch_done < sh->batch_taken ? 0.1 /* still answering */
                      : sh->batches ? sh->batch_start + sh->batch_interval_s - ave_now()
                                    : 0;
        if (left <= 0)
            break;
        deadline_in(&ts, left < 0.1 ? left : 0.1); /* also notice a stop request */
        pthread_cond_timedwait(&sh->changed, &sh->lock, &ts);
    }
    sh->batch_start = ave_now();
    sh->batch_taken = sh->batch_done = 0;
    sh->batches++;
    return 0;
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
    if (sh->batch_size > 0 && sh->next < sh->nreg && wait_for_batch(sh) < 0) {
        pthread_mutex_unlock(&sh->lock);
        return 0;
    }
    if (atomic_load(&sh->stop) || sh->next >= sh->nreg) {
        pthread_mutex_unlock(&sh->lock);
        return 0;
    }
    i = sh->order[sh->next++];
    sh->batch_taken++;
    sh->calls++;
    pthread_mutex_unlock(&sh->lock);

    a = us_to_sample(sh->regions[i].start_us, sh->pcm->sample_rate);
    b = us_to_sample(sh->regions[i].end_us, sh->pcm->sample_rate);
    if (b > sh->pcm->count)
        b = sh->pcm->count;
    if (a > b)
        a = b;
    r = sh->eng->transcribe(w->state, sh->pcm->samples + a, b - a, sh->pcm->sample_rate,
                            (int64_t)((double)a * 1e6 / sh->pcm->sample_rate + 0.5), &sh->stop,
                            &words, &count, err, sizeof(err));

    pthread_mutex_lock(&sh->lock);
    if (r < 0) {
        /* A region abandoned because the job stops is not an engine error. */
        if (!(r == AVE_ERR_CANCELLED && atomic_load(&sh->stop)))
            fail_locked(sh, r, err);
        atomic_store(&sh->stop, 1);
        free(words);
    } else {
        sh->out[i].words = words;
        sh->out[i].count = count;
        sh->done_us += sh->regions[i].end_us - sh->regions[i].start_us;
    }
    sh->batch_done++;
    /* The watcher and workers waiting for the batch to end share the
     * condition: wake them all. */
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->lock);
    return 1;
}

static void *worker_main(void *opaque)
{
    worker *w = opaque;
    shared *sh = w->sh;
    char err[512] = "";
    double c0 = thread_cpu_s(), t0 = ave_now(), c1, c2, t1;
    int r = sh->eng->open(&w->state, sh->cfg, err, sizeof(err));

    c1 = thread_cpu_s();
    t1 = ave_now();
    pthread_mutex_lock(&sh->lock);
    sh->load_cpu_s += c1 - c0;
    if (t1 - t0 > sh->load_wall_s)
        sh->load_wall_s = t1 - t0;
    if (r < 0)
        fail_locked(sh, r, err);
    pthread_mutex_unlock(&sh->lock);
    while (r == 0 && step(w))
        ;
    c2 = thread_cpu_s();
    pthread_mutex_lock(&sh->lock);
    sh->decode_cpu_s += c2 - c1;
    if (c2 - c0 > sh->busiest_cpu_s)
        sh->busiest_cpu_s = c2 - c0;
    sh->running--;
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* Sleep until a worker reports or `ms` pass; returns the fraction done and
 * whether every worker has exited. */
static int wait_workers(shared *sh, int ms, double *frac)
{
    struct timespec until;
    int all_done;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)ms * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&sh->lock);
    if (sh->running > 0)
        pthread_cond_timedwait(&sh->changed, &sh->lock, &until);
    *frac = sh->total_us > 0 ? (double)sh->done_us / (double)sh->total_us : 1.0;
    all_done = sh->running == 0;
    pthread_mutex_unlock(&sh->lock);
    return all_done;
}

typedef struct by_len {
    int64_t len;
    size_t idx;
} by_len;

static int cmp_longest_first(const void *a, const void *b)
{
    const by_len *x = a, *y = b;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* sh->order = region indexes, longest first (ties in time order). */
static int plan_order(shared *sh)
{
    by_len *v;

    if (!sh->nreg)
        return 0;
    if (!(v = malloc(sh->nreg * sizeof(*v))) || !(sh->order = malloc(sh->nreg * sizeof(size_t)))) {
        free(v);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < sh->nreg; i++) {
        v[i].len = sh->regions[i].end_us - sh->regions[i].start_us;
        v[i].idx = i;
    }
    qsort(v, sh->nreg, sizeof(*v), cmp_longest_first);
    for (size_t i = 0; i < sh->nreg; i++)
        sh->order[i] = v[i].idx;
    free(v);
    return 0;
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

int ave_speech_run(ave_job *job, const ave_asr_engine *eng, const ave_asr_config *cfg, int threads,
                   const ave_speech_pacing *pacing, const ave_interval *regions, size_t nreg,
                   ave_speech_result *res)
{
    worker workers[MAX_THREADS];
    shared sh;
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
    sh.cfg = cfg;
    if (pacing && pacing->batch_size > 0) {
        sh.batch_size = pacing->batch_size;
        sh.batch_interval_s = pacing->batch_interval_s > 0 ? pacing->batch_interval_s : 0;
    }
    sh.pcm = &job->analysis.audio;
    sh.regions = regions;
    sh.nreg = nreg;
    for (size_t i = 0; i < nreg; i++)
        sh.total_us += regions[i].end_us - regions[i].start_us;
    if ((nreg && !(sh.out = calloc(nreg, sizeof(*sh.out)))) || plan_order(&sh) < 0) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory planning speech regions",
                           job->input_path);
        goto out;
    }
    for (int t = 0; t < threads; t++)
        workers[t].sh = &sh;
    if (pthread_cond_init(&sh.changed, NULL) != 0) {
        ret = ave_job_fail(job, AVE_ERR_INTERNAL, "%s: cannot create a condition variable",
                           job->input_path);
        goto out;
    }
    sh.cond_ready = 1;
    for (int t = 0; t < threads; t++) {
        pthread_mutex_lock(&sh.lock);
        sh.running++;
        pthread_mutex_unlock(&sh.lock);
        if (pthread_create(&workers[t].tid, NULL, worker_main, &workers[t]) != 0) {
            pthread_mutex_lock(&sh.lock);
            sh.running--;
            pthread_mutex_unlock(&sh.lock);
            if (t == 0) {
                ret = ave_job_fail(job, AVE_ERR_INTERNAL, "%s: cannot start a decoding thread",
                                   job->input_path);
                goto out;
            }
            ave_log(AVE_LOG_WARNING, STAGE, "cannot start a decoding thread; using %d", t);
            break;
        }
        workers[t].started = 1;
        nstarted++;
    }
    res->threads = nstarted;

    /* The calling thread keeps the job informed and relays a stop within
     * a tenth of a second; the engines notice it within a few more. */
    for (;;) {
        double frac;
        int all_done = wait_workers(&sh, 100, &frac), r;
        if ((r = ave_job_progress(job, 0.05 + 0.9 * frac)) < 0) {
            atomic_store(&sh.stop, 1);
            ret = r;
            break;
        }
        if (all_done)
            break;
    }
out:
    for (int t = 0; t < MAX_THREADS; t++)
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
    res->load_wall_s = sh.load_wall_s;
    res->load_cpu_s = sh.load_cpu_s;
    res->decode_cpu_s = sh.decode_cpu_s;
    res->busiest_cpu_s = sh.busiest_cpu_s;
    res->batches = sh.batches;
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
    free(sh.order);
    if (sh.cond_ready)
        pthread_cond_destroy(&sh.changed);
    pthread_mutex_destroy(&sh.lock);
    return ret;
}
