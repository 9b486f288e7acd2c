/* Benchmark driver for the frames stage (run by bench/bench_frames.sh; not a
 * test): runs only probe + frames on one input, the way a command that
 * needs part of the pipeline does (ave_job_run_only), and prints the wall
 * time and the stage's metrics on one line each.
 *
 * Usage: bench_frames INPUT OUTPUT_DIR [name=value ...]
 * Each name=value sets an option as a flag would (e.g. mode=fast,
 * detect-faces=false, parallel=false). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ave/ave.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_metric(const ave_job *job, const char *key)
{
    double v;
    if (ave_job_metric_get(job, "frames", key, &v) == 0)
        printf("%s=%g ", key, v);
}

int main(int argc, char **argv)
{
    static const char *const stages[] = {"probe", "frames", NULL};
    ave_settings *settings = NULL;
    ave_job *job = NULL;
    char err[256];
    double t0, wall;
    int ret = 1;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_frames INPUT OUTPUT_DIR [name=value ...]\n");
        return 2;
    }
    ave_log_set_level(AVE_LOG_WARNING);
    if (ave_settings_new(&settings) < 0)
        return 1;
    for (int i = 3; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "bench_frames: %s: expected name=value\n", argv[i]);
            goto out;
        }
        *eq = '\0';
        if (ave_settings_set(settings, argv[i], eq + 1, AVE_SRC_FLAG, err, sizeof(err)) < 0) {
            fprintf(stderr, "bench_frames: %s\n", err);
            goto out;
        }
    }
    if (ave_job_new(&job, settings, argv[1], argv[2], NULL) < 0)
        goto out;
    t0 = now_s();
    if (ave_job_run_only(job, stages) < 0) {
        fprintf(stderr, "bench_frames: %s\n", ave_job_errmsg(job));
        goto out;
    }
    wall = now_s() - t0;
    printf("wall_s=%.2f ", wall);
    print_metric(job, "seconds");
    print_metric(job, "frames_decoded");
    print_metric(job, "frames_sampled");
    print_metric(job, "decode_fps");
    print_metric(job, "scenes");
    print_metric(job, "gradual_transitions");
    print_metric(job, "faces_frames");
    printf("\n");
    ret = 0;
out:
    ave_job_free(job);
    ave_settings_free(settings);
    return ret;
}
