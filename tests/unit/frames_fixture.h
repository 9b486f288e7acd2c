/* Analysis frames for the filler unit tests: n frames of 10 ms at 16 kHz,
 * every one at the given level, voicing, pitch and flux, over a -60 dB
 * floor with speech at -20 dB. The arrays are the caller's. */
#ifndef AVE_TEST_FRAMES_FIXTURE_H
#define AVE_TEST_FRAMES_FIXTURE_H
#include <string.h>

#include "speech/filler_detect.h"

static inline ave_filler_frames fixture_frames(float *energy, float *voicing, float *pitch,
                                               float *flux, size_t n, float energy_db,
                                               float voicing_v, float pitch_st, float flux_db)
{
    ave_filler_frames fr;
    memset(&fr, 0, sizeof(fr));
    for (size_t i = 0; i < n; i++) {
        energy[i] = energy_db;
        voicing[i] = voicing_v;
        pitch[i] = pitch_st;
        flux[i] = flux_db;
    }
    fr.count = n;
    fr.hop = 160;
    fr.rate = 16000;
    fr.energy_db = energy;
    fr.voicing = voicing;
    fr.pitch_st = pitch;
    fr.flux_db = flux;
    fr.floor_db = -60.0f;
    fr.speech_db = -20.0f;
    return fr;
}
#endif
