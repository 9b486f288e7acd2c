/* EBU R128 / ITU-R BS.1770 loudness measurement (libebur128) of planar
 * float audio. Private to src/enhance. */
#ifndef AVE_ENHANCE_LOUDNESS_H
#define AVE_ENHANCE_LOUDNESS_H

#include <stddef.h>

typedef struct ave_loudness ave_loudness;

/* The figures BS.1770-4 / EBU Tech 3342 define. Silent or too short input
 * (no 400 ms block above the -70 LUFS absolute gate) gives
 * integrated_lufs = -HUGE_VAL; peaks of digital silence are -HUGE_VAL too. */
typedef struct ave_loudness_result {
    double integrated_lufs; /* gated integrated loudness */
    double range_lu;        /* loudness range (LRA) */
    double true_peak_db;    /* max over channels, dBTP (4x oversampled below 96 kHz) */
    double sample_peak_db;  /* max over channels, dBFS */
} ave_loudness_result;

/* Measure `channels` channels at rate Hz. roles (may be NULL) gives each
 * channel's BS.1770 role as an ave_loudness_role value; NULL means the
 * library's default for the count (mono; L R; L R C LFE Ls Rs...). Caller
 * frees with ave_loudness_free. Returns 0, AVE_ERR_USAGE or AVE_ERR_NOMEM. */
enum ave_loudness_role {
    AVE_LROLE_UNUSED, /* excluded (LFE) */
    AVE_LROLE_FRONT,  /* weight 1.0: L, R, C, mono */
    AVE_LROLE_SURROUND /* weight 1.41 (+1.5 dB): Ls, Rs and other rear/side */
};
int ave_loudness_new(ave_loudness **out, int channels, int rate, const int *roles);

/* The same, measuring only the integrated loudness (range and peaks read
 * as 0 / -HUGE_VAL): about 3x cheaper, since true peak oversamples. */
int ave_loudness_new_integrated(ave_loudness **out, int channels, int rate, const int *roles);

/* Add n sample frames of planar audio (planes[ch][i]). Returns 0 or
 * AVE_ERR_NOMEM. */
int ave_loudness_add(ave_loudness *l, const float *const *planes, size_t n);

/* The figures so far. Returns 0 or AVE_ERR_INTERNAL. */
int ave_loudness_get(ave_loudness *l, ave_loudness_result *r);

void ave_loudness_free(ave_loudness *l);

#endif
