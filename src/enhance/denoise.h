/* Single-channel speech enhancer (noise reduction) used by the enhancement
 * chain and measured by bench/bench_enhance.
 *
 * Streaming: feed any number of samples at a time; output lags input by a
 * fixed latency (ave_denoiser_latency): one frame plus about 25 ms of
 * look-ahead, which the enhance chain, working on whole files, removes. Float samples in [-1, 1]. One
 * denoiser per channel. Not a gate: it estimates the noise spectrum
 * continuously (tracking noise that changes) and applies a
 * statistically-derived gain per frequency bin with musical-noise control.
 *
 * Threads: ave_denoiser_new and ave_denoiser_free create and destroy FFTW
 * plans, and FFTW's planner is not thread-safe: callers must serialise
 * them (e.g. create all denoisers before starting worker threads).
 * Processing is independent per denoiser. */
#ifndef AVE_ENHANCE_DENOISE_H
#define AVE_ENHANCE_DENOISE_H

#include <stddef.h>

typedef struct ave_denoiser ave_denoiser;

typedef struct ave_denoise_stats {
    double noise_floor_db;  /* mean estimated noise power, dBFS */
    double snr_in_db;       /* estimated speech-to-noise ratio of the input */
    double snr_out_db;      /* estimated speech-to-noise ratio of the output */
    size_t frames;          /* analysis frames processed */
} ave_denoise_stats;

/* Create a denoiser for sample_rate Hz (8000..192000). strength in [0, 1]:
 * 0 leaves the signal untouched, 1 is the most reduction (default 0.7
 * maps to the tuned setting). Caller frees with ave_denoiser_free.
 * Returns 0, AVE_ERR_USAGE or AVE_ERR_NOMEM. */
int ave_denoiser_new(ave_denoiser **out, int sample_rate, double strength);

/* Process n samples from in into out (may alias in). Exactly n samples are
 * written; the first ave_denoiser_latency() samples of the stream are
 * silence (the delay line filling). Returns 0 or a negative AVE_ERR_*. */
int ave_denoiser_process(ave_denoiser *d, const float *in, float *out, size_t n);

/* Flush: writes the last latency() samples still inside (zero input is
 * pushed). out must hold latency() samples. */
int ave_denoiser_flush(ave_denoiser *d, float *out);

/* Delay between input and output in samples. */
size_t ave_denoiser_latency(const ave_denoiser *d);

/* Optional hint from the pipeline's speech/non-speech decisions for the
 * samples about to be processed (1 speech, 0 pause, -1 unknown). */
void ave_denoiser_set_speech_hint(ave_denoiser *d, int speech);

void ave_denoiser_stats(const ave_denoiser *d, ave_denoise_stats *out);

void ave_denoiser_free(ave_denoiser *d);

#endif
