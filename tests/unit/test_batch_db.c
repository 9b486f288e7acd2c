/* The batch job table: rows survive a reopen with every field, output names
 * are listed for de-duplication, meta values persist, and a corrupt file is
 * refused with a message naming it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/batch.h"
#include "check.h"

static void test_roundtrip(const char *path)
{
    ave_batch_db *db = NULL;
    char err[256];
    CHECK_EQ_INT(ave_batch_db_open(path, &db, err, sizeof(err)), 0);
    if (!db)
        return;
    ave_batch_job j = {0};
    j.input = strdup("/in/a.mp4");
    j.output_dir = strdup("/out/a");
    j.engine = strdup("local");
    j.state = AVE_BATCH_QUEUED;
    j.exit_code = -1;
    j.input_size = 12345;
    j.input_mtime_ns = 1700000000123456789LL;
    CHECK_EQ_INT(ave_batch_db_insert(db, &j), 0);
    CHECK(j.id > 0);
    /* The input is unique. */
    ave_batch_job dup = j;
    CHECK(ave_batch_db_insert(db, &dup) < 0);

    j.state = AVE_BATCH_FAILED;
    j.attempts = 2;
    j.exit_code = 4;
    j.last_error = strdup("out/a: disk full");
    j.duration_s = 3.25;
    j.pid = 4242;
    j.external_job = strdup("1234");
    j.external_task = strdup("7");
    j.est_peak_bytes = 300LL << 20;
    j.peak_bytes = 290LL << 20;
    CHECK_EQ_INT(ave_batch_db_update(db, &j), 0);
    CHECK_EQ_INT(ave_batch_db_set_meta(db, "memory_calibration", 1.75), 0);
    ave_batch_db_close(db);

    db = NULL;
    CHECK_EQ_INT(ave_batch_db_open(path, &db, err, sizeof(err)), 0);
    if (!db)
        return;
    ave_batch_job g = {0};
    CHECK_EQ_INT(ave_batch_db_find(db, "/in/a.mp4", &g), 1);
    CHECK_EQ_INT(g.id, j.id);
    CHECK_EQ_INT(g.state, AVE_BATCH_FAILED);
    CHECK_EQ_INT(g.attempts, 2);
    CHECK_EQ_INT(g.exit_code, 4);
    CHECK_EQ_INT(g.input_size, 12345);
    CHECK_EQ_INT(g.input_mtime_ns, 1700000000123456789LL);
    CHECK_EQ_INT(g.pid, 4242);
    CHECK_EQ_INT(g.peak_bytes, 290LL << 20);
    CHECK_NEAR(g.duration_s, 3.25, 1e-9);
    CHECK(g.last_error && !strcmp(g.last_error, "out/a: disk full"));
    CHECK(g.external_job && !strcmp(g.external_job, "1234"));
    CHECK(g.external_task && !strcmp(g.external_task, "7"));
    CHECK(g.engine && !strcmp(g.engine, "local"));
    ave_batch_job_clear(&g);
    CHECK_EQ_INT(ave_batch_db_find(db, "/in/missing.mp4", &g), 0);

    double cal = 0;
    CHECK_EQ_INT(ave_batch_db_get_meta(db, "memory_calibration", &cal), 0);
    CHECK_NEAR(cal, 1.75, 1e-9);
    CHECK_EQ_INT(ave_batch_db_get_meta(db, "nothing", &cal), AVE_ERR_USAGE);

    char **dirs = NULL;
    size_t n = 0;
    CHECK_EQ_INT(ave_batch_db_outputs(db, &dirs, &n), 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK(!strcmp(dirs[0], "/out/a"));
    ave_batch_free_list(dirs, n);
    ave_batch_job_clear(&j);
    ave_batch_db_close(db);
}

static void test_corrupt(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    for (int i = 0; i < 512; i++)
        fputs("this is not a database ", f);
    fclose(f);
    ave_batch_db *db = NULL;
    char err[512] = "";
    CHECK_EQ_INT(ave_batch_db_open(path, &db, err, sizeof(err)), AVE_ERR_IO);
    CHECK(db == NULL);
    CHECK(strstr(err, path) != NULL);
}

int main(void)
{
    char dir[256], path[300], cmd[400];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/test_batch_db.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/jobs.sqlite", dir);
    test_roundtrip(path);
    snprintf(path, sizeof(path), "%s/corrupt.sqlite", dir);
    test_corrupt(path);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
