/* Unit tests for the generic option-table functions (src/config/options.c)
 * on a local table covering every type, and sanity checks of the global
 * ave_config table (defaults in range, help present, names unique, every
 * default formats to text that parses back to the same value). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/config.h"
#include "ave/error.h"
#include "ave/options.h"
#include "check.h"

typedef struct demo {
    int flag;
    int64_t count;
    double ratio;
    int color;
    char *label;
    char *path;
} demo;

static const char *const colors[] = {"red", "dark_green", "blue", NULL};

static const ave_option demo_table[] = {
    {.name = "flag", .type = AVE_OPT_BOOL, .offset = offsetof(demo, flag), .def.i = 1, .help = "f"},
    {.name = "item-count", .type = AVE_OPT_INT, .offset = offsetof(demo, count), .def.i = 10,
     .min = -5, .max = 100, .help = "c"},
    {.name = "ratio", .type = AVE_OPT_DOUBLE, .offset = offsetof(demo, ratio), .def.d = 0.5,
     .min = 0.25, .max = 4, .help = "r"},
    {.name = "color", .type = AVE_OPT_ENUM, .offset = offsetof(demo, color), .def.i = 2,
     .choices = colors, .help = "e"},
    {.name = "label", .type = AVE_OPT_STRING, .offset = offsetof(demo, label), .def.s = "hello",
     .help = "s"},
    {.name = "path", .type = AVE_OPT_STRING, .offset = offsetof(demo, path), .def.s = NULL,
     .help = "p"},
    {.name = NULL},
};

static const ave_option *opt(const char *name)
{
    const ave_option *o = ave_options_find(demo_table, name);
    if (!o) {
        fprintf(stderr, "option %s missing from demo table\n", name);
        abort();
    }
    return o;
}

static void test_defaults_and_find(void)
{
    demo d;
    memset(&d, 0, sizeof d);
    CHECK_EQ_INT(ave_options_set_defaults(demo_table, &d), 0);
    CHECK_EQ_INT(d.flag, 1);
    CHECK_EQ_INT(d.count, 10);
    CHECK_NEAR(d.ratio, 0.5, 0);
    CHECK_EQ_INT(d.color, 2);
    CHECK(d.label && !strcmp(d.label, "hello"));
    CHECK(d.label != demo_table[4].def.s); /* a copy, owned by d */
    CHECK(d.path == NULL);
    for (const ave_option *o = demo_table; o->name; o++)
        CHECK_EQ_INT(ave_option_is_set(o, &d), 0);

    CHECK(ave_options_find(demo_table, "item-count") == &demo_table[1]);
    CHECK(ave_options_find(demo_table, "item_count") == &demo_table[1]);
    CHECK(ave_options_find(demo_table, "item") == NULL);
    CHECK(ave_options_find(demo_table, "item-count-x") == NULL);
    CHECK(ave_options_find(demo_table, NULL) == NULL);
    CHECK(ave_options_find(NULL, "flag") == NULL);

    ave_options_free_strings(demo_table, &d);
    CHECK(d.label == NULL && d.path == NULL);
}

static void test_parse_bool(void)
{
    demo d = {0};
    char err[200];
    const char *truthy[] = {"1", "true", "TRUE", "yes", "On", " on "};
    const char *falsy[] = {"0", "false", "no", "OFF", "No"};
    for (size_t i = 0; i < sizeof truthy / sizeof *truthy; i++) {
        d.flag = 0;
        CHECK_EQ_INT(ave_option_parse(opt("flag"), &d, truthy[i], err, sizeof err), 0);
        CHECK_EQ_INT(d.flag, 1);
    }
    for (size_t i = 0; i < sizeof falsy / sizeof *falsy; i++) {
        d.flag = 1;
        CHECK_EQ_INT(ave_option_parse(opt("flag"), &d, falsy[i], err, sizeof err), 0);
        CHECK_EQ_INT(d.flag, 0);
    }
    d.flag = 0;
    CHECK_EQ_INT(ave_option_parse(opt("flag"), &d, NULL, err, sizeof err), 0); /* bare flag */
    CHECK_EQ_INT(d.flag, 1);
    CHECK_EQ_INT(ave_option_parse(opt("flag"), &d, "maybe", err, sizeof err), AVE_ERR_USAGE);
    CHECK(strstr(err, "'maybe' is not a boolean") == err);
    CHECK_EQ_INT(d.flag, 1); /* untouched on error */
    CHECK_EQ_INT(ave_option_parse(opt("flag"), &d, "", err, sizeof err), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_option_parse(opt("flag"), &d, "2", err, sizeof err), AVE_ERR_USAGE);
}

static void test_parse_numbers(void)
{
    demo d = {0};
    char err[200];
    const ave_option *cnt = opt("item-count"), *ratio = opt("ratio");

    CHECK_EQ_INT(ave_option_parse(cnt, &d, "42", err, sizeof err), 0);
    CHECK_EQ_INT(d.count, 42);
    CHECK_EQ_INT(ave_option_parse(cnt, &d, "-5", err, sizeof err), 0); /* inclusive min */
    CHECK_EQ_INT(d.count, -5);
    CHECK_EQ_INT(ave_option_parse(cnt, &d, "100", err, sizeof err), 0); /* inclusive max */
    CHECK_EQ_INT(d.count, 100);
    CHECK_EQ_INT(ave_option_parse(cnt, &d, "101", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "101 is above the maximum 100"));
    CHECK_EQ_INT(ave_option_parse(cnt, &d, "-6", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "-6 is below the minimum -5"));
    CHECK_EQ_INT(ave_option_parse(cnt, &d, "4.5", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "'4.5' is not an integer"));
    CHECK_EQ_INT(ave_option_parse(cnt, &d, "99999999999999999999999", err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(strstr(err, "out of range") != NULL);
    CHECK_EQ_INT(d.count, 100); /* every failure left it alone */

    CHECK_EQ_INT(ave_option_parse(ratio, &d, "2.5", err, sizeof err), 0);
    CHECK_NEAR(d.ratio, 2.5, 0);
    CHECK_EQ_INT(ave_option_parse(ratio, &d, " 1e0 ", err, sizeof err), 0);
    CHECK_NEAR(d.ratio, 1.0, 0);
    CHECK_EQ_INT(ave_option_parse(ratio, &d, "0.1", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "0.1 is below the minimum 0.25"));
    CHECK_EQ_INT(ave_option_parse(ratio, &d, "4.01", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "4.01 is above the maximum 4"));
    CHECK_EQ_INT(ave_option_parse(ratio, &d, "lots", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "'lots' is not a number"));
    CHECK_EQ_INT(ave_option_parse(ratio, &d, "nan", err, sizeof err), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_option_parse(ratio, &d, "inf", err, sizeof err), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_option_parse(ratio, &d, "2x", err, sizeof err), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_option_parse(ratio, &d, NULL, err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "a value is required"));
    CHECK_NEAR(d.ratio, 1.0, 0);

    /* A long value is quoted back bounded, not overflowing err. */
    char big[1000];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char small[16];
    CHECK_EQ_INT(ave_option_parse(ratio, &d, big, small, sizeof small), AVE_ERR_USAGE);
    CHECK_EQ_INT(strlen(small), sizeof small - 1);
    /* NULL err is allowed. */
    CHECK_EQ_INT(ave_option_parse(ratio, &d, "x", NULL, 0), AVE_ERR_USAGE);
}

static void test_parse_enum_string(void)
{
    demo d = {0};
    char err[200];
    const ave_option *color = opt("color"), *label = opt("label");

    CHECK_EQ_INT(ave_option_parse(color, &d, "red", err, sizeof err), 0);
    CHECK_EQ_INT(d.color, 0);
    CHECK_EQ_INT(ave_option_parse(color, &d, "Dark-Green", err, sizeof err), 0);
    CHECK_EQ_INT(d.color, 1);
    CHECK_EQ_INT(ave_option_parse(color, &d, "purple", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "'purple' is not one of red|dark_green|blue"));
    CHECK_EQ_INT(d.color, 1);

    CHECK_EQ_INT(ave_option_parse(label, &d, "first", err, sizeof err), 0);
    CHECK(d.label && !strcmp(d.label, "first"));
    CHECK_EQ_INT(ave_option_parse(label, &d, " keep spaces ", err, sizeof err), 0);
    CHECK(d.label && !strcmp(d.label, " keep spaces ")); /* strings are not trimmed */
    CHECK_EQ_INT(ave_option_parse(label, &d, "", err, sizeof err), 0);
    CHECK(d.label == NULL); /* empty means none */
    CHECK_EQ_INT(ave_option_parse(label, &d, "again", err, sizeof err), 0);
    ave_options_free_strings(demo_table, &d);
}

static void test_format_is_set(void)
{
    demo d;
    char buf[64];
    memset(&d, 0, sizeof d);
    CHECK_EQ_INT(ave_options_set_defaults(demo_table, &d), 0);

    CHECK_EQ_INT(ave_option_format(opt("flag"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, "true"));
    CHECK_EQ_INT(ave_option_format(opt("item-count"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, "10"));
    CHECK_EQ_INT(ave_option_format(opt("ratio"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, "0.5"));
    CHECK_EQ_INT(ave_option_format(opt("color"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, "blue"));
    CHECK_EQ_INT(ave_option_format(opt("label"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, "hello"));
    CHECK_EQ_INT(ave_option_format(opt("path"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, ""));

    /* Shortest exact text: 0.1 stays "0.1", 1/3 keeps every digit. */
    d.ratio = 0.1;
    CHECK_EQ_INT(ave_option_format(opt("ratio"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, "0.1"));
    d.ratio = 1.0 / 3.0;
    CHECK_EQ_INT(ave_option_format(opt("ratio"), &d, buf, sizeof buf), 0);
    CHECK(strtod(buf, NULL) == 1.0 / 3.0);
    static const struct {
        double v;
        const char *text;
    } doubles[] = {{700, "700"},     {604800, "604800"}, {1e6, "1000000"}, {-1500, "-1500"},
                   {2.5e-5, "2.5e-05"}, {0.25, "0.25"},   {1024, "1024"},   {0, "0"},
                   {12.75, "12.75"},  {1e20, "1e+20"}};
    for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
        d.ratio = doubles[i].v;
        CHECK_EQ_INT(ave_option_format(opt("ratio"), &d, buf, sizeof buf), 0);
        if (strcmp(buf, doubles[i].text)) {
            fprintf(stderr, "format %g: got '%s', expected '%s'\n", doubles[i].v, buf,
                    doubles[i].text);
            check_failures++;
        }
    }
    d.count = -3;
    CHECK_EQ_INT(ave_option_format(opt("item-count"), &d, buf, sizeof buf), 0);
    CHECK(!strcmp(buf, "-3"));

    /* Truncation is reported, the text stays terminated. */
    char tiny[3];
    CHECK_EQ_INT(ave_option_format(opt("label"), &d, tiny, sizeof tiny), AVE_ERR_LIMIT);
    CHECK(!strcmp(tiny, "he"));
    d.color = 7;
    CHECK_EQ_INT(ave_option_format(opt("color"), &d, buf, sizeof buf), AVE_ERR_INTERNAL);
    d.color = 2;

    CHECK_EQ_INT(ave_option_is_set(opt("ratio"), &d), 1);
    CHECK_EQ_INT(ave_option_is_set(opt("item-count"), &d), 1);
    CHECK_EQ_INT(ave_option_is_set(opt("color"), &d), 0);
    d.flag = 0;
    CHECK_EQ_INT(ave_option_is_set(opt("flag"), &d), 1);
    free(d.label);
    d.label = strdup("hello"); /* equal text, different pointer: not set */
    CHECK_EQ_INT(ave_option_is_set(opt("label"), &d), 0);
    free(d.label);
    d.label = NULL;
    CHECK_EQ_INT(ave_option_is_set(opt("label"), &d), 1);
    d.path = strdup("/tmp");
    CHECK_EQ_INT(ave_option_is_set(opt("path"), &d), 1);
    ave_options_free_strings(demo_table, &d);
}

/* The global table: every entry well formed, defaults as documented. */
static void test_config_table(void)
{
    const ave_option *t = ave_config_options();
    ave_config c;
    char buf[256], err[200];
    size_t n = 0;

    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(ave_options_set_defaults(t, &c), 0);
    for (const ave_option *o = t; o->name; o++, n++) {
        CHECK(o->help && strlen(o->help) > 10);
        CHECK(!strchr(o->name, '_')); /* flag spelling */
        for (const ave_option *p = t; p < o; p++)
            CHECK(strcmp(p->name, o->name) != 0);
        if (o->type == AVE_OPT_DOUBLE && o->min < o->max)
            CHECK(o->def.d >= o->min && o->def.d <= o->max);
        /* The canonical text of each default parses back to the default. */
        CHECK_EQ_INT(ave_option_format(o, &c, buf, sizeof buf), 0);
        if (o->type != AVE_OPT_STRING) {
            CHECK_EQ_INT(ave_option_parse(o, &c, buf, err, sizeof err), 0);
            CHECK_EQ_INT(ave_option_is_set(o, &c), 0);
        }
    }
    /* + export-only (issue 9); api-batch-size, api-retry-delay, cache-aggressive,
     * gpu-memory-limit, gpu-memory-growth (issue 24); sync-to, beat-tolerance,
     * target-duration (from the beats stage's table: plan reads them too) */
    CHECK_EQ_INT(n, 31);
    CHECK_EQ_INT(c.beat_sync_to, AVE_BEAT_SYNC_BEATS);
    CHECK_NEAR(c.beat_tolerance_s, 0, 0);
    CHECK_NEAR(c.target_duration_s, 0, 0);
    CHECK_EQ_INT(c.content_type, AVE_TYPE_GENERAL);
    CHECK_EQ_INT(c.quality, AVE_QUALITY_HIGH);
    CHECK_EQ_INT(c.mode, AVE_MODE_BALANCED);
    CHECK_NEAR(c.max_memory_gb, 8, 0);
    CHECK_EQ_INT(c.parallel, 1);
    CHECK(c.output == NULL && c.temp_dir == NULL && c.profile == NULL && c.profiles_file == NULL);
    CHECK_NEAR(c.timeout_s, 0, 0);
    CHECK_NEAR(c.api_timeout_s, 30, 0);
    CHECK_EQ_INT(c.enable_caching, 1); /* on by default (issue 8) */
    CHECK_NEAR(c.cache_size_gb, 2, 0);
    CHECK_NEAR(c.api_rate_limit, 60, 0);
    CHECK_EQ_INT(c.progress, 1);
    CHECK_EQ_INT(c.enable_beat_sync + c.disable_filler_detection + c.enable_broll_generation +
                     c.enable_concept_detection + c.adaptive_processing +
                     c.enable_gpu_acceleration,
                 0);

    const ave_option *q = ave_options_find(t, "quality");
    CHECK_EQ_INT(ave_option_parse(q, &c, "best", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "'best' is not one of low|medium|high|ultra"));
    const ave_option *mm = ave_options_find(t, "max_memory");
    CHECK(mm && mm->type == AVE_OPT_DOUBLE);
    CHECK_EQ_INT(ave_option_parse(mm, &c, "0.1", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "0.1 is below the minimum 0.25"));
    const ave_option *mode = ave_options_find(t, "mode");
    CHECK_EQ_INT(ave_option_parse(mode, &c, "high-quality", err, sizeof err), 0);
    CHECK_EQ_INT(c.mode, AVE_MODE_HIGH_QUALITY);
    CHECK(ave_options_find(t, "profile")->flags & AVE_OPTF_CLI_ONLY);
    CHECK(ave_options_find(t, "profiles-file")->flags & AVE_OPTF_CLI_ONLY);
    CHECK(!strcmp(ave_options_find(t, "enable-beat-sync")->stage, "beats"));
    CHECK(ave_options_find(t, "quality")->flags & AVE_OPTF_NO_RESULT);
    CHECK(!(ave_options_find(t, "mode")->flags & AVE_OPTF_NO_RESULT));
    ave_options_free_strings(t, &c);
}

/* Sizes as the original tool's guide writes them (GPU_MEMORY_LIMIT=4GB). */
static void test_parse_sizes(void)
{
    const ave_option *t = ave_config_options();
    const ave_option *lim = ave_options_find(t, "gpu-memory-limit");
    const ave_option *mem = ave_options_find(t, "max-memory");
    static const struct {
        const char *text;
        double gb;
    } ok[] = {{"4GB", 4},   {"4", 4},       {"512MB", 0.5},     {"1.5 GiB", 1.5},
              {"2T", 2048}, {"4 gb", 4},    {"1073741824B", 1}, {"262144k", 0.25},
              {"0.5G", 0.5}, {"3072MiB", 3}};
    static const char *const bad[] = {"4XB", "GB", "4 G B", "4GBs", "-1GB", "1e400GB", "4 bytes"};
    ave_config c;
    char err[256];

    CHECK(lim != NULL && mem != NULL);
    if (!lim || !mem)
        return;
    CHECK(lim->flags & AVE_OPTF_SIZE_GB);
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        c.gpu_memory_limit_gb = -1;
        CHECK_EQ_INT(ave_option_parse(lim, &c, ok[i].text, err, sizeof err), 0);
        CHECK(fabs(c.gpu_memory_limit_gb - ok[i].gb) < 1e-9);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_EQ_INT(ave_option_parse(lim, &c, bad[i], err, sizeof err), AVE_ERR_USAGE);
    CHECK(strstr(err, "512MB") != NULL); /* the message shows the accepted forms */
    CHECK_EQ_INT(ave_option_parse(mem, &c, "512MB", err, sizeof err), 0);
    CHECK(fabs(c.max_memory_gb - 0.5) < 1e-12);
    /* Still range-checked after the unit: --max-memory needs 0.25 GB. */
    CHECK_EQ_INT(ave_option_parse(mem, &c, "100MB", err, sizeof err), AVE_ERR_USAGE);
    /* A plain number of another option takes no unit. */
    CHECK_EQ_INT(ave_option_parse(ave_options_find(t, "timeout"), &c, "5GB", err, sizeof err),
                 AVE_ERR_USAGE);
}

int main(void)
{
    test_parse_sizes();
    test_defaults_and_find();
    test_parse_bool();
    test_parse_numbers();
    test_parse_enum_string();
    test_format_is_set();
    test_config_table();
    return CHECK_DONE();
}
