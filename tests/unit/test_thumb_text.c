/* Thumbnail text and composition: the file-name fallback, text placement
 * away from a face box (left face -> right or a band clear of it; centred
 * face -> bottom band), a composed 1280x720 picture whose drawn text box
 * does not touch the face and really contains drawn text, and one without
 * text (nothing reliable to say) that is the graded picture alone. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "core/name_words.h"
#include "thumbnails/thumb.h"

static double overlap(const thumb_rect *a, const thumb_rect *b)
{
    double w = (a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w) - (a->x > b->x ? a->x : b->x);
    double h = (a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h) - (a->y > b->y ? a->y : b->y);
    return w > 0 && h > 0 ? w * h : 0;
}

static void test_clean_name(void)
{
    char buf[64];
    CHECK(ave_name_words("my_holiday-VIDEO 2", buf, sizeof(buf)));
    CHECK(!strcmp(buf, "My Holiday Video 2"));
    CHECK(!ave_name_words("__a--b__", buf, sizeof(buf)) && !strcmp(buf, "")); /* no word */
    CHECK(!ave_name_words("", buf, sizeof(buf)) && !strcmp(buf, ""));
    /* a word that does not fit is left out, never cut */
    CHECK(!ave_name_words("abcdefgh", buf, 4) && !strcmp(buf, ""));
}

static void test_region(void)
{
    thumb_image img = {calloc(1280 * 720, 4), 1280, 720};
    thumb_rect out, left = {100, 150, 300, 380}, centre = {520, 60, 240, 300};
    int a;

    CHECK(img.px != NULL);
    a = thumb_text_region(&img, &left, 1, &out);
    CHECK(a == THUMB_ALIGN_RIGHT);
    CHECK_NEAR(overlap(&out, &left), 0, 1e-9);
    a = thumb_text_region(&img, &centre, 1, &out);
    CHECK_EQ_INT(a, THUMB_ALIGN_BOTTOM);
    CHECK_NEAR(overlap(&out, &centre), 0, 1e-9);
    /* no face, busy bottom half: the text goes to the calm top */
    for (int y = 360; y < 720; y++)
        for (int x = 0; x < 1280; x++)
            img.px[y * 1280 + x] = ((x / 2 + y / 2) & 1) ? 0xFFFFFF : 0;
    a = thumb_text_region(&img, NULL, 0, &out);
    CHECK_EQ_INT(a, THUMB_ALIGN_TOP);
    thumb_image_free(&img);
}

static void test_compose(void)
{
    /* 1920x1080 grey frame, a face box on the right: covered at 2/3 scale
     * by strategies without zoom, so the face lands at (768,144,256,252) */
    thumb_image frame = {malloc((size_t)1920 * 1080 * 4), 1920, 1080}, out;
    ave_face face = {0.6f, 0.2f, 0.2f, 0.35f, 5, -1};
    thumb_rect box, fbox = {768, 144, 256, 252};
    size_t nstyles;
    const thumb_style *styles = thumb_styles_for(AVE_TYPE_EDUCATIONAL, &nstyles);

    CHECK(frame.px != NULL);
    for (size_t i = 0; i < (size_t)1920 * 1080; i++)
        frame.px[i] = 0x6080A0;
    CHECK_EQ_INT(nstyles, 3);
    for (size_t s = 0; s < nstyles; s++) {
        int changed = 0, total = 0;
        CHECK_EQ_INT(thumb_compose(&frame, &face, 1, &styles[s], "How Rockets Really Fly", &out,
                                   &box), 0);
        CHECK_EQ_INT(out.width, 1280);
        CHECK_EQ_INT(out.height, 720);
        if (styles[s].face_zoom == 0)
            CHECK_NEAR(overlap(&box, &fbox), 0, 1e-9);
        CHECK(box.w > 300 && box.h > 60); /* large text */
        /* text pixels: the style's fill colour inside the box */
        for (int y = (int)box.y; y < (int)(box.y + box.h) && y < 720; y++)
            for (int x = (int)box.x; x < (int)(box.x + box.w) && x < 1280; x++) {
                total++;
                changed += (out.px[y * 1280 + x] & 0xFFFFFF) == styles[s].text_rgb;
            }
        CHECK(changed > total / 20);
        thumb_image_free(&out);
    }
    /* no text: no box, and no band (the educational band is blue: the
     * grey frame's pixels stay grey-blue, none of them the band colour) */
    CHECK_EQ_INT(thumb_compose(&frame, &face, 1, &styles[0], "", &out, &box), 0);
    CHECK(box.w == 0 && box.h == 0);
    int text_px = 0;
    for (size_t i = 0; i < (size_t)1280 * 720; i++)
        text_px += (out.px[i] & 0xFFFFFF) == styles[0].text_rgb;
    CHECK_EQ_INT(text_px, 0);
    thumb_image_free(&out);
    free(frame.px);
}

/* fontconfig keeps its configuration for the life of the process by
 * design; LeakSanitizer (sanitizer builds) must not report it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    test_clean_name();
    test_region();
    test_compose();
    return CHECK_DONE();
}
