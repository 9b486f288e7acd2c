/* Looking after the cache: statistics, clearing and compaction (the
 * `ai-video-editor cache stats|clear|vacuum` commands and the job metrics).
 * Counters of this handle live in memory; lifetime counters live in the
 * database's `counters` table, updated in the same transaction as each
 * access, so they stay right with several processes. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ave/error.h"
#include "cache/cache_internal.h"

static int64_t file_size(const char *path, const char *suffix)
{
    char p[4200];
    struct stat sb;
    if (snprintf(p, sizeof(p), "%s%s", path, suffix) >= (int)sizeof(p))
        return 0;
    return stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* Run sql and for each row call row(st, st_out). */
static int each_row(ave_cache *c, const char *sql, void (*row)(sqlite3_stmt *, ave_cache_stats *),
                    ave_cache_stats *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        row(st, out);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void stored_row(sqlite3_stmt *st, ave_cache_stats *s)
{
    int k = sqlite3_column_int(st, 0);
    if (k < 0 || k >= AVE_CACHE_KIND_COUNT)
        return;
    s->kind[k].entries = sqlite3_column_int64(st, 1);
    s->kind[k].bytes = sqlite3_column_int64(st, 2);
    s->entries += s->kind[k].entries;
    s->size_bytes += s->kind[k].bytes;
}

static void counter_row(sqlite3_stmt *st, ave_cache_stats *s)
{
    int k = sqlite3_column_int(st, 0);
    if (k < 0 || k >= AVE_CACHE_KIND_COUNT)
        return;
    s->kind[k].hits = sqlite3_column_int64(st, 1);
    s->kind[k].misses = sqlite3_column_int64(st, 2);
    s->bytes_saved += sqlite3_column_int64(st, 3);
    s->evictions += sqlite3_column_int64(st, 4);
}

int ave_cache_get_stats(ave_cache *c, int lifetime, ave_cache_stats *st)
{
    int rc;

    memset(st, 0, sizeof(*st));
    if (!c || !c->db)
        return AVE_ERR_IO;
    if (!lifetime) {
        *st = c->session;
        for (int k = 0; k < AVE_CACHE_KIND_COUNT; k++)
            st->kind[k].entries = st->kind[k].bytes = 0;
        st->entries = st->size_bytes = 0;
    }
    /* One read transaction so the figures agree with each other. */
    if ((rc = cache_exec(c, "BEGIN")) != SQLITE_OK)
        return cache_fail(c, rc, "statistics");
    rc = each_row(c, "SELECT kind, COUNT(*), SUM(size) FROM entries GROUP BY kind", stored_row,
                  st);
    if (rc == SQLITE_OK && lifetime)
        rc = each_row(c, "SELECT kind, hits, misses, bytes_saved, evictions FROM counters",
                      counter_row, st);
    cache_exec(c, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK");
    if (rc != SQLITE_OK)
        return cache_fail(c, rc, "statistics");
    st->file_bytes = file_size(c->path, "") + file_size(c->path, "-wal");
    return 0;
}

int ave_cache_clear(ave_cache *c)
{
    int rc;
    if (!c || !c->db)
        return AVE_ERR_IO;
    /* The triggers would empty blobs and totals row by row; doing it here
     * too also clears anything a crash or a hand edit left behind. A user
     * who clears expects the results gone from the file, not just unlisted:
     * full secure_delete for this one statement (cache_open.c turns it down
     * for everyday eviction). */
    rc = cache_exec(c, "PRAGMA secure_delete=ON; BEGIN IMMEDIATE; DELETE FROM entries;"
                       " DELETE FROM blobs; UPDATE totals SET bytes = 0; DELETE FROM counters;"
                       " COMMIT");
    cache_exec(c, "PRAGMA secure_delete=FAST");
    if (rc != SQLITE_OK) {
        cache_exec(c, "ROLLBACK");
        return cache_fail(c, rc, "clear");
    }
    return 0;
}

int ave_cache_vacuum(ave_cache *c)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (!c || !c->db)
        return AVE_ERR_IO;
    rc = sqlite3_prepare_v2(c->db, "DELETE FROM entries WHERE expires != 0 AND expires <= ?1",
                            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, cache_now(c));
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
    }
    sqlite3_finalize(st);
    /* VACUUM rewrites the file through the WAL; the checkpoint then folds
     * it back and truncates the WAL so the space is really returned. */
    if (rc == SQLITE_OK)
        rc = cache_exec(c, "VACUUM");
    if (rc == SQLITE_OK)
        rc = cache_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
    return rc == SQLITE_OK ? 0 : cache_fail(c, rc, "vacuum");
}
