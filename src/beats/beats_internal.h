/* Internals of the beats stage, independent of the job where possible so that
 * unit tests can drive them with synthetic beat lists and signals.
 *
 * Flow: aubio's beat tracker (beats_track.c) gives rough, hop-quantised beat
 * times with gaps; a robust regression (tempo_fit.c) turns them into tempo
 * segments; the onset envelope (onset_env.c) lets the grid (beat_grid.c) fill
 * gaps, extend to the music's ends and lock its phase to the real onsets;
 * accents pick the downbeats; levels give energy sections (sections.c). */
#ifndef AVE_BEATS_INTERNAL_H
#define AVE_BEATS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* One stretch of steady tempo fitted as t = offset_s + period_s * k. */
typedef struct beats_tempo_seg {
    double period_s, offset_s;
    int k_first, k_last;  /* beat indexes covered by the fitted beats */
    size_t inliers;       /* input beats within tolerance of the fit */
    size_t tight;         /* input beats within 8% of a period of the fit */
    double rms_s;         /* residual of the inliers */
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

/* Onset envelope: per 4 ms frame, the rise of log energy over the previous
 * frames, broadband and below ~150 Hz (kick drums, bass). Frame j starts at
 * j * hop / rate seconds. */
#define BEATS_ENV_HOP 64
typedef struct beats_env {
    float *flux;     /* broadband onset strength, >= 0 */
    float *low;      /* low-band onset strength, >= 0 */
    float *level_db; /* frame level, dBFS */
    size_t count;
    int rate;        /* sample rate of the PCM it came from */
} beats_env;

/* Compute the envelope of mono PCM (fills *env; free with beats_env_free). */
int beats_env_compute(const int16_t *pcm, size_t n, int rate, beats_env *env);
void beats_env_free(beats_env *env);

/* Strongest onset of `curve` within +-win_s of t_s: writes its time and
 * strength. Returns 0, or -1 when the window is outside the envelope. */
int beats_env_peak(const beats_env *env, const float *curve, double t_s, double win_s,
                   double *peak_t, double *strength);

/* Build the final grid from rough beats and the fitted segments: each segment
 * fills its gaps, extends while onsets support it (up to the neighbours or
 * the audio ends), and is shifted onto the onsets (local median offset).
 * Each segment is refitted on the onsets it found, and its line and
 * k range updated in place (the tempo to report). *beats is malloc'd,
 * sorted, in seconds. */
int beats_build_grid(beats_tempo_seg *segs, size_t nseg, const beats_env *env,
                     double duration_s, double **beats, size_t *count);

/* Phase of the bar (0..bpb-1): the beat index modulo bpb whose beats have the
 * strongest mean accent (low-band onset plus half the broadband one). */
int beats_downbeat_phase(const double *beats, size_t n, const beats_env *env, int bpb);

/* Energy sections over [0, duration_s): units are bars between downbeats
 * (or 2 s windows without them), labelled loud/quiet against the middle of
 * the level range, runs shorter than min_len_s merged, quiet ends named
 * intro/outro. *out malloc'd. */
int beats_sections(const beats_env *env, const double *downbeats, size_t ndown,
                   double duration_s, double min_len_s, ave_music_section **out,
                   size_t *count);

/* Mean level in dBFS of [a_s, b_s) from the envelope (-120 when empty). */
double beats_env_level(const beats_env *env, double a_s, double b_s);

/* Run aubio's tempo tracker over mono PCM: rough beat times in seconds
 * (*times malloc'd) and its final confidence. progress(opaque, fraction) is
 * called between chunks; a non-zero return stops with that code. */
typedef int (*beats_progress_fn)(void *opaque, double fraction);
int beats_track_aubio(const int16_t *pcm, size_t n, int rate, double **times, size_t *count,
                      double *aubio_confidence, beats_progress_fn progress, void *opaque);

/* Music confidence 0..1 from the fitted segments: the share of aubio's beats
 * sitting tightly on a steady grid times the share of the audio covered. */
/* How regular the onsets under the refitted grid are, 0..1: 1 for a drum
 * machine, about 0.7 at 12 ms of timing scatter (plucked strings), near 0.1
 * for speech (syllables line up with any grid only loosely); weighted by
 * beats, times the share of the audio the grid covers. */
double beats_grid_quality(const beats_tempo_seg *segs, size_t nseg, double duration_s);

/* Share of aubio's nraw beats that sit tightly (8% of a period) on a fitted
 * steady line, 0..1: low for speech. */
double beats_music_confidence(const beats_tempo_seg *segs, size_t nseg, size_t nraw);

/* Everything the analysis finds; all arrays malloc'd, freed by
 * beats_result_free (which accepts a zeroed or partly filled result). */
typedef struct beats_result {
    double *beats;         /* final grid, sorted, seconds */
    size_t count;
    beats_tempo_seg *segs; /* steady tempo segments (the reported tempi) */
    size_t seg_count;
    double *raw;           /* the tracker's own beats before the grid */
    size_t raw_count;
    double confidence;     /* music (not speech), 0..1 */
    double aubio_confidence;
    beats_env env;         /* onset envelope, for downbeats and sections */
} beats_result;

/* Analyse mono PCM pcm[0..n) at rate: fills *r (zeroed first; free with
 * beats_result_free even on error). progress as for beats_track_aubio.
 * Returns 0, AVE_ERR_NOMEM, or progress's non-zero code. */
int beats_analyse(const int16_t *pcm, size_t n, int rate, beats_progress_fn progress,
                  void *opaque, beats_result *r);
void beats_result_free(beats_result *r);

#endif
