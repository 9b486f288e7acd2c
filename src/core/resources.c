/* Machine facts and memory estimates (see ave/resources.h).
 *
 * The fixed cost was measured with /usr/bin/time on `process` runs of short
 * inputs (the peak before any large buffer exists): FFmpeg, x264, the
 * recogniser's code and acoustic model. The per-buffer figures mirror what
 * the stages reserve, so the estimate and the accounting agree. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/resources.h"
#include "core/cgroup_limits.h"

#define FIXED_BYTES (90ll << 20)
#define ASR_DECODER_BYTES (80ll << 20)
/* Decoder reference pictures and frames in flight besides x264's own. */
#define RENDER_EXTRA_FRAMES (3 + 8 + 8)
/* x264 keeps several planes of analysis data per lookahead frame. */
#define X264_PLANES_PER_FRAME 3
/* Silence detection's per-frame tables at the finest hop (5 ms, 33 B each). */
#define SILENCE_TABLE_BYTES_PER_S (200 * 33)

static int64_t meminfo_kb(const char *key)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long long kb = -1;
    size_t n = strlen(key);
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (!strncmp(line, key, n) && line[n] == ':') {
            sscanf(line + n + 1, "%lld", &kb);
            break;
        }
    fclose(f);
    return kb;
}

int ave_machine_probe(ave_machine *m)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    int64_t avail_kb = meminfo_kb("MemAvailable");
    int affinity = ave_affinity_cpus();
    ave_cgroup_limits lim;

    memset(m, 0, sizeof(*m));
    m->online_cores = cores > 0 ? (int)cores : 1;
    m->cores = affinity > 0 && affinity < m->online_cores ? affinity : m->online_cores;
    ave_cgroup_limits_read("", &lim);
    if (lim.cpus > 0 && lim.cpus < m->cores)
        m->cores = lim.cpus;
    if (pages > 0 && page > 0)
        m->mem_total_bytes = (int64_t)pages * page;
    m->mem_available_bytes = avail_kb > 0 ? avail_kb * 1024 : m->mem_total_bytes;
    m->mem_limit_bytes = lim.memory_bytes;
    if (lim.memory_bytes > 0 && lim.memory_bytes < m->mem_total_bytes)
        m->mem_total_bytes = lim.memory_bytes;
    if (lim.memory_bytes > 0 && lim.memory_bytes < m->mem_available_bytes)
        m->mem_available_bytes = lim.memory_bytes;
    return 0;
}

int64_t ave_estimate_render_bytes(const ave_media_info *m, int quality)
{
    /* Lookahead of the x264 preset each --quality uses (config/quality_encoder.c). */
    static const int lookahead[] = {
        [AVE_QUALITY_LOW] = 10, [AVE_QUALITY_MEDIUM] = 20,
        [AVE_QUALITY_HIGH] = 40, [AVE_QUALITY_ULTRA] = 50,
    };
    int64_t frame;
    if (!m->has_video || m->width <= 0 || m->height <= 0)
        return 0;
    if (quality < 0 || quality > AVE_QUALITY_ULTRA)
        quality = AVE_QUALITY_HIGH;
    frame = (int64_t)m->width * m->height * 3 / 2;
    return X264_PLANES_PER_FRAME * frame * (lookahead[quality] + RENDER_EXTRA_FRAMES);
}

int64_t ave_estimate_asr_decoder_bytes(void)
{
    return ASR_DECODER_BYTES;
}

int ave_estimate_job_memory(const ave_media_info *m, const ave_config *cfg, int threads,
                            ave_memory_estimate *out)
{
    double seconds;
    int asr_threads;

    if (!m || !cfg || !out)
        return AVE_ERR_USAGE;
    seconds = (double)m->duration_us / 1e6;
    memset(out, 0, sizeof(*out));
    if (seconds < 0)
        seconds = 0;
    out->fixed = FIXED_BYTES;
    if (m->has_audio)
        out->audio = (int64_t)(seconds * (16000 * 2 + SILENCE_TABLE_BYTES_PER_S));
    /* The speech stage runs two decoders unless told otherwise. */
    asr_threads = threads > 0 ? threads : 2;
    if (m->has_audio && cfg->content_type != AVE_TYPE_MUSIC)
        out->speech = ASR_DECODER_BYTES * asr_threads;
    out->render = ave_estimate_render_bytes(m, cfg->quality);
    out->total = out->fixed + out->audio + (out->speech > out->render ? out->speech : out->render);
    return 0;
}
