/* The results cache: one SQLite database of blobs shared by every run.
 *
 * Entries are keyed by a content hash of the input, the stage name and
 * version and the canonical text of the options that can change the result
 * (ave_cache_make_key), so a changed option or an upgraded stage never
 * returns a stale result. Each entry has a kind with its own lifetime (API
 * responses 1 h, trend data 24 h, audio analysis and thumbnail templates
 * persistent) and the total size is bounded with least-recently-used
 * eviction. The database runs in WAL mode with a busy timeout and every
 * change in one transaction, so several processes may share it. A database
 * that turns out unreadable is moved aside (<file>.corrupt-<unix time>) and
 * rebuilt with a warning: a broken cache only costs a cache miss. A database
 * another build wrote in a layout this one does not read (its
 * PRAGMA user_version) is emptied in place, also with a warning.
 *
 * A handle is used by one thread at a time; open one per job or process. */
#ifndef AVE_CACHE_H
#define AVE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "ave/config.h"
#include "ave/timeline.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ave_cache_kind {
    AVE_CACHE_API,       /* responses of AI services: 1 hour */
    AVE_CACHE_TREND,     /* trend and keyword data: 24 hours */
    AVE_CACHE_AUDIO,     /* transcripts, pauses, loudness, beats: persistent */
    AVE_CACHE_THUMBNAIL, /* thumbnail templates and frame analysis: persistent */
    AVE_CACHE_KIND_COUNT
};

/* "api", "trend", "audio", "thumbnail"; "?" when out of range. */
const char *ave_cache_kind_name(int kind);
/* The kind named name, or AVE_ERR_USAGE. */
int ave_cache_kind_from_name(const char *name);
/* Default lifetime of a kind in seconds; 0 means persistent. */
int64_t ave_cache_kind_ttl(int kind);

/* Wall clock in Unix seconds; injectable so tests can move time. */
typedef int64_t (*ave_cache_clock_fn)(void *opaque);

typedef struct ave_cache_options {
    const char *dir;        /* borrowed; NULL: ave_cache_default_dir() */
    int64_t max_bytes;      /* bound on the stored blobs' bytes; 0: unlimited */
    int busy_timeout_ms;    /* how long to wait for another process's lock */
    ave_cache_clock_fn clock; /* NULL: time() */
    void *clock_opaque;
    int64_t ttl_s[AVE_CACHE_KIND_COUNT]; /* per-kind lifetime, 0: persistent */
    /* Optional: when ave_cache_open fails, its one-line reason goes here
     * instead of the log, for a caller that reports the failure itself
     * (the `cache` command); NULL: logged as a warning. */
    char *errbuf;
    size_t errlen;
} ave_cache_options;

/* Fill the defaults: default folder, 2 GiB, 10 s busy timeout, the real
 * clock and the kinds' lifetimes above. */
void ave_cache_options_init(ave_cache_options *o);

/* --cache-aggressive keeps AI-service answers and trends this long (7 days)
 * instead of 1 h and 24 h. */
#define AVE_CACHE_AGGRESSIVE_TTL_S (7 * 24 * 3600)

/* The options a job's cache is opened with: defaults, then --cache-dir,
 * --cache-size-gb and --cache-aggressive's lifetimes from cfg. */
void ave_cache_options_for_config(ave_cache_options *o, const ave_config *cfg);

/* $AI_VIDEO_EDITOR_CACHE_DIR, else $XDG_CACHE_HOME/ai-video-editor, else
 * ~/.cache/ai-video-editor. *dir is malloc'd (caller frees). */
int ave_cache_default_dir(char **dir);

typedef struct ave_cache ave_cache;

/* Open (creating the folder and schema) the database cache.db in o->dir.
 * A database that cannot be read is moved aside and rebuilt with a warning
 * (see ave_cache_recovered); one of another layout version is emptied with a
 * warning (ave_cache_recovered stays NULL: nothing was kept). Returns AVE_ERR_IO when even a fresh database
 * cannot be created. Caller closes with ave_cache_close (NULL is fine). */
int ave_cache_open(ave_cache **out, const ave_cache_options *o);
void ave_cache_close(ave_cache *c);

/* Path of the database file (borrowed, valid until close). */
const char *ave_cache_path(const ave_cache *c);

/* Path the broken database was moved to when this handle rebuilt it, or NULL
 * (borrowed, valid until close). */
const char *ave_cache_recovered(const ave_cache *c);

/* Decides whether a found entry may be used, from the check text it was
 * stored with (e.g. the full-file hash); return 1 to accept, 0 to reject
 * (counted as a miss). Called only when an entry exists, so an expensive
 * check can be computed lazily. */
typedef int (*ave_cache_verify_fn)(void *opaque, const char *stored_check);

/* Look key up. On a hit returns 0 with *blob (malloc'd, caller frees) and
 * *size set, and refreshes the entry's last-access time; on a miss (absent,
 * expired, or rejected by verify) returns 0 with *blob NULL. verify may be
 * NULL. Errors (AVE_ERR_IO) leave *blob NULL; the caller treats them as a
 * miss. Hits and misses are counted per kind. */
int ave_cache_get(ave_cache *c, int kind, const char *key, ave_cache_verify_fn verify,
                  void *verify_opaque, void **blob, size_t *size);

/* Store (or replace) key with a copy of blob, its kind and an optional check
 * text (NULL: none), then evict least-recently-used entries until the total
 * fits max_bytes. A blob larger than max_bytes is not stored (returns
 * AVE_ERR_LIMIT). */
int ave_cache_put(ave_cache *c, int kind, const char *key, const char *check, const void *blob,
                  size_t size);

/* The blob ave_cache_get just returned for key turned out unusable (damaged,
 * or in a format this build no longer reads): delete the entry and count
 * that lookup as a miss instead of a hit (size: the blob's size, taken back
 * from bytes_saved). Errors are AVE_ERR_IO; the caller may ignore them (a
 * later ave_cache_put of the same key replaces the entry anyway). */
int ave_cache_reject(ave_cache *c, int kind, const char *key, size_t size);

typedef struct ave_cache_kind_stats {
    int64_t hits, misses;
    int64_t entries, bytes; /* stored now */
} ave_cache_kind_stats;

typedef struct ave_cache_stats {
    ave_cache_kind_stats kind[AVE_CACHE_KIND_COUNT];
    int64_t entries, size_bytes; /* stored blobs now */
    int64_t file_bytes;          /* database plus WAL on disk */
    int64_t evictions;
    int64_t bytes_saved;         /* bytes of results served instead of recomputed */
} ave_cache_stats;

/* Counters of this handle (lifetime 0) or of the database's whole life
 * (lifetime 1, kept in the database), plus what is stored now. */
int ave_cache_get_stats(ave_cache *c, int lifetime, ave_cache_stats *st);

/* Delete every entry and reset the lifetime counters. The deleted bytes are
 * overwritten in the file too (eviction and replacement leave them to be
 * reused; ave_cache_vacuum rebuilds the file without them). */
int ave_cache_clear(ave_cache *c);

/* Drop expired entries, checkpoint the WAL and rebuild the file compactly. */
int ave_cache_vacuum(ave_cache *c);

/* --- keys ---------------------------------------------------------------- */

#define AVE_CACHE_HEX_LEN 65 /* SHA-256 in hex plus the terminator */

/* Fast content fingerprint: SHA-256 of the file size and 16 blocks of
 * 64 KiB spread evenly over the file (the whole file when it is smaller).
 * *is_full is set to 1 when that covered every byte, so the fingerprint is
 * also the full hash. Returns AVE_ERR_INPUT when path is not a readable
 * regular file. */
int ave_cache_fingerprint(const char *path, char out[AVE_CACHE_HEX_LEN], int *is_full);

/* SHA-256 of the whole file. */
int ave_cache_file_hash(const char *path, char out[AVE_CACHE_HEX_LEN]);

/* Canonical text of every option that can change the result of stage
 * stage_name in this job: the global options of cfg without
 * AVE_OPTF_NO_RESULT, and the options of every registered stage up to and
 * including stage_name (pipeline order), one "owner.name=value" per line.
 * *out is malloc'd (caller frees). */
int ave_cache_options_text(const ave_settings *s, const ave_config *cfg, const char *stage_name,
                           char **out);

/* The narrow text --cache-aggressive keys a stage with when it declares
 * cache_globals: only those global options and the stage's own options. */
int ave_cache_options_text_narrow(const ave_settings *s, const ave_config *cfg,
                                  const char *stage_name, const char *const *globals,
                                  const ave_option *own, char **out);

/* Key = SHA-256 of fingerprint, stage name, version and options text. */
int ave_cache_make_key(const char *fingerprint, const char *stage_name, int version,
                       const char *options_text, char out[AVE_CACHE_HEX_LEN]);

/* --- blobs: a small versioned binary format for stage results -------------
 * Little-endian, fixed-width fields; the writer grows to a 1 GiB cap and the
 * reader checks every length, so a damaged blob is an error, never a crash. */

typedef struct ave_blob {
    unsigned char *data; /* malloc'd; hand to the cache, then free */
    size_t size, cap;
    int err;             /* sticky: the first failure (AVE_ERR_NOMEM/LIMIT) */
} ave_blob;

void ave_blob_u32(ave_blob *b, uint32_t v);
void ave_blob_i64(ave_blob *b, int64_t v);
void ave_blob_f64(ave_blob *b, double v);
void ave_blob_bytes(ave_blob *b, const void *p, size_t n);
/* Every segment of tl. */
void ave_blob_timeline(ave_blob *b, const ave_timeline *tl);
/* End a blob: on success hand its bytes to *data / *size (caller frees) and
 * return 0; after a failed write (b->err) free them and return the error. */
int ave_blob_finish(ave_blob *b, void **data, size_t *size);

typedef struct ave_blob_reader {
    const unsigned char *p;
    size_t left;
    int err; /* sticky: AVE_ERR_INPUT once a read ran past the end */
} ave_blob_reader;

uint32_t ave_blob_read_u32(ave_blob_reader *r);
int64_t ave_blob_read_i64(ave_blob_reader *r);
double ave_blob_read_f64(ave_blob_reader *r);
void ave_blob_read_bytes(ave_blob_reader *r, void *p, size_t n);
/* Read a timeline written by ave_blob_timeline into out (empty on entry;
 * caller frees with ave_timeline_free). Checks that the segments are
 * contiguous and cover [0, duration). */
int ave_blob_read_timeline(ave_blob_reader *r, ave_timeline *out);

#ifdef __cplusplus
}
#endif
#endif
