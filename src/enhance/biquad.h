/* Second-order IIR sections (biquads) for the enhancement chain: coefficient
 * design (Butterworth high-pass, RBJ peaking EQ), streaming processing and
 * the analytic magnitude response used by the unit tests. Private to
 * src/enhance. */
#ifndef AVE_ENHANCE_BIQUAD_H
#define AVE_ENHANCE_BIQUAD_H

#include <stddef.h>

/* Normalised coefficients (a0 = 1) and the transposed direct form II state
 * of one channel. Double precision: an 80 Hz pole at 96 kHz sits very close
 * to z = 1, where single precision coefficients visibly move the corner. */
typedef struct ave_biquad {
    double b0, b1, b2, a1, a2;
    double s1, s2;
} ave_biquad;

/* High-pass section with corner fc Hz and quality q at rate fs (RBJ
 * cookbook form; q = 1/sqrt(2) is a 2nd-order Butterworth). State cleared. */
void ave_biquad_highpass(ave_biquad *bq, double fs, double fc, double q);

/* Peaking EQ: gain_db at f0 Hz with quality q (RBJ cookbook). State cleared. */
void ave_biquad_peaking(ave_biquad *bq, double fs, double f0, double q, double gain_db);

/* Filter n samples in place. */
void ave_biquad_run(ave_biquad *bq, float *x, size_t n);

/* |H(e^jw)| at f Hz for rate fs, in dB. */
double ave_biquad_response_db(const ave_biquad *bq, double fs, double f);

#endif
