/* A 16-bit PCM WAV file in memory, for uploading audio to a service. */
#ifndef AVE_SPEECH_WAV_ENCODE_H
#define AVE_SPEECH_WAV_ENCODE_H

#include <stddef.h>
#include <stdint.h>

/* Encode mono pcm[0..n) at rate Hz as a canonical 44-byte-header WAV.
 * *out is malloc'd (caller frees). Returns 0, AVE_ERR_NOMEM, or
 * AVE_ERR_LIMIT when the data would exceed the 4 GiB RIFF limit. */
int ave_wav_encode_s16(const int16_t *pcm, size_t n, int rate, uint8_t **out, size_t *len);

#endif
