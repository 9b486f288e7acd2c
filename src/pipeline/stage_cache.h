/* The pipeline's use of the results cache (src/pipeline only): per job, look
 * each cacheable stage up before running it, store its result after, and
 * report the figures in performance_metrics.json. Nothing here can fail a
 * job: every cache problem is a warning and a miss. */
#ifndef AVE_PIPELINE_STAGE_CACHE_H
#define AVE_PIPELINE_STAGE_CACHE_H

#include <cjson/cJSON.h>

#include "ave/cache.h"
#include "ave/stage.h"

typedef struct stage_cache {
    ave_cache *db;        /* NULL: no caching for this job */
    int input_state;      /* 0 not fingerprinted yet, 1 ready, -1 unusable */
    char fingerprint[AVE_CACHE_HEX_LEN];
    int full_state;       /* 0 not hashed yet, 1 ready, -1 failed */
    char full_hash[AVE_CACHE_HEX_LEN];
    char ran[512];        /* stages run or loaded so far, comma-separated */
    cJSON *loaded;        /* names of the stages loaded from the cache */
    int64_t ttl_s[AVE_CACHE_KIND_COUNT]; /* lifetimes the cache was opened with */
} stage_cache;

/* Open the cache when --enable-caching is on (a failure is a warning). */
void stage_cache_begin(ave_job *job, stage_cache *sc);

/* Before running stage: when its result is cached, apply it and return 1.
 * Otherwise return 0 with key set for stage_cache_store ("" when the stage
 * is not cacheable). */
int stage_cache_lookup(ave_job *job, stage_cache *sc, const ave_stage *stage,
                       char key[AVE_CACHE_HEX_LEN]);

/* After stage ran successfully: store its result under key. */
void stage_cache_store(ave_job *job, stage_cache *sc, const ave_stage *stage, const char *key);

/* Note that stage ran (or was loaded), for the keys of later stages. */
void stage_cache_note_ran(stage_cache *sc, const char *stage_name);

/* Apply the body of a cache entry (the envelope as stored without its
 * checksum trailer: magic, version, the stage's metrics section as JSON,
 * then the stage's blob) to job: the blob through stage->cache_load (all or
 * nothing), then the metrics section. Returns 0, or AVE_ERR_INPUT (or the
 * loader's error) with the job unchanged. Exposed for tests/fuzz: cache.db
 * is a file anyone can write, and a checksum only catches accidents. */
int stage_cache_apply_body(ave_job *job, const ave_stage *stage, const void *data, size_t size);

/* Write cache_statistics into the metrics and close the cache. */
void stage_cache_end(ave_job *job, stage_cache *sc);

#endif
