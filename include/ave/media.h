/* What the probe stage learns about the input, and the decoded analysis audio
 * that every listening stage shares. */
#ifndef AVE_MEDIA_H
#define AVE_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ave_media_info {
    char format_name[64];  /* demuxer short name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" */
    int64_t duration_us;   /* container duration (or longest stream) */
    int64_t file_size;     /* bytes */

    int has_video;         /* a decodable, non-cover-art video stream */
    int video_stream;      /* index in the container, -1 when none */
    char video_codec[32];
    int width, height;     /* coded size before rotation */
    int rotation_deg;      /* display rotation: 0, 90, 180 or 270 */
    int fps_num, fps_den;  /* average frame rate (r_frame_rate for CFR) */
    int vfr;               /* 1 when frame durations vary */
    int64_t video_duration_us;
    char pix_fmt[32];

    int has_audio;
    int audio_stream;      /* -1 when none */
    char audio_codec[32];
    int sample_rate;
    int channels;
    int64_t audio_duration_us;
} ave_media_info;

/* Mono analysis audio at AVE_ANALYSIS_RATE, signed 16-bit. Owned by the job;
 * stages only read it. Sample i is at source time i / AVE_ANALYSIS_RATE s
 * (the decode stage pads or trims so that sample 0 is source time 0). */
#define AVE_ANALYSIS_RATE 16000
typedef struct ave_pcm {
    int16_t *samples;
    size_t count;
    int sample_rate;
} ave_pcm;

#ifdef __cplusplus
}
#endif
#endif
