/* Slurm engine plan: resources derived from the process flags (CPUs from
 * --parallel and the node size, memory from the batch estimate with its
 * margin and caps, time from --timeout), the array spec, and the script
 * (array line, resources, quoting of awkward paths, the per-task mapping). */
#include <string.h>
#include <stdlib.h>

#include "ave/ave.h"
#include "ave/batch_slurm.h"
#include "batch/slurm_internal.h"
#include "check.h"

#define MIB (1024LL * 1024LL)

static void test_resources(void)
{
    ave_config cfg;
    ave_slurm_resources res;
    memset(&cfg, 0, sizeof(cfg));
    cfg.quality = AVE_QUALITY_LOW;
    cfg.max_memory_gb = 8;
    cfg.parallel = 1;
    /* 5 s 1920x1080 at low quality with --parallel: the estimate
     * (ave/resources.h) is 90 MiB fixed + 0.2 MiB audio + 258.1 MiB of
     * pictures (x264's 10 lookahead and 19 other frames, 3 planes each) =
     * 348.3 MiB; x1.25 = 435.3 -> 448 MiB in 64 MiB steps. */
    ave_batch_probe p1080 = {1, 5000000, 1, 1920, 1080, 1};
    int64_t est = ave_batch_estimate_peak(&p1080, &cfg);
    CHECK_EQ_INT(ave_slurm_derive_resources(&cfg, est, 0, 15, 0, 0, &res), 0);
    CHECK_EQ_INT(res.cpus, 4);
    CHECK_EQ_INT(res.mem_mb, 448);
    CHECK_EQ_INT(res.time_min, 0);
    CHECK_EQ_INT(res.mem_capped, 0);
    /* --no-parallel: 1 CPU; the pictures still outweigh one recogniser
     * decoder, so the memory is the same. */
    cfg.parallel = 0;
    est = ave_batch_estimate_peak(&p1080, &cfg);
    CHECK_EQ_INT(ave_slurm_derive_resources(&cfg, est, 0, 15, 0, 0, &res), 0);
    CHECK_EQ_INT(res.cpus, 1);
    CHECK_EQ_INT(res.mem_mb, 448);
    /* Small inputs get the 256 MiB floor; a 2-core node caps --parallel at 2. */
    cfg.parallel = 1;
    CHECK_EQ_INT(ave_slurm_derive_resources(&cfg, 130 * MIB, 0, 0, 2, 0, &res), 0);
    CHECK_EQ_INT(res.cpus, 2);
    CHECK_EQ_INT(res.mem_mb, 256);
    /* --max-memory 0.5 GB caps it (and says so); so does the node's memory. */
    cfg.max_memory_gb = 0.5;
    CHECK_EQ_INT(ave_slurm_derive_resources(&cfg, 2048 * MIB, 0, 0, 8, 0, &res), 0);
    CHECK_EQ_INT(res.mem_mb, 512);
    CHECK_EQ_INT(res.mem_capped, 1);
    cfg.max_memory_gb = 8;
    CHECK_EQ_INT(ave_slurm_derive_resources(&cfg, 2048 * MIB, 0, 0, 8, 1000, &res), 0);
    CHECK_EQ_INT(res.mem_mb, 1000);
    CHECK_EQ_INT(res.mem_capped, 1);
    /* --timeout 600 + 15 s grace -> 11 minutes; 60 + 0 -> 1; 61 -> 2. */
    CHECK_EQ_INT(ave_slurm_derive_resources(&cfg, 0, 600, 15, 0, 0, &res), 0);
    CHECK_EQ_INT(res.time_min, 11);
    ave_slurm_derive_resources(&cfg, 0, 60, 0, 0, 0, &res);
    CHECK_EQ_INT(res.time_min, 1);
    ave_slurm_derive_resources(&cfg, 0, 61, 0, 0, 0, &res);
    CHECK_EQ_INT(res.time_min, 2);
    CHECK_EQ_INT(ave_slurm_derive_resources(NULL, 0, 0, 0, 0, 0, &res), AVE_ERR_USAGE);
}

static void test_array_spec(void)
{
    char buf[64];
    CHECK_EQ_INT(ave_slurm_array_spec(3, 2, buf, sizeof(buf)), 0);
    CHECK(!strcmp(buf, "0-2%2"));
    CHECK_EQ_INT(ave_slurm_array_spec(1, 0, buf, sizeof(buf)), 0);
    CHECK(!strcmp(buf, "0-0"));
    CHECK_EQ_INT(ave_slurm_array_spec(1000, 16, buf, sizeof(buf)), 0);
    CHECK(!strcmp(buf, "0-999%16"));
    CHECK_EQ_INT(ave_slurm_array_spec(0, 2, buf, sizeof(buf)), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_slurm_array_spec(1000, 16, buf, 4), AVE_ERR_USAGE);
}

static void test_script(void)
{
    const char *fw[] = {"--quality", "low", "--title=it's"};
    ave_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    ave_slurm_config sc = {.exe = "/opt/ave/bin/ai-video-editor",
                           .forward = fw,
                           .forward_count = 3,
                           .cfg = &cfg,
                           .partition = "gpu",
                           .timeout_s = 900};
    slurm_task tasks[2] = {{7, "/data/in/a.mp4", "/data/out/a"},
                           {9, "/data/in/it's here.mov", "/data/out/it's here"}};
    ave_slurm_resources res = {2, 512, 16, 0};
    char *s = NULL;
    CHECK_EQ_INT(slurm_script_build(&sc, "/data/out/.ave-batch", "/data/out/.ave-batch/slurm/x.sh",
                                    tasks, 2, &res, "0-1%1", &s),
                 0);
    CHECK(s && !strncmp(s, "#!/bin/bash\n", 12));
    CHECK(s && strstr(s, "#SBATCH --array=0-1%1\n"));
    CHECK(s && strstr(s, "#SBATCH --cpus-per-task=2\n"));
    CHECK(s && strstr(s, "#SBATCH --mem=512M\n"));
    CHECK(s && strstr(s, "#SBATCH --time=16\n"));
    CHECK(s && strstr(s, "#SBATCH --partition=gpu\n"));
    CHECK(s && strstr(s, "#SBATCH --output=\"/data/out/.ave-batch/slurm/%A_%a.out\"\n"));
    CHECK(s && strstr(s, "0) id=7 in='/data/in/a.mp4' out='/data/out/a' ;;\n"));
    CHECK(s &&
          strstr(s, "1) id=9 in='/data/in/it'\\''s here.mov' out='/data/out/it'\\''s here' ;;\n"));
    CHECK(s && strstr(s, "\"$exe\" process \"$in\" --output \"$out\" '--quality' 'low' "
                         "'--title=it'\\''s' --timeout=900 --no-progress"));
    CHECK(s && strstr(s, "if [ ! -r '/data/out/.ave-batch/slurm/x.sh' ]"));
    CHECK(s && strstr(s, "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.exit"));
    free(s);
    /* No time limit without --timeout; no partition line without one. */
    sc.timeout_s = 0;
    sc.partition = NULL;
    res.time_min = 0;
    CHECK_EQ_INT(slurm_script_build(&sc, "/o/.ave-batch", "/o/.ave-batch/slurm/x.sh", tasks, 1,
                                    &res, "0-0", &s),
                 0);
    CHECK(s && !strstr(s, "--time") && !strstr(s, "--partition") && !strstr(s, "1) id="));
    free(s);
    /* A double quote cannot go through an #SBATCH line. */
    CHECK_EQ_INT(
        slurm_script_build(&sc, "/o/\"x\"/.ave-batch", "/o/x.sh", tasks, 1, &res, "0-0", &s),
        AVE_ERR_USAGE);
}

int main(void)
{
    test_resources();
    test_array_spec();
    test_script();
    return CHECK_DONE();
}
