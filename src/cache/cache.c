/* The results cache: blobs by key and kind in one SQLite database, with
 * per-kind lifetimes, a size bound with least-recently-used eviction, and
 * hit/miss counters.
 *
 * Recency is a sequence number (the largest plus one on every store and
 * hit), not the clock, so the order is exact even for many accesses within
 * one second and cannot go backwards when the clock does. Every change runs
 * in one BEGIN IMMEDIATE transaction: it takes the write lock up front, so
 * two processes never both read-then-write and deadlock; the busy timeout
 * waits for the other. A lookup reads first and only then writes the access
 * time, so a slow verification never holds the write lock. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ave/error.h"
#include "ave/log.h"
#include "cache/cache_internal.h"
#include "core/fsutil.h"

static const char *const kind_names[AVE_CACHE_KIND_COUNT] = {"api", "trend", "audio",
                                                               "thumbnail"};
static const int64_t kind_ttl[AVE_CACHE_KIND_COUNT] = {3600, 24 * 3600, 0, 0};

void ave_cache_options_for_config(ave_cache_options *o, const ave_config *cfg)
{
    ave_cache_options_init(o);
    o->dir = cfg->cache_dir;
    o->max_bytes = (int64_t)(cfg->cache_size_gb * 1024 * 1024 * 1024);
    if (cfg->cache_aggressive) {
        o->ttl_s[AVE_CACHE_API] = AVE_CACHE_AGGRESSIVE_TTL_S;
        o->ttl_s[AVE_CACHE_TREND] = AVE_CACHE_AGGRESSIVE_TTL_S;
    }
}

const char *ave_cache_kind_name(int kind)
{
    return kind >= 0 && kind < AVE_CACHE_KIND_COUNT ? kind_names[kind] : "?";
}

int ave_cache_kind_from_name(const char *name)
{
    for (int k = 0; name && k < AVE_CACHE_KIND_COUNT; k++)
        if (!strcmp(name, kind_names[k]))
            return k;
    return AVE_ERR_USAGE;
}

int64_t ave_cache_kind_ttl(int kind)
{
    return kind >= 0 && kind < AVE_CACHE_KIND_COUNT ? kind_ttl[kind] : 0;
}

void ave_cache_options_init(ave_cache_options *o)
{
    memset(o, 0, sizeof(*o));
    o->max_bytes = 2ll << 30;
    o->busy_timeout_ms = 10000;
    for (int k = 0; k < AVE_CACHE_KIND_COUNT; k++)
        o->ttl_s[k] = kind_ttl[k];
}

int ave_cache_default_dir(char **dir)
{
    const char *env = getenv("AI_VIDEO_EDITOR_CACHE_DIR"), *base;
    *dir = NULL;
    if (env && *env) {
        *dir = strdup(env);
    } else if ((base = getenv("XDG_CACHE_HOME")) && *base == '/') {
        *dir = ave_fs_join(base, "ai-video-editor");
    } else {
        const char *home = getenv("HOME");
        char *cache = ave_fs_join(home && *home ? home : "/tmp", ".cache");
        *dir = cache ? ave_fs_join(cache, "ai-video-editor") : NULL;
        free(cache);
    }
    return *dir ? 0 : AVE_ERR_NOMEM;
}

int ave_cache_open(ave_cache **out, const ave_cache_options *o)
{
    ave_cache *c = calloc(1, sizeof(*c));
    int ret;

    *out = NULL;
    if (!c)
        return AVE_ERR_NOMEM;
    if (o)
        c->opts = *o;
    else
        ave_cache_options_init(&c->opts);
    if (c->opts.dir && *c->opts.dir)
        c->dir = strdup(c->opts.dir);
    else if ((ret = ave_cache_default_dir(&c->dir)) < 0)
        goto out;
    c->opts.dir = NULL;
    if (!c->dir || !(c->path = ave_fs_join(c->dir, CACHE_FILE))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    if ((ret = ave_fs_mkdir_p(c->dir)) < 0) {
        cache_open_failed(c, "%s: cannot create the cache folder: %s", c->dir, strerror(-ret));
        ret = AVE_ERR_IO;
        goto out;
    }
    if ((ret = cache_connect(c)) < 0)
        goto out;
    *out = c;
    c = NULL;
out:
    ave_cache_close(c);
    return ret;
}

void ave_cache_close(ave_cache *c)
{
    if (!c)
        return;
    cache_disconnect(c);
    free(c->dir);
    free(c->path);
    free(c->recovered);
    free(c);
}

const char *ave_cache_path(const ave_cache *c) { return c->path; }
const char *ave_cache_recovered(const ave_cache *c) { return c->recovered; }

/* Add to the lifetime counters of kind (inside the caller's transaction). */
static int bump(ave_cache *c, int kind, int hits, int misses, int64_t saved, int evictions)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        c->db,
        "INSERT INTO counters(kind, hits, misses, bytes_saved, evictions) VALUES(?1,?2,?3,?4,?5)"
        " ON CONFLICT(kind) DO UPDATE SET hits = hits + ?2, misses = misses + ?3,"
        " bytes_saved = bytes_saved + ?4, evictions = evictions + ?5",
        -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(st, 1, kind);
        sqlite3_bind_int(st, 2, hits);
        sqlite3_bind_int(st, 3, misses);
        sqlite3_bind_int64(st, 4, saved);
        sqlite3_bind_int(st, 5, evictions);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Run one write transaction: sql with ?1 = key, ?2 = now, then the counters. */
static int record_access(ave_cache *c, int kind, const char *key, const char *sql, int hit,
                         int64_t saved)
{
    sqlite3_stmt *st = NULL;
    int rc = cache_exec(c, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return rc;
    if (sql) {
        if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, cache_now(c));
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
        }
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_OK)
        rc = bump(c, kind, hit, !hit, saved, 0);
    if (rc == SQLITE_OK)
        rc = cache_exec(c, "COMMIT");
    if (rc != SQLITE_OK)
        cache_exec(c, "ROLLBACK");
    return rc;
}

int ave_cache_get(ave_cache *c, int kind, const char *key, ave_cache_verify_fn verify,
                  void *verify_opaque, void **blob, size_t *size)
{
    sqlite3_stmt *st = NULL;
    void *data = NULL;
    size_t n = 0;
    char *check = NULL;
    const char *sql = NULL; /* what the access changes besides the counters */
    int64_t expires = 0;
    int rc, found = 0, expired = 0, hit = 0;

    *blob = NULL;
    *size = 0;
    if (!c || !c->db || kind < 0 || kind >= AVE_CACHE_KIND_COUNT)
        return AVE_ERR_IO;
    rc = sqlite3_prepare_v2(c->db,
                            "SELECT b.data, e.checktext, e.expires FROM entries e"
                            " JOIN blobs b ON b.id = e.id WHERE e.key = ?1 AND e.kind = ?2",
                            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, kind);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const void *p = sqlite3_column_blob(st, 0);
            const unsigned char *t = sqlite3_column_text(st, 1);
            n = (size_t)sqlite3_column_bytes(st, 0);
            expires = sqlite3_column_int64(st, 2);
            data = malloc(n ? n : 1);
            check = strdup(t ? (const char *)t : "");
            if (!data || !check) {
                rc = SQLITE_NOMEM;
            } else {
                if (n)
                    memcpy(data, p, n);
                found = 1;
                rc = SQLITE_DONE;
            }
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(data);
        free(check);
        return rc == SQLITE_NOMEM ? AVE_ERR_NOMEM : cache_fail(c, rc, "lookup");
    }
    if (found && expires && cache_now(c) >= expires)
        expired = 1;
    else if (found)
        hit = !verify || verify(verify_opaque, check);
    free(check);

    if (hit)
        sql = "UPDATE entries SET accessed = ?2, seq = (SELECT MAX(seq) + 1 FROM entries)"
              " WHERE key = ?1";
    else if (expired)
        sql = "DELETE FROM entries WHERE key = ?1";
    rc = record_access(c, kind, key, sql, hit, hit ? (int64_t)n : 0);
    if (rc != SQLITE_OK) {
        free(data);
        return cache_fail(c, rc, "lookup");
    }
    c->session.kind[kind].hits += hit;
    c->session.kind[kind].misses += !hit;
    if (!hit) {
        free(data);
        return 0;
    }
    c->session.bytes_saved += (int64_t)n;
    *blob = data;
    *size = n;
    return 0;
}

int ave_cache_reject(ave_cache *c, int kind, const char *key, size_t size)
{
    static const char *const sql[2] = {
        "DELETE FROM entries WHERE key = ?1",
        /* the lookup counted a hit and the bytes it saved: make it a miss */
        "UPDATE counters SET hits = MAX(hits - 1, 0), misses = misses + 1,"
        " bytes_saved = MAX(bytes_saved - ?2, 0) WHERE kind = ?3"};
    int rc;

    if (!c || !c->db || kind < 0 || kind >= AVE_CACHE_KIND_COUNT)
        return AVE_ERR_IO;
    if ((rc = cache_exec(c, "BEGIN IMMEDIATE")) != SQLITE_OK)
        return cache_fail(c, rc, "reject");
    for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
        sqlite3_stmt *st = NULL;
        if ((rc = sqlite3_prepare_v2(c->db, sql[i], -1, &st, NULL)) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
            if (i == 1) {
                sqlite3_bind_int64(st, 2, (int64_t)size);
                sqlite3_bind_int(st, 3, kind);
            }
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
        }
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_OK)
        rc = cache_exec(c, "COMMIT");
    if (rc != SQLITE_OK) {
        cache_exec(c, "ROLLBACK");
        return cache_fail(c, rc, "reject");
    }
    c->session.kind[kind].misses++;
    if (c->session.kind[kind].hits > 0)
        c->session.kind[kind].hits--;
    c->session.bytes_saved -= c->session.bytes_saved >= (int64_t)size ? (int64_t)size : 0;
    return 0;
}

/* Drop expired entries, then the least recently used until the stored
 * bytes fit (inside the caller's transaction). Both read only the small
 * entries rows through an index, and the total is the running one kept by
 * the schema's triggers, so the cost does not grow with the bytes stored. */
static int evict(ave_cache *c, int64_t now)
{
    sqlite3_stmt *total = NULL, *oldest = NULL;
    int64_t bytes = 0;
    int rc;

    sqlite3_stmt *expire = NULL;
    if ((rc = sqlite3_prepare_v2(c->db,
                                 "DELETE FROM entries WHERE expires != 0 AND expires <= ?1", -1,
                                 &expire, NULL)) == SQLITE_OK) {
        sqlite3_bind_int64(expire, 1, now);
        rc = sqlite3_step(expire) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
    }
    sqlite3_finalize(expire);
    if (rc != SQLITE_OK || c->opts.max_bytes <= 0)
        return rc;
    if ((rc = sqlite3_prepare_v2(c->db, "SELECT bytes FROM totals WHERE id = 0", -1, &total,
                                 NULL)) != SQLITE_OK ||
        (rc = sqlite3_prepare_v2(c->db,
                                 "DELETE FROM entries WHERE id = (SELECT id FROM entries"
                                 " ORDER BY seq LIMIT 1) RETURNING kind, size",
                                 -1, &oldest, NULL)) != SQLITE_OK)
        goto out;
    /* No row would mean a file edited by hand: damage, not an empty cache. */
    if ((rc = sqlite3_step(total)) != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
        goto out;
    }
    bytes = sqlite3_column_int64(total, 0);
    rc = SQLITE_OK;
    while (bytes > c->opts.max_bytes && rc == SQLITE_OK) {
        if ((rc = sqlite3_step(oldest)) != SQLITE_ROW)
            break;
        int kind = sqlite3_column_int(oldest, 0);
        bytes -= sqlite3_column_int64(oldest, 1);
        while ((rc = sqlite3_step(oldest)) == SQLITE_ROW)
            ;
        rc = rc == SQLITE_DONE ? bump(c, kind, 0, 0, 0, 1) : rc;
        sqlite3_reset(oldest);
        c->session.evictions++;
    }
out:
    sqlite3_finalize(total);
    sqlite3_finalize(oldest);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

int ave_cache_put(ave_cache *c, int kind, const char *key, const char *check, const void *blob,
                  size_t size)
{
    sqlite3_stmt *st = NULL;
    int64_t now, ttl;
    int rc;

    if (!c || !c->db || kind < 0 || kind >= AVE_CACHE_KIND_COUNT || size > INT32_MAX)
        return AVE_ERR_IO;
    if (c->opts.max_bytes > 0 && (int64_t)size > c->opts.max_bytes)
        return AVE_ERR_LIMIT;
    now = cache_now(c);
    ttl = c->opts.ttl_s[kind];
    if ((rc = cache_exec(c, "BEGIN IMMEDIATE")) != SQLITE_OK)
        return cache_fail(c, rc, "store");
    /* Delete, then insert: the triggers keep the blob and the byte total in
     * step with entries only through real DELETEs (see cache_open.c). */
    for (int i = 0; i < 3 && rc == SQLITE_OK; i++) {
        static const char *const sql[3] = {
            "DELETE FROM entries WHERE key = ?1",
            ("INSERT INTO entries(key, kind, size, checktext, created, accessed, expires, seq)"
             " VALUES(?1, ?2, ?4, ?5, ?6, ?6, ?7, (SELECT IFNULL(MAX(seq), 0) + 1 FROM entries))"),
            "INSERT INTO blobs(id, data) VALUES(last_insert_rowid(), ?3)"};
        if ((rc = sqlite3_prepare_v2(c->db, sql[i], -1, &st, NULL)) != SQLITE_OK)
            break;
        /* Each statement binds the parameters it names; the rest are unused. */
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, kind);
        sqlite3_bind_blob(st, 3, size ? blob : "", (int)size, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (int64_t)size);
        sqlite3_bind_text(st, 5, check ? check : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, now);
        sqlite3_bind_int64(st, 7, ttl > 0 ? now + ttl : 0);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
        sqlite3_finalize(st);
        st = NULL;
    }
    if (rc == SQLITE_OK)
        rc = evict(c, now);
    if (rc == SQLITE_OK)
        rc = cache_exec(c, "COMMIT");
    if (rc != SQLITE_OK) {
        cache_exec(c, "ROLLBACK");
        return cache_fail(c, rc, "store");
    }
    return 0;
}
