/* Unit tests for performance profiles: built-ins, a good file (inheritance,
 * key spellings, scalar styles), every error message (syntax with line,
 * unknown key, bad value, unknown profile, unreadable file, cycles, nested
 * values, duplicates), file profiles replacing built-ins, precedence against
 * env/flags, atomicity on error, and the lookup order of
 * ave_profiles_locate (./, $XDG_CONFIG_HOME, ~/.config) in a temp dir. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/config.h"
#include "ave/error.h"
#include "ave/stage.h"
#include "check.h"

static char tmp_root[PATH_MAX];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* Writes text into tmp_root/name and returns the path (static buffer). */
static const char *profile_file(const char *name, const char *text)
{
    static char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", tmp_root, name);
    write_file(path, text);
    return path;
}

static ave_settings *new_settings(void)
{
    ave_settings *s = NULL;
    CHECK_EQ_INT(ave_settings_new(&s), 0);
    if (!s)
        abort();
    return s;
}

/* Apply and return the error code; err receives the message. */
static int apply(ave_settings *s, const char *path, const char *name, char *err, size_t len)
{
    int ret = ave_settings_apply_profile(s, path, name, err, len);
    if (ret < 0)
        fprintf(stderr, "  (expected?) %s\n", err);
    return ret;
}

static void test_builtins(void)
{
    char err[512], list[512];
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);

    CHECK_EQ_INT(ave_profiles_list(NULL, list, sizeof list), 0);
    CHECK(!strcmp(list, "quality_optimized, resource_constrained, speed_optimized"));

    CHECK_EQ_INT(apply(s, NULL, "speed_optimized", err, sizeof err), 0);
    CHECK_EQ_INT(c->mode, AVE_MODE_FAST);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_MEDIUM);
    CHECK_EQ_INT(c->parallel, 1);
    CHECK_NEAR(c->max_memory_gb, 4, 0);
    CHECK_EQ_INT(c->enable_caching, 1);
    CHECK_EQ_INT(ave_settings_source(s, "mode"), AVE_SRC_PROFILE);
    CHECK_EQ_INT(ave_settings_source(s, "timeout"), AVE_SRC_DEFAULT);
    ave_settings_free(s);

    s = new_settings();
    c = ave_settings_config(s);
    CHECK_EQ_INT(apply(s, NULL, "quality_optimized", err, sizeof err), 0);
    CHECK_EQ_INT(c->mode, AVE_MODE_HIGH_QUALITY);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_ULTRA);
    CHECK_EQ_INT(c->parallel, 1);
    CHECK_NEAR(c->max_memory_gb, 12, 0);
    CHECK_EQ_INT(c->enable_caching, 1); /* not in the profile: the default */
    ave_settings_free(s);

    s = new_settings();
    c = ave_settings_config(s);
    CHECK_EQ_INT(apply(s, NULL, "resource_constrained", err, sizeof err), 0);
    CHECK_EQ_INT(c->mode, AVE_MODE_FAST);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_LOW);
    CHECK_EQ_INT(c->parallel, 0);
    CHECK_NEAR(c->max_memory_gb, 2, 0);
    CHECK_EQ_INT(c->enable_caching, 1);
    CHECK_NEAR(c->cache_size_gb, 1, 0);

    CHECK_EQ_INT(apply(s, NULL, "fast", err, sizeof err), AVE_ERR_USAGE);
    CHECK(!strcmp(err, "no profile 'fast' (available: quality_optimized, resource_constrained, "
                       "speed_optimized)"));
    /* Name NULL: only checks the sources. */
    CHECK_EQ_INT(apply(s, NULL, NULL, err, sizeof err), 0);
    ave_settings_free(s);
}

static const char good_yaml[] =
    "# performance_profiles.yaml\n"
    "profiles:\n"
    "  studio:\n"
    "    description: \"Deep analysis for the studio machine\"\n"
    "    inherits: quality_optimized\n"
    "    max-memory: 32\n"
    "    timeout: '600'\n"
    "    api_timeout: \"45.5\"\n"
    "    enable_beat_sync: yes\n"
    "    output: /srv/edits\n"
    "  laptop:\n"
    "    inherits: studio\n"
    "    max_memory_gb: 6\n"  /* the original tool's key */
    "    parallel: off\n"
    "    type: educational\n"
    "  empty:\n"
    "  anchored: &base\n"
    "    quality: low\n"
    "  aliased: *base\n";

static void test_good_file(void)
{
    char err[512], list[512];
    const char *path = profile_file("good.yaml", good_yaml);
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);

    CHECK_EQ_INT(ave_profiles_list(path, list, sizeof list), 0);
    CHECK(!strcmp(list, "aliased, anchored, empty, laptop, quality_optimized, resource_constrained, "
                        "speed_optimized, studio"));

    /* laptop <- studio <- quality_optimized: each overrides its ancestors. */
    CHECK_EQ_INT(apply(s, path, "laptop", err, sizeof err), 0);
    CHECK_EQ_INT(c->mode, AVE_MODE_HIGH_QUALITY);  /* quality_optimized */
    CHECK_EQ_INT(c->quality, AVE_QUALITY_ULTRA);   /* quality_optimized */
    CHECK_NEAR(c->timeout_s, 600, 0);              /* studio */
    CHECK_NEAR(c->api_timeout_s, 45.5, 0);         /* studio */
    CHECK_EQ_INT(c->enable_beat_sync, 1);          /* studio */
    CHECK(c->output && !strcmp(c->output, "/srv/edits"));
    CHECK_NEAR(c->max_memory_gb, 6, 0);            /* laptop over studio's 32 */
    CHECK_EQ_INT(c->parallel, 0);                  /* laptop over quality_optimized */
    CHECK_EQ_INT(c->content_type, AVE_TYPE_EDUCATIONAL);
    CHECK_EQ_INT(ave_settings_source(s, "max-memory"), AVE_SRC_PROFILE);
    ave_settings_free(s);

    s = new_settings();
    c = ave_settings_config(s);
    CHECK_EQ_INT(apply(s, path, "empty", err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_HIGH);
    CHECK_EQ_INT(apply(s, path, "aliased", err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_LOW);
    CHECK_EQ_INT(ave_settings_set(s, "quality", "high", AVE_SRC_PROFILE, err, sizeof err), 0);
    CHECK_EQ_INT(apply(s, path, "anchored", err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_LOW);
    /* Built-ins stay available next to a file. */
    CHECK_EQ_INT(apply(s, path, "speed_optimized", err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_MEDIUM);
    CHECK_EQ_INT(apply(s, path, NULL, err, sizeof err), 0);
    ave_settings_free(s);

    /* An empty file or one with only comments has no profiles of its own. */
    const char *empty = profile_file("empty.yaml", "");
    CHECK_EQ_INT(ave_profiles_list(empty, list, sizeof list), 0);
    CHECK(!strcmp(list, "quality_optimized, resource_constrained, speed_optimized"));
    const char *comments = profile_file("comments.yaml", "# nothing yet\nprofiles:\n");
    CHECK_EQ_INT(ave_profiles_list(comments, list, sizeof list), 0);
    CHECK(!strcmp(list, "quality_optimized, resource_constrained, speed_optimized"));

    /* A short buffer gets a terminated prefix and AVE_ERR_LIMIT. */
    char small[20];
    CHECK_EQ_INT(ave_profiles_list(NULL, small, sizeof small), AVE_ERR_LIMIT);
    CHECK(strlen(small) < sizeof small);
}

static void test_override_builtin(void)
{
    char err[512];
    /* A file profile replaces the built-in entirely... */
    const char *path = profile_file("override.yaml", "profiles:\n"
                                                     "  speed_optimized:\n"
                                                     "    quality: high\n");
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);
    CHECK_EQ_INT(apply(s, path, "speed_optimized", err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_HIGH);
    CHECK_EQ_INT(c->mode, AVE_MODE_BALANCED); /* not the built-in's fast */
    CHECK_NEAR(c->max_memory_gb, 8, 0);
    ave_settings_free(s);

    /* ...unless it inherits its own name, which extends the built-in. */
    path = profile_file("extend.yaml", "profiles:\n"
                                       "  speed_optimized:\n"
                                       "    inherits: speed_optimized\n"
                                       "    quality: high\n");
    s = new_settings();
    c = ave_settings_config(s);
    CHECK_EQ_INT(apply(s, path, "speed_optimized", err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_HIGH);
    CHECK_EQ_INT(c->mode, AVE_MODE_FAST);
    CHECK_NEAR(c->max_memory_gb, 4, 0);
    ave_settings_free(s);
}

/* Profile < env < flags whichever order the CLI applies them in. */
static void test_precedence(void)
{
    char err[512];
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);
    char *env[] = {"AI_VIDEO_EDITOR_QUALITY=low", NULL};

    CHECK_EQ_INT(ave_settings_apply_env(s, env, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_set(s, "max-memory", "3", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(apply(s, NULL, "quality_optimized", err, sizeof err), 0);
    CHECK_EQ_INT(c->quality, AVE_QUALITY_LOW);     /* env kept */
    CHECK_NEAR(c->max_memory_gb, 3, 0);            /* flag kept */
    CHECK_EQ_INT(c->mode, AVE_MODE_HIGH_QUALITY);  /* profile over default */
    CHECK_EQ_INT(ave_settings_source(s, "quality"), AVE_SRC_ENV);
    CHECK_EQ_INT(ave_settings_source(s, "max-memory"), AVE_SRC_FLAG);
    CHECK_EQ_INT(ave_settings_source(s, "mode"), AVE_SRC_PROFILE);
    ave_settings_free(s);
}

/* Expect apply to fail with exactly msg (after the temp-dir prefix). */
static void expect_error(const char *file, const char *text, const char *name, const char *msg)
{
    char err[512], expected[PATH_MAX + 600];
    const char *path = profile_file(file, text);
    ave_settings *s = new_settings();
    const ave_config *c = ave_settings_config(s);

    CHECK_EQ_INT(apply(s, path, name, err, sizeof err), AVE_ERR_USAGE);
    snprintf(expected, sizeof expected, "%s%s", path, msg);
    if (strcmp(err, expected) != 0) {
        fprintf(stderr, "%s:%d: got      '%s'\n  expected '%s'\n", __FILE__, __LINE__, err,
                expected);
        check_failures++;
    }
    /* On error nothing was applied. */
    CHECK_EQ_INT(c->quality, AVE_QUALITY_HIGH);
    CHECK_EQ_INT(c->mode, AVE_MODE_BALANCED);
    CHECK_EQ_INT(ave_settings_source(s, "quality"), AVE_SRC_DEFAULT);
    ave_settings_free(s);
}

static void test_errors(void)
{
    expect_error("syntax.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: fast\n"
                 "  - quality: low\n",
                 "a",
                 ":4: YAML syntax error: did not find expected key (while parsing a block "
                 "mapping)");
    expect_error("syntax2.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: \"fast\n",
                 "a", ":4: YAML syntax error: found unexpected end of stream (while scanning a "
                      "quoted scalar)");
    expect_error("utf8.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: \xff\n",
                 "a", ":3: YAML syntax error: invalid leading UTF-8 octet (byte 25)");
    expect_error("tab.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "\tmode: fast\n",
                 "a",
                 ":3: YAML syntax error: found character that cannot start any token (while "
                 "scanning for the next token)");
    expect_error("unknown_key.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: fast\n"
                 "    qualty: low\n",
                 "a", ":4: key 'qualty': unknown option (did you mean 'quality'?)");
    expect_error("unknown_key2.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: fast\n"
                 "    frobnicate: 3\n",
                 "a", ":4: key 'frobnicate': unknown option");
    expect_error("bad_value.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: fast\n"
                 "    quality: best\n",
                 "a", ":4: key 'quality': 'best' is not one of low|medium|high|ultra");
    expect_error("bad_range.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    max_memory: 0.1\n",
                 "a", ":3: key 'max_memory': 0.1 is below the minimum 0.25");
    /* An error in an inherited profile names that profile's line. */
    expect_error("bad_parent.yaml",
                 "profiles:\n"
                 "  base:\n"
                 "    parallel: maybe\n"
                 "  a:\n"
                 "    inherits: base\n"
                 "    mode: fast\n",
                 "a",
                 ":3: key 'parallel': 'maybe' is not a boolean (use true/false, yes/no, on/off, "
                 "1/0)");
    expect_error("no_profile.yaml",
                 "profiles:\n"
                 "  mine:\n"
                 "    mode: fast\n",
                 "fast",
                 ": no profile 'fast' (available: mine, quality_optimized, resource_constrained, "
                 "speed_optimized)");
    expect_error("cli_only.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    profile: speed_optimized\n",
                 "a", ":3: key 'profile': cannot be set in a profile");
    expect_error("nested.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode:\n"
                 "      fast: 1\n",
                 "a", ":4: key 'mode': expected a single value, not a mapping");
    expect_error("list.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: [fast, balanced]\n",
                 "a", ":3: key 'mode': expected a single value, not a list");
    expect_error("not_mapping.yaml",
                 "profiles:\n"
                 "  a: fast\n",
                 "a", ":2: profile 'a': expected a mapping of option: value");
    expect_error("top.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: fast\n"
                 "settings:\n"
                 "  x: 1\n",
                 "a", ":4: unknown top-level key 'settings' (expected 'profiles')");
    expect_error("top_list.yaml", "- a\n- b\n", "a",
                 ":1: expected a mapping with a 'profiles' key");
    expect_error("dup_profile.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: fast\n"
                 "  a:\n"
                 "    mode: balanced\n",
                 "a", ":4: profile 'a' is defined twice (first at line 2)");
    expect_error("dup_key.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    max-memory: 2\n"
                 "    max_memory: 3\n",
                 "a", ":4: key 'max_memory' appears twice in profile 'a' (first at line 3)");
    expect_error("cycle.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    inherits: b\n"
                 "  b:\n"
                 "    inherits: c\n"
                 "  c:\n"
                 "    inherits: a\n",
                 "a", ":7: profile 'c': inheritance cycle a -> b -> c -> a");
    expect_error("self.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    inherits: a\n",
                 "a", ":3: profile 'a': inheritance cycle a -> a");
    expect_error("bad_inherits.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    inherits: nope\n",
                 "a",
                 ":3: profile 'a' inherits unknown profile 'nope' (available: a, "
                 "quality_optimized, resource_constrained, speed_optimized)");
    expect_error("two_docs.yaml",
                 "profiles:\n"
                 "  a:\n"
                 "    mode: fast\n"
                 "---\n"
                 "profiles: {}\n",
                 "a", ":5: only one YAML document is allowed");

    /* Missing or unreadable files. */
    char err[512], list[512], missing[PATH_MAX + 32];
    snprintf(missing, sizeof missing, "%s/missing.yaml", tmp_root);
    ave_settings *s = new_settings();
    CHECK_EQ_INT(apply(s, missing, "a", err, sizeof err), AVE_ERR_USAGE);
    char expected[PATH_MAX + 100];
    snprintf(expected, sizeof expected, "%s: cannot read: No such file or directory", missing);
    CHECK(!strcmp(err, expected));
    CHECK_EQ_INT(apply(s, missing, NULL, err, sizeof err), AVE_ERR_USAGE); /* validate only */
    CHECK_EQ_INT(apply(s, tmp_root, "a", err, sizeof err), AVE_ERR_USAGE);  /* a directory */
    CHECK(strstr(err, ": cannot read: Is a directory") != NULL);
    CHECK_EQ_INT(ave_profiles_list(missing, list, sizeof list), AVE_ERR_USAGE);
    CHECK(!strcmp(list, expected)); /* the message replaces the list */
    ave_settings_free(s);
}

/* Unknown keys in profiles that are not selected do not matter (a file may
 * hold keys for stages of another build); their syntax still does. */
static void test_unselected(void)
{
    char err[512];
    const char *path = profile_file("mixed.yaml", "profiles:\n"
                                                  "  future:\n"
                                                  "    beat_sensitivity: 0.7\n"
                                                  "  now:\n"
                                                  "    quality: low\n");
    ave_settings *s = new_settings();
    CHECK_EQ_INT(apply(s, path, "now", err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_config(s)->quality, AVE_QUALITY_LOW);
    ave_settings_free(s);
}

/* A stage option through "stage.name" keys, generic over the registry. */
static void test_stage_key(void)
{
    size_t count = 0;
    const ave_stage *const *stages = ave_stage_registry(&count);
    char err[512], text[1024], buf[256], name[200];

    for (size_t i = 0; i < count; i++) {
        const ave_option *o = stages[i]->options;
        if (!o || !o->name)
            continue;
        ave_settings *s = new_settings();
        CHECK_EQ_INT(ave_option_format(o, ave_settings_stage_opts(s, stages[i]->name), buf,
                                       sizeof buf),
                     0);
        snprintf(name, sizeof name, "%s.%s", stages[i]->name, o->name);
        snprintf(text, sizeof text, "profiles:\n  p:\n    %s: \"%s\"\n", name,
                 buf[0] ? buf : o->choices ? o->choices[0] : "x");
        const char *path = profile_file("stage.yaml", text);
        CHECK_EQ_INT(apply(s, path, "p", err, sizeof err), 0);
        CHECK_EQ_INT(ave_settings_source(s, name), AVE_SRC_PROFILE);
        ave_settings_free(s);
    }
}

static void test_locate(void)
{
    char cwd_saved[PATH_MAX], dir[PATH_MAX + 100], f_cwd[PATH_MAX + 100],
        f_xdg[PATH_MAX + 100], f_home[PATH_MAX + 100];
    char *found = NULL;
    const char *old_home = getenv("HOME"), *old_xdg = getenv("XDG_CONFIG_HOME");
    char *home_copy = old_home ? strdup(old_home) : NULL;
    char *xdg_copy = old_xdg ? strdup(old_xdg) : NULL;

    if (!getcwd(cwd_saved, sizeof cwd_saved))
        abort();
    snprintf(dir, sizeof dir, "%s/work", tmp_root);
    CHECK_EQ_INT(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof dir, "%s/xdg", tmp_root);
    CHECK_EQ_INT(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof dir, "%s/xdg/ai-video-editor", tmp_root);
    CHECK_EQ_INT(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof dir, "%s/home", tmp_root);
    CHECK_EQ_INT(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof dir, "%s/home/.config", tmp_root);
    CHECK_EQ_INT(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof dir, "%s/home/.config/ai-video-editor", tmp_root);
    CHECK_EQ_INT(mkdir(dir, 0700), 0);

    snprintf(f_cwd, sizeof f_cwd, "%s/work/performance_profiles.yaml", tmp_root);
    snprintf(f_xdg, sizeof f_xdg, "%s/xdg/ai-video-editor/performance_profiles.yaml", tmp_root);
    snprintf(f_home, sizeof f_home, "%s/home/.config/ai-video-editor/performance_profiles.yaml",
             tmp_root);
    write_file(f_cwd, "profiles:\n  from_cwd:\n    quality: low\n");
    write_file(f_xdg, "profiles:\n  from_xdg:\n    quality: low\n");
    write_file(f_home, "profiles:\n  from_home:\n    quality: low\n");

    snprintf(dir, sizeof dir, "%s/work", tmp_root);
    CHECK_EQ_INT(chdir(dir), 0);
    snprintf(dir, sizeof dir, "%s/xdg", tmp_root);
    setenv("XDG_CONFIG_HOME", dir, 1);
    snprintf(dir, sizeof dir, "%s/home", tmp_root);
    setenv("HOME", dir, 1);

    /* 1. ./performance_profiles.yaml */
    CHECK_EQ_INT(ave_profiles_locate(NULL, &found), 0);
    CHECK(found && !strcmp(found, "./performance_profiles.yaml"));
    if (found) {
        ave_settings *s = new_settings();
        char err[512];
        CHECK_EQ_INT(apply(s, found, "from_cwd", err, sizeof err), 0);
        ave_settings_free(s);
    }
    free(found);

    /* 2. $XDG_CONFIG_HOME/ai-video-editor/ */
    CHECK_EQ_INT(unlink(f_cwd), 0);
    CHECK_EQ_INT(ave_profiles_locate(NULL, &found), 0);
    CHECK(found && !strcmp(found, f_xdg));
    free(found);

    /* 3. ~/.config/ai-video-editor/ when XDG has none (or is unset/empty) */
    CHECK_EQ_INT(unlink(f_xdg), 0);
    CHECK_EQ_INT(ave_profiles_locate(NULL, &found), 0);
    CHECK(found && !strcmp(found, f_home));
    free(found);
    unsetenv("XDG_CONFIG_HOME");
    CHECK_EQ_INT(ave_profiles_locate(NULL, &found), 0);
    CHECK(found && !strcmp(found, f_home));
    free(found);
    setenv("XDG_CONFIG_HOME", "", 1);
    CHECK_EQ_INT(ave_profiles_locate(NULL, &found), 0);
    CHECK(found && !strcmp(found, f_home));
    free(found);

    /* 4. nothing: NULL, built-ins only, not an error */
    CHECK_EQ_INT(unlink(f_home), 0);
    found = (char *)"sentinel";
    CHECK_EQ_INT(ave_profiles_locate(NULL, &found), 0);
    CHECK(found == NULL);
    unsetenv("HOME");
    CHECK_EQ_INT(ave_profiles_locate(NULL, &found), 0);
    CHECK(found == NULL);

    /* An explicit path is returned as given, even when missing: reading it
     * reports the error. */
    CHECK_EQ_INT(ave_profiles_locate("/nonexistent/p.yaml", &found), 0);
    CHECK(found && !strcmp(found, "/nonexistent/p.yaml"));
    free(found);

    CHECK_EQ_INT(chdir(cwd_saved), 0);
    if (home_copy)
        setenv("HOME", home_copy, 1);
    if (xdg_copy)
        setenv("XDG_CONFIG_HOME", xdg_copy, 1);
    else
        unsetenv("XDG_CONFIG_HOME");
    free(home_copy);
    free(xdg_copy);
}

/* rm -r of the test's own temp tree (opendir/readdir keep it POSIX). */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            char child[PATH_MAX + 300];
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        if (d)
            closedir(d);
        CHECK_EQ_INT(rmdir(path), 0);
    } else {
        CHECK_EQ_INT(unlink(path), 0);
    }
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp_root, sizeof tmp_root, "%s/ave-test-profile-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        return 1;
    }
    test_builtins();
    test_good_file();
    test_override_builtin();
    test_precedence();
    test_errors();
    test_unselected();
    test_stage_key();
    test_locate();
    remove_tree(tmp_root);
    return CHECK_DONE();
}
