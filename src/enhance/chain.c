/* First pass of the enhancement chain (see enhance_internal.h): per channel
 * DC/high-pass -> denoiser -> presence EQ, then the compressor with one
 * gain for all channels. Order matters: the high-pass first so rumble and DC
 * neither bias the denoiser's noise estimate nor trigger the compressor;
 * the EQ after the denoiser so the boost does not lift the noise it is
 * estimating; the compressor last, on the clean signal, so it does not
 * pump the noise up in pauses. The high-pass and the EQ are linear-phase
 * FIRs and the denoiser an STFT: each output lags its input by a fixed
 * latency. Each block's leading frames are dropped before the next block
 * and recovered at the end by pushing as many zeros, so the pass is
 * sample-aligned with its input and, without the compressor, changes no
 * phase (issue 20). */
#include <stdlib.h>
#include <string.h>

#include "enhance/compressor.h"
#include "enhance/denoise.h"
#include "enhance/enhance_internal.h"
#include "enhance/highpass.h"
#include "enhance/presence_eq.h"

/* The per-channel blocks in order; each one's leading output (its latency)
 * is dropped before the next block sees it, so every block sees the signal
 * exactly where it starts: the denoiser in particular must not see the
 * high-pass's start-up as a stretch of digital silence. */
enum { ST_HP, ST_DN, ST_EQ, ST_N };

struct enh_chain {
    enh_chain_config cfg;
    ave_linphase *hp[ENH_MAX_CHANNELS];
    ave_denoiser *dn[ENH_MAX_CHANNELS];
    ave_linphase *eq[ENH_MAX_CHANNELS];
    ave_compressor comp;
    size_t lat[ST_N];  /* latency of each block (0: block off) */
    size_t skip[ST_N]; /* leading output frames of each block still to drop */
    float *zeros[ENH_MAX_CHANNELS]; /* pushed at the end to flush the latencies out */
};

#define FLUSH_CHUNK 4096

int enh_chain_new(enh_chain **out, ave_job *job, const enh_chain_config *cfg)
{
    enh_chain *c = calloc(1, sizeof(*c));
    int ret;

    *out = c;
    if (!c)
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    c->cfg = *cfg;
    for (int ch = 0; ch < cfg->channels; ch++) {
        if ((ret = ave_highpass_new(&c->hp[ch], cfg->rate, cfg->highpass)) < 0 ||
            (cfg->eq && (ret = ave_presence_eq_new(&c->eq[ch], cfg->rate)) < 0))
            return ave_job_fail(job, ret, "enhance: cannot create the filters (%d Hz): %s",
                                cfg->rate, ave_strerror(ret));
        if (!(c->zeros[ch] = calloc(FLUSH_CHUNK, sizeof(float))))
            return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
        if (cfg->denoise && (ret = ave_denoiser_new(&c->dn[ch], cfg->rate,
                                                    cfg->denoise_strength)) < 0)
            return ave_job_fail(job, ret, "enhance: cannot create the denoiser (%d Hz): %s",
                                cfg->rate, ave_strerror(ret));
    }
    /* every channel has the same blocks, so the same latencies */
    c->lat[ST_HP] = ave_linphase_latency(c->hp[0]);
    c->lat[ST_DN] = c->dn[0] ? ave_denoiser_latency(c->dn[0]) : 0;
    c->lat[ST_EQ] = c->eq[0] ? ave_linphase_latency(c->eq[0]) : 0;
    for (int s = 0; s < ST_N; s++)
        c->skip[s] = c->lat[s];
    if (cfg->compress) {
        ave_compressor_params p;
        ave_compressor_params_speech(&p, cfg->input_lufs);
        ave_compressor_init(&c->comp, &p, cfg->rate);
    }
    return 0;
}

/* Run n frames of planes through the blocks from `first` on (in place),
 * then the compressor, and hand what comes out to sink. */
static int run_from(enh_chain *c, int first, float *const *planes, size_t n, enh_sink_fn sink,
                    void *opaque)
{
    float *p[ENH_MAX_CHANNELS];
    int ret;

    for (int ch = 0; ch < c->cfg.channels; ch++)
        p[ch] = planes[ch];
    for (int s = first; s < ST_N && n > 0; s++) {
        size_t drop;
        if (!c->lat[s])
            continue;
        for (int ch = 0; ch < c->cfg.channels; ch++) {
            if (s != ST_DN)
                ave_linphase_run(s == ST_HP ? c->hp[ch] : c->eq[ch], p[ch], p[ch], n);
            else if ((ret = ave_denoiser_process(c->dn[ch], p[ch], p[ch], n)) < 0)
                return ret;
        }
        drop = c->skip[s] < n ? c->skip[s] : n;
        c->skip[s] -= drop;
        n -= drop;
        for (int ch = 0; ch < c->cfg.channels; ch++)
            p[ch] += drop;
    }
    if (n == 0)
        return 0;
    if (c->cfg.compress)
        ave_compressor_run(&c->comp, p, c->cfg.channels, n);
    return sink(opaque, (const float *const *)p, n);
}

int enh_chain_push(enh_chain *c, float *const *planes, size_t n, enh_sink_fn sink, void *opaque)
{
    return run_from(c, ST_HP, planes, n, sink, opaque);
}

int enh_chain_finish(enh_chain *c, enh_sink_fn sink, void *opaque)
{
    /* the last frames are still inside the blocks: each block gets as many
     * zeros as its latency (what its own flush would do), block by block,
     * so what one flushes out still passes through the ones after it */
    for (int s = 0; s < ST_N; s++)
        for (size_t left = c->lat[s]; left > 0;) {
            size_t n = left < FLUSH_CHUNK ? left : FLUSH_CHUNK;
            int ret;
            for (int ch = 0; ch < c->cfg.channels; ch++)
                memset(c->zeros[ch], 0, n * sizeof(float));
            if ((ret = run_from(c, s, c->zeros, n, sink, opaque)) < 0)
                return ret;
            left -= n;
        }
    return 0;
}

void enh_chain_stats_get(const enh_chain *c, enh_chain_stats *st)
{
    int n = 0;

    st->denoise_ran = c->cfg.denoise;
    st->noise_floor_db = st->snr_in_db = st->snr_out_db = 0;
    for (int ch = 0; ch < c->cfg.channels; ch++) {
        ave_denoise_stats s;
        if (!c->dn[ch])
            continue;
        ave_denoiser_stats(c->dn[ch], &s);
        st->noise_floor_db += s.noise_floor_db;
        st->snr_in_db += s.snr_in_db;
        st->snr_out_db += s.snr_out_db;
        n++;
    }
    if (n) {
        st->noise_floor_db /= n;
        st->snr_in_db /= n;
        st->snr_out_db /= n;
    }
    st->compressor_min_gain_db = c->cfg.compress ? c->comp.min_gain_db : 0;
}

void enh_chain_free(enh_chain *c)
{
    if (!c)
        return;
    for (int ch = 0; ch < ENH_MAX_CHANNELS; ch++) {
        ave_denoiser_free(c->dn[ch]);
        ave_linphase_free(c->hp[ch]);
        ave_linphase_free(c->eq[ch]);
        free(c->zeros[ch]);
    }
    free(c);
}
