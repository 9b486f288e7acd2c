/* B-roll card rendering: a 40% stat card is a 1280x720 opaque PNG whose
 * donut shows the accent colour 20% of the way round and the dark track 70%
 * of the way round; every kind, at several sizes and as PIP, keeps all its
 * text (Pango ink extents) inside the card panel, even text far too long
 * (then ellipsized); a PIP card leaves the rest of the picture transparent.
 * Set BROLL_CARD_DIR to keep the PNGs for looking at them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "ave/ave.h"
#include "broll/broll.h"
#include "check.h"

static char dir[512];

/* fontconfig keeps a few bytes of its configuration for the process's life
 * even after Pango's caches are dropped: not ours, so LeakSanitizer (when
 * built with it) is told to ignore that library. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static void rgba_at(cairo_surface_t *s, int x, int y, int *r, int *g, int *b, int *a)
{
    const uint8_t *d = cairo_image_surface_get_data(s);
    uint32_t px = ((const uint32_t *)(d + (size_t)y * cairo_image_surface_get_stride(s)))[x];
    *a = (int)(px >> 24);
    *r = (int)((px >> 16) & 255), *g = (int)((px >> 8) & 255), *b = (int)(px & 255);
}

static void check_inside(const broll_card_layout *l, const char *what)
{
    CHECK(l->text_count > 0);
    for (int i = 0; i < l->text_count; i++) {
        const broll_box *b = &l->text[i];
        int ok = b->x >= l->card.x - 0.5 && b->y >= l->card.y - 0.5 &&
                 b->x + b->w <= l->card.x + l->card.w + 0.5 &&
                 b->y + b->h <= l->card.y + l->card.h + 0.5;
        if (!ok)
            fprintf(stderr, "%s: text box %d (%.0f,%.0f %.0fx%.0f) leaves the card\n", what, i,
                    b->x, b->y, b->w, b->h);
        CHECK(ok);
    }
}

static void path_for(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s.png", dir, name);
}

static void test_stat(void)
{
    broll_card c;
    broll_card_layout l;
    char path[600];
    cairo_surface_t *s;
    int r, g, b, a;

    memset(&c, 0, sizeof(c));
    c.kind = BROLL_STAT;
    snprintf(c.tag, sizeof(c.tag), "KEY NUMBER");
    snprintf(c.heading, sizeof(c.heading), "Of students study at night");
    snprintf(c.value, sizeof(c.value), "40%%");
    c.fraction = 0.40;
    path_for(path, sizeof(path), "stat_full");
    CHECK_EQ_INT(broll_card_render(&c, 1280, 720, AVE_OVERLAY_FULL, 0, path, &l), 0);
    s = cairo_image_surface_create_from_png(path);
    CHECK_EQ_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    CHECK_EQ_INT(cairo_image_surface_get_width(s), 1280);
    CHECK_EQ_INT(cairo_image_surface_get_height(s), 720);
    rgba_at(s, 2, 2, &r, &g, &b, &a);
    CHECK_EQ_INT(a, 255); /* a full card hides the video */
    CHECK(l.chart.w > 100);
    if (l.chart.w > 0) {
        double cx = l.chart.x + l.chart.w / 2, cy = l.chart.y + l.chart.h / 2;
        double rad = l.chart.w / 2, rm = rad - rad * 0.24 / 2;
        double a20 = -M_PI / 2 + 2 * M_PI * 0.20, a70 = -M_PI / 2 + 2 * M_PI * 0.70;
        rgba_at(s, (int)(cx + rm * cos(a20)), (int)(cy + rm * sin(a20)), &r, &g, &b, &a);
        CHECK(r > 230 && g > 150 && g < 210 && b < 90 && a == 255); /* amber share */
        rgba_at(s, (int)(cx + rm * cos(a70)), (int)(cy + rm * sin(a70)), &r, &g, &b, &a);
        CHECK(r < 70 && b > 80 && b < 120 && a == 255); /* dark track */
        /* the chart lies inside the card */
        CHECK(l.chart.x >= 0 && l.chart.y >= 0 && l.chart.x + l.chart.w <= 1280 &&
              l.chart.y + l.chart.h <= 720);
    }
    check_inside(&l, "stat");
    cairo_surface_destroy(s);
}

static void fill(broll_card *c, int kind)
{
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    c->fraction = -1;
    switch (kind) {
    case BROLL_TITLE:
        snprintf(c->tag, sizeof(c->tag), "CHAPTER 2");
        snprintf(c->heading, sizeof(c->heading), "How photosynthesis feeds the planet");
        break;
    case BROLL_STAT:
        snprintf(c->tag, sizeof(c->tag), "KEY NUMBER");
        snprintf(c->heading, sizeof(c->heading), "People use the library every year");
        snprintf(c->value, sizeof(c->value), "3 million");
        break;
    case BROLL_LIST:
        snprintf(c->tag, sizeof(c->tag), "3 STEPS");
        snprintf(c->heading, sizeof(c->heading), "Making a good study plan");
        c->item_count = 3;
        snprintf(c->items[0], 64, "Read the chapter");
        snprintf(c->items[1], 64, "Write a summary in your own words");
        snprintf(c->items[2], 64, "Test yourself");
        break;
    case BROLL_COMPARE:
        snprintf(c->tag, sizeof(c->tag), "COMPARISON");
        c->item_count = 2;
        snprintf(c->items[0], 64, "Active recall");
        snprintf(c->items[1], 64, "Rereading notes");
        break;
    default:
        snprintf(c->tag, sizeof(c->tag), "DEFINITION");
        snprintf(c->heading, sizeof(c->heading), "Photosynthesis");
        snprintf(c->body, sizeof(c->body),
                 "The process by which green plants turn sunlight, water and carbon dioxide "
                 "into sugar and oxygen");
        break;
    }
}

static void test_all_kinds(void)
{
    static const int sizes[][2] = {{1280, 720}, {640, 360}, {1920, 1080}, {720, 1280}};
    for (int kind = BROLL_TITLE; kind <= BROLL_DEFINITION; kind++) {
        for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
            for (int pl = 0; pl < 2; pl++) {
                broll_card c;
                broll_card_layout l;
                char name[96], path[600];
                if (pl == AVE_OVERLAY_PIP && !broll_pip_ok(sizes[z][0], sizes[z][1]))
                    continue; /* the stage uses full cards there */
                fill(&c, kind);
                snprintf(name, sizeof(name), "%s_%dx%d_%s", broll_kind_name(kind), sizes[z][0],
                         sizes[z][1], pl ? "pip" : "full");
                path_for(path, sizeof(path), name);
                CHECK_EQ_INT(broll_card_render(&c, sizes[z][0], sizes[z][1], pl, BROLL_TOP_RIGHT,
                                               path, &l), 0);
                check_inside(&l, name);
                if (l.ellipsized)
                    fprintf(stderr, "%s: ellipsized\n", name);
                CHECK_EQ_INT(l.ellipsized, 0); /* ordinary wording fits without "..." */
            }
        }
    }
}

static void test_overflow_and_pip(void)
{
    broll_card c;
    broll_card_layout l;
    char path[600];
    cairo_surface_t *s;
    int r, g, b, a;

    fill(&c, BROLL_DEFINITION);
    for (size_t i = 0; i + 1 < sizeof(c.body); i++)
        c.body[i] = "incomprehensibilities "[i % 22];
    c.body[sizeof(c.body) - 1] = '\0';
    snprintf(c.heading, sizeof(c.heading), "%s", "Pneumonoultramicroscopicsilicovolcanoconiosis "
             "and its many complicated consequences for everyone");
    path_for(path, sizeof(path), "overflow_pip");
    CHECK_EQ_INT(broll_card_render(&c, 1280, 720, AVE_OVERLAY_PIP, BROLL_BOTTOM_LEFT, path, &l), 0);
    check_inside(&l, "overflow");
    CHECK_EQ_INT(l.ellipsized, 1);
    /* bottom-left PIP: 42% of the picture, the rest transparent */
    CHECK_NEAR(l.card.w, 0.42 * 1280, 1);
    CHECK(l.card.x < 60 && l.card.y + l.card.h > 660);
    s = cairo_image_surface_create_from_png(path);
    rgba_at(s, 1200, 60, &r, &g, &b, &a);
    CHECK_EQ_INT(a, 0);
    rgba_at(s, (int)(l.card.x + l.card.w / 2), (int)(l.card.y + l.card.h / 2), &r, &g, &b, &a);
    CHECK_EQ_INT(a, 255);
    cairo_surface_destroy(s);
}

int main(void)
{
    const char *keep = getenv("BROLL_CARD_DIR");
    if (keep && *keep) {
        snprintf(dir, sizeof(dir), "%s", keep);
    } else {
        snprintf(dir, sizeof(dir), "%s/broll_card.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(dir))
            return 1;
    }
    test_stat();
    test_all_kinds();
    test_overflow_and_pip();
    if (!(keep && *keep)) {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    /* Pango and fontconfig keep process-wide caches; drop them so the
     * sanitizer's leak check sees only our own allocations. */
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    return CHECK_DONE();
}
