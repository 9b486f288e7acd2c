/* The batch job table: one SQLite row per input, in WAL mode so a reader
 * (`sqlite3`, a status command) never blocks the runner, with a busy timeout
 * for the rare concurrent writer.
 *
 * The table is the batch's memory across kills: every state change is one
 * autocommit UPDATE, durable before the runner acts on it (synchronous=NORMAL
 * in WAL mode survives a process kill; only a power cut may lose the last
 * change, which a re-run redoes). Columns engine/external_job/external_task
 * are for engines that run jobs elsewhere (Slurm) and record their ids. */
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ave/batch.h"
#include "ave/error.h"
#include "ave/log.h"
#include "batch_internal.h"
#include "core/array_grow.h"

#define SCHEMA_VERSION 1

struct ave_batch_db {
    sqlite3 *db;
    char errmsg[512]; /* the last failure, for the caller's one error line */
    char *root; /* NULL: output_dir columns are taken as stored */
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value REAL);"
    "CREATE TABLE IF NOT EXISTS jobs("
    " id INTEGER PRIMARY KEY,"
    " input TEXT NOT NULL UNIQUE,"
    " input_size INTEGER NOT NULL DEFAULT 0,"
    " input_mtime_ns INTEGER NOT NULL DEFAULT 0,"
    " output_dir TEXT NOT NULL UNIQUE,"
    " state TEXT NOT NULL CHECK(state IN ('queued','running','done','failed')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " exit_code INTEGER NOT NULL DEFAULT -1,"
    " last_error TEXT,"
    " started_at REAL NOT NULL DEFAULT 0,"
    " finished_at REAL NOT NULL DEFAULT 0,"
    " duration_s REAL NOT NULL DEFAULT 0,"
    " pid INTEGER NOT NULL DEFAULT 0,"
    " engine TEXT NOT NULL DEFAULT 'local',"
    " external_job TEXT,"
    " external_task TEXT,"
    " est_peak_bytes INTEGER NOT NULL DEFAULT 0,"
    " peak_bytes INTEGER NOT NULL DEFAULT 0);"
    "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', 1);";

#define COLUMNS                                                                                  \
    "id, input, input_size, input_mtime_ns, output_dir, state, attempts, exit_code, last_error, " \
    "started_at, finished_at, duration_s, pid, engine, external_job, external_task, "           \
    "est_peak_bytes, peak_bytes"

static int db_error(ave_batch_db *db, const char *what)
{
    snprintf(db->errmsg, sizeof(db->errmsg), "job table: %s: %s", what, sqlite3_errmsg(db->db));
    return AVE_ERR_IO;
}

const char *ave_batch_db_errmsg(const ave_batch_db *db)
{
    return db && db->errmsg[0] ? db->errmsg : NULL;
}

static int has_tables(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n > 0;
}

int ave_batch_db_open(const char *path, ave_batch_db **out, char *err, size_t errlen)
{
    *out = NULL;
    ave_batch_db *db = calloc(1, sizeof(*db));
    if (!db)
        return AVE_ERR_NOMEM;
    int r = AVE_ERR_IO;
    struct stat st;
    int existed = stat(path, &st) == 0;
    int rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(db->db, 5000);
    /* A corrupt or foreign file fails here, with SQLite's reason. */
    if ((rc = sqlite3_exec(db->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL,
                           NULL, NULL)) != SQLITE_OK)
        goto fail;
    /* A file cut to nothing opens as an empty database: say so, because
     * every input will then be processed again. */
    if (existed && !has_tables(db->db))
        ave_log(AVE_LOG_WARNING, "batch",
                "%s: the job table was empty (truncated?); starting a new one, so every input "
                "is processed again",
                path);
    if ((rc = sqlite3_exec(db->db, schema, NULL, NULL, NULL)) != SQLITE_OK)
        goto fail;
    double version = 0;
    if (ave_batch_db_get_meta(db, "schema_version", &version) < 0 ||
        (int)version != SCHEMA_VERSION) {
        snprintf(err, errlen, "%s: job table has schema version %g, this build reads %d", path,
                 version, SCHEMA_VERSION);
        ave_batch_db_close(db);
        return AVE_ERR_IO;
    }
    *out = db;
    return 0;
fail:
    snprintf(err, errlen, "%s: cannot open the job table: %s", path,
             db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(rc));
    ave_batch_db_close(db);
    return r;
}

void ave_batch_db_close(ave_batch_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->db);
    free(db->root);
    free(db);
}

void ave_batch_job_clear(ave_batch_job *job)
{
    free(job->input);
    free(job->output_dir);
    free(job->last_error);
    free(job->engine);
    free(job->external_job);
    free(job->external_task);
    memset(job, 0, sizeof(*job));
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? strdup((const char *)t) : NULL;
}

int ave_batch_db_set_root(ave_batch_db *db, const char *root)
{
    char *copy = strdup(root);
    if (!copy)
        return AVE_ERR_NOMEM;
    free(db->root);
    db->root = copy;
    return 0;
}

/* The folder name alone: the last component of a stored output_dir. */
static const char *folder_name(const char *dir, size_t *len)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    *len = n - start;
    return dir + start;
}

static int safe_name(const char *name, size_t len)
{
    if (!len || (len == 1 && name[0] == '.') || (len == 2 && !strncmp(name, "..", 2)) ||
        name[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return 0;
    return 1;
}

/* A job's output folder is always root/<name>, whatever the row says: a
 * table copied with its folder (`cp -a out/b1 out/b2`) or edited by hand
 * must not make the batch write anywhere else. */
static char *rooted_output(const ave_batch_db *db, int64_t id, const char *stored)
{
    size_t len;
    const char *name = folder_name(stored, &len);
    char buf[64];
    if (!safe_name(name, len)) {
        ave_log(AVE_LOG_WARNING, "batch", "job %lld: output folder '%.200s' in the job table is "
                "not a folder name; using job-%lld", (long long)id, stored, (long long)id);
        len = (size_t)snprintf(buf, sizeof(buf), "job-%lld", (long long)id);
        name = buf;
    }
    size_t rl = strlen(db->root);
    char *out = malloc(rl + len + 2);
    if (out)
        snprintf(out, rl + len + 2, "%s/%.*s", db->root, (int)len, name);
    return out;
}

static int read_row(const ave_batch_db *db, sqlite3_stmt *st, ave_batch_job *job)
{
    memset(job, 0, sizeof(*job));
    job->id = sqlite3_column_int64(st, 0);
    job->input = column_dup(st, 1);
    job->input_size = sqlite3_column_int64(st, 2);
    job->input_mtime_ns = sqlite3_column_int64(st, 3);
    const unsigned char *dir = sqlite3_column_text(st, 4);
    job->output_dir = !dir ? NULL
                      : db->root ? rooted_output(db, job->id, (const char *)dir)
                                 : strdup((const char *)dir);
    job->state = ave_batch_state_parse((const char *)sqlite3_column_text(st, 5));
    job->attempts = sqlite3_column_int(st, 6);
    job->exit_code = sqlite3_column_int(st, 7);
    job->last_error = column_dup(st, 8);
    job->started_at = sqlite3_column_double(st, 9);
    job->finished_at = sqlite3_column_double(st, 10);
    job->duration_s = sqlite3_column_double(st, 11);
    job->pid = sqlite3_column_int(st, 12);
    job->engine = column_dup(st, 13);
    job->external_job = column_dup(st, 14);
    job->external_task = column_dup(st, 15);
    job->est_peak_bytes = sqlite3_column_int64(st, 16);
    job->peak_bytes = sqlite3_column_int64(st, 17);
    if (!job->input || !job->output_dir || !job->engine) {
        ave_batch_job_clear(job);
        return AVE_ERR_NOMEM;
    }
    if (job->state < 0)
        job->state = AVE_BATCH_QUEUED;
    return 0;
}

int ave_batch_db_find(ave_batch_db *db, const char *input, ave_batch_job *job)
{
    sqlite3_stmt *st = NULL;
    int r;
    if (sqlite3_prepare_v2(db->db, "SELECT " COLUMNS " FROM jobs WHERE input = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(db, "select");
    sqlite3_bind_text(st, 1, input, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        r = read_row(db, st, job) < 0 ? AVE_ERR_NOMEM : 1;
    else if (rc == SQLITE_DONE)
        r = 0;
    else
        r = db_error(db, "select");
    sqlite3_finalize(st);
    return r;
}

static void bind_text_or_null(sqlite3_stmt *st, int col, const char *text)
{
    if (text)
        sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

/* Binds the fields after id as parameters 1..17 in COLUMNS order. With a
 * root, output_dir is stored as the folder name alone. */
static void bind_fields(const ave_batch_db *db, sqlite3_stmt *st, const ave_batch_job *job)
{
    sqlite3_bind_text(st, 1, job->input, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, job->input_size);
    sqlite3_bind_int64(st, 3, job->input_mtime_ns);
    size_t len;
    const char *name = folder_name(job->output_dir, &len);
    if (db->root)
        sqlite3_bind_text(st, 4, name, (int)len, SQLITE_TRANSIENT);
    else
        sqlite3_bind_text(st, 4, job->output_dir, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ave_batch_state_name(job->state), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, job->attempts);
    sqlite3_bind_int(st, 7, job->exit_code);
    bind_text_or_null(st, 8, job->last_error);
    sqlite3_bind_double(st, 9, job->started_at);
    sqlite3_bind_double(st, 10, job->finished_at);
    sqlite3_bind_double(st, 11, job->duration_s);
    sqlite3_bind_int(st, 12, job->pid);
    sqlite3_bind_text(st, 13, job->engine ? job->engine : "local", -1, SQLITE_STATIC);
    bind_text_or_null(st, 14, job->external_job);
    bind_text_or_null(st, 15, job->external_task);
    sqlite3_bind_int64(st, 16, job->est_peak_bytes);
    sqlite3_bind_int64(st, 17, job->peak_bytes);
}

int ave_batch_db_insert(ave_batch_db *db, ave_batch_job *job)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO jobs(input, input_size, input_mtime_ns, output_dir, state, "
                           "attempts, exit_code, last_error, started_at, finished_at, duration_s, "
                           "pid, engine, external_job, external_task, est_peak_bytes, peak_bytes) "
                           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(db, "insert");
    bind_fields(db, st, job);
    int r = 0;
    if (sqlite3_step(st) != SQLITE_DONE)
        r = db_error(db, "insert");
    else
        job->id = sqlite3_last_insert_rowid(db->db);
    sqlite3_finalize(st);
    return r;
}

int ave_batch_db_update(ave_batch_db *db, const ave_batch_job *job)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db,
                           "UPDATE jobs SET input=?1, input_size=?2, input_mtime_ns=?3, "
                           "output_dir=?4, state=?5, attempts=?6, exit_code=?7, last_error=?8, "
                           "started_at=?9, finished_at=?10, duration_s=?11, pid=?12, engine=?13, "
                           "external_job=?14, external_task=?15, est_peak_bytes=?16, "
                           "peak_bytes=?17 WHERE id=?18",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(db, "update");
    bind_fields(db, st, job);
    sqlite3_bind_int64(st, 18, job->id);
    int r = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, "update");
    sqlite3_finalize(st);
    return r;
}

int ave_batch_db_outputs(ave_batch_db *db, char ***dirs_out, size_t *count_out)
{
    sqlite3_stmt *st = NULL;
    char **dirs = NULL;
    size_t n = 0, cap = 0;
    int r = 0, rc;
    *dirs_out = NULL;
    *count_out = 0;
    if (sqlite3_prepare_v2(db->db, "SELECT output_dir FROM jobs ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK)
        return db_error(db, "select");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char **grown = array_grow(dirs, &cap, n + 1, sizeof(*dirs), 16);
        if (!grown) {
            r = AVE_ERR_NOMEM;
            goto out;
        }
        dirs = grown;
        if (!(dirs[n] = column_dup(st, 0))) {
            r = AVE_ERR_NOMEM;
            goto out;
        }
        n++;
    }
    if (rc != SQLITE_DONE)
        r = db_error(db, "select");
out:
    sqlite3_finalize(st);
    if (r < 0) {
        ave_batch_free_list(dirs, n);
        return r;
    }
    *dirs_out = dirs;
    *count_out = n;
    return 0;
}

int ave_batch_db_get_meta(ave_batch_db *db, const char *key, double *value)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return db_error(db, "meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), r = 0;
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_double(st, 0);
    else
        r = rc == SQLITE_DONE ? AVE_ERR_USAGE : db_error(db, "meta");
    sqlite3_finalize(st);
    return r;
}

int ave_batch_db_set_meta(ave_batch_db *db, const char *key, double value)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(db, "meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 2, value);
    int r = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, "meta");
    sqlite3_finalize(st);
    return r;
}

int batch_db_list(ave_batch_db *db, ave_batch_job **rows_out, size_t *count_out)
{
    sqlite3_stmt *st = NULL;
    ave_batch_job *rows = NULL;
    size_t n = 0, cap = 0;
    int r = 0, rc;
    *rows_out = NULL;
    *count_out = 0;
    if (sqlite3_prepare_v2(db->db, "SELECT " COLUMNS " FROM jobs ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK)
        return db_error(db, "select");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ave_batch_job *grown = array_grow(rows, &cap, n + 1, sizeof(*rows), 16);
        if (!grown) {
            r = AVE_ERR_NOMEM;
            goto out;
        }
        rows = grown;
        if ((r = read_row(db, st, &rows[n])) < 0)
            goto out;
        n++;
    }
    if (rc != SQLITE_DONE)
        r = db_error(db, "select");
out:
    sqlite3_finalize(st);
    if (r < 0) {
        for (size_t i = 0; i < n; i++)
            ave_batch_job_clear(&rows[i]);
        free(rows);
        return r;
    }
    *rows_out = rows;
    *count_out = n;
    return 0;
}
