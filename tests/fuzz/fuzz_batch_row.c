/* Fuzz target: rows of the batch job table (.ave-batch/jobs.sqlite) as the
 * runner reads them back (src/batch/batch_db.c): a table from an older
 * build, or edited with the sqlite3 shell, may hold any value of any type
 * in any column. The input is one row, a line per column after id in table
 * order; a line's first byte gives the value's type (i integer, r real,
 * t text, b blob, n NULL), a missing line the value a new row has. The row
 * is inserted with the table's own constraints, read back through
 * ave_batch_db_find, batch_db_list and ave_batch_db_outputs, written back
 * (ave_batch_db_update: it must then read back identically) and put in a
 * batch_summary.json. Database and summary live in /dev/shm (created once):
 * the summary is fsync'ed. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/batch.h"
#include "batch/batch_internal.h"
#include "core/fsutil.h"
#include "fuzz.h"

#define NCOL 17

static char dir[64], summary[96];
static ave_batch_db *db;
static sqlite3 *raw; /* a second connection, as the sqlite3 shell would be */

static void cleanup(void)
{
    ave_batch_db_close(db);
    sqlite3_close(raw);
    ave_fs_remove_tree(dir);
}

static int setup(void)
{
    char path[96], err[256];

    if (db)
        return 0;
    snprintf(dir, sizeof(dir), "/dev/shm/ave-fuzz-batch-%ld-XXXXXX", (long)getpid());
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/jobs.sqlite", dir);
    snprintf(summary, sizeof(summary), "%s/batch_summary.json", dir);
    atexit(cleanup);
    if (ave_batch_db_open(path, &db, err, sizeof(err)) < 0 ||
        sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

/* What a new row holds, column by column ("input" ... "peak_bytes"). */
static const char *const defaults[NCOL] = {"t/in/a.mp4", "i1000", "i0", "t/out/a", "tqueued", "i0",
                                           "i-1",        "n",     "r0", "r0",      "r0",      "i0",
                                           "tlocal",     "n",     "n",  "i0",      "i0"};

static void bind(sqlite3_stmt *st, int col, const char *v, size_t n)
{
    char tmp[64];
    size_t k = n < sizeof(tmp) ? n : sizeof(tmp);

    if (n == 0) {
        sqlite3_bind_null(st, col);
        return;
    }
    memcpy(tmp, v + 1, k - 1); /* the value after the type byte */
    tmp[k - 1] = '\0';
    switch (v[0]) {
    case 'i':
        sqlite3_bind_int64(st, col, strtoll(tmp, NULL, 0));
        break;
    case 'r':
        sqlite3_bind_double(st, col, strtod(tmp, NULL));
        break;
    case 'b':
        sqlite3_bind_blob(st, col, v + 1, (int)(n - 1), SQLITE_TRANSIENT);
        break;
    case 't':
        sqlite3_bind_text(st, col, v + 1, (int)(n - 1), SQLITE_TRANSIENT);
        break;
    case 'n':
        sqlite3_bind_null(st, col);
        break;
    default:
        sqlite3_bind_text(st, col, v, (int)n, SQLITE_TRANSIENT);
        break;
    }
}

static int insert_row(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    sqlite3_stmt *st = NULL;
    int ok;

    if (sqlite3_prepare_v2(raw,
                           "INSERT INTO jobs(input, input_size, input_mtime_ns, output_dir, state, "
                           "attempts, exit_code, last_error, started_at, finished_at, duration_s, "
                           "pid, engine, external_job, external_task, est_peak_bytes, peak_bytes) "
                           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int c = 0; c < NCOL; c++) {
        if (p < end) {
            const char *eol = memchr(p, '\n', (size_t)(end - p));
            size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
            bind(st, c + 1, p, n);
            p += n + (eol != NULL);
        } else {
            bind(st, c + 1, defaults[c], strlen(defaults[c]));
        }
    }
    ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok ? 0 : -1; /* refused by a constraint: no row to read */
}

static void check_row(const ave_batch_job *j)
{
    FUZZ_CHECK(j->input && j->output_dir && j->engine);
    FUZZ_CHECK(j->state >= AVE_BATCH_QUEUED && j->state <= AVE_BATCH_FAILED);
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ave_batch_job row, again, *rows = NULL;
    ave_batch_result res;
    ave_batch_config cfg;
    char **dirs = NULL;
    size_t n = 0, ndirs = 0;
    int ret;

    fuzz_quiet();
    if (setup() < 0 || sqlite3_exec(raw, "DELETE FROM jobs", NULL, NULL, NULL) != SQLITE_OK)
        return 0;
    if (insert_row(data, size) < 0)
        return 0;
    FUZZ_CHECK(batch_db_list(db, &rows, &n) == 0 && n == 1);
    check_row(&rows[0]);
    FUZZ_CHECK(ave_batch_db_outputs(db, &dirs, &ndirs) == 0 && ndirs == 1);
    FUZZ_CHECK(!strcmp(dirs[0], rows[0].output_dir));
    ave_batch_free_list(dirs, ndirs);
    ret = ave_batch_db_find(db, rows[0].input, &row);
    FUZZ_CHECK(ret == 1 || ret == 0); /* 0: the input held a NUL, so no exact match */
    if (ret == 1) {
        check_row(&row);
        ave_batch_resume_state(row.state, 0, 0, 1);
        /* What the runner writes back, it must read back the same. */
        FUZZ_CHECK(ave_batch_db_update(db, &row) == 0);
        FUZZ_CHECK(ave_batch_db_find(db, row.input, &again) == 1);
        FUZZ_CHECK(again.id == row.id && again.input_size == row.input_size &&
                   again.input_mtime_ns == row.input_mtime_ns && again.state == row.state &&
                   again.attempts == row.attempts && again.exit_code == row.exit_code &&
                   again.pid == row.pid && again.est_peak_bytes == row.est_peak_bytes &&
                   again.peak_bytes == row.peak_bytes);
        FUZZ_CHECK(same_str(again.output_dir, row.output_dir) &&
                   same_str(again.last_error, row.last_error) &&
                   same_str(again.engine, row.engine) &&
                   same_str(again.external_job, row.external_job) &&
                   same_str(again.external_task, row.external_task));
        ave_batch_job_clear(&again);
        ave_batch_job_clear(&row);
    }
    memset(&res, 0, sizeof(res));
    memset(&cfg, 0, sizeof(cfg));
    res.jobs = rows;
    res.count = n;
    ret = ave_batch_write_summary(&cfg, &res, summary);
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_NOMEM);
    for (size_t i = 0; i < n; i++)
        ave_batch_job_clear(&rows[i]);
    free(rows);
    return 0;
}
