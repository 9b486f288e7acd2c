/* The acoustic hesitation detector: finds sustained voiced segments (a held
 * "uhhh", "ummm", "errr", "hmmm") in the frame measurements, with no help
 * from a recogniser.
 *
 * A segment grows over voiced frames while the pitch stays within a small
 * distance of its running mean and the spectral shape barely moves; a few
 * frames that fail (a glottal wobble, the vowel-to-nasal change in "um") are
 * bridged. Words rarely hold one vowel this long with this little movement:
 * consonants break voicing or move the spectrum every 60-150 ms. The score A
 * rewards length (from 120 ms, full at 300 ms), low flux, flat pitch and
 * strong voicing; segments over 2 s are not hesitations (humming, singing)
 * and are dropped.
 *
 * Most hesitations are said between pauses, so every island (the sound
 * between two pauses) is also a candidate, scored on the whole island:
 * voiced share, the share its longest stable segment covers, mean flux and
 * how often the spectrum jumps. A held vowel scores high on all four; a word
 * or two between pauses has consonants (unvoiced frames, jumps). On the
 * bench's flite and espeak voices this separated fillers from words far
 * better than segment stability alone: synthetic voices hold pitch in words
 * too. In noise, consonant closures sink to the noise floor and split
 * phrases into short islands, so the shortest island and the pause that
 * makes an island "paused" both grow with the noise (noisiness()).
 * Assumes 10 ms frames (ave_filler_frames_compute). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "ave/log.h"
#include "core/array_grow.h"
#include "speech/filler_detect.h"

#define VOICING_MIN 0.55f   /* normalised autocorrelation of a voiced frame */
#define LEVEL_ABOVE_FLOOR 8.0f /* dB a voiced frame must rise above the noise floor */
#define PITCH_JUMP_ST 1.5f  /* max distance to the segment's running pitch */
#define FLUX_MAX_DB 3.0f    /* max spectral flux inside a segment */
#define BRIDGE_FRAMES 3     /* failing frames bridged inside a segment */
#define MIN_FRAMES 12       /* 120 ms */
#define FULL_FRAMES 30      /* 300 ms: full length credit */
#define MAX_FRAMES 200      /* 2 s */
#define PAUSE_FRAMES 8      /* 80 ms of quiet next to a segment = a pause */
#define PAUSE_LOOK 12       /* searched within 120 ms of each end */

static float clamp01(float x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static int voiced(const ave_filler_frames *fr, size_t f)
{
    return fr->voicing[f] >= VOICING_MIN && fr->energy_db[f] >= fr->floor_db + LEVEL_ABOVE_FLOOR;
}

static int quiet(const ave_filler_frames *fr, size_t f)
{
    return fr->energy_db[f] < fr->floor_db + LEVEL_ABOVE_FLOOR - 2;
}

/* 1 when PAUSE_FRAMES quiet frames in a row lie within PAUSE_LOOK frames
 * of frame `from`, walking in direction dir (-1 or +1). The audio's start
 * and end count as pauses. */
static int pause_near(const ave_filler_frames *fr, size_t from, int dir)
{
    int64_t f = (int64_t)from, run = 0;
    for (int i = 0; i < PAUSE_LOOK + PAUSE_FRAMES; i++) {
        f += dir;
        if (f < 0 || (size_t)f >= fr->count)
            return 1;
        if (quiet(fr, (size_t)f)) {
            if (++run >= PAUSE_FRAMES)
                return 1;
        } else {
            if (i >= PAUSE_LOOK)
                return 0;
            run = 0;
        }
    }
    return 0;
}

/* Score a finished segment [a, b] (frames) and append it. */
static int emit(const ave_filler_frames *fr, size_t a, size_t b, ave_filler_cand **out,
                size_t *count, size_t *cap)
{
    size_t len = b - a + 1, nv = 0;
    double ps = 0, pss = 0, fl = 0, vo = 0;
    ave_filler_cand c;
    float dur, flux, pitch, voice;

    if (len < MIN_FRAMES || len > MAX_FRAMES)
        return 0;
    for (size_t f = a; f <= b; f++) {
        if (!voiced(fr, f))
            continue;
        nv++;
        ps += fr->pitch_st[f];
        pss += (double)fr->pitch_st[f] * fr->pitch_st[f];
        fl += fr->flux_db[f];
        vo += fr->voicing[f];
    }
    if (nv < MIN_FRAMES)
        return 0;
    ps /= (double)nv;
    pss = sqrt(fmax(0, pss / (double)nv - ps * ps));
    fl /= (double)nv;
    vo /= (double)nv;
    dur = clamp01((float)(len - MIN_FRAMES) / (FULL_FRAMES - MIN_FRAMES));
    flux = clamp01((float)(FLUX_MAX_DB - fl) / (FLUX_MAX_DB - 1.0f));
    pitch = clamp01(1.0f - (float)pss / 1.5f);
    voice = clamp01(((float)vo - VOICING_MIN) / (0.9f - VOICING_MIN));
    memset(&c, 0, sizeof(c));
    c.start_us = (int64_t)a * fr->hop * 1000000 / fr->rate;
    c.end_us = (int64_t)(b + 1) * fr->hop * 1000000 / fr->rate;
    c.acoustic = 0.4f * dur + 0.25f * flux + 0.2f * pitch + 0.15f * voice;
    c.bounded = 0.5f * (float)pause_near(fr, a, -1) + 0.5f * (float)pause_near(fr, b, +1);
    c.sources = AVE_FILLER_SRC_ACOUSTIC;
    ave_filler_cand *p = array_grow(*out, cap, *count + 1, sizeof(*p), 32);
    if (!p)
        return AVE_ERR_NOMEM;
    *out = p;
    (*out)[(*count)++] = c;
    return 0;
}

#define ISLAND_GAP_FRAMES 6   /* quiet frames that separate two islands (60 ms) */
#define ISLAND_MIN_FRAMES 8   /* 80 ms */
#define NOISY_PAUSE_FRAMES 12 /* 120 ms: a pause in noise is longer than a closure */
#define NOISY_ISLAND_MIN_FRAMES 20 /* 200 ms: in noise, longer than a stressed vowel */
#define JUMP_DB 4.0f          /* flux of a consonant or syllable change */

/* Calls fn(opaque, first, last) for every stable segment of frames
 * [a, end): voiced, pitch within PITCH_JUMP_ST of its running mean, flux
 * under FLUX_MAX_DB, gaps of up to BRIDGE_FRAMES bridged. Stops at fn's
 * first negative return and returns it; else 0. */
static int stable_segments(const ave_filler_frames *fr, size_t a, size_t end,
                           int (*fn)(void *opaque, size_t first, size_t last), void *opaque)
{
    size_t start = 0, last = 0;
    int in = 0, bad = 0, ret;
    float ref = 0;
    for (size_t f = a; f <= end; f++) {
        int ok = f < end && voiced(fr, f);
        if (ok && in)
            ok = fabsf(fr->pitch_st[f] - ref) <= PITCH_JUMP_ST && fr->flux_db[f] <= FLUX_MAX_DB;
        if (ok) {
            if (!in) {
                in = 1;
                start = f;
                ref = fr->pitch_st[f];
            } else {
                ref += 0.3f * (fr->pitch_st[f] - ref);
            }
            last = f;
            bad = 0;
        } else if (in && (++bad > BRIDGE_FRAMES || f == end)) {
            if ((ret = fn(opaque, start, last)) < 0)
                return ret;
            in = 0;
            bad = 0;
            /* This frame may start the next segment. */
            if (f < end && voiced(fr, f)) {
                in = 1;
                start = last = f;
                ref = fr->pitch_st[f];
            }
        }
    }
    return 0;
}

static int keep_longest(void *opaque, size_t first, size_t last)
{
    size_t *best = opaque;
    if (last - first + 1 > *best)
        *best = last - first + 1;
    return 0;
}

/* Longest run of frames in [a, b] that the stable-segment rule accepts. */
static size_t longest_stable(const ave_filler_frames *fr, size_t a, size_t b)
{
    size_t best = 0;
    stable_segments(fr, a, b + 1, keep_longest, &best);
    return best;
}

/* Quiet frames in a row from frame `from` walking in direction dir; the
 * audio's start or end counts as a long pause. */
static size_t quiet_run(const ave_filler_frames *fr, size_t from, int dir)
{
    int64_t f = (int64_t)from + dir;
    size_t n = 0;
    for (; f >= 0 && (size_t)f < fr->count && quiet(fr, (size_t)f); f += dir)
        n++;
    return f < 0 || (size_t)f >= fr->count ? (size_t)-1 : n;
}

/* How noisy the recording is, 0 (loud speech 35 dB or more above the
 * noise floor) to 1 (15 dB or less), linear between: in noise, consonant
 * closures sink to the floor and look like pauses, and the consonants
 * that would mark a fragment as part of a word are lost. */
static float noisiness(const ave_filler_frames *fr)
{
    float snr = fr->speech_db - fr->floor_db;
    return snr >= 35 ? 0.0f : snr <= 15 ? 1.0f : (35 - snr) / 20;
}

/* Islands: sound between pauses (quiet runs of ISLAND_GAP_FRAMES or more),
 * 80 ms (200 ms in noise) to 2 s long. A hesitation between pauses is an
 * island of its own, almost all voiced and almost all one stable segment;
 * a word or two between pauses has consonants: unvoiced frames and
 * spectral jumps. */
static int islands(const ave_filler_frames *fr, ave_filler_cand **out, size_t *count,
                   size_t *cap)
{
    float t = noisiness(fr);
    /* A pause must outlast a stop closure (60 ms in clean audio, 120 ms
     * in noise); an island must outlast a stressed vowel (80 ms in clean
     * audio, 200 ms in noise) to be told from a fragment of a word. */
    size_t f = 0;
    size_t need = ISLAND_GAP_FRAMES +
                  (size_t)(t * (NOISY_PAUSE_FRAMES - ISLAND_GAP_FRAMES) + 0.5f);
    size_t min_len = ISLAND_MIN_FRAMES +
                     (size_t)(t * (NOISY_ISLAND_MIN_FRAMES - ISLAND_MIN_FRAMES) + 0.5f);
    while (f < fr->count) {
        size_t a, b, q, nv = 0, st, jumps = 0;
        double fl = 0;
        while (f < fr->count && quiet(fr, f))
            f++;
        if (f >= fr->count)
            break;
        a = f;
        b = f;
        q = 0;
        for (; f < fr->count; f++) {
            if (quiet(fr, f)) {
                if (++q >= ISLAND_GAP_FRAMES)
                    break;
            } else {
                q = 0;
                b = f;
            }
        }
        if (b - a + 1 < min_len || b - a + 1 > MAX_FRAMES)
            continue;
        for (size_t k = a; k <= b; k++) {
            if (voiced(fr, k)) {
                nv++;
                fl += fr->flux_db[k];
            }
            /* A jump: the first frame of a run of large spectral changes
             * (a consonant, a new syllable). */
            if (k > a && fr->flux_db[k] > JUMP_DB && fr->flux_db[k - 1] <= JUMP_DB)
                jumps++;
        }
        st = longest_stable(fr, a, b);
        {
            float len = (float)(b - a + 1), vfrac = (float)nv / len, sfrac = (float)st / len;
            float flux = nv ? (float)(fl / (double)nv) : FLUX_MAX_DB;
            ave_filler_cand c;
            memset(&c, 0, sizeof(c));
            c.start_us = (int64_t)a * fr->hop * 1000000 / fr->rate;
            c.end_us = (int64_t)(b + 1) * fr->hop * 1000000 / fr->rate;
            /* Jumps per second of sound: a hesitation has one or two (its
             * onset, the vowel-to-nasal change of "um"), words several. */
            float jrate = (float)jumps / (len / 100.0f);
            c.acoustic = 0.25f * clamp01((vfrac - 0.6f) / 0.3f) +
                         0.35f * clamp01((sfrac - 0.2f) / 0.5f) +
                         0.15f * clamp01((FLUX_MAX_DB - flux) / (FLUX_MAX_DB - 1.5f)) +
                         0.25f * clamp01((6.0f - jrate) / 4.0f) * (jumps <= 2 ? 1.0f : 0.5f);
            c.bounded = 1;
            c.paused = quiet_run(fr, a, -1) >= need && quiet_run(fr, b, +1) >= need;
            c.sources = AVE_FILLER_SRC_ACOUSTIC;
            c.island = 1;
            ave_log(AVE_LOG_DEBUG, "speech", "island %.3f-%.3f voiced %.2f stable %.2f flux %.2f jumps %zu -> A %.2f",
                    c.start_us / 1e6, c.end_us / 1e6, vfrac, sfrac, flux, jumps, c.acoustic);
            ave_filler_cand *p = array_grow(*out, cap, *count + 1, sizeof(*p), 32);
            if (!p)
                return AVE_ERR_NOMEM;
            *out = p;
            (*out)[(*count)++] = c;
        }
    }
    return 0;
}

typedef struct emit_ctx {
    const ave_filler_frames *fr;
    ave_filler_cand **out;
    size_t *count, *cap;
} emit_ctx;

static int emit_segment(void *opaque, size_t first, size_t last)
{
    emit_ctx *e = opaque;
    return emit(e->fr, first, last, e->out, e->count, e->cap);
}

int ave_filler_acoustic(const ave_filler_frames *fr, ave_filler_cand **out, size_t *count)
{
    size_t cap = 0;
    emit_ctx e = {fr, out, count, &cap};
    int ret;

    *out = NULL;
    *count = 0;
    ret = stable_segments(fr, 0, fr->count, emit_segment, &e);
    if (ret == 0)
        ret = islands(fr, out, count, &cap);
    if (ret < 0) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return ret;
}
