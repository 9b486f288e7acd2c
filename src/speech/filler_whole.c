/* Whole fillers: see filler_whole.h. Measured on the real set's residues:
 * the "amen" hum of mfa_clip_um keeps its pitch (7.5-9 st) 150 ms past
 * where the 0.2 s growth stopped; the "um" of mfa_cold_corpus_spont fades
 * to the floor 110 ms before the next onset, and the corpus ends the filler
 * at that onset. */
#include <math.h>

#include "speech/filler_whole.h"

#define AUDIBLE_DB 6.0f /* as filler_confidence.c: this far above the floor is sound */
#define VOICED 0.6f
#define VOICED_MIN_DB 2.0f /* a voiced frame closer to the floor is the fade */
#define STEP_ST 1.5f       /* frame-to-frame pitch change the voicing may take */
#define EDGE_FRAMES 5      /* the word's frames that give the voicing's pitch */
#define DIP_FRAMES 2       /* frames the pitch tracker may drop inside the voicing */
#define FADE_MAX_US 150000 /* a longer quiet stretch is a pause */
#define ONSET_GUARD_US 10000

static int voiced_at(const ave_filler_frames *fr, size_t f)
{
    return fr->voicing[f] >= VOICED && fr->energy_db[f] >= fr->floor_db + VOICED_MIN_DB;
}

static int quiet_at(const ave_filler_frames *fr, size_t f)
{
    return !voiced_at(fr, f) && fr->energy_db[f] < fr->floor_db + AUDIBLE_DB;
}

/* Pitch of the voiced frames among the EDGE_FRAMES inside the word next to
 * the edge frame e (the last frame inside it), the one nearest the edge
 * that most of them agree with; NAN when fewer than 3 are voiced. */
static float edge_pitch(const ave_filler_frames *fr, long e, int dir)
{
    float p[EDGE_FRAMES];
    int n = 0;

    for (int k = 0; k < EDGE_FRAMES; k++) {
        long f = e - dir * k;
        if (f >= 0 && (size_t)f < fr->count && voiced_at(fr, (size_t)f))
            p[n++] = fr->pitch_st[f];
    }
    for (int i = 0; i < n; i++) { /* nearest the edge with a majority near it */
        int near = 0;
        for (int j = 0; j < n; j++)
            near += fabsf(p[j] - p[i]) <= STEP_ST;
        if (n >= 3 && 2 * near > n)
            return p[i];
    }
    return NAN;
}

/* The frame index of edge frame k past the edge (k = 0 is the first one
 * outside the word), or -1 past the recording. */
static long frame_at(const ave_filler_frames *fr, long inside, int dir, long k)
{
    long f = inside + dir * (k + 1);
    return f >= 0 && (size_t)f < fr->count ? f : -1;
}

int64_t ave_filler_sound_edge(const ave_filler_frames *fr, int64_t edge_us, int dir,
                              int64_t limit_us, int64_t max_us)
{
    int64_t step, voice_end = edge_us, out;
    long inside, k, f, voiced_k = -1;
    float ref;

    if (!fr || fr->count == 0 || fr->rate <= 0 || fr->hop <= 0 || edge_us < 0 ||
        (dir != 1 && dir != -1) || dir * (limit_us - edge_us) <= 0 || max_us <= 0)
        return edge_us;
    step = (int64_t)fr->hop * 1000000 / fr->rate;
    if (dir * (limit_us - edge_us) > max_us)
        limit_us = edge_us + dir * max_us;
    /* frame f covers [f * step, (f + 1) * step); inside: the word's frame at
     * the edge */
    inside = dir > 0 ? (long)((edge_us - 1) / step) : (long)(edge_us / step);
#define OUTER(f) (dir > 0 ? ((int64_t)(f) + 1) * step : (int64_t)(f)*step)
#define INNER(f) (dir > 0 ? (int64_t)(f)*step : ((int64_t)(f) + 1) * step)
    /* The voicing, over dips of up to DIP_FRAMES frames of any kind (the
     * pitch tracker drops a frame of a hum now and then). */
    ref = edge_pitch(fr, inside, dir);
    for (k = 0;
         !isnan(ref) && (f = frame_at(fr, inside, dir, k)) >= 0 && k - voiced_k <= DIP_FRAMES + 1;
         k++) {
        int cont = voiced_at(fr, (size_t)f) && fabsf(fr->pitch_st[f] - ref) <= STEP_ST;
        if (dir * (OUTER(f) - limit_us) > 0) {
            if (cont)
                return limit_us; /* the hum goes on up to the guard */
            break;
        }
        if (cont) {
            ref = fr->pitch_st[f];
            voiced_k = k;
            voice_end = OUTER(f);
        }
    }
    /* Its fade, up to a voiced onset. Before an unvoiced one (a stop's
     * burst, a fricative), or one past the guard or the pause length, the
     * quiet may be the next word's own: a stop's closure is silent. */
    for (k = voiced_k + 1; (f = frame_at(fr, inside, dir, k)) >= 0; k++) {
        if (quiet_at(fr, (size_t)f)) {
            if (dir * (OUTER(f) - limit_us) > 0 || (k - voiced_k) * step > FADE_MAX_US)
                return voice_end;
            continue;
        }
        if (!voiced_at(fr, (size_t)f))
            return voice_end;
        out = INNER(f) - dir * ONSET_GUARD_US;
        if (dir * (out - limit_us) > 0)
            out = limit_us;
        return dir * (out - voice_end) > 0 ? out : voice_end;
    }
#undef OUTER
#undef INNER
    return voice_end;
}

size_t ave_filler_make_whole(ave_word *w, size_t n, const ave_filler_frames *fr, int64_t guard_us,
                             int64_t max_us)
{
    size_t moved = 0;
    int64_t end_us;

    if (!w || !fr || fr->rate <= 0 || fr->hop <= 0)
        return 0;
    end_us = (int64_t)fr->count * fr->hop * 1000000 / fr->rate;
    for (size_t i = 0; i < n; i++) {
        int64_t hi, e;
        if ((w[i].flags & (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC | AVE_WORD_MUTED)) !=
                (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC) ||
            w[i].end_us <= w[i].start_us)
            continue;
        hi = i + 1 < n ? w[i + 1].start_us - guard_us : end_us;
        e = hi > w[i].end_us ? ave_filler_sound_edge(fr, w[i].end_us, 1, hi, max_us) : w[i].end_us;
        moved += e != w[i].end_us;
        w[i].end_us = e;
    }
    return moved;
}
