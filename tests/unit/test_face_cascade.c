/* Cascade loading and window evaluation against hand arithmetic.
 *
 * A tiny synthetic cascade (6x6 window, 2 stages, 3 features) is written to
 * a temporary folder, loaded, and evaluated on crafted 6x6 windows whose
 * rectangle sums, variance normalisation (over the inner 4x4 = 16 pixels)
 * and stage sums are worked out in the comments. Then: a depth-2 tree, the
 * refusals (old format, tilted, LBP, malformed), a small fuzz of the XML,
 * and the shipped frontal-face cascade's shape. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/error.h"
#include "check.h"
#include "vision/face_internal.h"

static char dir[64];

#define HEAD "<?xml version=\"1.0\"?>\n<opencv_storage>\n<cascade type_id=\"opencv-cascade-classifier\">" \
    "<stageType>BOOST</stageType><featureType>HAAR</featureType><height>6</height><width>6</width>" \
    "<stageParams><maxWeakCount>2</maxWeakCount></stageParams><featureParams><maxCatCount>0</maxCatCount>" \
    "</featureParams><stageNum>2</stageNum>\n"
/* feature 0: bottom half minus top half; 1: -whole + 2*(top-left 3x3) +
 * 2*(bottom-right 3x3), a checker; 2 unused. */
#define FEATURES "<features>\n<_><rects><_>0 0 6 3 -1.</_><_>0 3 6 3 1.</_></rects></_>\n" \
    "<_><rects><_>0 0 6 6 -1.</_><_>0 0 3 3 2.</_><_>3 3 3 3 2.</_></rects><tilted>0</tilted></_>\n" \
    "<_><rects><_>1 1 2 2 -1.</_><_>1 1 1 1 4.</_></rects></_>\n</features></cascade>\n</opencv_storage>\n"

/* Stage 0: f0 < 0.1 ? -1 : +1, threshold exactly 1.0 (passes only thanks
 * to OpenCV's 1e-5 allowance). Stage 1: (f1 < 0.05 ? -0.5 : 0.7) +
 * (f0 < 0.3 ? 0.2 : 0.4) >= 0.5. */
static const char *stump_xml = HEAD
    "<stages>\n<_><maxWeakCount>1</maxWeakCount><stageThreshold>1.0</stageThreshold><weakClassifiers>\n"
    "<_><internalNodes>0 -1 0 0.1</internalNodes><leafValues>-1.0 1.0</leafValues></_>\n"
    "</weakClassifiers></_>\n"
    "<_><maxWeakCount>2</maxWeakCount><stageThreshold>0.5</stageThreshold><weakClassifiers>\n"
    "<_><internalNodes>0 -1 1 0.05</internalNodes><leafValues>-0.5 0.7</leafValues></_>\n"
    "<_><internalNodes>0 -1 0 0.3</internalNodes><leafValues>0.2 0.4</leafValues></_>\n"
    "</weakClassifiers></_>\n</stages>\n" FEATURES;

/* One stage, one tree: node 0 (f0 < 3.0 ? node 1 : leaf 0 = 0.9), node 1
 * (f1 < 0.5 ? leaf 1 = -0.3 : leaf 2 = 0.6); passes with sum >= 0. */
static const char *tree_xml = HEAD
    "<stages>\n<_><maxWeakCount>1</maxWeakCount><stageThreshold>0.0</stageThreshold><weakClassifiers>\n"
    "<_><internalNodes>1 0 0 3.0 -1 -2 1 0.5</internalNodes><leafValues>0.9 -0.3 0.6</leafValues></_>\n"
    "</weakClassifiers></_>\n</stages>\n" FEATURES;

static const char *write_file(const char *name, const char *text, size_t len)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return path;
    fwrite(text, 1, len, f);
    fclose(f);
    return path;
}

/* A 6x6 window from four 3x3 quadrant values. */
static void quad(uint8_t img[36], int tl, int tr, int bl, int br)
{
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 6; x++)
            img[y * 6 + x] = (uint8_t)(y < 3 ? (x < 3 ? tl : tr) : (x < 3 ? bl : br));
}

static int eval(const ave_cascade *c, const uint8_t img[36], float *sums, float *inv_nf)
{
    uint32_t s[49], q[49];
    face_eval ev;
    face_integral(img, 6, 6, 6, s, q, 7);
    if (face_eval_init(&ev, c, 7) < 0)
        return -100;
    face_window_norm(&ev, s, q, inv_nf);
    int r = face_eval_window(&ev, s, q, sums);
    face_eval_free(&ev);
    return r;
}

static void test_stumps(void)
{
    char err[256];
    ave_cascade *c = NULL;
    int r = ave_cascade_load(write_file("stumps.xml", stump_xml, strlen(stump_xml)), &c, err,
                             sizeof(err));
    CHECK_EQ_INT(r, 0);
    if (r < 0) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    int w, h;
    ave_cascade_window(c, &w, &h);
    CHECK_EQ_INT(w, 6);
    CHECK_EQ_INT(h, 6);
    CHECK_EQ_INT(c->nstages, 2);
    CHECK_EQ_INT(c->nfeatures, 3);
    CHECK(c->stumps_only);
    CHECK_NEAR(c->stages[0].threshold, 1.0 - 1e-5, 1e-7);
    CHECK_EQ_INT(c->features[1].nrects, 3);

    uint8_t img[36];
    float sums[2] = {0, 0}, inv;

    /* A: top 10, bottom 50. Inner 4x4: 8 px of 10, 8 of 50: sum 480,
     * squares 20800; nf = sqrt(16*20800 - 480^2) = sqrt(102400) = 320
     * (= 16 px * standard deviation 20). f0 = -180 + 900 = 720 -> 2.25:
     * stage 0 = +1 >= 1 - 1e-5, pass. f1 = -1080 + 2*90 + 2*450 = 0 -> 0 <
     * 0.05: -0.5; f0 2.25 >= 0.3: +0.4; stage 1 = -0.1 < 0.5: fails at 1. */
    quad(img, 10, 10, 50, 50);
    CHECK_EQ_INT(eval(c, img, sums, &inv), -1);
    CHECK_NEAR(1.0 / inv, 320.0, 1e-3);
    CHECK_NEAR(sums[0], 1.0, 1e-6);
    CHECK_NEAR(sums[1], -0.1, 1e-6);

    /* B: 10 10 / 50 90. Inner: 8 px of 10, 4 of 50, 4 of 90: sum 640,
     * squares 43200; nf = sqrt(16*43200 - 640^2) = sqrt(281600) = 530.66.
     * f0 = -180 + 1260 = 1080 -> 2.035: +1. f1 = -1440 + 2*90 + 2*810 =
     * 360 -> 0.678 >= 0.05: +0.7; f0: +0.4; stage 1 = 1.1: detected. */
    quad(img, 10, 10, 50, 90);
    CHECK_EQ_INT(eval(c, img, sums, &inv), 1);
    CHECK_NEAR(1.0 / inv, sqrt(281600.0), 1e-2);
    CHECK_NEAR(sums[1], 1.1, 1e-6);

    /* E: top 50, bottom 10: f0 = -720 -> -2.25 < 0.1: stage 0 = -1: fails
     * at stage 0 (returns 0, which makes the scan skip a step). */
    quad(img, 50, 50, 10, 10);
    CHECK_EQ_INT(eval(c, img, sums, &inv), 0);
    CHECK_NEAR(sums[0], -1.0, 1e-6);

    /* Flat window: nf = 0, rejected before any stage (-1). */
    memset(img, 100, sizeof(img));
    sums[0] = 42;
    CHECK_EQ_INT(eval(c, img, sums, &inv), -1);
    CHECK_NEAR(sums[0], 42, 0); /* no stage evaluated */

    /* Low contrast, the same shape as B scaled down: 100 100 / 104 112.
     * Inner sum 1664, squares 173440 (8*10000 + 4*10816 + 4*12544):
     * nf = sqrt(16*173440 - 1664^2) = sqrt(6144) = 78.38; area / nf = 0.204
     * >= 0.1 (standard deviation 4.9 <= 10): OpenCV rejects the window
     * although its features have B's signs. */
    quad(img, 100, 100, 104, 112);
    sums[0] = 42;
    CHECK_EQ_INT(eval(c, img, sums, &inv), -1);
    CHECK_NEAR(1.0 / inv, sqrt(6144.0), 1e-3);
    CHECK_NEAR(sums[0], 42, 0);

    /* Detection over a 12x12 image holding B at (4,2), grey 10 around it,
     * at scale 1 only (step 2). The scan must return exactly the windows
     * the evaluator accepts, visiting x += 2 and one more step after a
     * stage-0 failure: B's own window (4,2), and (0,2), (2,2), which also
     * hold B's bright lower-left quadrant under a dark top (f0 > 0, f1 > 0). */
    uint8_t big[144];
    uint32_t bs[169], bq[169];
    memset(big, 10, sizeof(big));
    quad(img, 10, 10, 50, 90);
    for (int y = 0; y < 6; y++)
        memcpy(big + (y + 2) * 12 + 4, img + y * 6, 6);
    ave_face_params p;
    ave_face_params_default(&p);
    p.max_size = 6;
    ave_face_rect *hits = NULL;
    size_t n = 0;
    CHECK_EQ_INT(face_detect_raw(c, big, 12, 12, 12, &p, &hits, &n), 0);
    face_integral(big, 12, 12, 12, bs, bq, 13);
    face_eval ev;
    face_eval_init(&ev, c, 13);
    size_t k = 0;
    int found_b = 0;
    for (int y = 0; y <= 6; y += 2)
        for (int x = 0; x <= 6; x += 2) {
            int rr = face_eval_window(&ev, bs + y * 13 + x, bq + y * 13 + x, NULL);
            if (rr > 0) {
                CHECK(k < n && hits[k].x == x && hits[k].y == y && hits[k].w == 6);
                found_b |= x == 4 && y == 2;
                k++;
            } else if (rr == 0) {
                x += 2;
            }
        }
    face_eval_free(&ev);
    CHECK_EQ_INT(n, k);
    CHECK_EQ_INT(n, 3);
    CHECK(found_b);
    free(hits);
    ave_cascade_free(c);
}

static void test_tree(void)
{
    ave_cascade *c = NULL;
    CHECK_EQ_INT(ave_cascade_load(write_file("tree.xml", tree_xml, strlen(tree_xml)), &c, NULL, 0),
                 0);
    if (!c)
        return;
    CHECK(!c->stumps_only);
    uint8_t img[36];
    float sums[1], inv;
    /* B: f0 2.035 < 3 -> node 1; f1 0.678 >= 0.5 -> leaf 2 = 0.6: pass. */
    quad(img, 10, 10, 50, 90);
    CHECK_EQ_INT(eval(c, img, sums, &inv), 1);
    CHECK_NEAR(sums[0], 0.6, 1e-6);
    /* A: f0 2.25 < 3 -> node 1; f1 0 < 0.5 -> leaf 1 = -0.3: fail at 0. */
    quad(img, 10, 10, 50, 50);
    CHECK_EQ_INT(eval(c, img, sums, &inv), 0);
    CHECK_NEAR(sums[0], -0.3, 1e-6);
    ave_cascade_free(c);
}

static void expect_refusal(const char *path, int code, const char *needle)
{
    char err[512] = "";
    ave_cascade *c = (ave_cascade *)1;
    int r = ave_cascade_load(path, &c, err, sizeof(err));
    CHECK_EQ_INT(r, code);
    CHECK(c == NULL);
    if (!strstr(err, needle))
        fprintf(stderr, "message for %s lacks \"%s\": %s\n", path, needle, err), check_failures++;
}

static void test_refusals(void)
{
    const char *hc = "/usr/share/opencv4/haarcascades/";
    char path[256];
    snprintf(path, sizeof(path), "%s%s", hc, "haarcascade_licence_plate_rus_16stages.xml");
    expect_refusal(path, AVE_ERR_INPUT, "old-format");
    snprintf(path, sizeof(path), "%s%s", hc, "haarcascade_frontalcatface_extended.xml");
    expect_refusal(path, AVE_ERR_INPUT, "tilted");
    expect_refusal("/nonexistent/cascade.xml", AVE_ERR_IO, "cannot open");
    expect_refusal("/usr/lib/python3/dist-packages/skimage/data/lbpcascade_frontalface_opencv.xml",
                   AVE_ERR_INPUT, "LBP");
    const char *bad = "<opencv_storage><cascade><stageType>BOOST</stageType>";
    expect_refusal(write_file("trunc.xml", bad, strlen(bad)), AVE_ERR_INPUT, "malformed XML");
    /* A rectangle leaving the 6x6 window, and a node naming feature 7. */
    char *s = strdup(stump_xml);
    char *p = strstr(s, "0 3 6 3 1.");
    memcpy(p, "0 4 6 3 1.", 10);
    expect_refusal(write_file("rect.xml", s, strlen(s)), AVE_ERR_INPUT, "outside");
    free(s);
    s = strdup(stump_xml);
    p = strstr(s, "0 -1 1 0.05");
    memcpy(p, "0 -1 7 0.05", 11);
    expect_refusal(write_file("feat.xml", s, strlen(s)), AVE_ERR_INPUT, "feature 7");
    free(s);
}

/* Random byte edits, deletions and truncations of the synthetic cascade:
 * every load must fail cleanly or yield a cascade that evaluates safely
 * (run under ASan to make this meaningful). */
static void test_fuzz(void)
{
    unsigned seed = 12345;
    const char junk[] = "<>/_-0123456789. e\"x";
    size_t len = strlen(tree_xml);
    char *buf = malloc(len + 1);
    int loaded = 0, refused = 0;
    uint8_t img[36];
    quad(img, 10, 10, 50, 90);
    for (int it = 0; it < 400; it++) {
        memcpy(buf, tree_xml, len + 1);
        size_t n = len;
        int edits = 1 + it % 4;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % n;
            switch ((seed >> 4) % 5) {
            case 0: buf[pos] = junk[(seed >> 16) % (sizeof(junk) - 1)]; break;
            case 1: memmove(buf + pos, buf + pos + 1, n - pos); n--; break;
            case 2: n = pos + 1; buf[n] = 0; break;
            case 3: buf[pos] = (char)(seed >> 20); break;
            default: /* a digit for another digit: mostly still valid XML */
                while (pos < n && (buf[pos] < '0' || buf[pos] > '9'))
                    pos++;
                if (pos < n)
                    buf[pos] = (char)('0' + (seed >> 12) % 10);
                break;
            }
        }
        ave_cascade *c = NULL;
        char err[256];
        int r = ave_cascade_load(write_file("fuzz.xml", buf, n), &c, err, sizeof(err));
        if (r == 0) {
            float sums[64], inv;
            if (c->nstages <= 64)
                eval(c, img, sums, &inv);
            loaded++;
        } else {
            CHECK(c == NULL && err[0] != '\0');
            refused++;
        }
        ave_cascade_free(c);
    }
    free(buf);
    printf("fuzz: %d loaded, %d refused\n", loaded, refused);
    CHECK(refused > 100);
}

static void test_shipped(void)
{
    char err[256];
    ave_cascade *c = NULL;
    CHECK_EQ_INT(ave_cascade_load(AVE_FACE_CASCADE_DEFAULT, &c, err, sizeof(err)), 0);
    if (!c)
        return;
    CHECK_EQ_INT(c->nstages, 25);
    CHECK_EQ_INT(c->win_w, 24);
    CHECK_EQ_INT(c->win_h, 24);
    CHECK_EQ_INT(c->ntrees, 2913);
    CHECK_EQ_INT(c->nfeatures, 2913);
    CHECK(c->stumps_only);
    /* First stage from the file: 9 stumps, threshold -5.0425500869750977. */
    CHECK_EQ_INT(c->stages[0].ntrees, 9);
    CHECK_NEAR(c->stages[0].threshold, -5.0425500869750977 - 1e-5, 1e-6);
    CHECK_EQ_INT(c->features[0].r[0].x, 6);
    CHECK_EQ_INT(c->features[0].r[1].h, 3);
    CHECK_NEAR(c->features[0].r[1].weight, 3.0, 0);
    ave_cascade_free(c);
    /* The other upright shipped cascades load too. */
    const char *ok[] = {"haarcascade_frontalface_alt.xml", "haarcascade_frontalface_alt2.xml",
                        "haarcascade_frontalface_alt_tree.xml", "haarcascade_eye.xml",
                        "haarcascade_profileface.xml"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), "/usr/share/opencv4/haarcascades/%s", ok[i]);
        c = NULL;
        int r = ave_cascade_load(path, &c, err, sizeof(err));
        if (r)
            fprintf(stderr, "%s\n", err);
        CHECK_EQ_INT(r, 0);
        ave_cascade_free(c);
    }
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/ave_face_XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_stumps();
    test_tree();
    test_refusals();
    test_fuzz();
    test_shipped();
    const char *names[] = {"stumps.xml", "tree.xml", "trunc.xml", "rect.xml", "feat.xml",
                           "fuzz.xml"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char p[128];
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return CHECK_DONE();
}
