/* The probe stage: opens the input with libavformat, checks it is a sane
 * audio/video file and fills job->media, then sets the timeline to cover the
 * whole input.
 *
 * Time convention shared with decode and render: source time 0 is the
 * container's start_time (AVFormatContext.start_time, 0 when unset), i.e.
 * source_us = pts * time_base - start_time. The container duration is
 * measured from that origin, so the timeline spans [0, duration).
 *
 * VFR rule: a stream is called variable frame rate when its average frame
 * rate and its r_frame_rate (the rate that represents every timestamp) differ
 * by more than 1%. Reading packet timestamps would be more precise, but this
 * costs nothing and catches phone recordings, the common VFR source. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>

#include "ave/ave.h"

#define STAGE "probe"
#define MAX_DIM 16384
#define MAX_DURATION_US (48LL * 3600 * 1000000)
#define MAX_SAMPLE_RATE 384000
#define MAX_CHANNELS 64

/* Walk the top-level ISO-BMFF boxes: 1 when a 'moov' box exists, 0 when the
 * file is MP4/MOV-like (starts with ftyp) but has none, -1 when not MP4. A
 * truncated or never-finalised recording is the usual cause of the
 * "Invalid data" FFmpeg reports for MP4s, so naming the missing box tells the
 * user what happened. */
static int mp4_moov_state(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char h[16];
    int64_t pos = 0;
    int state = -1;

    if (!f)
        return -1;
    while (fseeko(f, pos, SEEK_SET) == 0 && fread(h, 1, 8, f) == 8) {
        uint64_t size = (uint64_t)h[0] << 24 | (uint64_t)h[1] << 16 | (uint64_t)h[2] << 8 | h[3];
        if (pos == 0) {
            if (memcmp(h + 4, "ftyp", 4))
                break;
            state = 0;
        }
        if (!memcmp(h + 4, "moov", 4)) {
            state = 1;
            break;
        }
        if (size == 1) { /* 64-bit size follows */
            if (fread(h + 8, 1, 8, f) != 8)
                break;
            size = 0;
            for (int i = 8; i < 16; i++)
                size = size << 8 | h[i];
        }
        if (size < 8)
            break; /* size 0 ("to the end of file") or garbage: stop */
        pos += (int64_t)size;
    }
    fclose(f);
    return state;
}

static void copy_name(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "unknown");
}

static int64_t stream_duration_us(const AVStream *st)
{
    if (st->duration <= 0 || st->duration == AV_NOPTS_VALUE)
        return 0;
    return av_rescale_q(st->duration, st->time_base, AV_TIME_BASE_Q);
}

/* The main video stream: not cover art, one we can decode, prefers the
 * default disposition, then the largest picture. -1 when none; then
 * *broken is the first video stream that exists but cannot be decoded (-1
 * when there is none), so the caller can refuse the file rather than make
 * an audio-only job of a damaged recording. */
static int pick_video(const AVFormatContext *fmt, int *broken)
{
    int best = -1;
    int64_t best_score = -1;

    *broken = -1;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        const AVCodecParameters *par = st->codecpar;
        int64_t score;

        if (par->codec_type != AVMEDIA_TYPE_VIDEO ||
            (st->disposition & (AV_DISPOSITION_ATTACHED_PIC | AV_DISPOSITION_TIMED_THUMBNAILS)))
            continue;
        /* A damaged sample description (MP4 stsd) leaves codec "none". */
        if (par->codec_id == AV_CODEC_ID_NONE || !avcodec_find_decoder(par->codec_id)) {
            if (*broken < 0)
                *broken = (int)i;
            continue;
        }
        score = (int64_t)par->width * par->height;
        if (st->disposition & AV_DISPOSITION_DEFAULT)
            score += (int64_t)1 << 40;
        if (score > best_score) {
            best_score = score;
            best = (int)i;
        }
    }
    return best;
}

/* An image file opened by one of FFmpeg's image demuxers (image2 for a
 * named .jpg/.png, *_pipe when sniffed): one picture, nothing to edit. */
static int is_still_image(const AVFormatContext *fmt)
{
    const char *name = fmt->iformat->name;
    size_t n = strlen(name);
    return !strcmp(name, "image2") || (n > 5 && !strcmp(name + n - 5, "_pipe"));
}

/* Clockwise display rotation in degrees (0/90/180/270) from the display
 * matrix side data; av_display_rotation_get returns the counter-clockwise
 * angle. */
static int stream_rotation(const AVStream *st)
{
    size_t size = 0;
    const uint8_t *m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    double theta;
    long quarter;

    if (!m || size < 9 * sizeof(int32_t))
        return 0;
    theta = -av_display_rotation_get((const int32_t *)m);
    if (isnan(theta))
        return 0;
    quarter = lround(theta / 90.0);
    return (int)(((quarter % 4) + 4) % 4) * 90;
}

static void fill_video(ave_media_info *mi, const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    AVRational avg = st->avg_frame_rate, r = st->r_frame_rate;
    int avg_ok = avg.num > 0 && avg.den > 0, r_ok = r.num > 0 && r.den > 0;

    mi->has_video = 1;
    mi->video_stream = st->index;
    copy_name(mi->video_codec, sizeof(mi->video_codec), avcodec_get_name(par->codec_id));
    mi->width = par->width;
    mi->height = par->height;
    mi->rotation_deg = stream_rotation(st);
    if (avg_ok) {
        mi->fps_num = avg.num;
        mi->fps_den = avg.den;
    } else if (r_ok) {
        mi->fps_num = r.num;
        mi->fps_den = r.den;
    }
    /* For CFR streams r_frame_rate is the exact nominal rate (30000/1001
     * rather than an average like 2997/100), which the frame grid needs. */
    if (avg_ok && r_ok) {
        double ratio = av_q2d(avg) / av_q2d(r);
        mi->vfr = fabs(ratio - 1.0) > 0.01;
        if (!mi->vfr) {
            mi->fps_num = r.num;
            mi->fps_den = r.den;
        }
    }
    mi->video_duration_us = stream_duration_us(st);
    copy_name(mi->pix_fmt, sizeof(mi->pix_fmt),
              av_get_pix_fmt_name((enum AVPixelFormat)par->format));
}

static void fill_audio(ave_media_info *mi, const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;

    mi->has_audio = 1;
    mi->audio_stream = st->index;
    copy_name(mi->audio_codec, sizeof(mi->audio_codec), avcodec_get_name(par->codec_id));
    mi->sample_rate = par->sample_rate;
    mi->channels = par->ch_layout.nb_channels;
    mi->audio_duration_us = stream_duration_us(st);
}

/* Reject sizes no real recording has: they mean a corrupt header, and would
 * make later stages allocate absurd buffers. */
static int check_limits(ave_job *job, const ave_media_info *mi)
{
    const char *path = job->input_path;

    if (mi->has_video &&
        (mi->width < 2 || mi->height < 2 || mi->width > MAX_DIM || mi->height > MAX_DIM))
        return ave_job_fail(job, AVE_ERR_INPUT,
                            "%s: video size %dx%d is outside the supported 2..%d pixels", path,
                            mi->width, mi->height, MAX_DIM);
    if (mi->duration_us <= 0 && mi->has_video && !mi->has_audio)
        return ave_job_fail(job, AVE_ERR_INPUT,
                            "%s: a still image or a video without duration, not a recording", path);
    if (mi->duration_us <= 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: the duration is unknown or zero", path);
    if (mi->duration_us > MAX_DURATION_US)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: duration %.1f h is over the 48 h limit", path,
                            mi->duration_us / 3600e6);
    if (mi->has_audio && (mi->sample_rate <= 0 || mi->sample_rate > MAX_SAMPLE_RATE))
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: audio sample rate %d Hz is outside 1..%d Hz",
                            path, mi->sample_rate, MAX_SAMPLE_RATE);
    if (mi->has_audio && (mi->channels <= 0 || mi->channels > MAX_CHANNELS))
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: %d audio channels is outside 1..%d", path,
                            mi->channels, MAX_CHANNELS);
    return 0;
}

static int add_metrics(ave_job *job, const ave_media_info *mi)
{
    int ret = 0;

    ret |= ave_job_metric_number(job, "input", "duration_s", mi->duration_us / 1e6);
    ret |= ave_job_metric_number(job, "input", "file_size", (double)mi->file_size);
    ret |= ave_job_metric_string(job, "input", "format", mi->format_name);
    if (mi->has_video) {
        ret |= ave_job_metric_number(job, "input", "width", mi->width);
        ret |= ave_job_metric_number(job, "input", "height", mi->height);
        ret |= ave_job_metric_number(job, "input", "fps",
                                     mi->fps_den ? (double)mi->fps_num / mi->fps_den : 0.0);
        ret |= ave_job_metric_bool(job, "input", "vfr", mi->vfr);
        ret |= ave_job_metric_number(job, "input", "rotation", mi->rotation_deg);
        ret |= ave_job_metric_string(job, "input", "video_codec", mi->video_codec);
    }
    if (mi->has_audio) {
        ret |= ave_job_metric_number(job, "input", "sample_rate", mi->sample_rate);
        ret |= ave_job_metric_number(job, "input", "channels", mi->channels);
        ret |= ave_job_metric_string(job, "input", "audio_codec", mi->audio_codec);
    }
    return ret < 0 ? AVE_ERR_NOMEM : 0;
}

static int probe_run(void *priv, const void *opts, ave_job *job)
{
    const char *path = job->input_path;
    ave_media_info *mi = &job->media;
    AVFormatContext *fmt = NULL;
    struct stat sb;
    int ret, vi, ai, broken;

    (void)priv;
    (void)opts;
    memset(mi, 0, sizeof(*mi));
    mi->video_stream = mi->audio_stream = -1;

    if (stat(path, &sb) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: is a directory, not a video or audio file",
                            path);
    if (!S_ISREG(sb.st_mode))
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: not a regular file", path);
    if (sb.st_size == 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: empty file", path);
    mi->file_size = (int64_t)sb.st_size;

    if ((ret = avformat_open_input(&fmt, path, NULL, NULL)) < 0) {
        if (mp4_moov_state(path) == 0)
            ret = ave_job_fail(job, AVE_ERR_INPUT,
                               "%s: not a readable video or audio file (moov atom not found: "
                               "the recording is truncated or was never finalised)",
                               path);
        else
            ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: not a readable video or audio file (%s)",
                               path, av_err2str(ret));
        goto out;
    }
    if ((ret = avformat_find_stream_info(fmt, NULL)) < 0) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot read the streams (%s)", path,
                           av_err2str(ret));
        goto out;
    }
    copy_name(mi->format_name, sizeof(mi->format_name), fmt->iformat->name);

    vi = pick_video(fmt, &broken);
    if (vi < 0 && broken >= 0) {
        const AVCodecParameters *par = fmt->streams[broken]->codecpar;
        char tag[AV_FOURCC_MAX_STRING_SIZE];
        av_fourcc_make_string(tag, par->codec_tag);
        if (par->codec_id == AV_CODEC_ID_NONE)
            ret = ave_job_fail(job, AVE_ERR_INPUT,
                               "%s: the video stream cannot be read (unknown codec '%s': its "
                               "description is damaged or the codec is not supported)",
                               path, tag);
        else
            ret = ave_job_fail(job, AVE_ERR_UNSUPPORTED,
                               "%s: the video stream cannot be decoded (no %s decoder in this "
                               "build)",
                               path, avcodec_get_name(par->codec_id));
        goto out;
    }
    if (vi >= 0)
        fill_video(mi, fmt->streams[vi]);
    ai = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, vi, NULL, 0);
    if (ai >= 0) {
        if (avcodec_find_decoder(fmt->streams[ai]->codecpar->codec_id))
            fill_audio(mi, fmt->streams[ai]);
        else
            ave_log(AVE_LOG_WARNING, STAGE,
                    "%s: no decoder for the %s audio; treating the "
                    "input as video-only",
                    path, avcodec_get_name(fmt->streams[ai]->codecpar->codec_id));
    }
    if (!mi->has_video && !mi->has_audio) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: contains neither audio nor video", path);
        goto out;
    }
    if (mi->has_video && !mi->has_audio && is_still_image(fmt)) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: a still image (%s), not a video or audio "
                           "recording", path, mi->video_codec);
        goto out;
    }

    mi->duration_us = fmt->duration > 0 ? fmt->duration : 0;
    if (mi->duration_us <= 0)
        mi->duration_us = FFMAX(mi->video_duration_us, mi->audio_duration_us);
    if ((ret = check_limits(job, mi)) < 0)
        goto out;

    ave_log(AVE_LOG_INFO, STAGE, "%s: %s, %.2f s, %.1f MB", path, mi->format_name,
            mi->duration_us / 1e6, mi->file_size / 1e6);
    if (mi->has_video)
        ave_log(AVE_LOG_INFO, STAGE, "video: %s %dx%d %s, %.3f fps%s, rotation %d", mi->video_codec,
                mi->width, mi->height, mi->pix_fmt,
                mi->fps_den ? (double)mi->fps_num / mi->fps_den : 0.0, mi->vfr ? " (VFR)" : "",
                mi->rotation_deg);
    if (mi->has_audio)
        ave_log(AVE_LOG_INFO, STAGE, "audio: %s %d Hz, %d channel(s)", mi->audio_codec,
                mi->sample_rate, mi->channels);
    else
        ave_log(AVE_LOG_WARNING, STAGE,
                "no audio stream: speech and silence analysis skipped, the video is kept whole");

    if ((ret = add_metrics(job, mi)) < 0)
        goto out;
    ave_timeline_free(&job->timeline);
    if ((ret = ave_timeline_init(&job->timeline, mi->duration_us)) < 0)
        goto out;
    ret = 0;
out:
    avformat_close_input(&fmt);
    return ret;
}

const ave_stage ave_stage_probe = {
    .name = "probe",
    .description = "read the input's format, streams, duration and frame rate",
    .flags = 0,
    .weight = 0.01,
    .run = probe_run,
};
