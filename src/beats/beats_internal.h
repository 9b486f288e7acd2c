/* Internals of the beats stage, independent of the job where possible so that
 * unit tests can drive them with synthetic beat lists and signals.
 *
 * Flow (beats_analyse.c): a spectral-flux onset curve (onset_odf.c); the
 * local tempo, a path through a comb-score tempogram (tempo_track.c); the
 * beats, by dynamic programming over the curve with that period
 * (beats_dp.c); tempo segments, by robust line fits to the beats
 * (tempo_fit.c). The level envelope (onset_env.c) gives the downbeats'
 * accents (downbeats.c) and the energy sections (sections.c). */
#ifndef AVE_BEATS_INTERNAL_H
#define AVE_BEATS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* One stretch of steady tempo fitted as t = offset_s + period_s * k. */
typedef struct beats_tempo_seg {
    double period_s, offset_s;
    int k_first, k_last; /* beat indexes covered by the fitted beats */
    size_t inliers;      /* input beats within tolerance of the fit */
    size_t tight;        /* input beats within 8% of a period of the fit */
    double rms_s;        /* residual of the inliers */
} beats_tempo_seg;

/* Fit one steady tempo to sorted beat times t[0..n) (seconds). Robust to
 * missing beats (gaps of several periods get their true index) and extra or
 * misplaced beats (residual beyond a fifth of a period: left out). Returns 0,
 * or AVE_ERR_INPUT when fewer than 4 beats agree. */
int beats_fit_tempo(const double *t, size_t n, beats_tempo_seg *out);

/* Split t[0..n) where the local tempo changes by more than 3% and fit each
 * part with beats_fit_tempo. *segs is malloc'd (caller frees), *count may be
 * 0 when nothing steady was found. Returns 0 or AVE_ERR_NOMEM. */
int beats_fit_segments(const double *t, size_t n, beats_tempo_seg **segs, size_t *count);

/* One fit over all of t[0..n) without the steadiness test, for when
 * beats_fit_segments found nothing steady: on success *segs (malloc'd,
 * caller frees; the old array is freed) holds that one segment and *count
 * is 1; when fewer than 4 beats agree both are left as they were. Returns 0
 * or AVE_ERR_NOMEM. */
int beats_fit_loose(const double *t, size_t n, beats_tempo_seg **segs, size_t *count);

/* Onset envelope: per 4 ms frame, the rise of log energy over the previous
 * frames, broadband and below ~150 Hz (kick drums, bass), and the rise of
 * the power below 120 Hz itself. Frame j starts at j * hop / rate
 * seconds. */
#define BEATS_ENV_HOP 64
typedef struct beats_env {
    float *flux;      /* broadband onset strength, >= 0 */
    float *low;       /* low-band onset strength, >= 0 */
    float *low_power; /* power rise below 120 Hz (full scale 1), >= 0 */
    float *level_db;  /* frame level, dBFS */
    size_t count;
    int rate; /* sample rate of the PCM it came from */
} beats_env;

/* Compute the envelope of mono PCM (fills *env; free with beats_env_free). */
int beats_env_compute(const int16_t *pcm, size_t n, int rate, beats_env *env);
void beats_env_free(beats_env *env);

/* Strongest onset of `curve` within +-win_s of t_s: writes its time and
 * strength. Returns 0, or -1 when the window is outside the envelope. */
int beats_env_peak(const beats_env *env, const float *curve, double t_s, double win_s,
                   double *peak_t, double *strength);

/* Phase of the bar (0..bpb-1): the beat index modulo bpb whose beats have the
 * strongest mean accent (low-band onset plus half the broadband one). */
int beats_downbeat_phase(const double *beats, size_t n, const beats_env *env, int bpb);

/* Energy sections over [0, duration_s): units are bars between downbeats
 * (or 2 s windows without them), labelled loud/quiet against the middle of
 * the level range, runs shorter than min_len_s merged, quiet ends named
 * intro/outro. *out malloc'd. */
int beats_sections(const beats_env *env, const double *downbeats, size_t ndown, double duration_s,
                   double min_len_s, ave_music_section **out, size_t *count);

/* Mean level in dBFS of [a_s, b_s) from the envelope (-120 when empty). */
double beats_env_level(const beats_env *env, double a_s, double b_s);

/* How regular the onsets under the refitted grid are, 0..1: 1 for a drum
 * machine, about 0.7 at 12 ms of timing scatter (plucked strings), near 0.1
 * for speech (syllables line up with any grid only loosely); weighted by
 * beats, times the share of the audio the grid covers. */
double beats_grid_quality(const beats_tempo_seg *segs, size_t nseg, double duration_s);

/* Share of the tracker's nraw beats that sit tightly (8% of a period) on a
 * fitted steady line, 0..1. */
double beats_music_confidence(const beats_tempo_seg *segs, size_t nseg, size_t nraw);

/* Progress callback: fraction done 0..1; a non-zero return stops the
 * analysis with that code. */
typedef int (*beats_progress_fn)(void *opaque, double fraction);

/* One step's share [lo, hi] of the analysis' progress; fn may be NULL. */
typedef struct beats_progress {
    beats_progress_fn fn;
    void *opaque;
    double lo, hi;
} beats_progress;

/* Report fraction f (0..1) of step p: 0, or fn's non-zero code. */
int beats_progress_report(const beats_progress *p, double f);

/* Onset detection function (onset_odf.c): spectral flux of log
 * magnitudes, frame j at t0 + j / fps seconds, >= 0, unit deviation.
 * part[]: the same over three frequency ranges alone (below 200 Hz,
 * 200 Hz-2 kHz, 2-8 kHz), each normalised the same way, to tell a kick
 * drum or bass note from a snare or a hat (metre_level.c). */
#define BEATS_RANGES 3
typedef struct beats_odf {
    float *v;
    float *part[BEATS_RANGES];
    float *chord; /* harmony change per frame (chord_change.c), >= 0 */
    size_t count;
    double fps, t0;
} beats_odf;

/* Harmony change curve (chord_change.c), fed one frame of band magnitudes
 * at a time: out[j] compares the spectral shape of the BEATS_CHORD_HALF_S
 * after frame j with that of the same time before it. */
#define BEATS_CHORD_LO_HZ 60.0
#define BEATS_CHORD_HI_HZ 2000.0
#define BEATS_CHORD_HALF_S 0.4
typedef struct beats_chord {
    size_t bands, half, frames, pushed;
    float *ring;               /* the last 2 half + 1 frames' magnitudes */
    double *old_sum, *new_sum; /* per band, over each side */
    float *out;                /* frames values */
} beats_chord;

/* Allocate for `bands` magnitudes per frame, `half` frames a side and
 * `frames` frames of output. Returns 0 or AVE_ERR_NOMEM (c then freed). */
int beats_chord_init(beats_chord *c, size_t bands, size_t half, size_t frames);
/* Push the next frame's band magnitudes mag[0..bands). */
void beats_chord_push(beats_chord *c, const float *mag);
/* After the last push: the first and last half frames take the nearest
 * defined value. */
void beats_chord_finish(beats_chord *c);
void beats_chord_free(beats_chord *c);

/* o->v with the harmony changes added as accents (chord_change.c): at each
 * peak of o->chord, its height in deviations. *out: o->count floats,
 * malloc'd, caller frees. Returns 0 or AVE_ERR_NOMEM. */
int beats_chord_accent(const beats_odf *o, float **out);
/* The spacing in frames of the two strongest changes of the harmony curve
 * c[0..n) (fps frames a second), when no other change lies between them
 * (chord_change.c); 0 when there are not two such changes. */
double beats_chord_pair(const float *c, size_t n, double fps);

/* Compute the curve of mono PCM (fills *o; free with beats_odf_free, also
 * after an error). Returns 0, AVE_ERR_NOMEM, AVE_ERR_INPUT (bad rate) or
 * progress's non-zero code. */
int beats_odf_compute(const int16_t *pcm, size_t n, int rate, const beats_progress *progress,
                      beats_odf *o);
void beats_odf_free(beats_odf *o);

/* Local beat period, in frames, for every frame of o (period[0..o->count),
 * caller's array): the best tempo path through a comb-score tempogram
 * (tempo_track.c). *salience: the mean comb score along the path (the
 * onset curve's normalised autocorrelation at the beat period and its
 * multiples): 0.2-0.9 on the music corpus, about 0.1 on speech. *by_chord:
 * 1 when the harmony's bar set the tempo (chord changes, not the rhythm),
 * else 0. Returns 0, AVE_ERR_NOMEM or progress's non-zero code. */
int beats_tempo_curve(const beats_odf *o, const beats_progress *progress, double *period,
                      double *salience, int *by_chord);
#define BEATS_TEMPO_BINS 181 /* tempi tried: 40-240 BPM in 1% steps */
#define BEATS_BPM_MAX 240.0

/* Beats by dynamic programming over o with the local period (beats_dp.c):
 * *times malloc'd (caller frees), sorted, seconds. */
int beats_dp_track(const beats_odf *o, const double *period, double **times, size_t *count);

/* Whether the chain beats[0..n) (seconds, sorted) is a half-note level
 * under a backbeat (metre_level.c): its beats carry the onsets below 200 Hz
 * and the points half-way between them the onsets above (a snare on 2 and
 * 4 between kicks on 1 and 3), or the other way round; then the beat is
 * twice as fast. period: the local period per onset frame, as for
 * beats_dp_track. Returns 1 or 0. */
int beats_backbeat(const beats_odf *o, const double *period, const double *beats, size_t n);

/* Whether the chain beats[0..n) counts subdivisions of the beat
 * (metre_level.c): nothing happens half-way between its beats, each half
 * of it falls on onsets, and alternate beats are accented in every range;
 * then every other beat is a beat, and *beat_half (0 or 1) is the parity of
 * the ones the strongest low-band accent (env->low_power) falls on. When
 * that accent is not clear, no decision. Returns 1 or 0. */
int beats_accent_level(const beats_odf *o, const beats_env *env, const double *period,
                       const double *beats, size_t n, int *beat_half);
#define BEATS_BPM_MIN 40.0

/* Everything the analysis finds; all arrays malloc'd, freed by
 * beats_result_free (which accepts a zeroed or partly filled result). */
typedef struct beats_result {
    double *beats; /* final beats, sorted, seconds, inside the audio */
    size_t count;
    beats_tempo_seg *segs; /* steady tempo segments (the reported tempi) */
    size_t seg_count;
    double *raw; /* the tracker's chain, before clipping to the audio */
    size_t raw_count;
    double confidence; /* music (not speech), 0..1 */
    double salience;   /* periodicity of the onsets (beats_tempo_curve) */
    beats_env env;     /* level envelope, for downbeats and sections */
} beats_result;

/* Analyse mono PCM pcm[0..n) at rate: fills *r (zeroed first; free with
 * beats_result_free even on error). progress is called between steps.
 * Returns 0, AVE_ERR_NOMEM, AVE_ERR_INPUT (bad rate) or progress's non-zero
 * code. */
int beats_analyse(const int16_t *pcm, size_t n, int rate, beats_progress_fn progress, void *opaque,
                  beats_result *r);
void beats_result_free(beats_result *r);

/* Bytes beats_analyse holds at its peak for n samples at rate (for the
 * job's memory budget). */
int64_t beats_analyse_bytes(size_t n, int rate);

#endif
