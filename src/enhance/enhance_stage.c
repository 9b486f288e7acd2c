/* The "enhance" stage: runs the enhancement chain (ave_enhance_process) on
 * the file the render stage staged (video/edited.mp4 or audio/edited.m4a),
 * writing next to it and renaming over it on success, so the staged path
 * stays valid for later stages and a failure leaves the render's file as it
 * was. Also the home of the options table shared with the CLI command.
 *
 * Why after render instead of inside it: loudness normalisation needs the
 * whole edited signal measured first, and the render writes that signal in
 * one streaming pass. The price is a second AAC generation (at the same
 * bitrate, inaudible in practice for speech).
 *
 * Usually the stage does not run as such: it offers the same chain to the
 * render (ave_stage.audio_post), which runs it on the cut audio on its own
 * thread while the video encodes and muxes the result into the one file it
 * writes, and the pipeline records that time as this stage's. run below is
 * the fallback where render does not take the offer (audio-only input,
 * --captions both, --aspect and shorts, --no-parallel, a tight
 * --max-memory), and then the video is copied once more (packets only, no
 * re-encode). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/enhance.h"
#include "enhance/enhance_internal.h"

#define OFF(f) offsetof(ave_enhance_opts, f)
static const ave_option enhance_options[] = {
    {.name = "enhance",
     .type = AVE_OPT_BOOL,
     .offset = OFF(enhance),
     .def.i = 1,
     .stage = "enhance",
     .help = "clean up and level the audio (high-pass, denoise, EQ, compressor, loudness, "
             "true-peak limiter)"},
    {.name = "denoise",
     .type = AVE_OPT_BOOL,
     .offset = OFF(denoise),
     .def.i = 1,
     .stage = "enhance",
     .help = "reduce steady and changing background noise (off by default for --type music)"},
    {.name = "denoise-strength",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(denoise_strength),
     .def.d = 0.7,
     .min = 0,
     .max = 1,
     .stage = "enhance",
     .help = "noise reduction amount, 0 (none) to 1 (most)"},
    {.name = "loudness-target",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(loudness_target),
     .def.d = -14,
     .min = -36,
     .max = -5,
     .stage = "enhance",
     .help = "integrated loudness of the result, LUFS (-14 online video, -16 podcasts)"},
    {.name = "true-peak",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(true_peak),
     .def.d = -1,
     .min = -9,
     .max = 0,
     .stage = "enhance",
     .help = "ceiling of the true-peak limiter, dBTP (4x oversampled)"},
    {.name = "compress",
     .type = AVE_OPT_BOOL,
     .offset = OFF(compress),
     .def.i = 1,
     .stage = "enhance",
     .help = "gentle speech compressor (off by default for --type music)"},
    {.name = "eq",
     .type = AVE_OPT_BOOL,
     .offset = OFF(eq),
     .def.i = 1,
     .stage = "enhance",
     .help = "presence EQ, +2.5 dB around 3.5 kHz (off by default for --type music)"},
    {.name = "highpass",
     .type = AVE_OPT_BOOL,
     .offset = OFF(highpass),
     .def.i = 1,
     .stage = "enhance",
     .help = "80 Hz high-pass against rumble and hum (DC is always removed)"},
    {.name = NULL},
};
#undef OFF

const ave_option *ave_enhance_options(void)
{
    return enhance_options;
}

void ave_enhance_opts_default(ave_enhance_opts *o)
{
    memset(o, 0, sizeof(*o));
    ave_options_set_defaults(enhance_options, o); /* no strings: cannot fail */
}

static int enhance_enabled(const ave_job *job, const void *opts)
{
    const ave_enhance_opts *o = opts;
    /* --export-only renders nothing to enhance */
    return o && o->enhance && !(job->cfg && job->cfg->export_only);
}

/* Enhance the staged output rel in place (written next to it, renamed over
 * it on success). */
static int enhance_file(ave_job *job, const char *rel, const void *opts)
{
    const char *staged = ave_job_output_path(job, rel);
    const char *ext;
    char *tmp = NULL;
    size_t len;
    int ret;

    if (!staged) {
        ave_log(AVE_LOG_WARNING, ENH_LOG, "no rendered %s to enhance; skipped", rel);
        return 0;
    }
    /* same folder (same filesystem, so rename is atomic), same extension
     * (it picks the encoder) */
    ext = strrchr(staged, '.');
    len = strlen(staged) + 32;
    if (!ext || !(tmp = malloc(len)))
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    snprintf(tmp, len, "%.*s.enhancing%s", (int)(ext - staged), staged, ext);
    ret = ave_enhance_process(job, staged, tmp, opts);
    if (ret == 0 && rename(tmp, staged) != 0)
        ret = ave_job_fail(job, AVE_ERR_IO, "%s: cannot replace with the enhanced file: %s",
                           staged, strerror(errno));
    if (ret != 0)
        unlink(tmp);
    free(tmp);
    return ret;
}

static int enhance_run(void *priv, const void *opts, ave_job *job)
{
    /* --captions both: the render's second file carries the same audio.
     * Running the chain on it again (rather than copying the first file's
     * enhanced audio over) keeps this stage one operation on one file; the
     * chain is deterministic, so both files get the same samples. */
    static const char captioned[] = "video/edited.captioned.mp4";
    int ret;

    (void)priv;
    if (!opts)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "enhance: options missing");
    ret = enhance_file(job, job->media.has_video ? "video/edited.mp4" : "audio/edited.m4a", opts);
    if (ret == 0 && ave_job_output_path(job, captioned))
        ret = enhance_file(job, captioned, opts);
    return ret;
}

/* The chain offered to render (ave_stage.audio_post): the cut audio in,
 * the enhanced audio out, both audio-only files in the scratch folder.
 * ave_enhance_process reads in_path exactly as it reads the finished
 * file's audio stream, so the samples are the same either way. */
static int enhance_audio_post(ave_job *job, const void *opts, const char *in_path,
                              const char *out_path)
{
    double bit_rate;
    int ret;

    if (!opts)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "enhance: options missing");
    if ((ret = ave_enhance_process(job, in_path, out_path, opts)) == 0 &&
        ave_job_metric_get(job, "audio", "output_bit_rate", &bit_rate) == 0)
        job->audio_post.bit_rate = (int64_t)bit_rate;
    return ret;
}

const ave_stage ave_stage_enhance = {
    .name = "enhance",
    .description = "audio clean-up and loudness: high-pass, denoise, EQ, compressor, "
                   "EBU R128 normalisation, true-peak limiter",
    .flags = AVE_STAGE_NEEDS_AUDIO,
    .weight = 0.3,
    .options = enhance_options,
    .opts_size = sizeof(ave_enhance_opts),
    .priv_size = 0,
    .enabled = enhance_enabled,
    .run = enhance_run,
    .audio_post = enhance_audio_post,
};
