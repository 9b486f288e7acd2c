/* Opening the cache database, and recovering from a damaged one.
 *
 * The cache is an optimisation: a database that cannot be read must never
 * fail a job. Damage (SQLITE_CORRUPT, SQLITE_NOTADB, or a failed quick check)
 * moves the file aside as cache.db.corrupt-<unix time> (kept for a bug
 * report), removes its WAL and shared-memory files and starts an empty
 * database, with a warning. Other failures (permissions, a full disk) are not
 * damage: the file is left alone and the caller runs without a cache.
 *
 * Several processes may share the file: WAL lets readers work beside one
 * writer, the busy timeout waits out the writer's lock, and a process that
 * finds the file already rebuilt by another (a different inode) only
 * reconnects. PRAGMA quick_check reads every page, so it runs at open only
 * while the file is small; a larger damaged file is caught on first use. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/log.h"
#include "cache/cache_internal.h"
#include "core/array_grow.h"
#include "core/fsutil.h"

#define QUICK_CHECK_MAX_BYTES (64ll << 20)
#define CORRUPT_KEEP 3 /* damaged copies kept for a bug report */

/* Layout 2. Blobs live in their own table, keyed by the entry's rowid, so
 * bookkeeping (expiry, recency, sizes) reads only small rows: in layout 1 the
 * blob came before `expires`, and SQLite walks a row's whole overflow chain
 * to reach a column stored after a large blob, so every store read the whole
 * cache. The byte total is kept by triggers in `totals`, so no path (store,
 * eviction, expiry, reject, clear) can forget it; triggers fire on DELETE and
 * INSERT, which is why cache.c never uses INSERT OR REPLACE (its implicit
 * delete fires no trigger). Expiry has a partial index: persistent entries
 * (expires 0) are most of a large cache and never need visiting. */
static const char *const schema =
    "CREATE TABLE entries("
    " id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL,"
    " size INTEGER NOT NULL, checktext TEXT, created INTEGER NOT NULL,"
    " accessed INTEGER NOT NULL, expires INTEGER NOT NULL, seq INTEGER NOT NULL);"
    "CREATE INDEX entries_seq ON entries(seq);"
    "CREATE INDEX entries_expires ON entries(expires) WHERE expires != 0;"
    "CREATE TABLE blobs(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE totals(id INTEGER PRIMARY KEY CHECK(id = 0), bytes INTEGER NOT NULL);"
    "INSERT INTO totals(id, bytes) VALUES(0, 0);"
    "CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN"
    " UPDATE totals SET bytes = bytes + NEW.size WHERE id = 0; END;"
    "CREATE TRIGGER entries_resized AFTER UPDATE OF size ON entries BEGIN"
    " UPDATE totals SET bytes = bytes - OLD.size + NEW.size WHERE id = 0; END;"
    "CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN"
    " DELETE FROM blobs WHERE id = OLD.id;"
    " UPDATE totals SET bytes = bytes - OLD.size WHERE id = 0; END;"
    "CREATE TABLE counters("
    " kind INTEGER PRIMARY KEY, hits INTEGER NOT NULL DEFAULT 0,"
    " misses INTEGER NOT NULL DEFAULT 0, bytes_saved INTEGER NOT NULL DEFAULT 0,"
    " evictions INTEGER NOT NULL DEFAULT 0);";

static int is_damage(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

int cache_exec(ave_cache *c, const char *sql)
{
    return sqlite3_exec(c->db, sql, NULL, NULL, NULL);
}

int64_t cache_now(const ave_cache *c)
{
    return c->opts.clock ? c->opts.clock(c->opts.clock_opaque) : (int64_t)time(NULL);
}

void cache_disconnect(ave_cache *c)
{
    sqlite3_close(c->db); /* NULL is fine */
    c->db = NULL;
}

/* "ok" from PRAGMA quick_check, else SQLITE_CORRUPT. */
static int quick_check(ave_cache *c)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            rc = strcmp((const char *)sqlite3_column_text(st, 0), "ok") ? SQLITE_CORRUPT
                                                                         : SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* One integer from a one-row query (PRAGMA user_version, a count). */
static int query_int(ave_cache *c, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Drop every table (their indexes and triggers go with them) of a layout
 * this build does not read, inside the caller's transaction. Names come
 * from the file itself, so a newer layout's extra tables go too. */
static int drop_all(ave_cache *c)
{
    for (;;) {
        sqlite3_stmt *st = NULL;
        char *drop = NULL;
        int rc = sqlite3_prepare_v2(c->db,
                                    "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                    " AND name NOT LIKE 'sqlite_%' LIMIT 1",
                                    -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            drop = sqlite3_mprintf("DROP TABLE \"%w\"", (const char *)sqlite3_column_text(st, 0));
            rc = drop ? SQLITE_OK : SQLITE_NOMEM;
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_OK)
            rc = cache_exec(c, drop);
        sqlite3_free(drop);
        if (rc != SQLITE_OK)
            return rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
}

/* Make the file hold layout CACHE_SCHEMA_VERSION. The usual case (already
 * there) only reads the header. Otherwise, under the write lock so that two
 * processes opening a new or old file at once do it once: an empty file gets
 * the schema; any other version (an older layout, a newer build's, or none
 * with tables) is emptied and rebuilt with one warning. Rebuilding, not
 * migrating: it is a cache, copying up to --cache-size-gb of blobs at open
 * would stall a job, and a layout we cannot read must never be served from.
 * One exception: builds of layout 1 set user_version = 1 on every open, so a
 * layout-2 file shared with such a build comes back labelled 1. Its tables
 * are still ours and consistent (the old build's statements that would write
 * fail on the missing `data` column; its deletes run our triggers), so the
 * label is put back instead of the cache being thrown away on every switch.
 * Returns an SQLite code. */
static int prepare_schema(ave_cache *c)
{
    char sql[64];
    int version = 0, tables = 0, ours = 0;
    int rc = query_int(c, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK || version == CACHE_SCHEMA_VERSION)
        return rc;
    if ((rc = cache_exec(c, "BEGIN IMMEDIATE")) != SQLITE_OK)
        return rc;
    if ((rc = query_int(c, "PRAGMA user_version", &version)) != SQLITE_OK ||
        version == CACHE_SCHEMA_VERSION)
        goto out; /* another process prepared it while we waited */
    if ((rc = query_int(c, "SELECT COUNT(*) FROM sqlite_schema", &tables)) != SQLITE_OK)
        goto out;
    if (version == 1 && (rc = query_int(c,
                                        "SELECT COUNT(*) FROM sqlite_schema WHERE name IN"
                                        " ('blobs', 'totals', 'entries_removed')",
                                        &ours)) != SQLITE_OK)
        goto out;
    if (ours != 3) {
        if (version != 0 || tables != 0) {
            ave_log(AVE_LOG_WARNING, "cache",
                    "%s: cache database has layout %d, this build uses %d; starting an empty "
                    "cache",
                    c->path, version, CACHE_SCHEMA_VERSION);
            if ((rc = drop_all(c)) != SQLITE_OK)
                goto out;
        }
        if ((rc = cache_exec(c, schema)) != SQLITE_OK)
            goto out;
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", CACHE_SCHEMA_VERSION);
    rc = cache_exec(c, sql);
out:
    if (rc == SQLITE_OK)
        rc = cache_exec(c, "COMMIT");
    if (rc != SQLITE_OK)
        cache_exec(c, "ROLLBACK");
    return rc;
}

/* Switching a new file to WAL needs an exclusive lock, and while other
 * processes are creating the same file SQLite answers SQLITE_BUSY at once
 * instead of calling the busy handler (four processes opening a fresh cache
 * together: about 1 open in 60 failed so, bench and test_cache). So wait
 * here, up to the same busy timeout. Returns an SQLite code. */
static int set_wal(ave_cache *c)
{
    int rc, waited_ms = 0;
    while ((rc = cache_exec(c, "PRAGMA journal_mode=WAL")) != SQLITE_OK &&
           (rc & 0xff) == SQLITE_BUSY && waited_ms < c->opts.busy_timeout_ms)
        waited_ms += sqlite3_sleep(5);
    return rc;
}

/* One attempt: open and prepare. Returns an SQLite code. */
static int try_connect(ave_cache *c)
{
    struct stat sb;
    int rc = sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_busy_timeout(c->db, c->opts.busy_timeout_ms);
    sqlite3_extended_result_codes(c->db, 1);
    /* journal_mode is persistent in the file: WAL once, then a no-op.
     * secure_delete (on in Debian's SQLite) would write zeros over every
     * evicted or replaced blob, as many bytes again as the blob through the
     * WAL, and over a whole old layout when it is dropped (11 s for 1 GiB,
     * bench_cache_store.sh); FAST only clears what costs no extra I/O.
     * `cache clear` turns it back on for itself (cache_admin.c). */
    if ((rc = set_wal(c)) != SQLITE_OK ||
        (rc = cache_exec(c, "PRAGMA synchronous=NORMAL")) != SQLITE_OK ||
        (rc = cache_exec(c, "PRAGMA secure_delete=FAST")) != SQLITE_OK ||
        (rc = prepare_schema(c)) != SQLITE_OK)
        return rc;
    if (stat(c->path, &sb) == 0) {
        c->inode = sb.st_ino;
        if (sb.st_size <= QUICK_CHECK_MAX_BYTES && (rc = quick_check(c)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static void remove_suffixed(const char *path, const char *suffix, const char *keep_as)
{
    char from[4200], to[4200];
    if (snprintf(from, sizeof(from), "%s%s", path, suffix) >= (int)sizeof(from))
        return;
    if (keep_as && snprintf(to, sizeof(to), "%s%s", keep_as, suffix) < (int)sizeof(to) &&
        rename(from, to) == 0)
        return;
    unlink(from);
}

void cache_open_failed(ave_cache *c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->opts.errbuf && c->opts.errlen)
        snprintf(c->opts.errbuf, c->opts.errlen, "%s", msg);
    else
        ave_log(AVE_LOG_WARNING, "cache", "%s", msg);
}

static int newest_first(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

/* Keep the newest CORRUPT_KEEP damaged copies: each is a whole database, and
 * a cache that breaks repeatedly (a bad disk) would otherwise fill it. Names
 * carry the unix time in fixed width for decades, so name order is age. */
static void prune_corrupt_copies(const ave_cache *c)
{
    const char *base = strrchr(c->path, '/');
    base = base ? base + 1 : c->path;
    char prefix[256];
    int plen = snprintf(prefix, sizeof(prefix), "%s.corrupt-", base);
    DIR *d = opendir(c->dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    if (!d || plen >= (int)sizeof(prefix))
        goto out;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, (size_t)plen) || strstr(e->d_name, "-wal"))
            continue;
        char **grown = array_grow(names, &cap, n + 1, sizeof(*names), 8);
        if (!grown)
            goto out;
        names = grown;
        if (!(names[n] = strdup(e->d_name)))
            goto out;
        n++;
    }
    if (n)
        qsort(names, n, sizeof(*names), newest_first);
    for (size_t i = CORRUPT_KEEP; i < n; i++) {
        char *path = ave_fs_join(c->dir, names[i]);
        if (path) {
            unlink(path);
            remove_suffixed(path, "-wal", NULL);
        }
        free(path);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (d)
        closedir(d);
}

/* Move the damaged file aside unless another process already replaced it. */
static int move_aside(ave_cache *c)
{
    struct stat sb;
    char aside[4200];

    if (stat(c->path, &sb) == 0 && c->inode && sb.st_ino != c->inode)
        return 0; /* rebuilt by someone else meanwhile */
    /* A second damage within the same second must not overwrite the first. */
    int len = snprintf(aside, sizeof(aside), "%s.corrupt-%lld", c->path, (long long)time(NULL));
    for (int n = 2; n < 100 && len < (int)sizeof(aside) && stat(aside, &sb) == 0; n++)
        len = snprintf(aside, sizeof(aside), "%s.corrupt-%lld-%d", c->path,
                       (long long)time(NULL), n);
    if (len >= (int)sizeof(aside))
        return AVE_ERR_IO;
    if (rename(c->path, aside) < 0 && errno != ENOENT) {
        cache_open_failed(c, "%s: damaged, and cannot be moved aside: %s", c->path,
                          strerror(errno));
        return AVE_ERR_IO;
    }
    remove_suffixed(c->path, "-wal", aside);
    remove_suffixed(c->path, "-shm", NULL);
    prune_corrupt_copies(c);
    free(c->recovered);
    c->recovered = strdup(aside);
    ave_log(AVE_LOG_WARNING, "cache",
            "%s: cache database was damaged; moved it to %s and started an empty one", c->path,
            aside);
    return 0;
}

int cache_connect(ave_cache *c)
{
    int rc = try_connect(c);
    if (rc != SQLITE_OK && is_damage(rc)) {
        cache_disconnect(c);
        if (move_aside(c) < 0)
            return AVE_ERR_IO;
        c->inode = 0;
        rc = try_connect(c);
    }
    if (rc != SQLITE_OK) {
        cache_open_failed(c, "%s: cannot open the cache: %s", c->path,
                          c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        cache_disconnect(c);
        return AVE_ERR_IO;
    }
    return 0;
}

int cache_fail(ave_cache *c, int rc, const char *what)
{
    if (!c->db)
        return AVE_ERR_IO;
    ave_log(AVE_LOG_WARNING, "cache", "%s: %s failed: %s", c->path, what, sqlite3_errmsg(c->db));
    if (is_damage(rc)) {
        cache_disconnect(c);
        if (move_aside(c) == 0)
            cache_connect(c);
    }
    return AVE_ERR_IO;
}
