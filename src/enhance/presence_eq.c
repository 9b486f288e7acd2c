/* Presence EQ (see presence_eq.h): one RBJ peaking biquad, +2.5 dB at
 * 3.5 kHz, Q 0.9. Broad and small on purpose: it brightens muffled
 * recordings a little without making sibilance harsh, and it comes after the
 * denoiser so it does not lift the noise the denoiser is estimating. */
#include "enhance/presence_eq.h"

void ave_presence_eq_init(ave_presence_eq *eq, double fs)
{
    double f0 = AVE_PRESENCE_HZ;

    if (f0 > fs / 3)
        f0 = fs / 3;
    ave_biquad_peaking(&eq->bq, fs, f0, AVE_PRESENCE_Q, AVE_PRESENCE_DB);
}

void ave_presence_eq_run(ave_presence_eq *eq, float *x, size_t n)
{
    ave_biquad_run(&eq->bq, x, n);
}

double ave_presence_eq_response_db(const ave_presence_eq *eq, double fs, double f)
{
    return ave_biquad_response_db(&eq->bq, fs, f);
}
