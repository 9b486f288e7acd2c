/* DC removal and high-pass (see highpass.h). Speech has nothing useful below
 * about 80 Hz; that band holds handling noise, wind, mains hum harmonics
 * and DC, which waste limiter headroom and make the compressor pump.
 *
 * The magnitude is the 4th-order Butterworth's the chain always had
 * (-3 dB at the corner, maximally flat above), but the filter is a
 * linear-phase FIR (linphase.c) instead of two biquads. The causal IIR
 * turned the phase of the low harmonics by up to 180 degrees around the
 * corner: clean speech through it alone kept only 3-4.5 dB SI-SDR against
 * itself and was shifted by about 15 samples (issue 20). A symmetric FIR
 * with its delay removed by the chain changes magnitudes only.
 * Length: a quarter of a second, 20 periods of the rumble corner. The
 * Blackman window blurs the response over +-3 fs / taps = +-12 Hz, small
 * against the 80 Hz corner (the response at 80 Hz stays -3.0 dB); the
 * same length for DC removal (10 Hz) only makes its corner softer, which
 * nothing above 30 Hz notices. */
#include <math.h>

#include "enhance/highpass.h"

#define HP_SECONDS 0.25

typedef struct {
    double fc;
    int order;
} butter;

/* |H| of a Butterworth high-pass of the given order: 1 / sqrt(1 + (fc/f)^2n) */
static double butter_mag(const void *opaque, double f)
{
    const butter *b = opaque;
    if (f <= 0)
        return 0;
    return 1.0 / sqrt(1.0 + pow(b->fc / f, 2.0 * b->order));
}

int ave_highpass_new(ave_linphase **out, double fs, int rumble)
{
    butter b = {rumble ? AVE_HIGHPASS_HZ : AVE_DC_BLOCK_HZ, rumble ? 4 : 2};

    return ave_linphase_new(out, fs, (size_t)(HP_SECONDS * fs), butter_mag, &b);
}
