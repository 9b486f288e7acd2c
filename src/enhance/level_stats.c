/* Block-level percentiles (see level_stats.h). Speech has pauses between
 * words and phrases, where only the background remains, so the quietest
 * tenth of 20 ms blocks measures the noise floor and the loudest twentieth
 * the voice; their difference estimates the SNR without knowing which
 * blocks are speech. It underestimates the SNR of speech with no pauses and
 * of music, and is used the same way on input and output, so before/after
 * comparisons stay fair. Digital silence (padding) is excluded: it is not
 * noise. Memory is constant whatever the length. */
#include <math.h>
#include <string.h>

#include "ave/error.h"
#include "enhance/level_stats.h"

#define FLOOR_DB -150.0
#define BIN_DB 0.25

void ave_level_stats_init(ave_level_stats *s, int rate)
{
    memset(s, 0, sizeof(*s));
    s->block = (size_t)(rate / 50);
    if (s->block < 1)
        s->block = 1;
}

static void close_block(ave_level_stats *s)
{
    double ms = s->acc / (double)s->block, db;
    int bin;

    s->blocks++;
    if (ms <= 0) {
        s->silent++;
    } else {
        db = 10 * log10(ms);
        bin = (int)((db - FLOOR_DB) / BIN_DB);
        bin = bin < 0 ? 0 : bin >= AVE_LEVEL_BINS ? AVE_LEVEL_BINS - 1 : bin;
        s->hist[bin]++;
    }
    s->acc = 0;
    s->fill = 0;
}

void ave_level_stats_add(ave_level_stats *s, const float *const *planes, int channels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double p = 0;
        for (int c = 0; c < channels; c++)
            p += (double)planes[c][i] * planes[c][i];
        s->acc += p / channels;
        if (++s->fill == s->block)
            close_block(s);
    }
}

static double percentile(const ave_level_stats *s, size_t counted, double q)
{
    size_t want = (size_t)(q * (double)(counted - 1)), seen = 0;

    for (int b = 0; b < AVE_LEVEL_BINS; b++) {
        seen += s->hist[b];
        if (seen > want)
            return FLOOR_DB + (b + 0.5) * BIN_DB;
    }
    return 0;
}

int ave_level_stats_get(const ave_level_stats *s, ave_level_result *r)
{
    size_t counted = s->blocks - s->silent;

    if (counted < 5) {
        r->noise_floor_db = r->signal_db = -HUGE_VAL;
        r->snr_db = 0;
        return AVE_ERR_INPUT;
    }
    r->noise_floor_db = percentile(s, counted, 0.10);
    r->signal_db = percentile(s, counted, 0.95);
    r->snr_db = r->signal_db - r->noise_floor_db;
    return 0;
}
