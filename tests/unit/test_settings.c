/* Unit tests for ave_settings: defaults, name resolution (global, stage,
 * "stage.name"), error messages, the precedence defaults < profile < env <
 * flags in either application order, environment mapping and warnings, and
 * the foreach visitor. Stage checks are generic over whatever the registry
 * holds, so they run against the real pipeline. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/config.h"
#include "ave/error.h"
#include "ave/log.h"
#include "ave/stage.h"
#include "check.h"

typedef struct log_capture {
    int warnings;
    char last[512];
    char last_stage[32];
} log_capture;

static void capture(void *opaque, int level, const char *stage, const char *msg)
{
    log_capture *c = opaque;
    if (level == AVE_LOG_WARNING)
        c->warnings++;
    snprintf(c->last, sizeof c->last, "%s", msg);
    snprintf(c->last_stage, sizeof c->last_stage, "%s", stage ? stage : "");
}

static ave_settings *new_settings(void)
{
    ave_settings *s = NULL;
    CHECK_EQ_INT(ave_settings_new(&s), 0);
    if (!s)
        abort();
    return s;
}

static void test_defaults(void)
{
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_HIGH);
    CHECK_EQ_INT(c->mode, AVE_MODE_BALANCED);
    CHECK_NEAR(c->max_memory_gb, 8, 0);
    CHECK_EQ_INT(c->parallel, 1);
    CHECK_EQ_INT(c->progress, 1);
    CHECK(c->output == NULL);
    CHECK_EQ_INT(ave_settings_source(s, "quality"), AVE_SRC_DEFAULT);
    CHECK_EQ_INT(ave_settings_source(s, "no-such-option"), AVE_SRC_DEFAULT);
    CHECK(ave_settings_stage_opts(s, "no-such-stage") == NULL);
    CHECK(ave_settings_stage_opts(s, NULL) == NULL);
    ave_settings_free(s);
    ave_settings_free(NULL);
}

static void test_set_and_errors(void)
{
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);
    char err[256];

    CHECK_EQ_INT(ave_settings_set(s, "quality", "ultra", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_ULTRA);
    CHECK_EQ_INT(ave_settings_source(s, "quality"), AVE_SRC_FLAG);
    CHECK_EQ_INT(ave_settings_set(s, "max_memory", "2.5", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_NEAR(c->max_memory_gb, 2.5, 0);
    CHECK_EQ_INT(ave_settings_source(s, "max-memory"), AVE_SRC_FLAG);
    /* The original tool's name is for env/profiles only, not a flag. */
    CHECK_EQ_INT(ave_settings_set(s, "max-memory-gb", "3", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "unknown option --max-memory-gb (did you mean --max-memory?)"));
    CHECK_EQ_INT(ave_settings_set(s, "max-memory", "3", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_set(s, "parallel", "false", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(c->parallel, 0);
    CHECK_EQ_INT(ave_settings_set(s, "output", "/tmp/out dir", AVE_SRC_FLAG, err, sizeof err),
                 0);
    CHECK(c->output && !strcmp(c->output, "/tmp/out dir"));
    CHECK_EQ_INT(ave_settings_set(s, "output", "/tmp/other", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK(c->output && !strcmp(c->output, "/tmp/other"));
    CHECK_EQ_INT(ave_settings_set(s, "type", "music", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(c->content_type, AVE_TYPE_MUSIC);

    CHECK_EQ_INT(ave_settings_set(s, "quality", "best", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "--quality: 'best' is not one of low|medium|high|ultra"));
    CHECK_EQ_INT(c->quality, AVE_QUALITY_ULTRA);
    CHECK_EQ_INT(ave_settings_set(s, "max-memory", "0.1", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "--max-memory: 0.1 is below the minimum 0.25"));
    CHECK_EQ_INT(ave_settings_set(s, "max_memory", "lots", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "--max-memory: 'lots' is not a number of GB (or with a unit: 512MB, 4GB)"));
    CHECK_EQ_INT(ave_settings_set(s, "timeout", "604801", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "--timeout: 604801 is above the maximum 604800"));
    CHECK_EQ_INT(ave_settings_set(s, "api-timeout", "0", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK_NEAR(c->max_memory_gb, 3, 0);

    CHECK_EQ_INT(ave_settings_set(s, "qualty", "high", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "unknown option --qualty (did you mean --quality?)"));
    CHECK_EQ_INT(ave_settings_set(s, "max-memroy", "1", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "unknown option --max-memroy (did you mean --max-memory?)"));
    CHECK_EQ_INT(ave_settings_set(s, "enable-cacheing", "1", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "unknown option --enable-cacheing (did you mean --enable-caching?)"));
    CHECK_EQ_INT(ave_settings_set(s, "zzzzzzzz", "1", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "unknown option --zzzzzzzz"));
    CHECK_EQ_INT(ave_settings_set(s, "nostage.quality", "1", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(strstr(err, "unknown option --nostage.quality") == err);

    /* CLI-only options refuse a profile but accept flags and env. */
    CHECK_EQ_INT(ave_settings_set(s, "profile", "x", AVE_SRC_PROFILE, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(!strcmp(err, "--profile: cannot be set from a profile"));
    CHECK_EQ_INT(ave_settings_set(s, "profile", "x", AVE_SRC_ENV, err, sizeof err), 0);
    CHECK(c->profile && !strcmp(c->profile, "x"));

    CHECK_EQ_INT(ave_settings_set(s, "quality", "low", 9, err, sizeof err), AVE_ERR_INTERNAL);
    CHECK_EQ_INT(ave_settings_set(s, "quality", "low", AVE_SRC_FLAG, NULL, 0), 0);
    CHECK_EQ_INT(ave_settings_set(s, "quality", "nope", AVE_SRC_FLAG, NULL, 0), AVE_ERR_USAGE);
    ave_settings_free(s);
}

/* Each level overrides the previous one, whatever order they are applied. */
static void test_precedence(void)
{
    char err[256];
    const char *order[2][4] = {
        {"default", "profile", "env", "flag"},
        {"flag", "env", "profile", "default"},
    };
    for (int o = 0; o < 2; o++) {
        ave_settings *s = new_settings();
        const ave_config *c = ave_settings_config(s);
        for (int k = 0; k < 4; k++) {
            const char *lvl = order[o][k];
            if (!strcmp(lvl, "profile")) {
                /* quality, mode, max-memory, api-timeout set by the profile */
                CHECK_EQ_INT(ave_settings_set(s, "quality", "medium", AVE_SRC_PROFILE, err, sizeof err), 0);
                CHECK_EQ_INT(ave_settings_set(s, "mode", "fast", AVE_SRC_PROFILE, err, sizeof err), 0);
                CHECK_EQ_INT(ave_settings_set(s, "max-memory", "4", AVE_SRC_PROFILE, err, sizeof err), 0);
                CHECK_EQ_INT(ave_settings_set(s, "api-timeout", "10", AVE_SRC_PROFILE, err, sizeof err), 0);
            } else if (!strcmp(lvl, "env")) {
                char *env[] = {"AI_VIDEO_EDITOR_MODE=high_quality", "AI_VIDEO_EDITOR_MAX_MEMORY=5",
                               "AI_VIDEO_EDITOR_API_TIMEOUT=20", "PATH=/bin", NULL};
                CHECK_EQ_INT(ave_settings_apply_env(s, env, err, sizeof err), 0);
            } else if (!strcmp(lvl, "flag")) {
                CHECK_EQ_INT(ave_settings_set(s, "api-timeout", "40", AVE_SRC_FLAG, err, sizeof err), 0);
            }
            /* Even a lower-ranked value is validated. */
            if (!strcmp(lvl, "default") && o == 1) {
                CHECK_EQ_INT(ave_settings_set(s, "api-timeout", "0", AVE_SRC_PROFILE, err, sizeof err),
                             AVE_ERR_USAGE);
                CHECK(!strcmp(err, "--api-timeout: 0 is below the minimum 1"));
            }
        }
        CHECK_EQ_INT(c->content_type, AVE_TYPE_GENERAL);       /* default */
        CHECK_EQ_INT(c->quality, AVE_QUALITY_MEDIUM);          /* profile > default */
        CHECK_EQ_INT(c->mode, AVE_MODE_HIGH_QUALITY);          /* env > profile */
        CHECK_NEAR(c->max_memory_gb, 5, 0);                    /* env > profile */
        CHECK_NEAR(c->api_timeout_s, 40, 0);                   /* flag > env > profile */
        CHECK_EQ_INT(ave_settings_source(s, "type"), AVE_SRC_DEFAULT);
        CHECK_EQ_INT(ave_settings_source(s, "quality"), AVE_SRC_PROFILE);
        CHECK_EQ_INT(ave_settings_source(s, "mode"), AVE_SRC_ENV);
        CHECK_EQ_INT(ave_settings_source(s, "max_memory"), AVE_SRC_ENV);
        CHECK_EQ_INT(ave_settings_source(s, "api-timeout"), AVE_SRC_FLAG);
        ave_settings_free(s);
    }

    /* The same level twice: the later value wins (repeated flags). */
    ave_settings *s = new_settings();
    CHECK_EQ_INT(ave_settings_set(s, "quality", "low", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_set(s, "quality", "ultra", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_config(s)->quality, AVE_QUALITY_ULTRA);
    /* Strings outranked keep the higher value, with nothing leaked. */
    CHECK_EQ_INT(ave_settings_set(s, "temp-dir", "/flag", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_set(s, "temp-dir", "/env", AVE_SRC_ENV, err, sizeof err), 0);
    CHECK(!strcmp(ave_settings_config(s)->temp_dir, "/flag"));
    ave_settings_free(s);
}

static void test_env(void)
{
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);
    log_capture cap = {0};
    char err[256];

    ave_log_set_callback(capture, &cap);
    char *env[] = {
        "HOME=/root",
        "AI_VIDEO_EDITOR_QUALITY=low",
        "AI_VIDEO_EDITOR_MAX_MEMORY_GB=6",      /* original tool's name */
        "AI_VIDEO_EDITOR_CACHE_SIZE_GB=3.5",
        "AI_VIDEO_EDITOR_API_RATE_LIMIT=120",
        "AI_VIDEO_EDITOR_ENABLE_CACHING=yes",
        "AI_VIDEO_EDITOR_PARALLEL=off",
        "AI_VIDEO_EDITOR_TEMP_DIR=/var/tmp/ave",
        "AI_VIDEO_EDITOR_OUTPUT=",              /* empty: treated as unset */
        "AI_VIDEO_EDITOR_ASR_URL=http://x",     /* a future stage's: silent */
        "AI_VIDEO_EDITOR_OPENAI_API_KEY=sk",    /* silent */
        "AI_VIDEO_EDITOR_=1",                   /* no name: ignored */
        "NOT_AI_VIDEO_EDITOR_QUALITY=ultra",    /* other prefix */
        "AI_VIDEO_EDITOR_NOVALUE",              /* no '=': ignored */
        NULL,
    };
    CHECK_EQ_INT(ave_settings_apply_env(s, env, err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_LOW);
    CHECK_NEAR(c->max_memory_gb, 6, 0);
    CHECK_NEAR(c->cache_size_gb, 3.5, 0);
    CHECK_NEAR(c->api_rate_limit, 120, 0);
    CHECK_EQ_INT(c->enable_caching, 1);
    CHECK_EQ_INT(c->parallel, 0);
    CHECK(c->temp_dir && !strcmp(c->temp_dir, "/var/tmp/ave"));
    CHECK(c->output == NULL);
    CHECK_EQ_INT(ave_settings_source(s, "output"), AVE_SRC_DEFAULT);
    CHECK_EQ_INT(ave_settings_source(s, "cache-size-gb"), AVE_SRC_ENV);
    CHECK_EQ_INT(cap.warnings, 0);

    char *unknown[] = {"AI_VIDEO_EDITOR_QUALTY=low", NULL};
    CHECK_EQ_INT(ave_settings_apply_env(s, unknown, err, sizeof err), 0);
    CHECK_EQ_INT(cap.warnings, 1);
    CHECK(strstr(cap.last, "AI_VIDEO_EDITOR_QUALTY") != NULL);
    CHECK(!strcmp(cap.last_stage, "config"));

    char *bad[] = {"AI_VIDEO_EDITOR_MODE=fast", "AI_VIDEO_EDITOR_QUALITY=best", NULL};
    CHECK_EQ_INT(ave_settings_apply_env(s, bad, err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "AI_VIDEO_EDITOR_QUALITY: 'best' is not one of low|medium|high|ultra"));
    CHECK_EQ_INT(c->quality, AVE_QUALITY_LOW);
    char *bad2[] = {"AI_VIDEO_EDITOR_MAX_MEMORY=lots", NULL};
    CHECK_EQ_INT(ave_settings_apply_env(s, bad2, err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "AI_VIDEO_EDITOR_MAX_MEMORY: 'lots' is not a number of GB (or with a "
                        "unit: 512MB, 4GB)"));

    /* Env never beats a flag. */
    CHECK_EQ_INT(ave_settings_set(s, "quality", "ultra", AVE_SRC_FLAG, err, sizeof err), 0);
    char *later[] = {"AI_VIDEO_EDITOR_QUALITY=medium", NULL};
    CHECK_EQ_INT(ave_settings_apply_env(s, later, err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_ULTRA);
    CHECK_EQ_INT(ave_settings_apply_env(s, NULL, err, sizeof err), 0);

    ave_log_set_callback(NULL, NULL);
    ave_settings_free(s);
}

typedef struct visit_stats {
    size_t global, stage, set;
    int saw_quality_flag;
} visit_stats;

static int visit(void *opaque, const char *owner, const ave_option *opt, const void *target,
                 int source)
{
    visit_stats *v = opaque;
    char buf[512];
    if (owner)
        v->stage++;
    else
        v->global++;
    v->set += (size_t)ave_option_is_set(opt, target);
    CHECK_EQ_INT(ave_option_format(opt, target, buf, sizeof buf), 0);
    if (!owner && !strcmp(opt->name, "quality")) {
        CHECK(!strcmp(buf, "low"));
        v->saw_quality_flag = source == AVE_SRC_FLAG;
    }
    return 0;
}

static int stop_at_third(void *opaque, const char *owner, const ave_option *opt,
                         const void *target, int source)
{
    return ++*(int *)opaque == 3 ? 42 : 0;
}

static void test_foreach(void)
{
    ave_settings *s = new_settings();
    visit_stats v = {0};
    char err[256];
    size_t stage_opts = 0, count = 0;
    const ave_stage *const *stages = ave_stage_registry(&count);

    for (size_t i = 0; i < count; i++)
        for (const ave_option *o = stages[i]->options; o && o->name; o++)
            stage_opts++;
    CHECK_EQ_INT(ave_settings_set(s, "quality", "low", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_set(s, "timeout", "60", AVE_SRC_ENV, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_foreach(s, visit, &v), 0);
    /* + cache-dir (issue 8), export-only (issue 9), api-batch-size, api-retry-delay,
     * cache-aggressive, gpu-memory-limit, gpu-memory-growth (issue 24), sync-to,
     * beat-tolerance, target-duration (moved from the beats stage, issue 19) */
    CHECK_EQ_INT(v.global, 31);
    CHECK_EQ_INT(v.stage, stage_opts);
    CHECK_EQ_INT(v.set, 2);
    CHECK_EQ_INT(v.saw_quality_flag, 1);
    int calls = 0;
    CHECK_EQ_INT(ave_settings_foreach(s, stop_at_third, &calls), 42);
    CHECK_EQ_INT(calls, 3);
    ave_settings_free(s);
}

/* Stage options: defaults, "stage.name" and plain addressing, collisions. */
static void test_stage_options(void)
{
    ave_settings *s = new_settings();
    size_t count = 0, tested = 0;
    const ave_stage *const *stages = ave_stage_registry(&count);
    char err[256], buf[512], name[256];

    for (size_t i = 0; i < count; i++) {
        const ave_stage *st = stages[i];
        const void *opts = ave_settings_stage_opts(s, st->name);
        if (!st->options || !st->options[0].name) {
            CHECK(opts == NULL);
            continue;
        }
        CHECK(opts != NULL);
        for (const ave_option *o = st->options; o->name; o++) {
            CHECK_EQ_INT(ave_option_is_set(o, opts), 0); /* defaults filled */
            CHECK_EQ_INT(ave_option_format(o, opts, buf, sizeof buf), 0);
            snprintf(name, sizeof name, "%s.%s", st->name, o->name);
            CHECK_EQ_INT(ave_settings_source(s, name), AVE_SRC_DEFAULT);
            CHECK_EQ_INT(ave_settings_set(s, name, buf, AVE_SRC_FLAG, err, sizeof err), 0);
            CHECK_EQ_INT(ave_settings_source(s, name), AVE_SRC_FLAG);
            CHECK_EQ_INT(ave_option_is_set(o, opts), 0);

            /* Plain name: the global table wins, then the first stage. */
            const ave_option *g = ave_options_find(ave_config_options(), o->name);
            int first = 1;
            for (size_t j = 0; j < i && first; j++)
                if (ave_options_find(stages[j]->options, o->name))
                    first = 0;
            if (!g && first)
                CHECK_EQ_INT(ave_settings_source(s, o->name), AVE_SRC_FLAG);
            if (g)
                CHECK_EQ_INT(ave_settings_source(s, o->name), AVE_SRC_DEFAULT);

            if ((o->type == AVE_OPT_INT || o->type == AVE_OPT_DOUBLE) && o->min < o->max) {
                /* Strictly above the maximum whatever its sign. */
                snprintf(buf, sizeof buf, "%.17g", o->max + fabs(o->max) + 1);
                CHECK_EQ_INT(ave_settings_set(s, name, buf, AVE_SRC_FLAG, err, sizeof err),
                             AVE_ERR_USAGE);
                CHECK(strstr(err, "is above the maximum") != NULL);
                CHECK(strncmp(err, "--", 2) == 0);
            }
            tested++;
        }
    }
    fprintf(stderr, "checked %zu stage options\n", tested);
    ave_settings_free(s);
}

/* AI_VIDEO_EDITOR_<STAGE>_<OPTION> reaches stage options; NO_ENV ones warn. */
static void test_stage_env(void)
{
    size_t count = 0;
    const ave_stage *const *stages = ave_stage_registry(&count);
    log_capture cap = {0};
    char var[300], buf[256], err[256], name[200];

    ave_log_set_callback(capture, &cap);
    for (size_t i = 0; i < count; i++) {
        for (const ave_option *o = stages[i]->options; o && o->name; o++) {
            ave_settings *s = new_settings();
            const void *opts = ave_settings_stage_opts(s, stages[i]->name);
            int n = snprintf(var, sizeof var, "AI_VIDEO_EDITOR_%s_%s=", stages[i]->name, o->name);
            for (int k = 0; k < n; k++)
                var[k] = var[k] == '-' ? '_' : (char)toupper((unsigned char)var[k]);
            CHECK_EQ_INT(ave_option_format(o, opts, buf, sizeof buf), 0);
            if (!buf[0]) /* a string option without default; a list takes its choices */
                snprintf(buf, sizeof buf, "%s", o->choices ? o->choices[0] : "x");
            strncat(var, buf, sizeof var - strlen(var) - 1);
            char *env[] = {var, NULL};
            int before = cap.warnings;
            CHECK_EQ_INT(ave_settings_apply_env(s, env, err, sizeof err), 0);
            snprintf(name, sizeof name, "%s.%s", stages[i]->name, o->name);
            if (o->flags & AVE_OPTF_NO_ENV) {
                CHECK_EQ_INT(cap.warnings, before + 1);
                CHECK_EQ_INT(ave_settings_source(s, name), AVE_SRC_DEFAULT);
            } else {
                CHECK_EQ_INT(cap.warnings, before);
                CHECK_EQ_INT(ave_settings_source(s, name), AVE_SRC_ENV);
            }
            ave_settings_free(s);
        }
    }
    ave_log_set_callback(NULL, NULL);
}

int main(void)
{
    test_defaults();
    test_set_and_errors();
    test_precedence();
    test_env();
    test_foreach();
    test_stage_options();
    test_stage_env();
    return CHECK_DONE();
}
