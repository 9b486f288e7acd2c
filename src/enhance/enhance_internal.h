/* Private to src/enhance: the pieces ave_enhance_process (enhance.c) is
 * built from: reading audio as planar float (audio_reader.c), writing the
 * result with an optional packet-copied video stream (audio_writer.c), the
 * float spool between the two passes (spool.c) and the first-pass
 * processing chain (chain.c). */
#ifndef AVE_ENHANCE_INTERNAL_H
#define AVE_ENHANCE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ave/enhance.h"
#include "ave/error.h"
#include "ave/job.h"
#include "ave/log.h"
#include "enhance/loudness.h"

#define ENH_LOG "enhance"
#define ENH_MAX_CHANNELS 8

/* --- audio_reader.c ---------------------------------------------------- */

/* Decodes the best audio stream of a file into planar float at the
 * stream's own rate and channel count. */
typedef struct enh_reader enh_reader;

typedef struct enh_reader_info {
    int rate, channels;
    int roles[ENH_MAX_CHANNELS]; /* enum ave_loudness_role per channel */
    int64_t duration_us;         /* of the audio stream (or file), 0 if unknown */
    int64_t start_us;            /* the audio stream's first sample on the file's clock
                                  * (not below 0), where the writer places its output */
    int64_t frames;              /* samples an MP4/MOV says the stream holds, -1 for
                                  * other containers; the reader stops there */
    int has_video;               /* a non-cover-art video stream exists */
    char codec[32];
} enh_reader_info;

/* Open path. Errors are recorded on job: AVE_ERR_INPUT for unreadable files
 * and files without audio (message names the file), more than
 * ENH_MAX_CHANNELS channels is AVE_ERR_UNSUPPORTED. Caller frees with
 * enh_reader_free (also after errors; *out may be NULL). */
int enh_reader_open(enh_reader **out, ave_job *job, const char *path);
void enh_reader_info_get(const enh_reader *r, enh_reader_info *info);

/* Next decoded frames: *planes points to `channels` arrays of *n samples,
 * owned by the reader and valid until the next call. *n == 0 at the end,
 * which comes after info.frames samples when that is known: the codec's
 * padding after the last real sample is not audio of the file.
 * Corrupt packets are skipped with a warning. Returns 0 or AVE_ERR_*. */
int enh_reader_read(enh_reader *r, float *const **planes, size_t *n);

/* Fraction of the stream read so far (0..1), for progress. */
double enh_reader_progress(const enh_reader *r);
void enh_reader_free(enh_reader *r);

/* --- audio_writer.c ---------------------------------------------------- */

typedef struct enh_writer enh_writer;

/* Encoder/container choice from out_path's extension; see
 * ave_enhance_process. *can_hold_video and *lossy (AAC) may be NULL.
 * Returns 0 or AVE_ERR_USAGE (message recorded). */
int enh_writer_check_path(ave_job *job, const char *out_path, int *can_hold_video, int *lossy);

/* Create out_path for audio of rate/channels (roles give the layout:
 * channel counts map to FFmpeg's default layouts), its first sample at
 * start_us on the output's clock. When video_from is not NULL its best
 * video stream is copied packet for packet, timestamps kept. aac_bitrate is
 * per stereo pair. Caller frees with enh_writer_free (which deletes the file
 * unless enh_writer_finish succeeded). */
int enh_writer_open(enh_writer **out, ave_job *job, const char *out_path, int rate, int channels,
                    int64_t start_us, int aac_bitrate, const char *video_from);

/* Encode n frames of planar float audio. Before that, every copied video
 * packet up to the time this audio reaches is written, so the file stays
 * interleaved without buffering. */
int enh_writer_audio(enh_writer *w, const float *const *planes, size_t n);

/* Flush the encoder, copy the remaining video packets, write the trailer. */
int enh_writer_finish(enh_writer *w);
const char *enh_writer_codec(const enh_writer *w);
/* The encoder's nominal bit rate (0 for PCM/FLAC): MP4 headers record it. */
int64_t enh_writer_bit_rate(const enh_writer *w);
void enh_writer_free(enh_writer *w);

/* --- spool.c ----------------------------------------------------------- */

/* Interleaved float frames spooled to an unlinked file in the job's scratch
 * folder, so the whole signal never sits in memory. */
typedef struct enh_spool enh_spool;

int enh_spool_new(enh_spool **out, ave_job *job, int channels);
int enh_spool_write(enh_spool *s, const float *const *planes, size_t n);
/* Rewind for reading (may be called again to read a second time). */
int enh_spool_rewind(enh_spool *s);
/* Read up to max frames into planes; *n = 0 at the end. */
int enh_spool_read(enh_spool *s, float *const *planes, size_t max, size_t *n);
int64_t enh_spool_frames(const enh_spool *s);
void enh_spool_free(enh_spool *s);

/* --- chain.c ----------------------------------------------------------- */

/* First pass: per-channel high-pass, denoiser and EQ, then the linked
 * compressor, with the blocks' latency removed (output frame i is input
 * frame i). */
typedef struct enh_chain enh_chain;

typedef struct enh_chain_config {
    int rate, channels;
    int highpass, denoise, eq, compress;
    double denoise_strength;
    double input_lufs; /* sets the compressor threshold */
} enh_chain_config;

typedef struct enh_chain_stats {
    int denoise_ran;
    double noise_floor_db, snr_in_db, snr_out_db; /* channel mean of the denoisers' */
    double compressor_min_gain_db;
} enh_chain_stats;

int enh_chain_new(enh_chain **out, ave_job *job, const enh_chain_config *cfg);
/* Process n frames of planes (modified in place as scratch) and hand every
 * output frame to sink. */
typedef int (*enh_sink_fn)(void *opaque, const float *const *planes, size_t n);
int enh_chain_push(enh_chain *c, float *const *planes, size_t n, enh_sink_fn sink, void *opaque);
/* Emit the frames still held (the blocks' latency). */
int enh_chain_finish(enh_chain *c, enh_sink_fn sink, void *opaque);
void enh_chain_stats_get(const enh_chain *c, enh_chain_stats *st);
void enh_chain_free(enh_chain *c);

#endif
