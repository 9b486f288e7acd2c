/* Onset detection function for tempo and beat tracking: spectral flux of
 * log-compressed magnitudes, 8 ms frames.
 *
 * The level rise in onset_env.c sees drums but not a piano chord over a
 * held one or strings changing notes at one loudness: those change the
 * spectrum, not the level. Flux over log magnitudes (log1p(100 |X|)) weighs
 * a quiet new note like a loud one; comparing each frame with the one two
 * hops back, widened by a 3-bin maximum, keeps vibrato and slow glides from
 * counting as onsets. Bins above 8 kHz are left out, so the curve is the
 * same at any input rate.
 *
 * Two band layouts are mixed. Summed over FFT bins, the flux is ruled by
 * the top octaves, where most bins are: hats and snares. Summed over
 * sixth-octave bands, each octave counts the same and kick drums and bass
 * notes weigh in. Which one puts the beat on the right phase depends on
 * the music: on the 909 loop (kick on the beat, open hats between) the
 * per-bin flux alone tracks the off-beats (F 0 instead of 0.99); on the
 * funk piece (kick and bass on off-beats, snare and accented hats on the
 * beat) the band flux alone does (F 0 instead of 0.97). LIN_WEIGHT 0.7 gets
 * both right; 0.6 loses the funk, 0.8 the 909 loop, so the margin is
 * narrow (bench/bench_beats_real.sh).
 *
 * The result has its 1 s moving mean removed (a crescendo is not an
 * onset), is clipped at 0 and divided by its standard deviation, so the
 * beat tracker's tightness weight means the same on any recording. FFTs go through aubio (already
 * in the stack), which serialises its own FFTW planner calls with a mutex. */
#include <aubio/aubio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define FRAME_S 0.008
#define WIN_S 0.064
#define TOP_HZ 8000.0
#define LOW_HZ 30.0
#define BANDS_PER_OCT 6
#define COMPRESS 100.0
#define LIN_WEIGHT 0.7 /* per-bin flux's share, see above */
#define LAG 2
#define MEAN_S 1.0
#define PROGRESS_FRAMES 2048 /* 16 s of audio, ~0.1 s of work */

/* Power of two nearest to x (>= 64). */
static unsigned pow2_near(double x)
{
    unsigned p = 64;
    while (p * 1.5 < x)
        p *= 2;
    return p;
}

/* Subtract the centred moving mean over w frames, clip at 0, scale to unit
 * standard deviation. */
static int normalise(float *v, size_t n, size_t w)
{
    double *cum = malloc((n + 1) * sizeof(*cum)), ss = 0;
    float *m = malloc(n * sizeof(*m));

    if (!cum || !m) {
        free(cum);
        free(m);
        return AVE_ERR_NOMEM;
    }
    cum[0] = 0;
    for (size_t j = 0; j < n; j++)
        cum[j + 1] = cum[j] + v[j];
    for (size_t j = 0; j < n; j++) {
        size_t lo = j > w / 2 ? j - w / 2 : 0, hi = j + w / 2 + 1 < n ? j + w / 2 + 1 : n;
        m[j] = (float)((cum[hi] - cum[lo]) / (double)(hi - lo));
    }
    for (size_t j = 0; j < n; j++) {
        v[j] = v[j] > m[j] ? v[j] - m[j] : 0.0f;
        ss += (double)v[j] * v[j];
    }
    ss = sqrt(ss / (double)n);
    for (size_t j = 0; ss > 0 && j < n; j++)
        v[j] = (float)(v[j] / ss);
    free(cum);
    free(m);
    return 0;
}

/* Spectral flux over one band layout: band k holds bins [edge[k],
 * edge[k+1]). ring keeps the last LAG+1 frames' log magnitudes, each widened
 * by a one-band maximum. */
typedef struct flux_bands {
    size_t *edge, n;
    float *logm, *ring, *out;
    float *mag;                /* band layout only: this frame's mean magnitude per band */
    int *range;                /* band layout only: each band's BEATS_RANGES index */
    float *part[BEATS_RANGES]; /* band layout only: flux per range */
} flux_bands;

/* Upper edges of the ranges of beats_odf.part: kick drums and bass notes;
 * the body of snares, chords and most melody notes; cymbals, hats and the
 * noise of a snare. */
static const double range_top_hz[BEATS_RANGES] = {200.0, 2000.0, TOP_HZ};

static int bands_init(flux_bands *f, size_t top, int rate, unsigned win, size_t frames, int per_bin)
{
    memset(f, 0, sizeof(*f));
    f->edge = malloc((top + 2) * sizeof(*f->edge));
    f->logm = malloc((top + 1) * sizeof(*f->logm));
    f->ring = calloc((LAG + 1) * (top + 1), sizeof(*f->ring));
    f->out = calloc(frames, sizeof(*f->out));
    if (!f->edge || !f->logm || !f->ring || !f->out)
        return AVE_ERR_NOMEM;
    f->edge[0] = 1;
    if (per_bin) {
        for (size_t b = 2; b <= top + 1; b++)
            f->edge[++f->n] = b;
        return 0;
    }
    /* bands narrower than a bin merge: the low end has fewer, one-bin bands */
    for (double hz = LOW_HZ; hz < TOP_HZ; hz *= pow(2.0, 1.0 / BANDS_PER_OCT)) {
        size_t b = (size_t)lround(hz * win / rate);
        if (b > f->edge[f->n] && b <= top)
            f->edge[++f->n] = b;
    }
    if (f->edge[f->n] < top + 1)
        f->edge[++f->n] = top + 1;
    if (!(f->range = malloc(f->n * sizeof(*f->range))) ||
        !(f->mag = malloc(f->n * sizeof(*f->mag))))
        return AVE_ERR_NOMEM;
    for (size_t k = 0; k < f->n; k++) {
        double hz = 0.5 * (double)(f->edge[k] + f->edge[k + 1]) * rate / win;
        int r = 0;
        while (r + 1 < BEATS_RANGES && hz >= range_top_hz[r])
            r++;
        f->range[k] = r;
    }
    for (int r = 0; r < BEATS_RANGES; r++)
        if (!(f->part[r] = calloc(frames, sizeof(*f->part[r]))))
            return AVE_ERR_NOMEM;
    return 0;
}

static void bands_free(flux_bands *f)
{
    free(f->edge);
    free(f->logm);
    free(f->ring);
    free(f->out);
    free(f->range);
    free(f->mag);
    for (int r = 0; r < BEATS_RANGES; r++)
        free(f->part[r]);
}

static void bands_frame(flux_bands *f, const cvec_t *spec, size_t j, size_t top)
{
    float *cur = f->ring + (j % (LAG + 1)) * (top + 1);
    const float *old = f->ring + ((j + 1) % (LAG + 1)) * (top + 1); /* frame j - LAG */
    double flux = 0;

    for (size_t k = 0; k < f->n; k++) {
        double e = 0;
        for (size_t b = f->edge[k]; b < f->edge[k + 1]; b++)
            e += spec->norm[b];
        e /= (double)(f->edge[k + 1] - f->edge[k]);
        if (f->mag)
            f->mag[k] = (float)e;
        f->logm[k] = (float)log1p(COMPRESS * e);
    }
    if (j >= LAG)
        for (size_t k = 0; k < f->n; k++) {
            double d = f->logm[k] - old[k];
            flux += d > 0 ? d : 0;
            if (f->range && d > 0)
                f->part[f->range[k]][j] += (float)d;
        }
    f->out[j] = (float)flux;
    for (size_t k = 0; k < f->n; k++) {
        float m = f->logm[k];
        if (k > 0 && f->logm[k - 1] > m)
            m = f->logm[k - 1];
        if (k + 1 < f->n && f->logm[k + 1] > m)
            m = f->logm[k + 1];
        cur[k] = m;
    }
}

int beats_odf_compute(const int16_t *pcm, size_t n, int rate, const beats_progress *progress,
                      beats_odf *o)
{
    const unsigned hop = (unsigned)lround(rate * FRAME_S), win = pow2_near(rate * WIN_S);
    const size_t bins = win / 2 + 1;
    size_t top = (size_t)(TOP_HZ * win / rate), frames;
    aubio_fft_t *fft = NULL;
    fvec_t *in = NULL;
    cvec_t *spec = NULL;
    float *hann = NULL;
    flux_bands lin = {0}, logb = {0};
    beats_chord chord = {0};
    size_t chord_lo = 0, chord_hi = 0; /* bands of logb for the harmony curve */
    int ret = 0;

    memset(o, 0, sizeof(*o));
    if (rate <= 0 || hop == 0)
        return AVE_ERR_INPUT;
    if (top >= bins)
        top = bins - 1;
    o->fps = (double)rate / hop;
    o->t0 = 0.5 * win / rate;
    frames = n >= win ? (n - win) / hop + 1 : 0;
    if (frames == 0)
        return 0;
    hann = malloc(win * sizeof(*hann));
    fft = new_aubio_fft(win);
    in = new_fvec(win);
    spec = new_cvec(win);
    if (!hann || !fft || !in || !spec || bands_init(&lin, top, rate, win, frames, 1) < 0 ||
        bands_init(&logb, top, rate, win, frames, 0) < 0) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t k = 0; k < logb.n; k++) {
        double hz = 0.5 * (double)(logb.edge[k] + logb.edge[k + 1]) * rate / win;
        if (hz < BEATS_CHORD_LO_HZ)
            chord_lo = k + 1;
        if (hz < BEATS_CHORD_HI_HZ)
            chord_hi = k + 1;
    }
    if (chord_hi < chord_lo)
        chord_hi = chord_lo;
    if ((ret = beats_chord_init(&chord, chord_hi - chord_lo,
                                (size_t)lround(BEATS_CHORD_HALF_S * o->fps), frames)) < 0)
        goto out;
    for (unsigned i = 0; i < win; i++)
        hann[i] = (float)(0.5 - 0.5 * cos(2 * 3.14159265358979323846 * (i + 0.5) / win));
    for (size_t j = 0; j < frames; j++) {
        const int16_t *x = pcm + j * hop;
        for (unsigned i = 0; i < win; i++)
            in->data[i] = (smpl_t)(x[i] / 32768.0 * hann[i]);
        aubio_fft_do(fft, in, spec);
        bands_frame(&lin, spec, j, top);
        bands_frame(&logb, spec, j, top);
        beats_chord_push(&chord, logb.mag + chord_lo);
        if (j % PROGRESS_FRAMES == PROGRESS_FRAMES - 1 &&
            (ret = beats_progress_report(progress, (double)j / (double)frames)) != 0)
            goto out;
    }
    if ((ret = normalise(lin.out, frames, (size_t)lround(MEAN_S * o->fps))) < 0 ||
        (ret = normalise(logb.out, frames, (size_t)lround(MEAN_S * o->fps))) < 0)
        goto out;
    for (int r = 0; r < BEATS_RANGES; r++)
        if ((ret = normalise(logb.part[r], frames, (size_t)lround(MEAN_S * o->fps))) < 0)
            goto out;
    for (size_t j = 0; j < frames; j++)
        logb.out[j] = (float)(LIN_WEIGHT * lin.out[j] + (1 - LIN_WEIGHT) * logb.out[j]);
    o->v = logb.out;
    logb.out = NULL;
    for (int r = 0; r < BEATS_RANGES; r++) {
        o->part[r] = logb.part[r];
        logb.part[r] = NULL;
    }
    beats_chord_finish(&chord);
    o->chord = chord.out;
    chord.out = NULL;
    o->count = frames;
out:
    beats_chord_free(&chord);
    free(hann);
    bands_free(&lin);
    bands_free(&logb);
    if (fft)
        del_aubio_fft(fft);
    if (in)
        del_fvec(in);
    if (spec)
        del_cvec(spec);
    return ret;
}

void beats_odf_free(beats_odf *o)
{
    if (!o)
        return;
    free(o->v);
    free(o->chord);
    for (int r = 0; r < BEATS_RANGES; r++)
        free(o->part[r]);
    memset(o, 0, sizeof(*o));
}
