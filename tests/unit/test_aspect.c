/* The --aspect sizes that render reframes to and broll draws cards at: the
 * largest window of the aspect inside the picture, the cut side even; the
 * names --aspect takes and the file tags. */
#include <string.h>

#include "ave/aspect.h"
#include "check.h"

static void size_is(int sw, int sh, const char *label, int ew, int eh)
{
    int k = ave_aspect_find(label, strlen(label)), w = -1, h = -1;
    CHECK(k >= 0);
    if (k < 0)
        return;
    ave_aspect_size(sw, sh, ave_aspect_get(k)->num, ave_aspect_get(k)->den, &w, &h);
    CHECK_EQ_INT(w, ew);
    CHECK_EQ_INT(h, eh);
}

static void test_sizes(void)
{
    size_is(1280, 720, "9:16", 404, 720); /* 405 rounded down to even */
    size_is(1920, 1080, "9:16", 608, 1080); /* 607.5 rounds to even */
    size_is(640, 360, "9:16", 202, 360);
    size_is(1280, 720, "1:1", 720, 720);
    size_is(1280, 720, "4:5", 576, 720);
    /* a portrait source: 9:16 is the whole picture, 1:1 cuts the height */
    size_is(720, 1280, "9:16", 720, 1280);
    size_is(720, 1280, "1:1", 720, 720);
}

static void test_names(void)
{
    CHECK_EQ_INT(ave_aspect_find("9:16,1:1", 4), 0);
    CHECK_EQ_INT(ave_aspect_find("1:1", 3), 1);
    CHECK_EQ_INT(ave_aspect_find("4:5", 3), 2);
    CHECK_EQ_INT(ave_aspect_find("9:1", 3), -1);
    CHECK_EQ_INT(ave_aspect_find("16:9", 4), -1);
    CHECK_EQ_INT(ave_aspect_find("", 0), -1);
    CHECK(!strcmp(ave_aspect_get(0)->tag, "9x16"));
    CHECK(!strcmp(ave_aspect_get(2)->tag, "4x5"));
    CHECK(ave_aspect_get(AVE_ASPECT_COUNT) == NULL);
    CHECK(ave_aspect_get(-1) == NULL);
}

int main(void)
{
    test_sizes();
    test_names();
    return CHECK_DONE();
}
