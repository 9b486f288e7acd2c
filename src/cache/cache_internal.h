/* The cache handle, shared by the files of src/cache only. */
#ifndef AVE_CACHE_INTERNAL_H
#define AVE_CACHE_INTERNAL_H

#include <sqlite3.h>
#include <sys/types.h>

#include "ave/cache.h"

#define CACHE_FILE "cache.db"
/* PRAGMA user_version of the layout this build reads and writes; any other
 * is rebuilt on open (cache_open.c). 1: blob inline in entries, no running
 * total; 2: blobs table, totals, expiry index. */
#define CACHE_SCHEMA_VERSION 2

struct ave_cache {
    sqlite3 *db;
    char *dir;       /* owned */
    char *path;      /* owned: <dir>/cache.db */
    char *recovered; /* owned: where a broken database was moved, or NULL */
    ino_t inode;     /* of the file we opened: tells whether another process rebuilt it */
    ave_cache_options opts; /* dir borrowed pointer cleared; see ->dir */
    ave_cache_stats session; /* this handle's counters */
};

/* Open c->path and prepare it (WAL, busy timeout, schema, a quick check when
 * small), moving a broken file aside and starting afresh once. */
int cache_connect(ave_cache *c);

/* Why opening failed: into opts.errbuf when the caller gave one, else a
 * warning in the log. */
void cache_open_failed(ave_cache *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Close the connection (not the handle). */
void cache_disconnect(ave_cache *c);

/* After an SQLite error during use: when it means damage, move the file
 * aside and reconnect; always returns AVE_ERR_IO for the failed call. */
int cache_fail(ave_cache *c, int rc, const char *what);

/* Run sql (no results) on the connection; returns the SQLite code. */
int cache_exec(ave_cache *c, const char *sql);

int64_t cache_now(const ave_cache *c);

#endif
