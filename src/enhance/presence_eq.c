/* Presence EQ (see presence_eq.h): the magnitude of one RBJ peaking biquad,
 * +2.5 dB at 3.5 kHz, Q 0.9. Broad and small on purpose: it brightens
 * muffled recordings a little without making sibilance harsh, and it comes
 * after the denoiser so it does not lift the noise the denoiser is
 * estimating. Applied as a linear-phase FIR (linphase.c) so the chain keeps
 * the waveform's phase. Length 20 ms: the bell is 1.5 octaves wide, and the
 * window's blur (+-3 fs / taps = +-150 Hz) moves the centre gain by under
 * 0.01 dB. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "enhance/biquad.h"
#include "enhance/linphase.h"
#include "enhance/presence_eq.h"

#define EQ_SECONDS 0.02

struct ave_presence_eq {
    ave_linphase *fir;
};

typedef struct {
    ave_biquad bq;
    double fs;
} bell;

static double bell_mag(const void *opaque, double f)
{
    const bell *b = opaque;
    return pow(10.0, ave_biquad_response_db(&b->bq, b->fs, f) / 20.0);
}

int ave_presence_eq_new(ave_presence_eq **out, double fs)
{
    ave_presence_eq *eq = calloc(1, sizeof(*eq));
    double f0 = AVE_PRESENCE_HZ;
    bell b = {.fs = fs};
    int ret;

    *out = NULL;
    if (!eq)
        return AVE_ERR_NOMEM;
    if (f0 > fs / 3)
        f0 = fs / 3;
    ave_biquad_peaking(&b.bq, fs, f0, AVE_PRESENCE_Q, AVE_PRESENCE_DB);
    if ((ret = ave_linphase_new(&eq->fir, fs, (size_t)(EQ_SECONDS * fs), bell_mag, &b)) < 0) {
        ave_presence_eq_free(eq);
        return ret;
    }
    *out = eq;
    return 0;
}

void ave_presence_eq_run(ave_presence_eq *eq, float *x, size_t n)
{
    ave_linphase_run(eq->fir, x, x, n);
}

size_t ave_presence_eq_latency(const ave_presence_eq *eq)
{
    return ave_linphase_latency(eq->fir);
}

double ave_presence_eq_response_db(const ave_presence_eq *eq, double f)
{
    return ave_linphase_response_db(eq->fir, f);
}

void ave_presence_eq_free(ave_presence_eq *eq)
{
    if (!eq)
        return;
    ave_linphase_free(eq->fir);
    free(eq);
}
