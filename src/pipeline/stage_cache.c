/* The pipeline's side of the results cache.
 *
 * For a stage that declares cache hooks, the key is made from the input's
 * fingerprint, the stage name and version, the options that can change its
 * result (ave_cache_options_text) and the list of stages that ran before it
 * (a `transcribe` without silence must not reuse a `process` result). A
 * found entry is used only after the input's full-file hash (computed at
 * most once per job) matches the one stored with it.
 *
 * An entry is an envelope: magic, format version, the stage's own metrics
 * section as JSON, the stage's blob, then a 64-bit FNV-1a checksum of all
 * that. Restoring the metrics here means the stage hooks only deal with
 * job->analysis and the timeline. The checksum is there because the stages'
 * own checks cannot see every damage: a byte changed in a cut's reason (a
 * pause read back as a filler) passed them and changed the edit. A damaged
 * or unreadable entry is deleted and counted as a miss, the stage runs, and
 * its fresh result takes the entry's place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "core/job_internal.h"
#include "pipeline/stage_cache.h"

#define TAG "cache"
#define ENVELOPE_MAGIC 0x43455641u /* "AVEC" */
#define ENVELOPE_VERSION 2u /* 2: checksum trailer */
#define CHECKSUM_BYTES 8

static int cacheable(const ave_stage *stage)
{
    return stage->cache_kind && stage->cache_save && stage->cache_load &&
           ave_cache_kind_from_name(stage->cache_kind) >= 0;
}

void stage_cache_begin(ave_job *job, stage_cache *sc)
{
    ave_cache_options o;

    memset(sc, 0, sizeof(*sc));
    sc->loaded = cJSON_CreateArray();
    if (!job->cfg->enable_caching)
        return;
    ave_cache_options_for_config(&o, job->cfg);
    for (int k = 0; k < AVE_CACHE_KIND_COUNT; k++)
        sc->ttl_s[k] = o.ttl_s[k];
    if (ave_cache_open(&sc->db, &o) < 0)
        ave_log(AVE_LOG_WARNING, TAG, "continuing without the cache");
}

void stage_cache_note_ran(stage_cache *sc, const char *stage_name)
{
    size_t len = strlen(sc->ran);
    snprintf(sc->ran + len, sizeof(sc->ran) - len, "%s%s", len ? "," : "", stage_name);
}

/* The input's fingerprint, once per job; 0 when usable. */
static int input_ready(ave_job *job, stage_cache *sc)
{
    int is_full = 0;
    if (sc->input_state == 0) {
        if (ave_cache_fingerprint(job->input_path, sc->fingerprint, &is_full) == 0) {
            sc->input_state = 1;
            if (is_full) {
                memcpy(sc->full_hash, sc->fingerprint, sizeof(sc->full_hash));
                sc->full_state = 1;
            }
        } else {
            ave_log(AVE_LOG_VERBOSE, TAG, "%s: not a regular file; results are not cached",
                    job->input_path);
            sc->input_state = -1;
        }
    }
    return sc->input_state > 0 ? 0 : -1;
}

static const char *full_hash(ave_job *job, stage_cache *sc)
{
    if (sc->full_state == 0) {
        double t0 = ave_now();
        sc->full_state = ave_cache_file_hash(job->input_path, sc->full_hash) == 0 ? 1 : -1;
        ave_log(AVE_LOG_VERBOSE, TAG, "full input hash in %.2f s", ave_now() - t0);
    }
    return sc->full_state > 0 ? sc->full_hash : NULL;
}

struct verify_ctx {
    ave_job *job;
    stage_cache *sc;
};

static int verify_input(void *opaque, const char *stored)
{
    struct verify_ctx *v = opaque;
    const char *full = full_hash(v->job, v->sc);
    if (full && !strcmp(full, stored))
        return 1;
    ave_log(AVE_LOG_WARNING, TAG, "%s: sampled fingerprint matched a different file; ignoring "
            "that cache entry", v->job->input_path);
    return 0;
}

static int make_key(ave_job *job, stage_cache *sc, const ave_stage *stage,
                    char key[AVE_CACHE_HEX_LEN])
{
    char *opts = NULL, *text = NULL;
    /* --cache-aggressive: a stage that reads the input itself is keyed on
     * the options it declares it depends on, not on every global option and
     * earlier stage, so changing those reuses its result. */
    int narrow = job->cfg->cache_aggressive && stage->cache_globals;
    int ret = narrow ? ave_cache_options_text_narrow(job->settings, job->cfg, stage->name,
                                                     stage->cache_globals, stage->options, &opts)
                     : ave_cache_options_text(job->settings, job->cfg, stage->name, &opts);
    if (ret == 0) {
        size_t len = strlen(opts) + strlen(sc->ran) + 32;
        if ((text = malloc(len))) {
            snprintf(text, len, "%spipeline.ran=%s\n", opts, narrow ? "(any)" : sc->ran);
            ret = ave_cache_make_key(sc->fingerprint, stage->name, stage->cache_version, text,
                                     key);
        } else {
            ret = AVE_ERR_NOMEM;
        }
    }
    if (ret == 0)
        ave_log(AVE_LOG_DEBUG, stage->name, "cache key %.16s over:\n%s", key, text);
    free(opts);
    free(text);
    return ret;
}

/* FNV-1a, 64 bits: detects accidental damage (not tampering), needs no
 * library, and costs nothing next to the SQLite read. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

int stage_cache_apply_body(ave_job *job, const ave_stage *stage, const void *data, size_t size)
{
    ave_blob_reader r = {data, size, 0};
    uint32_t magic = ave_blob_read_u32(&r), version = ave_blob_read_u32(&r);
    uint32_t json_len = ave_blob_read_u32(&r);
    cJSON *section = NULL;
    int ret;

    if (r.err || magic != ENVELOPE_MAGIC || version != ENVELOPE_VERSION)
        return AVE_ERR_INPUT;
    if (json_len > r.left)
        return AVE_ERR_INPUT;
    if (json_len && !(section = cJSON_ParseWithLength((const char *)r.p, json_len)))
        return AVE_ERR_INPUT;
    if ((ret = stage->cache_load(job, r.p + json_len, r.left - json_len)) < 0) {
        cJSON_Delete(section);
        return ret;
    }
    if (section) {
        cJSON *root = job->internal->metrics;
        cJSON_DeleteItemFromObjectCaseSensitive(root, stage->name);
        cJSON_AddItemToObject(root, stage->name, section);
    }
    return 0;
}

/* An entry as stored: the body, then the checksum of the body. */
static int apply(ave_job *job, const ave_stage *stage, const void *data, size_t size)
{
    if (size < CHECKSUM_BYTES)
        return AVE_ERR_INPUT;
    ave_blob_reader sum = {(const unsigned char *)data + size - CHECKSUM_BYTES, CHECKSUM_BYTES, 0};
    if ((uint64_t)ave_blob_read_i64(&sum) != checksum(data, size - CHECKSUM_BYTES))
        return AVE_ERR_INPUT;
    return stage_cache_apply_body(job, stage, data, size - CHECKSUM_BYTES);
}

int stage_cache_lookup(ave_job *job, stage_cache *sc, const ave_stage *stage,
                       char key[AVE_CACHE_HEX_LEN])
{
    struct verify_ctx v = {job, sc};
    void *data = NULL;
    size_t size = 0;
    int kind, ret;

    key[0] = '\0';
    if (!sc->db || !cacheable(stage) || input_ready(job, sc) < 0)
        return 0;
    kind = ave_cache_kind_from_name(stage->cache_kind);
    if (make_key(job, sc, stage, key) < 0) {
        key[0] = '\0';
        return 0;
    }
    if (ave_cache_get(sc->db, kind, key, verify_input, &v, &data, &size) < 0 || !data)
        return 0;
    ret = apply(job, stage, data, size);
    free(data);
    if (ret < 0) {
        /* gone now, so a failing run cannot meet it again; the stage's
         * result replaces it when the run succeeds */
        ave_cache_reject(sc->db, kind, key, size);
        ave_log(AVE_LOG_WARNING, stage->name,
                "cached result damaged or unreadable (%s); dropped it and running the stage",
                ave_strerror(ret));
        return 0;
    }
    ave_log(AVE_LOG_INFO, stage->name, "loaded from the cache (%zu bytes)", size);
    cJSON_AddItemToArray(sc->loaded, cJSON_CreateString(stage->name));
    return 1;
}

void stage_cache_store(ave_job *job, stage_cache *sc, const ave_stage *stage, const char *key)
{
    ave_blob env = {0};
    void *blob = NULL;
    size_t size = 0;
    char *json = NULL;
    const char *check;
    int ret;

    if (!sc->db || !key[0])
        return;
    if (!(check = full_hash(job, sc)))
        return;
    if ((ret = stage->cache_save(job, &blob, &size)) < 0) {
        ave_log(AVE_LOG_WARNING, stage->name, "cannot serialise the result for the cache: %s",
                ave_strerror(ret));
        goto out;
    }
    const cJSON *section = cJSON_GetObjectItemCaseSensitive(job->internal->metrics, stage->name);
    if (section && !(json = cJSON_PrintUnformatted(section))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    ave_blob_u32(&env, ENVELOPE_MAGIC);
    ave_blob_u32(&env, ENVELOPE_VERSION);
    ave_blob_u32(&env, json ? (uint32_t)strlen(json) : 0);
    if (json)
        ave_blob_bytes(&env, json, strlen(json));
    ave_blob_bytes(&env, blob, size);
    if (!env.err)
        ave_blob_i64(&env, (int64_t)checksum(env.data, env.size));
    if ((ret = env.err) < 0 ||
        (ret = ave_cache_put(sc->db, ave_cache_kind_from_name(stage->cache_kind), key, check,
                             env.data, env.size)) < 0)
        ave_log(AVE_LOG_WARNING, stage->name, "result not cached: %s", ave_strerror(ret));
out:
    free(blob);
    cJSON_free(json);
    free(env.data);
}

static void add_rate(cJSON *obj, const char *name, const ave_cache_kind_stats *k)
{
    int64_t n = k->hits + k->misses;
    if (n > 0)
        cJSON_AddNumberToObject(obj, name, (double)k->hits / (double)n);
    else
        cJSON_AddNullToObject(obj, name);
}

void stage_cache_end(ave_job *job, stage_cache *sc)
{
    ave_cache_stats st;
    cJSON *root = job->internal->metrics, *cs, *hits, *misses;

    cJSON_DeleteItemFromObjectCaseSensitive(root, "cache_statistics");
    if (!(cs = cJSON_AddObjectToObject(root, "cache_statistics")))
        goto out;
    if (!sc->db || ave_cache_get_stats(sc->db, 0, &st) < 0)
        memset(&st, 0, sizeof(st));
    cJSON_AddBoolToObject(cs, "enabled", sc->db != NULL);
    cJSON_AddBoolToObject(cs, "aggressive", job->cfg->cache_aggressive);
    cJSON *ttl = cJSON_AddObjectToObject(cs, "ttl_s");
    for (int k = 0; k < AVE_CACHE_KIND_COUNT && ttl; k++)
        cJSON_AddNumberToObject(ttl, ave_cache_kind_name(k), (double)sc->ttl_s[k]);
    if (sc->db)
        cJSON_AddStringToObject(cs, "path", ave_cache_path(sc->db));
    else
        cJSON_AddNullToObject(cs, "path");
    if (sc->db && ave_cache_recovered(sc->db))
        cJSON_AddStringToObject(cs, "recovered_corrupt_database", ave_cache_recovered(sc->db));
    hits = cJSON_AddObjectToObject(cs, "hits");
    misses = cJSON_AddObjectToObject(cs, "misses");
    for (int k = 0; k < AVE_CACHE_KIND_COUNT && hits && misses; k++) {
        cJSON_AddNumberToObject(hits, ave_cache_kind_name(k), (double)st.kind[k].hits);
        cJSON_AddNumberToObject(misses, ave_cache_kind_name(k), (double)st.kind[k].misses);
    }
    add_rate(cs, "api_hit_rate", &st.kind[AVE_CACHE_API]);
    add_rate(cs, "audio_hit_rate", &st.kind[AVE_CACHE_AUDIO]);
    add_rate(cs, "thumbnail_hit_rate", &st.kind[AVE_CACHE_THUMBNAIL]);
    add_rate(cs, "trend_hit_rate", &st.kind[AVE_CACHE_TREND]);
    cJSON_AddNumberToObject(cs, "bytes_saved", (double)st.bytes_saved);
    cJSON_AddNumberToObject(cs, "entries", (double)st.entries);
    cJSON_AddNumberToObject(cs, "size_bytes", (double)st.size_bytes);
    cJSON_AddNumberToObject(cs, "evictions", (double)st.evictions);
    if (sc->loaded) {
        cJSON_AddItemToObject(cs, "stages_loaded", sc->loaded);
        sc->loaded = NULL;
    }
out:
    cJSON_Delete(sc->loaded);
    sc->loaded = NULL;
    ave_cache_close(sc->db);
    sc->db = NULL;
}
