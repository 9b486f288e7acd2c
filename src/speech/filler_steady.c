/* Steadiness of a voiced gap's spectral shape (filler_steady.h).
 *
 * Why the cepstrum and not the frame-to-frame flux: this speaker's fillers
 * in 13-18 dB of room noise change their band levels by 2.3-4 dB per frame,
 * as much as his words do (2.8-4.2), since the noise dominates 10 ms
 * differences. Against the gap's own median shape the noise averages out
 * and what is left is the vowel: a filler's frames stay near it, a word's
 * phones each sit somewhere else. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/filler_steady.h"

#define FRAME_US 10000
#define AUDIBLE_DB 6.0f
#define VOICED 0.6f
#define MIN_FRAMES 5

static int by_value(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

static int sounding(const ave_filler_frames *fr, size_t f)
{
    return fr->energy_db[f] >= fr->floor_db + AUDIBLE_DB && fr->voicing[f] >= VOICED;
}

int ave_gap_shape_measure(const ave_filler_frames *fr, int64_t start_us, int64_t end_us,
                          ave_gap_shape *out)
{
    size_t a, b, n = 0, *idx;
    float *col, d2 = 0.0f;

    if (!out)
        return AVE_ERR_USAGE;
    memset(out, 0, sizeof(*out));
    if (!fr || start_us < 0 || end_us <= start_us)
        return AVE_ERR_USAGE;
    a = (size_t)(start_us / FRAME_US);
    b = (size_t)((end_us + FRAME_US - 1) / FRAME_US);
    if (b > fr->count)
        b = fr->count;
    if (b <= a || !fr->cep)
        return 0;
    idx = malloc((b - a) * sizeof(*idx));
    col = malloc((b - a) * sizeof(*col));
    if (!idx || !col) {
        free(idx);
        free(col);
        return AVE_ERR_NOMEM;
    }
    for (size_t f = a; f < b; f++)
        if (sounding(fr, f))
            idx[n++] = f;
    out->frames = n;
    if (n >= MIN_FRAMES) {
        size_t on = 0;
        /* The median per coefficient: a few frames of the next word's
         * onset inside the gap do not move it. */
        for (int k = 0; k < AVE_FILLER_CEPS; k++) {
            for (size_t i = 0; i < n; i++)
                col[i] = fr->cep[idx[i] * AVE_FILLER_CEPS + (size_t)k];
            qsort(col, n, sizeof(*col), by_value);
            out->median[k] = n % 2 ? col[n / 2] : 0.5f * (col[n / 2 - 1] + col[n / 2]);
        }
        for (size_t i = 0; i < n; i++) {
            const float *c = fr->cep + idx[i] * AVE_FILLER_CEPS;
            float d = 0.0f;
            for (int k = 0; k < AVE_FILLER_CEPS; k++)
                d += (c[k] - out->median[k]) * (c[k] - out->median[k]);
            d2 += d;
            on += sqrtf(d) <= AVE_GAP_SHAPE_RADIUS;
        }
        out->on = (float)on / (float)n;
        out->spread = sqrtf(d2 / (float)n);
    }
    free(idx);
    free(col);
    return 0;
}

int ave_gap_shape_steady(const ave_gap_shape *s)
{
    return s && s->frames >= MIN_FRAMES && s->on >= AVE_GAP_STEADY_MIN &&
           (int64_t)(s->on * (float)s->frames + 0.5f) * FRAME_US >= AVE_GAP_HELD_MIN_US;
}

#define VOICED_DB 2.0f
#define DIP_FRAMES 2

int64_t ave_gap_voicing_end(const ave_filler_frames *fr, int64_t end_us, int64_t limit_us)
{
    int64_t f, last, dips = 0;

    if (!fr || end_us < FRAME_US)
        return end_us;
    f = end_us / FRAME_US;
    last = f; /* the voicing reaches the end of frame last - 1 */
    for (; f < (int64_t)fr->count && (f + 1) * FRAME_US <= limit_us; f++) {
        if (fr->voicing[f] >= VOICED && fr->energy_db[f] >= fr->floor_db + VOICED_DB) {
            last = f + 1;
            dips = 0;
        } else if (++dips > DIP_FRAMES) {
            break;
        }
    }
    return last * FRAME_US > end_us ? last * FRAME_US : end_us;
}

size_t ave_gap_steady_trim(ave_word *w, size_t n, const ave_filler_cand *cands, size_t ncand,
                           const ave_filler_frames *fr, float cut)
{
    size_t moved = 0;

    if (!w || !cands || !fr)
        return 0;
    for (size_t c = 0; c < ncand; c++) {
        const ave_filler_cand *x = &cands[c];
        if (x->confidence < cut || x->steady < AVE_GAP_STEADY_MIN ||
            x->realign >= AVE_FILLER_REALIGN_MIN)
            continue;
        for (size_t i = 0; i < n; i++) {
            int64_t e;
            if ((w[i].flags & (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC)) !=
                    (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC) ||
                w[i].end_us <= x->end_us || w[i].start_us >= x->end_us ||
                w[i].end_us <= x->start_us)
                continue;
            e = ave_gap_voicing_end(fr, x->end_us, w[i].end_us);
            if (e < w[i].end_us) {
                w[i].end_us = e;
                moved++;
            }
        }
    }
    return moved;
}
