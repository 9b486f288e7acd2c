/* Biquad design and processing (see biquad.h). The formulas are the
 * standard bilinear-transform ones of R. Bristow-Johnson's "Audio EQ
 * Cookbook", written out here; the state is the transposed direct form II,
 * which has the best numerical behaviour for floating point among the
 * direct forms. Assumes blocks of a few hundred samples or more: the
 * subnormal flush happens once per block. */
#include <math.h>

#include "enhance/biquad.h"

static void set_norm(ave_biquad *bq, double b0, double b1, double b2, double a0, double a1,
                     double a2)
{
    bq->b0 = b0 / a0;
    bq->b1 = b1 / a0;
    bq->b2 = b2 / a0;
    bq->a1 = a1 / a0;
    bq->a2 = a2 / a0;
    bq->s1 = bq->s2 = 0;
}

void ave_biquad_highpass(ave_biquad *bq, double fs, double fc, double q)
{
    double w0 = 2 * M_PI * fc / fs, c = cos(w0), alpha = sin(w0) / (2 * q);

    set_norm(bq, (1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

void ave_biquad_peaking(ave_biquad *bq, double fs, double f0, double q, double gain_db)
{
    double a = pow(10.0, gain_db / 40.0), w0 = 2 * M_PI * f0 / fs, c = cos(w0);
    double alpha = sin(w0) / (2 * q);

    set_norm(bq, 1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
}

void ave_biquad_run(ave_biquad *bq, float *x, size_t n)
{
    double b0 = bq->b0, b1 = bq->b1, b2 = bq->b2, a1 = bq->a1, a2 = bq->a2;
    double s1 = bq->s1, s2 = bq->s2;

    for (size_t i = 0; i < n; i++) {
        double in = x[i], out = b0 * in + s1;
        s1 = b1 * in - a1 * out + s2;
        s2 = b2 * in - a2 * out;
        x[i] = (float)out;
    }
    /* Decaying states would otherwise reach subnormal values in silence,
     * which costs ~100x per operation on x86. */
    if (fabs(s1) < 1e-30)
        s1 = 0;
    if (fabs(s2) < 1e-30)
        s2 = 0;
    bq->s1 = s1;
    bq->s2 = s2;
}

double ave_biquad_response_db(const ave_biquad *bq, double fs, double f)
{
    double w = 2 * M_PI * f / fs;
    /* H(z) at z = e^jw: numerator and denominator as complex sums. */
    double nr = bq->b0 + bq->b1 * cos(w) + bq->b2 * cos(2 * w);
    double ni = -bq->b1 * sin(w) - bq->b2 * sin(2 * w);
    double dr = 1 + bq->a1 * cos(w) + bq->a2 * cos(2 * w);
    double di = -bq->a1 * sin(w) - bq->a2 * sin(2 * w);

    return 10 * log10((nr * nr + ni * ni) / (dr * dr + di * di));
}
