/* DC removal and high-pass (see highpass.h). Speech has nothing useful below
 * about 80 Hz; that band holds handling noise, wind, mains hum harmonics
 * and DC, which waste limiter headroom and make the compressor pump. The
 * 4th-order Butterworth is two biquads with the pole-pair qualities
 * 1/(2 cos(pi/8)) and 1/(2 cos(3 pi/8)), giving a maximally flat passband and
 * -3 dB exactly at the corner. Assumes fs >= 8 kHz. */
#include <math.h>

#include "enhance/highpass.h"

void ave_highpass_init(ave_highpass *hp, double fs, int rumble)
{
    if (rumble) {
        ave_biquad_highpass(&hp->s[0], fs, AVE_HIGHPASS_HZ, 1.0 / (2 * cos(M_PI / 8)));
        ave_biquad_highpass(&hp->s[1], fs, AVE_HIGHPASS_HZ, 1.0 / (2 * cos(3 * M_PI / 8)));
        hp->sections = 2;
    } else {
        ave_biquad_highpass(&hp->s[0], fs, AVE_DC_BLOCK_HZ, M_SQRT1_2);
        hp->sections = 1;
    }
}

void ave_highpass_run(ave_highpass *hp, float *x, size_t n)
{
    for (int i = 0; i < hp->sections; i++)
        ave_biquad_run(&hp->s[i], x, n);
}

double ave_highpass_response_db(const ave_highpass *hp, double fs, double f)
{
    double db = 0;
    for (int i = 0; i < hp->sections; i++)
        db += ave_biquad_response_db(&hp->s[i], fs, f);
    return db;
}
