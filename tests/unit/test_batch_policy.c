/* Batch scheduler policy: the memory estimate against measured peaks,
 * memory-bounded admission, calibration, retry and backoff decisions, the
 * batch exit code and the resume state transitions. */
#include <string.h>

#include "ave/ave.h"
#include "ave/batch.h"
#include "check.h"

#define MIB (1024.0 * 1024.0)

static void test_estimate(void)
{
    ave_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.quality = AVE_QUALITY_HIGH;
    /* Measured peaks of `process` on 5 s generated clips (docs/BATCH.md):
     * the estimate must be within 20% of each. */
    ave_batch_probe p360 = {1, 5000000, 1, 640, 360};
    ave_batch_probe p720 = {1, 5000000, 1, 1280, 720};
    ave_batch_probe p1080 = {1, 5000000, 1, 1920, 1080};
    ave_batch_probe l360 = {1, 40000000, 1, 640, 360};
    CHECK_NEAR(ave_batch_estimate_peak(&p360, &cfg) / MIB, 137.0, 0.2 * 137);
    CHECK_NEAR(ave_batch_estimate_peak(&p720, &cfg) / MIB, 296.0, 0.2 * 296);
    CHECK_NEAR(ave_batch_estimate_peak(&p1080, &cfg) / MIB, 564.0, 0.2 * 564);
    CHECK_NEAR(ave_batch_estimate_peak(&l360, &cfg) / MIB, 265.0, 0.2 * 265);
    cfg.quality = AVE_QUALITY_LOW;
    CHECK_NEAR(ave_batch_estimate_peak(&p720, &cfg) / MIB, 189.0, 0.2 * 189);
    CHECK_NEAR(ave_batch_estimate_peak(&p1080, &cfg) / MIB, 350.0, 0.2 * 350);
    /* Exact formula: 120 + 120 * (2.0736 - 0.23) + 3.5 * 5 MiB. */
    CHECK_NEAR(ave_batch_estimate_peak(&p1080, &cfg) / MIB, 120 + 120 * (2.0736 - 0.23) + 17.5,
               0.01);
    /* --parallel costs 25% more on the picture part. */
    cfg.parallel = 1;
    CHECK_NEAR(ave_batch_estimate_peak(&p1080, &cfg) / MIB,
               120 + 1.25 * 120 * (2.0736 - 0.23) + 17.5, 0.01);
    /* Audio only and unreadable inputs. */
    ave_batch_probe audio = {1, 10000000, 0, 0, 0};
    CHECK_NEAR(ave_batch_estimate_peak(&audio, &cfg) / MIB, 155.0, 0.01);
    ave_batch_probe bad = {0, 0, 0, 0, 0};
    CHECK_NEAR(ave_batch_estimate_peak(&bad, &cfg) / MIB, 120.0, 0.01);
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
