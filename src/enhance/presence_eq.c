/* Presence EQ (see presence_eq.h): the magnitude of one RBJ peaking biquad,
 * +2.5 dB at 3.5 kHz, Q 0.9. Broad and small on purpose: it brightens
 * muffled recordings a little without making sibilance harsh, and it comes
 * after the denoiser so it does not lift the noise the denoiser is
 * estimating. Applied as a linear-phase FIR (linphase.c) so the chain keeps
 * the waveform's phase. Length 20 ms: the bell is 1.5 octaves wide, and the
 * window's blur (+-3 fs / taps = +-150 Hz) moves the centre gain by under
 * 0.01 dB. */
#include <math.h>

#include "enhance/biquad.h"
#include "enhance/presence_eq.h"

#define EQ_SECONDS 0.02

typedef struct {
    ave_biquad bq;
    double fs;
} bell;

static double bell_mag(const void *opaque, double f)
{
    const bell *b = opaque;
    return pow(10.0, ave_biquad_response_db(&b->bq, b->fs, f) / 20.0);
}

int ave_presence_eq_new(ave_linphase **out, double fs)
{
    bell b = {.fs = fs};

    ave_biquad_peaking(&b.bq, fs, AVE_PRESENCE_HZ > fs / 3 ? fs / 3 : AVE_PRESENCE_HZ,
                       AVE_PRESENCE_Q, AVE_PRESENCE_DB);
    return ave_linphase_new(out, fs, (size_t)(EQ_SECONDS * fs), bell_mag, &b);
}
