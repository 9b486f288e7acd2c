/* First pass of the enhancement chain (see enhance_internal.h): per channel
 * DC/high-pass -> denoiser -> presence EQ, then the compressor with one
 * gain for all channels. Order matters: the high-pass first so rumble and DC
 * neither bias the denoiser's noise estimate nor trigger the compressor;
 * the EQ after the denoiser so the boost does not lift the noise it is
 * estimating; the compressor last, on the clean signal, so it does not
 * pump the noise up in pauses. The denoiser's output lags its input; that
 * many leading frames are dropped and recovered by its flush at the end, so
 * the pass is sample-aligned with its input. */
#include <stdlib.h>

#include "enhance/compressor.h"
#include "enhance/denoise.h"
#include "enhance/enhance_internal.h"
#include "enhance/highpass.h"
#include "enhance/presence_eq.h"

struct enh_chain {
    enh_chain_config cfg;
    ave_highpass hp[ENH_MAX_CHANNELS];
    ave_presence_eq eq[ENH_MAX_CHANNELS];
    ave_denoiser *dn[ENH_MAX_CHANNELS];
    ave_compressor comp;
    size_t skip; /* leading frames still to drop (denoiser latency) */
    size_t lat;
    float *tail[ENH_MAX_CHANNELS]; /* flush buffers, lat frames */
};

int enh_chain_new(enh_chain **out, ave_job *job, const enh_chain_config *cfg)
{
    enh_chain *c = calloc(1, sizeof(*c));
    int ret;

    *out = c;
    if (!c)
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    c->cfg = *cfg;
    for (int ch = 0; ch < cfg->channels; ch++) {
        ave_highpass_init(&c->hp[ch], cfg->rate, cfg->highpass);
        ave_presence_eq_init(&c->eq[ch], cfg->rate);
        if (!cfg->denoise)
            continue;
        if ((ret = ave_denoiser_new(&c->dn[ch], cfg->rate, cfg->denoise_strength)) < 0)
            return ave_job_fail(job, ret, "enhance: cannot create the denoiser (%d Hz): %s",
                                cfg->rate, ave_strerror(ret));
        c->lat = ave_denoiser_latency(c->dn[ch]);
    }
    for (int ch = 0; ch < cfg->channels && c->lat; ch++)
        if (!(c->tail[ch] = malloc(c->lat * sizeof(float))))
            return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    c->skip = c->lat;
    if (cfg->compress) {
        ave_compressor_params p;
        ave_compressor_params_speech(&p, cfg->input_lufs);
        ave_compressor_init(&c->comp, &p, cfg->rate);
    }
    return 0;
}

/* EQ, drop the denoiser's leading fill, compress, hand on. */
static int emit(enh_chain *c, float *const *planes, size_t n, enh_sink_fn sink, void *opaque)
{
    float *p[ENH_MAX_CHANNELS];
    size_t drop = c->skip < n ? c->skip : n;

    if (c->cfg.eq)
        for (int ch = 0; ch < c->cfg.channels; ch++)
            ave_presence_eq_run(&c->eq[ch], planes[ch], n);
    c->skip -= drop;
    if (drop == n)
        return 0;
    for (int ch = 0; ch < c->cfg.channels; ch++)
        p[ch] = planes[ch] + drop;
    if (c->cfg.compress)
        ave_compressor_run(&c->comp, p, c->cfg.channels, n - drop);
    return sink(opaque, (const float *const *)p, n - drop);
}

int enh_chain_push(enh_chain *c, float *const *planes, size_t n, enh_sink_fn sink, void *opaque)
{
    int ret;

    for (int ch = 0; ch < c->cfg.channels; ch++) {
        ave_highpass_run(&c->hp[ch], planes[ch], n);
        if (c->dn[ch] && (ret = ave_denoiser_process(c->dn[ch], planes[ch], planes[ch], n)) < 0)
            return ret;
    }
    return emit(c, planes, n, sink, opaque);
}

int enh_chain_finish(enh_chain *c, enh_sink_fn sink, void *opaque)
{
    int ret;

    if (!c->lat)
        return 0;
    for (int ch = 0; ch < c->cfg.channels; ch++)
        if ((ret = ave_denoiser_flush(c->dn[ch], c->tail[ch])) < 0)
            return ret;
    return emit(c, c->tail, c->lat, sink, opaque);
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
        free(c->tail[ch]);
    }
    free(c);
}
