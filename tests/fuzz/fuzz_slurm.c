/* Fuzz target: what the Slurm commands print, as the batch engine reads it
 * (src/batch/slurm_parse.c, slurm_cmd.c, slurm_refresh.c): `scontrol show
 * job -o` and jobcomp/filetxt records, array task specs ("2-5%2"), the task
 * state they imply, `scontrol show partition|node|config` values, `sinfo`
 * node sizes and a task's result file. The same text goes to every parser,
 * as any of them may be handed any output by a broken or foreign Slurm. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "ave/batch_slurm.h"
#include "batch/slurm_internal.h"
#include "fuzz.h"

static void check_record(const ave_slurm_record *r)
{
    FUZZ_CHECK(memchr(r->job_id, '\0', sizeof(r->job_id)));
    FUZZ_CHECK(memchr(r->array_job_id, '\0', sizeof(r->array_job_id)));
    FUZZ_CHECK(memchr(r->array_task, '\0', sizeof(r->array_task)));
    FUZZ_CHECK(memchr(r->state, '\0', sizeof(r->state)));
    FUZZ_CHECK(memchr(r->nodes, '\0', sizeof(r->nodes)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"PartitionName", "Default",  "TotalNodes",
                                       "Nodes",         "NodeAddr", "NodeHostName"};
    static const long tasks[] = {-1, 0, 1, 3, 7, 1000};
    char *text = fuzz_cstr(data, size), buf[1024];
    slurm_records rs = {0};
    slurm_cluster cl;
    ave_slurm_record rec;
    double t0, t1;

    if (!text)
        return 0;
    fuzz_quiet();
    if (ave_slurm_parse_record(text, &rec) == 0)
        FUZZ_CHECK(rec.job_id[0] && rec.state[0]);
    check_record(&rec);
    if (slurm_records_add(&rs, text) == 0) {
        for (size_t i = 0; i < rs.count; i++) {
            int code;
            const char *why;
            check_record(&rs.r[i]);
            for (size_t t = 0; t < sizeof(tasks) / sizeof(tasks[0]); t++)
                ave_slurm_task_in_spec(rs.r[i].array_task, tasks[t]);
            int st = ave_slurm_task_state(rs.r[i].state, -1, rs.r[i].exit_code, (int)(i % 2), &code,
                                          &why);
            FUZZ_CHECK(st >= AVE_BATCH_QUEUED && st <= AVE_BATCH_FAILED && why);
            FUZZ_CHECK(st != AVE_BATCH_FAILED || code > 0);
        }
        for (size_t t = 0; t < sizeof(tasks) / sizeof(tasks[0]); t++) {
            const ave_slurm_record *r = slurm_records_find(&rs, "1234", tasks[t]);
            FUZZ_CHECK(!r || (r >= rs.r && r < rs.r + rs.count));
        }
    }
    free(rs.r);
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        slurm_kv(text, keys[k], buf, sizeof(buf));
        FUZZ_CHECK(!strchr(buf, '\n'));
    }
    slurm_config_value(text, "JobCompLoc", buf, sizeof(buf));
    FUZZ_CHECK(!strchr(buf, '\n'));
    memset(&cl, 0, sizeof(cl));
    slurm_node_sizes_parse(text, &cl);
    int code = slurm_result_parse(text, &t0, &t1);
    FUZZ_CHECK(code >= 0 && isfinite(t0) && isfinite(t1));
    free(text);
    return 0;
}
