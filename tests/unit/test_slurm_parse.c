/* Slurm engine parsing: records of `scontrol show job -o` and of a
 * jobcomp/filetxt file captured from Slurm 22.05 on this machine, array task
 * specs, matching a record to an array task, and the table state of a task
 * from its record, its result file and its outputs. */
#include <string.h>

#include "ave/ave.h"
#include "ave/batch_slurm.h"
#include "check.h"

/* Captured (shortened) from scontrol show job -o 5 after scancel. */
static const char pending_rest[] =
    "JobId=5 ArrayJobId=5 ArrayTaskId=2-3%2 ArrayTaskThrottle=2 JobName=t.sh UserId=root(0) "
    "JobState=CANCELLED Reason=JobArrayTaskLimit Dependency=(null) ExitCode=0:0 "
    "RunTime=00:00:00 NodeList=(null) Command=/tmp/t.sh";
static const char task_failed[] =
    "JobId=4 ArrayJobId=1 ArrayTaskId=2 ArrayTaskThrottle=2 JobName=t.sh UserId=root(0) "
    "GroupId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 "
    "ExitCode=3:0 RunTime=00:00:02 NodeList=localhost BatchHost=localhost NumCPUs=1";
/* A jobcomp/filetxt line of a task, and the record of an array's rest. */
static const char comp_task[] =
    "JobId=7 UserId=root(0) GroupId=root(0) Name=t.sh JobState=CANCELLED Partition=debug "
    "TimeLimit=2 NodeList=localhost NodeCnt=1 ProcCnt=1 WorkDir=/tmp ReservationName= "
    "Tres=cpu=1,mem=300M,node=1,billing=1 Account= ArrayJobId=5 ArrayTaskId=1 "
    "DerivedExitCode=0:0 ExitCode=0:15\n";
static const char comp_rest[] =
    "JobId=5 UserId=root(0) GroupId=root(0) Name=t.sh JobState=CANCELLED Partition=debug "
    "NodeList=(null) NodeCnt=0 ProcCnt=1 DerivedExitCode=0:0 ExitCode=0:0 ";

static void test_records(void)
{
    ave_slurm_record r;
    CHECK_EQ_INT(ave_slurm_parse_record(task_failed, &r), 0);
    CHECK(!strcmp(r.job_id, "4") && !strcmp(r.array_job_id, "1") && !strcmp(r.array_task, "2"));
    CHECK(!strcmp(r.state, "FAILED") && !strcmp(r.reason, "NonZeroExitCode"));
    CHECK(!strcmp(r.nodes, "localhost"));
    CHECK_EQ_INT(r.exit_code, 3);
    CHECK_EQ_INT(r.exit_signal, 0);
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "1", 2), 1);
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "1", 1), 0);
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "4", 0), 0);

    CHECK_EQ_INT(ave_slurm_parse_record(pending_rest, &r), 0);
    CHECK(!strcmp(r.array_task, "2-3%2") && !strcmp(r.state, "CANCELLED"));
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "5", 3), 1);
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "5", 1), 0);

    CHECK_EQ_INT(ave_slurm_parse_record(comp_task, &r), 0);
    CHECK(!strcmp(r.job_id, "7") && !strcmp(r.array_job_id, "5") && !strcmp(r.array_task, "1"));
    CHECK_EQ_INT(r.exit_code, 0);
    CHECK_EQ_INT(r.exit_signal, 15);
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "5", 1), 1);
    /* The rest of an array in jobcomp has no array ids: a weak match. */
    CHECK_EQ_INT(ave_slurm_parse_record(comp_rest, &r), 0);
    CHECK(!r.array_job_id[0] && r.exit_code == 0);
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "5", 3), 2);
    CHECK_EQ_INT(ave_slurm_record_matches(&r, "6", 3), 0);

    CHECK_EQ_INT(ave_slurm_parse_record("slurm_load_jobs error: Invalid job id specified", &r),
                 AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_slurm_parse_record("", &r), AVE_ERR_INPUT);
}

static void test_task_specs(void)
{
    CHECK_EQ_INT(ave_slurm_task_in_spec("7", 7), 1);
    CHECK_EQ_INT(ave_slurm_task_in_spec("7", 70), 0);
    CHECK_EQ_INT(ave_slurm_task_in_spec("2-5%2", 2), 1);
    CHECK_EQ_INT(ave_slurm_task_in_spec("2-5%2", 5), 1);
    CHECK_EQ_INT(ave_slurm_task_in_spec("2-5%2", 6), 0);
    CHECK_EQ_INT(ave_slurm_task_in_spec("2-5%2", 1), 0);
    CHECK_EQ_INT(ave_slurm_task_in_spec("0,3,5-9", 3), 1);
    CHECK_EQ_INT(ave_slurm_task_in_spec("0,3,5-9", 4), 0);
    CHECK_EQ_INT(ave_slurm_task_in_spec("0,3,5-9", 8), 1);
    CHECK_EQ_INT(ave_slurm_task_in_spec("", 0), 0);
    CHECK_EQ_INT(ave_slurm_task_in_spec("N/A", 0), 0);
    CHECK_EQ_INT(ave_slurm_task_in_spec(NULL, 0), 0);
}

static void test_task_state(void)
{
    int code;
    const char *why;
    /* Live states. */
    CHECK_EQ_INT(ave_slurm_task_state("PENDING", -1, -1, 0, &code, &why), AVE_BATCH_QUEUED);
    CHECK_EQ_INT(ave_slurm_task_state("RUNNING", -1, -1, 0, &code, &why), AVE_BATCH_RUNNING);
    CHECK_EQ_INT(ave_slurm_task_state("COMPLETING", -1, -1, 0, &code, &why), AVE_BATCH_RUNNING);
    CHECK_EQ_INT(ave_slurm_task_state("REQUEUED", -1, -1, 0, &code, &why), AVE_BATCH_QUEUED);
    /* The result file wins over Slurm: the exit code of process itself. */
    CHECK_EQ_INT(ave_slurm_task_state("COMPLETED", 0, 0, 1, &code, &why), AVE_BATCH_DONE);
    CHECK_EQ_INT(ave_slurm_task_state("RUNNING", 0, -1, 1, &code, &why), AVE_BATCH_DONE);
    CHECK_EQ_INT(ave_slurm_task_state("FAILED", 3, 3, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 3);
    CHECK_EQ_INT(ave_slurm_task_state(NULL, 5, -1, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 5);
    CHECK_EQ_INT(ave_slurm_task_state("COMPLETED", 0, 0, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 1);
    /* Killed by Slurm: no result file. */
    CHECK_EQ_INT(ave_slurm_task_state("CANCELLED", -1, 0, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 130);
    CHECK(strstr(why, "cancel") != NULL);
    CHECK_EQ_INT(ave_slurm_task_state("CANCELLED by 0", -1, 0, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 130);
    CHECK_EQ_INT(ave_slurm_task_state("TIMEOUT", -1, 0, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 5);
    CHECK_EQ_INT(ave_slurm_task_state("OUT_OF_MEMORY", -1, 0, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 6);
    CHECK_EQ_INT(ave_slurm_task_state("NODE_FAIL", -1, 0, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 1);
    CHECK_EQ_INT(ave_slurm_task_state("PREEMPTED", -1, 0, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 1);
    /* The task's shell failed before recording (e.g. output not visible: 4). */
    CHECK_EQ_INT(ave_slurm_task_state("FAILED", -1, 4, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 4);
    /* Completed while the record was purged: outputs decide; else lost. */
    CHECK_EQ_INT(ave_slurm_task_state(NULL, -1, -1, 1, &code, &why), AVE_BATCH_DONE);
    CHECK_EQ_INT(ave_slurm_task_state(NULL, -1, -1, 0, &code, &why), AVE_BATCH_FAILED);
    CHECK_EQ_INT(code, 1);
    CHECK(strstr(why, "lost") != NULL);
}

int main(void)
{
    test_records();
    test_task_specs();
    test_task_state();
    return CHECK_DONE();
}
