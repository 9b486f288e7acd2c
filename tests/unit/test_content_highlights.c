/* Highlights for shorts (content_highlights.c, content_movement.c): the
 * stretch built to be the strongest (a question, a list, a number and the
 * talk's keyphrase) is picked first; picks are whole sentences, within the
 * length limits, never overlap, and are titled with their own reliable
 * keyphrase; a long pause costs; a monotone tone has no prosodic movement,
 * a tone that jumps in pitch and level has much. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "content/content.h"

static int64_t identity(const void *map, int64_t src_us)
{
    (void)map;
    return src_us;
}

/* 1 s per word (content_text_from_string): sentences of 6-8 words. */
static const char *const talk =
    "The old town library stands near the market. It was built by the council. "
    "People read newspapers there every single day. The walls are white and clean. "
    "What are the three parts of an electric motor? First the magnet of the electric motor. "
    "Second the coil of the electric motor. Third the switch costs twenty dollars. "
    "The library opened again in spring. The reading room is quiet and calm. "
    "People sit near the windows at noon. Thank you for listening to this talk today.";

static int is_sentence_start(const content_text *t, int64_t us)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->tok[i].start_us == us)
            return i == 0 || (t->tok[i - 1].flags & TOK_SENT_END);
    return 0;
}

static int is_sentence_end(const content_text *t, int64_t us)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->tok[i].end_us == us)
            return (t->tok[i].flags & TOK_SENT_END) != 0;
    return 0;
}

static void test_picks(void)
{
    content_text t;
    ave_keyphrase kp[2] = {{.text = "electric motor", .score = 1, .count = 3, .reliability = 0.95f},
                           {.text = "library", .score = 0.6f, .count = 2, .reliability = 0.5f}};
    hl_params p = {.count = 3, .min_us = 10000000, .max_us = 30000000, .min_reliability = 0.9,
                   .to_edit = identity};
    ave_highlight *h = NULL;
    size_t n = 0;

    CHECK_EQ_INT(content_text_from_string(&t, talk), 0);
    CHECK_EQ_INT(content_highlights(&t, kp, 2, NULL, 0, NULL, &p, &h, &n), 0);
    CHECK(n >= 2);
    if (n < 2) {
        free(h);
        content_text_free(&t);
        return;
    }
    /* the question opens at word 27 (0-based), so at 27 s */
    CHECK_EQ_INT(h[0].start_us, 27000000);
    CHECK(h[0].question == 1);
    CHECK(h[0].list == 1);
    CHECK(h[0].number >= 0.5);
    CHECK(h[0].keyphrases > 0.5);
    CHECK(!strcmp(h[0].title, "Electric Motor"));
    CHECK_NEAR(h[0].reliability, 0.95, 1e-6);
    for (size_t i = 0; i < n; i++) {
        int64_t len = h[i].edit_end_us - h[i].edit_start_us;
        CHECK(is_sentence_start(&t, h[i].start_us));
        CHECK(is_sentence_end(&t, h[i].end_us));
        CHECK(len >= p.min_us && len <= p.max_us);
        CHECK(i == 0 || h[i].score <= h[i - 1].score);
        for (size_t j = 0; j < i; j++)
            CHECK(h[i].end_us <= h[j].start_us || h[j].end_us <= h[i].start_us);
        /* "library" is not reliable enough to name a short */
        CHECK(strcmp(h[i].title, "Library") != 0);
    }
    free(h);

    /* too short a talk for the minimum: none, and no allocation */
    p.min_us = 200000000;
    p.max_us = 300000000;
    CHECK_EQ_INT(content_highlights(&t, kp, 2, NULL, 0, NULL, &p, &h, &n), 0);
    CHECK_EQ_INT(n, 0);
    CHECK(h == NULL);
    content_text_free(&t);
}

/* Two stretches alike but for a long pause inside one: the other wins.
 * The first sentence (words 0-9) has 5 s of pause after its sixth word. */
static int64_t pause_in_first_sentence(const void *map, int64_t src_us)
{
    (void)map;
    return src_us >= 5000000 ? src_us + 5000000 : src_us;
}

static void test_pause_penalty(void)
{
    content_text t;
    hl_params p = {.count = 2, .min_us = 9000000, .max_us = 16000000,
                   .to_edit = pause_in_first_sentence};
    ave_highlight *h = NULL;
    size_t n = 0;

    CHECK_EQ_INT(content_text_from_string(&t, "red orange yellow green blue indigo violet pink "
                                              "gray white. a b c d e f g h i j k. "
                                              "alpha beta gamma delta eps zeta eta theta iota."),
                 0);
    CHECK_EQ_INT(content_highlights(&t, NULL, 0, NULL, 0, NULL, &p, &h, &n), 0);
    CHECK(n >= 1);
    if (n >= 1) {
        CHECK(h[0].pause == 0);
        CHECK_EQ_INT(h[0].start_us, 10000000); /* the second sentence */
        CHECK(!strcmp(h[0].title, "Highlight 1"));
    }
    if (n >= 2) {
        CHECK_EQ_INT(h[1].start_us, 0);
        CHECK_NEAR(h[1].pause, 5.1 / 14.9, 0.01);
        CHECK(h[1].score < h[0].score);
    }
    free(h);
    content_text_free(&t);
}

static void tone(int16_t *x, size_t n, int rate, double f0_lo, double f0_hi, double amp_lo,
                 double amp_hi)
{
    double phase = 0;
    for (size_t i = 0; i < n; i++) {
        int second = (int)(i / (size_t)(rate / 4)) % 2; /* switch every 250 ms */
        double f = second ? f0_hi : f0_lo, a = second ? amp_hi : amp_lo;
        phase += 2 * M_PI * f / rate;
        /* a few harmonics, as a voice has */
        double v = sin(phase) + 0.5 * sin(2 * phase) + 0.25 * sin(3 * phase);
        x[i] = (int16_t)(a * 12000 * v);
    }
}

static void test_movement(void)
{
    const int rate = 16000;
    const size_t n = (size_t)rate * 6;
    int16_t *x = malloc(n * sizeof(*x));
    hl_movement flat = {0}, lively = {0};
    double a = 0, b = 0;

    if (!x)
        return;
    tone(x, n, rate, 150, 150, 1, 1);
    CHECK_EQ_INT(content_movement(x, n, rate, &flat), 0);
    tone(x, n, rate, 120, 220, 0.25, 1);
    CHECK_EQ_INT(content_movement(x, n, rate, &lively), 0);
    CHECK_EQ_INT(flat.count, 61);
    CHECK_EQ_INT(flat.hop_us, 100000);
    for (size_t i = 10; i + 10 < flat.count && i < lively.count; i++)
        a += flat.value[i], b += lively.value[i];
    a /= (double)(flat.count - 20);
    b /= (double)(flat.count - 20);
    CHECK(a < 0.05);
    CHECK(b > 0.7);
    free(flat.value);
    free(lively.value);
    free(x);
}

int main(void)
{
    test_picks();
    test_pause_penalty();
    test_movement();
    return CHECK_DONE();
}
