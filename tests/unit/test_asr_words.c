/* Recogniser word post-processing: token filtering, suffix stripping,
 * hesitation flags, frame-to-time conversion, speech regions, and parsing of
 * OpenAI-compatible verbose_json responses. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "speech/asr_response.h"
#include "speech/asr_words.h"
#include "speech/regions.h"
#include "speech/wav_encode.h"

static int norm(const char *tok, const char *expect)
{
    char out[48];
    int r = ave_asr_normalize_token(tok, out, sizeof(out));
    if (!expect)
        return r == 0;
    return r == 1 && !strcmp(out, expect);
}

static void test_tokens(void)
{
    CHECK(norm("<s>", NULL));
    CHECK(norm("</s>", NULL));
    CHECK(norm("<sil>", NULL));
    CHECK(norm("[NOISE]", NULL));
    CHECK(norm("[SPEECH]", NULL));
    CHECK(norm("+NSN+", NULL));
    CHECK(norm("[BLANK_AUDIO]", NULL));
    CHECK(norm("(laughs)", NULL));
    CHECK(norm("", NULL));
    CHECK(norm("  ", NULL));
    CHECK(norm("...", NULL));
    CHECK(norm(NULL, NULL));
    CHECK(norm("read(2)", "read"));
    CHECK(norm("the(12)", "the"));
    CHECK(norm("++UH++", "uh"));
    CHECK(norm("+um+", "um"));
    CHECK(norm(" Hello,", "hello"));
    CHECK(norm("don't", "don't"));
    CHECK(norm("'quoted'.", "quoted"));
    CHECK(norm("Well-known", "well-known"));
    CHECK(norm("WORD", "word"));
    /* A cut-off word keeps one trailing dash (stutter evidence). */
    CHECK(norm(" Th-", "th-"));
    CHECK(norm("the--,", "the-"));
    CHECK(norm("went\xe2\x80\x94", "went-"));
    CHECK(norm("to\xe2\x80\x93", "to-"));
    CHECK(norm("-", NULL));
    CHECK(norm("\xe2\x80\x94", NULL));
}

static void test_hesitations(void)
{
    const char *yes[] = {"um", "uh", "er", "ah", "hmm", "mm", "umm", "erm", "hm", NULL};
    const char *no[] = {"the", "like", "so", "you", "a", "hum", "umbrella", "", NULL};
    ave_word w;

    for (int i = 0; yes[i]; i++)
        CHECK(ave_asr_is_hesitation(yes[i]));
    for (int i = 0; no[i]; i++)
        CHECK(!ave_asr_is_hesitation(no[i]));
    CHECK(!ave_asr_is_hesitation(NULL));

    CHECK_EQ_INT(ave_asr_make_word(&w, "UM", 100, 200, 0.5), 1);
    CHECK(!strcmp(w.text, "um"));
    CHECK(w.flags & AVE_WORD_FILLER);
    CHECK_NEAR(w.filler_score, 1.0, 1e-6);
    CHECK_EQ_INT(ave_asr_make_word(&w, "fox(2)", 100, 200, 7.0), 1);
    CHECK(!strcmp(w.text, "fox"));
    CHECK_EQ_INT(w.flags, 0);
    CHECK_NEAR(w.confidence, 1.0, 1e-6);
    CHECK_EQ_INT(ave_asr_make_word(&w, "<sil>", 100, 200, 1.0), 0);
    CHECK_EQ_INT(ave_asr_make_word(&w, "x", 300, 200, -1.0), 1); /* end before start */
    CHECK_EQ_INT(w.end_us, 300);
    CHECK_NEAR(w.confidence, 0.0, 1e-6);
}

static void test_frames(void)
{
    /* A region starting at 12.345678 s: frame 0 is the region start, frame
     * 150 is 1.5 s later, at 100 frames/s. */
    CHECK_EQ_INT(ave_asr_frame_to_us(12345678, 0, 100), 12345678);
    CHECK_EQ_INT(ave_asr_frame_to_us(12345678, 150, 100), 13845678);
    CHECK_EQ_INT(ave_asr_frame_to_us(0, 1, 100), 10000);
    CHECK_EQ_INT(ave_asr_frame_to_us(0, 1, 3), 333333);
    CHECK_EQ_INT(ave_asr_frame_to_us(5, 10, 0), 5);
    /* No drift over an hour of frames. */
    CHECK_EQ_INT(ave_asr_frame_to_us(0, 360000, 100), 3600000000LL);
}

static void test_regions(void)
{
    ave_region_params p = {.pad_us = 100000, .merge_gap_us = 0, .max_len_us = 0};
    ave_interval sil[] = {{0, 1000000}, {3000000, 4000000}, {4000000, 4150000}, {6000000, 10000000}};
    ave_interval *r;
    size_t n;
    int16_t *pcm;

    /* 10 s: speech 1-3 s and 4.15-6 s. */
    CHECK_EQ_INT(ave_speech_regions(NULL, 160000, 16000, sil, 4, &p, &r, &n), 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(r[0].start_us, 900000);
        CHECK_EQ_INT(r[0].end_us, 3100000);
        CHECK_EQ_INT(r[1].start_us, 4050000);
        CHECK_EQ_INT(r[1].end_us, 6100000);
    }
    free(r);
    /* Merging closes the 0.95 s gap. */
    p.merge_gap_us = 1000000;
    CHECK_EQ_INT(ave_speech_regions(NULL, 160000, 16000, sil, 4, &p, &r, &n), 0);
    CHECK_EQ_INT(n, 1);
    free(r);
    /* No pauses: the whole file; padding clamps to the file. */
    CHECK_EQ_INT(ave_speech_regions(NULL, 16000, 16000, NULL, 0, &p, &r, &n), 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK(r[0].start_us == 0 && r[0].end_us == 1000000);
    free(r);
    /* All silence: nothing. */
    {
        ave_interval all = {0, 1000000};
        CHECK_EQ_INT(ave_speech_regions(NULL, 16000, 16000, &all, 1, &p, &r, &n), 0);
        CHECK_EQ_INT(n, 0);
        CHECK(r == NULL);
    }
    /* 60 s of tone with a dip at 25.0-25.2 s: split inside the dip, then
     * again 20-30 s later. */
    pcm = malloc(60 * 16000 * sizeof(*pcm));
    for (int i = 0; i < 60 * 16000; i++)
        pcm[i] = (i >= 400000 && i < 403200) ? 0 : (int16_t)((i % 40) * 500 - 10000);
    p.pad_us = 0;
    p.merge_gap_us = 0;
    p.max_len_us = 30000000;
    CHECK_EQ_INT(ave_speech_regions(pcm, 60 * 16000, 16000, NULL, 0, &p, &r, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK(r[0].end_us >= 25000000 && r[0].end_us <= 25200000); /* inside the dip */
        CHECK_EQ_INT(r[1].start_us, r[0].end_us);
        CHECK(r[1].end_us - r[1].start_us <= 30000000 && r[1].end_us - r[1].start_us >= 20000000);
        CHECK_EQ_INT(r[2].end_us, 60000000);
    }
    free(r);
    free(pcm);
}

static void test_response(void)
{
    const char *body =
        "{\"text\":\"Hello, um world.\",\"words\":["
        "{\"word\":\" Hello,\",\"start\":0.5,\"end\":0.9},"
        "{\"word\":\"um\",\"start\":1.0,\"end\":1.25,\"probability\":0.4},"
        "{\"word\":\"[BLANK_AUDIO]\",\"start\":1.3,\"end\":1.4},"
        "{\"word\":\"world.\",\"start\":1.3,\"end\":1.8}]}";
    const char *nested = "{\"text\":\"a b\",\"segments\":[{\"words\":[{\"word\":\"b\",\"start\":2,"
                         "\"end\":2.5},{\"word\":\"a\",\"start\":1,\"end\":1.5}]}]}";
    ave_word *w;
    size_t n;
    char err[128];

    CHECK_EQ_INT(ave_asr_parse_response(body, strlen(body), 10000000, &w, &n, err, sizeof(err)), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK(!strcmp(w[0].text, "hello"));
        CHECK_EQ_INT(w[0].start_us, 10500000);
        CHECK_EQ_INT(w[0].end_us, 10900000);
        CHECK_NEAR(w[0].confidence, 1.0, 1e-6);
        CHECK(!strcmp(w[1].text, "um"));
        CHECK(w[1].flags & AVE_WORD_FILLER);
        CHECK_NEAR(w[1].confidence, 0.4, 1e-6);
        CHECK(!strcmp(w[2].text, "world"));
        CHECK_EQ_INT(w[2].end_us, 11800000);
    }
    free(w);
    CHECK_EQ_INT(ave_asr_parse_response(nested, strlen(nested), 0, &w, &n, err, sizeof(err)), 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2)
        CHECK(!strcmp(w[0].text, "a") && w[1].start_us == 2000000);
    free(w);
    CHECK_EQ_INT(ave_asr_parse_response("{\"text\":\"\"}", 11, 0, &w, &n, err, sizeof(err)), 0);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(ave_asr_parse_response("{\"text\":\"hi\"}", 13, 0, &w, &n, err, sizeof(err)),
                 AVE_ERR_INPUT);
    CHECK(strstr(err, "no word timestamps") != NULL);
    CHECK_EQ_INT(ave_asr_parse_response("<html>", 6, 0, &w, &n, err, sizeof(err)), AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_asr_parse_response("{\"words\":[{\"word\":\"x\",\"start\":2,\"end\":1}]}", 42,
                                        0, &w, &n, err, sizeof(err)),
                 AVE_ERR_INPUT);
}

static void test_wav(void)
{
    int16_t pcm[3] = {1, -2, 0x1234};
    uint8_t *wav;
    size_t len;

    CHECK_EQ_INT(ave_wav_encode_s16(pcm, 3, 16000, &wav, &len), 0);
    CHECK_EQ_INT(len, 50);
    CHECK(!memcmp(wav, "RIFF", 4) && !memcmp(wav + 8, "WAVEfmt ", 8) && !memcmp(wav + 36, "data", 4));
    CHECK_EQ_INT(wav[4], 42); /* RIFF size = 36 + 6 */
    CHECK_EQ_INT(wav[24] | wav[25] << 8, 16000);
    CHECK_EQ_INT(wav[40], 6);
    CHECK(wav[44] == 1 && wav[45] == 0 && wav[46] == 0xFE && wav[47] == 0xFF && wav[48] == 0x34);
    free(wav);
}

int main(void)
{
    test_tokens();
    test_hesitations();
    test_frames();
    test_regions();
    test_response();
    test_wav();
    return CHECK_DONE();
}
