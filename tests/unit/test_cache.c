/* Unit tests for the results cache (include/ave/cache.h): keys change with a
 * result-changing option, a stage version or the input, and not with
 * --quality; TTL expiry with an injected clock; least-recently-used eviction
 * order; recovery from a database overwritten with garbage (whole file, and
 * pages in the middle); four processes writing and reading at once leave an
 * intact database with every entry readable; blobs round-trip and a damaged
 * one is rejected; the sampled fingerprint misses a change the full hash
 * sees; the running byte total always equals the sum of the stored sizes
 * and of the blobs; a database of another layout version (an older one,
 * a newer one, tables without a version) is rebuilt empty with one warning
 * and never served from, but ours relabelled 1 by an older build is kept. */
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ave/cache.h"
#include "ave/config.h"
#include "ave/error.h"
#include "ave/log.h"
#include "check.h"
#include "core/fsutil.h"

static char root[256];

static int64_t fake_clock(void *opaque) { return *(int64_t *)opaque; }

static void quiet(void *opaque, int level, const char *stage, const char *msg)
{
    int *warnings = opaque;
    (void)stage;
    (void)msg;
    if (level == AVE_LOG_WARNING)
        (*warnings)++;
}

static char *subdir(const char *name)
{
    char *d = ave_fs_join(root, name);
    if (!d || ave_fs_mkdir_p(d) < 0)
        abort();
    return d;
}

static ave_cache *open_in(const char *dir, int64_t max_bytes, int64_t *clock)
{
    ave_cache_options o;
    ave_cache *c = NULL;
    ave_cache_options_init(&o);
    o.dir = dir;
    o.max_bytes = max_bytes;
    if (clock) {
        o.clock = fake_clock;
        o.clock_opaque = clock;
    }
    CHECK_EQ_INT(ave_cache_open(&c, &o), 0);
    if (!c)
        abort();
    return c;
}

/* 1 when key is stored with exactly the expected fill byte and size. */
static int has(ave_cache *c, int kind, const char *key, int fill, size_t size)
{
    void *blob = NULL;
    size_t n = 0;
    int ok;
    CHECK_EQ_INT(ave_cache_get(c, kind, key, NULL, NULL, &blob, &n), 0);
    ok = blob && n == size;
    for (size_t i = 0; ok && i < n; i++)
        ok = ((unsigned char *)blob)[i] == (unsigned char)fill;
    free(blob);
    return ok;
}

static void put_fill(ave_cache *c, int kind, const char *key, int fill, size_t size)
{
    unsigned char *b = malloc(size);
    memset(b, fill, size);
    CHECK_EQ_INT(ave_cache_put(c, kind, key, "check", b, size), 0);
    free(b);
}

/* One integer from sql on the raw database file. */
static int64_t sql_int(const char *dir, const char *sql)
{
    char *path = ave_fs_join(dir, "cache.db");
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    free(path);
    return v;
}

static void exec_raw(const char *dir, const char *sql)
{
    char *path = ave_fs_join(dir, "cache.db");
    sqlite3 *db = NULL;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    free(path);
}

/* The running total eviction trusts equals what is really stored, and every
 * entry has exactly one blob of its recorded size. Returns the total. */
static int64_t check_total(const char *dir)
{
    int64_t total = sql_int(dir, "SELECT bytes FROM totals WHERE id = 0");
    CHECK_EQ_INT(total, sql_int(dir, "SELECT IFNULL(SUM(size), 0) FROM entries"));
    CHECK_EQ_INT(total, sql_int(dir, "SELECT IFNULL(SUM(length(data)), 0) FROM blobs"));
    CHECK_EQ_INT(sql_int(dir, "SELECT COUNT(*) FROM blobs"),
                 sql_int(dir, "SELECT COUNT(*) FROM entries"));
    CHECK_EQ_INT(sql_int(dir, "SELECT COUNT(*) FROM entries e JOIN blobs b ON b.id = e.id"
                              " WHERE length(b.data) = e.size"),
                 sql_int(dir, "SELECT COUNT(*) FROM entries"));
    return total;
}

static void test_keys(void)
{
    ave_settings *s = NULL;
    char *t0 = NULL, *t1 = NULL, *t2 = NULL, *t3 = NULL, err[256];
    char k0[AVE_CACHE_HEX_LEN], k1[AVE_CACHE_HEX_LEN], k2[AVE_CACHE_HEX_LEN];
    const char *fp = "fingerprint";

    CHECK_EQ_INT(ave_settings_new(&s), 0);
    CHECK_EQ_INT(ave_cache_options_text(s, ave_settings_config(s), "silence", &t0), 0);
    CHECK(strstr(t0, "silence.min-silence=0.8\n") != NULL);
    CHECK(strstr(t0, "global.mode=balanced\n") != NULL);
    CHECK(strstr(t0, "quality") == NULL);   /* does not change analysis */
    CHECK(strstr(t0, "speech.") == NULL);   /* a later stage */
    /* --quality changes nothing; --min-silence changes the silence key. */
    CHECK_EQ_INT(ave_settings_set(s, "quality", "low", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_set(s, "output", "/x", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_cache_options_text(s, ave_settings_config(s), "silence", &t1), 0);
    CHECK(!strcmp(t0, t1));
    CHECK_EQ_INT(ave_settings_set(s, "min-silence", "1.2", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_cache_options_text(s, ave_settings_config(s), "silence", &t2), 0);
    CHECK(strcmp(t0, t2) != 0);
    /* The speech key includes the earlier silence options. */
    CHECK_EQ_INT(ave_cache_options_text(s, ave_settings_config(s), "speech", &t3), 0);
    CHECK(strstr(t3, "silence.min-silence=1.2\n") && strstr(t3, "speech.asr=pocketsphinx\n"));

    CHECK_EQ_INT(ave_cache_make_key(fp, "silence", 1, t0, k0), 0);
    CHECK_EQ_INT(strlen(k0), 64);
    CHECK_EQ_INT(ave_cache_make_key(fp, "silence", 1, t1, k1), 0);
    CHECK(!strcmp(k0, k1));
    CHECK_EQ_INT(ave_cache_make_key(fp, "silence", 1, t2, k2), 0);
    CHECK(strcmp(k0, k2) != 0); /* option */
    CHECK_EQ_INT(ave_cache_make_key(fp, "silence", 2, t0, k2), 0);
    CHECK(strcmp(k0, k2) != 0); /* version */
    CHECK_EQ_INT(ave_cache_make_key("other", "silence", 1, t0, k2), 0);
    CHECK(strcmp(k0, k2) != 0); /* input */
    CHECK_EQ_INT(ave_cache_make_key(fp, "speech", 1, t0, k2), 0);
    CHECK(strcmp(k0, k2) != 0); /* stage */

    /* A stored result is found only under its own key. */
    char *dir = subdir("keys");
    ave_cache *c = open_in(dir, 0, NULL);
    put_fill(c, AVE_CACHE_AUDIO, k0, 7, 100);
    CHECK(has(c, AVE_CACHE_AUDIO, k1, 7, 100));
    ave_cache_make_key(fp, "silence", 1, t2, k2);
    CHECK(!has(c, AVE_CACHE_AUDIO, k2, 7, 100));
    ave_cache_make_key(fp, "silence", 2, t0, k2);
    CHECK(!has(c, AVE_CACHE_AUDIO, k2, 7, 100));
    CHECK(!has(c, AVE_CACHE_API, k0, 7, 100)); /* another kind */
    ave_cache_stats st;
    CHECK_EQ_INT(ave_cache_get_stats(c, 0, &st), 0);
    CHECK_EQ_INT(st.kind[AVE_CACHE_AUDIO].hits, 1);
    CHECK_EQ_INT(st.kind[AVE_CACHE_AUDIO].misses, 2);
    CHECK_EQ_INT(st.kind[AVE_CACHE_API].misses, 1);
    CHECK_EQ_INT(st.bytes_saved, 100);
    CHECK_EQ_INT(st.entries, 1);
    ave_cache_close(c);
    free(dir);
    free(t0), free(t1), free(t2), free(t3);
    ave_settings_free(s);
}

static int accept_if(void *opaque, const char *stored)
{
    return !strcmp((const char *)opaque, stored);
}

static void test_verify_and_ttl(void)
{
    char *dir = subdir("ttl");
    int64_t now = 1000000;
    ave_cache *c = open_in(dir, 0, &now);
    void *blob = NULL;
    size_t n;

    put_fill(c, AVE_CACHE_API, "api", 1, 10);
    put_fill(c, AVE_CACHE_TREND, "trend", 2, 10);
    put_fill(c, AVE_CACHE_AUDIO, "audio", 3, 10);
    put_fill(c, AVE_CACHE_THUMBNAIL, "thumb", 4, 10);
    /* The verifier sees the stored check text; a rejection is a miss. */
    CHECK_EQ_INT(ave_cache_get(c, AVE_CACHE_AUDIO, "audio", accept_if, "other", &blob, &n), 0);
    CHECK(blob == NULL);
    CHECK_EQ_INT(ave_cache_get(c, AVE_CACHE_AUDIO, "audio", accept_if, "check", &blob, &n), 0);
    CHECK(blob != NULL && n == 10);
    free(blob);

    now += 3599;
    CHECK(has(c, AVE_CACHE_API, "api", 1, 10));
    now += 1; /* exactly one hour */
    CHECK(!has(c, AVE_CACHE_API, "api", 1, 10));
    CHECK(has(c, AVE_CACHE_TREND, "trend", 2, 10));
    now = 1000000 + 24 * 3600 - 1;
    CHECK(has(c, AVE_CACHE_TREND, "trend", 2, 10));
    now += 1;
    CHECK(!has(c, AVE_CACHE_TREND, "trend", 2, 10));
    now += 10ll * 365 * 24 * 3600; /* persistent kinds survive ten years */
    CHECK(has(c, AVE_CACHE_AUDIO, "audio", 3, 10));
    CHECK(has(c, AVE_CACHE_THUMBNAIL, "thumb", 4, 10));
    ave_cache_stats st;
    CHECK_EQ_INT(ave_cache_get_stats(c, 1, &st), 0);
    CHECK_EQ_INT(st.entries, 2); /* expired entries were deleted */
    CHECK_EQ_INT(check_total(dir), 20);
    CHECK_EQ_INT(st.kind[AVE_CACHE_API].hits, 1);
    CHECK_EQ_INT(st.kind[AVE_CACHE_API].misses, 1);
    ave_cache_close(c);
    free(dir);
}

/* A blob the caller finds damaged: the entry goes and the hit becomes a
 * miss, in this handle's counters and the database's. */
static void test_reject(void)
{
    char *dir = subdir("reject");
    ave_cache *c = open_in(dir, 0, NULL);
    ave_cache_stats st, life;

    put_fill(c, AVE_CACHE_AUDIO, "bad", 7, 100);
    CHECK(has(c, AVE_CACHE_AUDIO, "bad", 7, 100));
    CHECK_EQ_INT(ave_cache_reject(c, AVE_CACHE_AUDIO, "bad", 100), 0);
    CHECK_EQ_INT(ave_cache_get_stats(c, 0, &st), 0);
    CHECK_EQ_INT(ave_cache_get_stats(c, 1, &life), 0);
    CHECK_EQ_INT(st.kind[AVE_CACHE_AUDIO].hits, 0);
    CHECK_EQ_INT(st.kind[AVE_CACHE_AUDIO].misses, 1);
    CHECK_EQ_INT(st.bytes_saved, 0);
    CHECK_EQ_INT(life.kind[AVE_CACHE_AUDIO].hits, 0);
    CHECK_EQ_INT(life.kind[AVE_CACHE_AUDIO].misses, 1);
    CHECK_EQ_INT(life.bytes_saved, 0);
    CHECK_EQ_INT(st.entries, 0);
    CHECK_EQ_INT(check_total(dir), 0);
    CHECK(!has(c, AVE_CACHE_AUDIO, "bad", 7, 100));
    ave_cache_close(c);
    free(dir);
}

static void test_lru(void)
{
    char *dir = subdir("lru");
    int64_t now = 5000; /* a frozen clock: order must come from use, not time */
    ave_cache *c = open_in(dir, 3000, &now);
    ave_cache_stats st;

    put_fill(c, AVE_CACHE_AUDIO, "A", 'a', 1000);
    put_fill(c, AVE_CACHE_AUDIO, "B", 'b', 1000);
    put_fill(c, AVE_CACHE_AUDIO, "C", 'c', 1000);
    CHECK(has(c, AVE_CACHE_AUDIO, "A", 'a', 1000)); /* A is now the most recent */
    put_fill(c, AVE_CACHE_AUDIO, "D", 'd', 1000);   /* evicts B */
    CHECK(!has(c, AVE_CACHE_AUDIO, "B", 'b', 1000));
    CHECK(has(c, AVE_CACHE_AUDIO, "C", 'c', 1000));
    CHECK(has(c, AVE_CACHE_AUDIO, "A", 'a', 1000));
    CHECK(has(c, AVE_CACHE_AUDIO, "D", 'd', 1000)); /* order now C, A, D */
    put_fill(c, AVE_CACHE_AUDIO, "E", 'e', 1500);   /* evicts C and A */
    CHECK(!has(c, AVE_CACHE_AUDIO, "C", 'c', 1000));
    CHECK(!has(c, AVE_CACHE_AUDIO, "A", 'a', 1000));
    CHECK(has(c, AVE_CACHE_AUDIO, "D", 'd', 1000));
    CHECK(has(c, AVE_CACHE_AUDIO, "E", 'e', 1500));
    CHECK_EQ_INT(ave_cache_get_stats(c, 0, &st), 0);
    CHECK_EQ_INT(st.evictions, 3);
    CHECK_EQ_INT(st.size_bytes, 2500);
    CHECK_EQ_INT(check_total(dir), 2500);
    /* Larger than the whole budget: refused, nothing evicted. */
    unsigned char big[4000] = {0};
    CHECK_EQ_INT(ave_cache_put(c, AVE_CACHE_AUDIO, "F", NULL, big, sizeof big), AVE_ERR_LIMIT);
    CHECK(has(c, AVE_CACHE_AUDIO, "D", 'd', 1000));
    CHECK_EQ_INT(ave_cache_clear(c), 0);
    CHECK_EQ_INT(ave_cache_get_stats(c, 1, &st), 0);
    CHECK_EQ_INT(st.entries, 0);
    CHECK_EQ_INT(st.kind[AVE_CACHE_AUDIO].hits, 0);
    CHECK_EQ_INT(check_total(dir), 0);
    CHECK_EQ_INT(ave_cache_vacuum(c), 0);
    ave_cache_close(c);
    free(dir);
}

/* Many entries of uneven sizes, some stored again with a new size: the
 * running total follows every store, replacement and eviction, and what
 * eviction removes is always the least recently used. */
static void test_total_and_order(void)
{
    char *dir = subdir("total");
    int64_t now = 7000;
    const int64_t cap = 40000;
    ave_cache *c = open_in(dir, cap, &now);
    char key[32];
    int64_t used = 0, tick = 0, stamp[200] = {0}; /* 0: not stored (or evicted) */
    size_t sizes[200];
    int evicted = 0;

    /* The model: what LRU with this cap must keep, in put order. */
    for (int i = 0; i < 200; i++) {
        int k = i;
        if (i % 3 == 0 && i > 0 && stamp[i - 1]) {
            /* Store the previous entry again, half its size: its old bytes
             * leave the total and it becomes the most recent. */
            k = i - 1;
            used -= (int64_t)sizes[k];
            sizes[k] /= 2;
        } else {
            sizes[k] = 200 + (size_t)(i * 7919 % 1500);
        }
        snprintf(key, sizeof key, "e%d", k);
        put_fill(c, AVE_CACHE_AUDIO, key, k & 0xff, sizes[k]);
        used += (int64_t)sizes[k];
        stamp[k] = ++tick;
        while (used > cap) {
            int oldest = -1;
            for (int j = 0; j < 200; j++)
                if (stamp[j] && (oldest < 0 || stamp[j] < stamp[oldest]))
                    oldest = j;
            used -= (int64_t)sizes[oldest];
            stamp[oldest] = 0;
            evicted++;
        }
        if (i % 25 == 0)
            CHECK_EQ_INT(check_total(dir), used);
    }
    CHECK(evicted > 50); /* the cap really was exceeded many times */
    CHECK_EQ_INT(check_total(dir), used);
    int agree = 0;
    for (int j = 0; j < 200; j++) {
        snprintf(key, sizeof key, "e%d", j);
        agree += (stamp[j] != 0) == has(c, AVE_CACHE_AUDIO, key, j & 0xff, sizes[j]);
    }
    CHECK_EQ_INT(agree, 200);
    ave_cache_close(c);
    free(dir);
}

/* A database another build wrote in a layout this one does not read: one
 * warning, an empty cache in the current layout, never the old rows. */
static void test_version(void)
{
    static const char *const foreign[] = {
        /* layout 1: the blob inline, before the bookkeeping columns */
        "CREATE TABLE entries(key TEXT PRIMARY KEY, kind INTEGER NOT NULL, data BLOB NOT NULL,"
        " size INTEGER NOT NULL, checktext TEXT, created INTEGER NOT NULL,"
        " accessed INTEGER NOT NULL, expires INTEGER NOT NULL, seq INTEGER NOT NULL);"
        "INSERT INTO entries VALUES('old', 2, x'07070707', 4, 'check', 1, 1, 0, 1);"
        "PRAGMA user_version = 1;",
        /* a newer build's layout, with a table we have never heard of */
        "CREATE TABLE entries(key TEXT, data BLOB);"
        "CREATE TABLE future(x);"
        "INSERT INTO entries VALUES('old', x'07070707');"
        "PRAGMA user_version = 99;",
        /* tables but no version at all */
        "CREATE TABLE entries(key TEXT); PRAGMA user_version = 0;"};
    int warnings = 0;

    ave_log_set_callback(quiet, &warnings);
    for (size_t i = 0; i < sizeof(foreign) / sizeof(*foreign); i++) {
        char name[32];
        snprintf(name, sizeof name, "version%zu", i);
        char *dir = subdir(name);
        exec_raw(dir, foreign[i]);
        warnings = 0;
        ave_cache *c = open_in(dir, 0, NULL);
        CHECK_EQ_INT(warnings, 1);
        CHECK(ave_cache_recovered(c) == NULL); /* rebuilt in place, not damage */
        CHECK(!has(c, AVE_CACHE_AUDIO, "old", 7, 4));
        CHECK_EQ_INT(sql_int(dir, "PRAGMA user_version"), 2);
        CHECK_EQ_INT(sql_int(dir, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'future'"),
                     0);
        put_fill(c, AVE_CACHE_AUDIO, "new", 9, 10);
        CHECK(has(c, AVE_CACHE_AUDIO, "new", 9, 10));
        CHECK_EQ_INT(check_total(dir), 10);
        ave_cache_close(c);
        warnings = 0;
        c = open_in(dir, 0, NULL); /* now current: kept, and quiet */
        CHECK_EQ_INT(warnings, 0);
        CHECK(has(c, AVE_CACHE_AUDIO, "new", 9, 10));
        ave_cache_close(c);
        free(dir);
    }

    /* A build of layout 1 opening our file runs its schema script, which
     * only relabels it 1: the cache is ours still, and kept. */
    char *dir = subdir("relabelled");
    ave_cache *c = open_in(dir, 0, NULL);
    put_fill(c, AVE_CACHE_AUDIO, "kept", 5, 30);
    ave_cache_close(c);
    exec_raw(dir, "CREATE TABLE IF NOT EXISTS entries(key TEXT PRIMARY KEY, kind INTEGER,"
                  " data BLOB); CREATE INDEX IF NOT EXISTS entries_seq ON entries(seq);"
                  "PRAGMA user_version = 1;");
    warnings = 0;
    c = open_in(dir, 0, NULL);
    CHECK_EQ_INT(warnings, 0);
    CHECK_EQ_INT(sql_int(dir, "PRAGMA user_version"), 2);
    CHECK(has(c, AVE_CACHE_AUDIO, "kept", 5, 30));
    CHECK_EQ_INT(check_total(dir), 30);
    ave_cache_close(c);
    free(dir);
    ave_log_set_callback(NULL, NULL);
}

static int count_aside(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, "cache.db.corrupt-") != NULL && !strstr(e->d_name, "-wal");
    if (d)
        closedir(d);
    return n;
}

static void scribble(const char *path, off_t at, size_t len)
{
    int fd = open(path, O_WRONLY);
    unsigned char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 131 + 7);
    for (size_t done = 0; fd >= 0 && done < len; done += sizeof junk)
        CHECK(pwrite(fd, junk, sizeof junk, at + (off_t)done) == (ssize_t)sizeof junk);
    close(fd);
}

static void test_corrupt(void)
{
    int warnings = 0;
    char *dir = subdir("corrupt");
    char *path = ave_fs_join(dir, "cache.db");
    ave_cache *c;

    ave_log_set_callback(quiet, &warnings);
    for (int round = 0; round < 2; round++) {
        c = open_in(dir, 0, NULL);
        char key[32];
        for (int i = 0; i < 200; i++) {
            snprintf(key, sizeof key, "k%d", i);
            put_fill(c, AVE_CACHE_AUDIO, key, i, 2000);
        }
        ave_cache_close(c);
        /* Round 0: the whole file (header included) is garbage; round 1:
         * only pages in the middle, which only the quick check notices. */
        scribble(path, round == 0 ? 0 : 64 * 1024, round == 0 ? 512 * 1024 : 64 * 1024);
        warnings = 0;
        c = open_in(dir, 0, NULL);
        CHECK(ave_cache_recovered(c) != NULL);
        CHECK(warnings >= 1);
        CHECK_EQ_INT(count_aside(dir), round + 1);
        CHECK(!has(c, AVE_CACHE_AUDIO, "k5", 5, 2000)); /* a fresh, empty cache */
        put_fill(c, AVE_CACHE_AUDIO, "new", 9, 10);
        CHECK(has(c, AVE_CACHE_AUDIO, "new", 9, 10));
        ave_cache_close(c);
        c = open_in(dir, 0, NULL); /* healthy again: nothing moved */
        CHECK(ave_cache_recovered(c) == NULL);
        CHECK(has(c, AVE_CACHE_AUDIO, "new", 9, 10));
        CHECK_EQ_INT(ave_cache_clear(c), 0);
        ave_cache_close(c);
    }
    ave_log_set_callback(NULL, NULL);
    free(path);
    free(dir);
}

#define WRITERS 4
#define PER_WRITER 300

static size_t entry_size(int w, int i) { return 100 + (size_t)((w * 7919 + i * 104729) % 3000); }

/* A child: write its entries, reading others' as it goes; exit code 0 when
 * everything it read back was right. */
static int writer(const char *dir, int w)
{
    ave_cache *c = NULL;
    ave_cache_options o;
    char key[32];
    int bad = 0;

    ave_cache_options_init(&o);
    o.dir = dir;
    o.max_bytes = 0;
    if (ave_cache_open(&c, &o) < 0)
        return 2;
    for (int i = 0; i < PER_WRITER; i++) {
        size_t n = entry_size(w, i);
        unsigned char *b = malloc(n);
        memset(b, (w * 31 + i) & 0xff, n);
        snprintf(key, sizeof key, "w%d-%d", w, i);
        bad += ave_cache_put(c, AVE_CACHE_AUDIO, key, "ck", b, n) != 0;
        free(b);
        bad += !has(c, AVE_CACHE_AUDIO, key, (w * 31 + i) & 0xff, n);
        snprintf(key, sizeof key, "w%d-%d", (w + 1) % WRITERS, i / 2);
        void *other = NULL;
        size_t on = 0;
        bad += ave_cache_get(c, AVE_CACHE_AUDIO, key, NULL, NULL, &other, &on) != 0;
        bad += other && on != entry_size((w + 1) % WRITERS, i / 2);
        free(other);
    }
    ave_cache_close(c);
    return bad ? 1 : 0;
}

static void test_concurrent(void)
{
    char *dir = subdir("concurrent");
    pid_t pids[WRITERS];
    char key[32];

    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0)
            _exit(writer(dir, w));
    }
    for (int w = 0; w < WRITERS; w++) {
        int status = 0;
        CHECK(waitpid(pids[w], &status, 0) == pids[w]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    ave_cache *c = open_in(dir, 0, NULL);
    CHECK(ave_cache_recovered(c) == NULL);
    int readable = 0;
    for (int w = 0; w < WRITERS; w++)
        for (int i = 0; i < PER_WRITER; i++) {
            snprintf(key, sizeof key, "w%d-%d", w, i);
            readable += has(c, AVE_CACHE_AUDIO, key, (w * 31 + i) & 0xff, entry_size(w, i));
        }
    CHECK_EQ_INT(readable, WRITERS * PER_WRITER);
    ave_cache_stats st;
    CHECK_EQ_INT(ave_cache_get_stats(c, 1, &st), 0);
    CHECK_EQ_INT(st.entries, WRITERS * PER_WRITER);
    /* Each writer: one hit reading its own entry back per put, plus the
     * other's entries (some not written yet), plus ours just now. */
    CHECK(st.kind[AVE_CACHE_AUDIO].hits >= WRITERS * PER_WRITER * 2);
    ave_cache_close(c);

    sqlite3 *db = NULL;
    char *path = ave_fs_join(dir, "cache.db");
    sqlite3_stmt *q = NULL;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_step(q), SQLITE_ROW);
    CHECK(!strcmp((const char *)sqlite3_column_text(q, 0), "ok"));
    sqlite3_finalize(q);
    CHECK_EQ_INT(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_step(q), SQLITE_ROW);
    CHECK(!strcmp((const char *)sqlite3_column_text(q, 0), "wal"));
    sqlite3_finalize(q);
    sqlite3_close(db);
    free(path);
    free(dir);
}

static void test_blob(void)
{
    ave_blob b = {0};
    ave_timeline tl = {0}, back = {0};

    CHECK_EQ_INT(ave_timeline_init(&tl, 10000000), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 2000000, 3500000, AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 6000000, 6250000, AVE_REASON_FILLER), 0);
    ave_blob_u32(&b, 0xdeadbeef);
    ave_blob_f64(&b, -41.25);
    ave_blob_i64(&b, -5);
    ave_blob_timeline(&b, &tl);
    CHECK_EQ_INT(b.err, 0);

    ave_blob_reader r = {b.data, b.size, 0};
    CHECK(ave_blob_read_u32(&r) == 0xdeadbeef);
    CHECK(ave_blob_read_f64(&r) == -41.25);
    CHECK_EQ_INT(ave_blob_read_i64(&r), -5);
    CHECK_EQ_INT(ave_blob_read_timeline(&r, &back), 0);
    CHECK_EQ_INT(back.count, 5);
    CHECK_EQ_INT(back.segs[1].start_us, 2000000);
    CHECK_EQ_INT(back.segs[3].reason, AVE_REASON_FILLER);
    CHECK_EQ_INT(ave_timeline_kept_duration(&back), 10000000 - 1500000 - 250000);
    CHECK_EQ_INT(r.left, 0);
    ave_timeline_free(&back);

    /* Truncated: an error, never a read past the end. */
    ave_blob_reader cut = {b.data, b.size - 5, 0};
    ave_blob_read_u32(&cut);
    ave_blob_read_f64(&cut);
    ave_blob_read_i64(&cut);
    CHECK_EQ_INT(ave_blob_read_timeline(&cut, &back), AVE_ERR_INPUT);
    CHECK(back.segs == NULL);
    free(b.data);
    ave_timeline_free(&tl);
}

static void test_fingerprint(void)
{
    char *path = ave_fs_join(root, "big.bin");
    char fp0[AVE_CACHE_HEX_LEN], fp1[AVE_CACHE_HEX_LEN], h0[AVE_CACHE_HEX_LEN],
        h1[AVE_CACHE_HEX_LEN];
    const size_t size = 4 << 20;
    unsigned char *data = malloc(size);
    int full = -1;

    for (size_t i = 0; i < size; i++)
        data[i] = (unsigned char)((i * 2654435761u) >> 13);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(data, 1, size, f) == size);
    fclose(f);
    CHECK_EQ_INT(ave_cache_fingerprint(path, fp0, &full), 0);
    CHECK_EQ_INT(full, 0);
    CHECK_EQ_INT(ave_cache_file_hash(path, h0), 0);
    /* Byte 150000 lies between the first two sampled blocks (0 and ~275 KB):
     * the fingerprint cannot see it, the full hash does. */
    scribble(path, 150000, 1);
    CHECK_EQ_INT(ave_cache_fingerprint(path, fp1, &full), 0);
    CHECK(!strcmp(fp0, fp1));
    CHECK_EQ_INT(ave_cache_file_hash(path, h1), 0);
    CHECK(strcmp(h0, h1) != 0);
    /* A sampled byte (the last one) changes the fingerprint. */
    scribble(path, (off_t)size - 4096, 4096);
    CHECK_EQ_INT(ave_cache_fingerprint(path, fp1, &full), 0);
    CHECK(strcmp(fp0, fp1) != 0);
    /* Small files are read whole. */
    f = fopen(path, "wb");
    CHECK(f && fwrite(data, 1, 1000, f) == 1000);
    fclose(f);
    CHECK_EQ_INT(ave_cache_fingerprint(path, fp1, &full), 0);
    CHECK_EQ_INT(full, 1);
    CHECK_EQ_INT(ave_cache_fingerprint("/nonexistent/x", fp1, &full), AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_cache_fingerprint("/tmp", fp1, &full), AVE_ERR_INPUT);
    free(data);
    free(path);
}

int main(void)
{
    const char *tmp = getenv("AVE_TEST_TMP");
    snprintf(root, sizeof root, "%s/test_cache.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root))
        return 2;
    test_keys();
    test_verify_and_ttl();
    test_reject();
    test_lru();
    test_total_and_order();
    test_version();
    test_corrupt();
    test_concurrent();
    test_blob();
    test_fingerprint();
    ave_fs_remove_tree(root);
    return CHECK_DONE();
}
