/* Audio enhancement: the chain DC/high-pass -> noise reduction -> presence
 * EQ -> compressor -> loudness normalisation -> true-peak limiter, shared by
 * the pipeline stage "enhance" (after render) and the CLI command
 * `ai-video-editor enhance IN OUT`.
 *
 * Channels: every block runs on every channel (up to 8, e.g. 5.1), with one
 * gain for all channels in the compressor, the normaliser and the limiter,
 * so the stereo/surround image never moves and the channel count of the
 * input is kept. Loudness follows BS.1770 channel weights (LFE excluded,
 * surrounds +1.5 dB). */
#ifndef AVE_ENHANCE_H
#define AVE_ENHANCE_H

#include "ave/job.h"
#include "ave/options.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of the "enhance" stage (table: ave_enhance_options()). The same
 * struct drives ave_enhance_process. Defaults: everything on, strength 0.7,
 * -14 LUFS, -1 dBTP. --type music: denoise, compress and eq behave as off
 * unless their value came from a flag, profile or environment variable
 * (see ave_enhance_process). */
typedef struct ave_enhance_opts {
    int enhance;             /* bool: run the stage at all (--no-enhance) */
    int denoise;             /* bool: noise reduction */
    double denoise_strength; /* 0..1 */
    double loudness_target;  /* integrated LUFS, -36..-5 (-14 online video, -16 podcasts) */
    double true_peak;        /* limiter ceiling, dBTP, -9..0 */
    int compress;            /* bool: compressor */
    int eq;                  /* bool: presence EQ */
    int highpass;            /* bool: 80 Hz high-pass (DC is always removed) */
} ave_enhance_opts;

/* The stage's option table (NULL-name terminated, into ave_enhance_opts). */
const ave_option *ave_enhance_options(void);

/* Fill *o with the table's defaults. */
void ave_enhance_opts_default(ave_enhance_opts *o);

/* 1 when out_path's extension names a format ave_enhance_process can write
 * (.m4a .mp4 .m4v .mov .mkv .wav .flac, any case), else 0. */
int ave_enhance_output_supported(const char *out_path);

/* Enhance the audio of in_path into out_path (paths may not be equal).
 *
 * in_path is any file FFmpeg reads with an audio stream. The output format
 * follows out_path's extension (case-insensitive):
 *   .m4a .mp4 .m4v .mov .mkv -> AAC (bitrate from --quality, per channel pair),
 *                                MP4/MOV/Matroska container
 *   .wav                     -> 24-bit PCM WAV
 *   .flac                    -> 24-bit FLAC
 * When in_path has a video stream and the container can hold video (.mp4,
 * .m4v, .mov, .mkv), the video stream is copied packet for packet (not
 * decoded) and the audio replaced; otherwise only audio is written. Sample
 * rate and channel count are kept (AAC rates above 96 kHz become 48 kHz).
 *
 * opts: the options to use (NULL: defaults). job: provides settings (for
 * --type, --quality and where each option came from), the scratch folder
 * (the processed signal is spooled there as float samples between the two
 * passes; about 4 bytes x channels x rate per second), progress, memory
 * accounting, errors and metrics. Rules on top of opts: with --type music,
 * denoise/compress/eq are off unless set explicitly (flag, profile or
 * environment), since music has no noise floor to remove and its dynamics are
 * intentional; `enhance` is not consulted here (the caller decides).
 *
 * Figures go to the job's metrics under "audio": input_/output_ integrated
 * loudness (LUFS), loudness range (LU), true peak (dBTP), noise floor (dBFS)
 * and SNR (dB) before/after, the gain applied, the blocks that ran, and
 * timing (see README). Returns 0 or a negative AVE_ERR_* with one message
 * recorded on the job (AVE_ERR_INPUT: unreadable input or no audio stream;
 * AVE_ERR_USAGE: unsupported output extension; AVE_ERR_IO / NOSPACE: cannot
 * write). out_path is written in place; on failure it is removed. */
int ave_enhance_process(ave_job *job, const char *in_path, const char *out_path,
                        const ave_enhance_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
