/* Batch scheduler policy: the memory estimate against measured peaks,
 * memory-bounded admission, calibration, retry and backoff decisions, the
 * batch exit code and the resume state transitions. */
#include <string.h>

#include "ave/ave.h"
#include "ave/batch.h"
#include "ave/resources.h"
#include "check.h"

#define MIB (1024.0 * 1024.0)

/* A measured peak (MiB) and the estimate must agree: never more than 10%
 * under (an admitted job would overrun the budget), at most 60% over (the
 * batch would run needlessly few jobs at once). */
static void check_against_measured(const ave_batch_probe *p, const ave_config *cfg,
                                   double measured_mib)
{
    double est = (double)ave_batch_estimate_peak(p, cfg) / MIB;
    CHECK(est >= 0.9 * measured_mib);
    CHECK(est <= 1.6 * measured_mib);
}

static void test_estimate(void)
{
    ave_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.quality = AVE_QUALITY_HIGH;
    cfg.parallel = 1;
    /* Peak RSS (/usr/bin/time) of `process --no-enhance` on generated 30 fps
     * clips with espeak speech throughout, Debian 12, 2 cores (docs/BATCH.md). */
    ave_batch_probe p720 = {1, 10000000, 1, 1280, 720, 1};
    ave_batch_probe p1080 = {1, 10000000, 1, 1920, 1080, 1};
    ave_batch_probe l360 = {1, 60000000, 1, 640, 360, 1};
    ave_batch_probe audio = {1, 30000000, 0, 0, 0, 1};
    check_against_measured(&p720, &cfg, 300);
    check_against_measured(&p1080, &cfg, 541);
    check_against_measured(&l360, &cfg, 262);
    check_against_measured(&audio, &cfg, 250);
    cfg.quality = AVE_QUALITY_LOW;
    check_against_measured(&p720, &cfg, 168);
    check_against_measured(&p1080, &cfg, 308);

    /* One model: exactly what the job and the adaptive stage estimate. */
    ave_media_info m;
    ave_memory_estimate est;
    memset(&m, 0, sizeof(m));
    m.duration_us = p1080.duration_us;
    m.has_video = 1, m.width = 1920, m.height = 1080, m.has_audio = 1;
    CHECK_EQ_INT(ave_estimate_job_memory(&m, &cfg, 0, &est), 0);
    CHECK_EQ_INT(ave_batch_estimate_peak(&p1080, &cfg), est.total);
    /* --no-parallel: one recogniser decoder, not two. */
    cfg.parallel = 0;
    CHECK_EQ_INT(ave_estimate_job_memory(&m, &cfg, 1, &est), 0);
    CHECK_EQ_INT(ave_batch_estimate_peak(&p1080, &cfg), est.total);
    CHECK(ave_batch_estimate_peak(&audio, &cfg) < ave_batch_estimate_peak(&audio, &(ave_config){
        .quality = AVE_QUALITY_LOW, .parallel = 1}));
    /* Unreadable: the fixed cost only. */
    ave_batch_probe bad = {0, 0, 0, 0, 0, 0};
    memset(&m, 0, sizeof(m));
    CHECK_EQ_INT(ave_estimate_job_memory(&m, &cfg, 1, &est), 0);
    CHECK_EQ_INT(ave_batch_estimate_peak(&bad, &cfg), est.fixed);
}

static void test_admit(void)
{
    const int64_t gb = 1 << 30;
    /* Count bound. */
    CHECK_EQ_INT(ave_batch_admit(8 * gb, 2, 0, 0, gb), AVE_BATCH_START);
    CHECK_EQ_INT(ave_batch_admit(8 * gb, 2, 1, gb, gb), AVE_BATCH_START);
    CHECK_EQ_INT(ave_batch_admit(8 * gb, 2, 2, 2 * gb, gb), AVE_BATCH_WAIT);
    /* Memory bound: 3 GB budget, 2 GB running, a 1.5 GB job waits, 1 GB fits. */
    CHECK_EQ_INT(ave_batch_admit(3 * gb, 4, 1, 2 * gb, 3 * gb / 2), AVE_BATCH_WAIT);
    CHECK_EQ_INT(ave_batch_admit(3 * gb, 4, 1, 2 * gb, gb), AVE_BATCH_START);
    /* Exactly at the budget fits. */
    CHECK_EQ_INT(ave_batch_admit(3 * gb, 4, 2, 2 * gb, gb), AVE_BATCH_START);
    /* Over the whole budget alone: waits while anything runs, then runs alone. */
    CHECK_EQ_INT(ave_batch_admit(gb, 4, 1, 100, 2 * gb), AVE_BATCH_WAIT);
    CHECK_EQ_INT(ave_batch_admit(gb, 4, 0, 0, 2 * gb), AVE_BATCH_START_ALONE);
    /* max_parallel < 1 behaves as 1. */
    CHECK_EQ_INT(ave_batch_admit(gb, 0, 0, 0, 1), AVE_BATCH_START);
    CHECK_EQ_INT(ave_batch_admit(gb, 0, 1, 1, 1), AVE_BATCH_WAIT);
}

static void test_calibrate(void)
{
    CHECK_NEAR(ave_batch_calibrate(1.0, 100, 80), 1.0, 1e-9);  /* over-estimate: keep */
    CHECK_NEAR(ave_batch_calibrate(1.0, 100, 150), 1.5, 1e-9); /* under: follow */
    CHECK_NEAR(ave_batch_calibrate(1.5, 100, 120), 1.5, 1e-9); /* keeps the worst */
    CHECK_NEAR(ave_batch_calibrate(1.0, 100, 1000), 4.0, 1e-9); /* capped */
    CHECK_NEAR(ave_batch_calibrate(0.2, 0, 0), 1.0, 1e-9);     /* never below 1 */
    CHECK_NEAR(ave_batch_calibrate(2.0, 100, 0), 2.0, 1e-9);   /* unknown peak: no change */
}

static void test_retry(void)
{
    /* Transient classes retry while attempts <= retries. */
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_INTERNAL, 1, 1), 1);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_IO, 1, 1), 1);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_TIMEOUT, 1, 1), 1);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_TIMEOUT, 2, 1), 0);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_IO, 3, 3), 1);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_IO, 1, 0), 0);
    /* Input, usage, limit, success and interrupt never retry. */
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_INPUT, 1, 5), 0);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_USAGE, 1, 5), 0);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_LIMIT, 1, 5), 0);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_OK, 1, 5), 0);
    CHECK_EQ_INT(ave_batch_should_retry(AVE_EXIT_CANCELLED, 1, 5), 0);

    CHECK_NEAR(ave_batch_backoff_s(2, 1), 0, 1e-9);
    CHECK_NEAR(ave_batch_backoff_s(2, 2), 2, 1e-9);
    CHECK_NEAR(ave_batch_backoff_s(2, 3), 4, 1e-9);
    CHECK_NEAR(ave_batch_backoff_s(2, 5), 16, 1e-9);
    CHECK_NEAR(ave_batch_backoff_s(2, 20), 300, 1e-9);
    CHECK_NEAR(ave_batch_backoff_s(0, 4), 0, 1e-9);
}

static void test_exit_worse(void)
{
    CHECK_EQ_INT(ave_batch_exit_worse(0, 3), 3);
    CHECK_EQ_INT(ave_batch_exit_worse(3, 0), 3);
    CHECK_EQ_INT(ave_batch_exit_worse(2, 3), 3);
    CHECK_EQ_INT(ave_batch_exit_worse(4, 3), 4);
    CHECK_EQ_INT(ave_batch_exit_worse(5, 4), 5);
    CHECK_EQ_INT(ave_batch_exit_worse(5, 6), 6);
    CHECK_EQ_INT(ave_batch_exit_worse(6, 1), 1);
    CHECK_EQ_INT(ave_batch_exit_worse(1, 130), 130);
    CHECK_EQ_INT(ave_batch_exit_worse(0, 0), 0);
}

static void test_resume(void)
{
    /* done: kept only with outputs and an unchanged input. */
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_DONE, 0, 1, 1), AVE_BATCH_DONE);
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_DONE, 0, 0, 1), AVE_BATCH_QUEUED);
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_DONE, 0, 1, 0), AVE_BATCH_QUEUED);
    /* running: requeued when its process is gone, even with outputs present
     * (they may be from an earlier run). */
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_RUNNING, 0, 0, 1), AVE_BATCH_QUEUED);
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_RUNNING, 0, 1, 1), AVE_BATCH_QUEUED);
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_RUNNING, 1, 0, 1), AVE_BATCH_RUNNING);
    /* failed and queued: (re)queued. */
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_FAILED, 0, 0, 1), AVE_BATCH_QUEUED);
    CHECK_EQ_INT(ave_batch_resume_state(AVE_BATCH_QUEUED, 0, 1, 1), AVE_BATCH_QUEUED);

    CHECK(!strcmp(ave_batch_state_name(AVE_BATCH_RUNNING), "running"));
    CHECK_EQ_INT(ave_batch_state_parse("failed"), AVE_BATCH_FAILED);
    CHECK_EQ_INT(ave_batch_state_parse("bogus"), -1);
}

int main(void)
{
    test_estimate();
    test_admit();
    test_calibrate();
    test_retry();
    test_exit_worse();
    test_resume();
    return CHECK_DONE();
}
