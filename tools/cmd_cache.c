/* `ai-video-editor cache stats|clear|vacuum [--cache-dir DIR]`: look after
 * the results cache. The folder is --cache-dir, else
 * $AI_VIDEO_EDITOR_CACHE_DIR, else $XDG_CACHE_HOME/ai-video-editor (or
 * ~/.cache/ai-video-editor), exactly as `process` finds it. stats shows the
 * database's lifetime counters; clear empties it; vacuum drops expired
 * entries and gives the freed space back to the file system. */
#include <stdio.h>
#include <string.h>

#include "ave/cache.h"
#include "cli.h"

static void print_size(const char *label, int64_t bytes)
{
    if (bytes >= 1 << 20)
        printf("%s%.1f MiB (%lld bytes)\n", label, (double)bytes / (1 << 20), (long long)bytes);
    else
        printf("%s%lld bytes\n", label, (long long)bytes);
}

static void print_stats(const ave_cache *c, const ave_cache_stats *st)
{
    printf("database:    %s\n", ave_cache_path(c));
    printf("entries:     %lld\n", (long long)st->entries);
    print_size("stored:      ", st->size_bytes);
    print_size("on disk:     ", st->file_bytes);
    print_size("bytes saved: ", st->bytes_saved);
    printf("evictions:   %lld\n", (long long)st->evictions);
    printf("\n%-10s %8s %14s %8s %8s %9s\n", "kind", "entries", "bytes", "hits", "misses",
           "hit rate");
    for (int k = 0; k < AVE_CACHE_KIND_COUNT; k++) {
        const ave_cache_kind_stats *ks = &st->kind[k];
        char rate[16] = "-";
        if (ks->hits + ks->misses > 0)
            snprintf(rate, sizeof(rate), "%.0f%%",
                     100.0 * (double)ks->hits / (double)(ks->hits + ks->misses));
        printf("%-10s %8lld %14lld %8lld %8lld %9s\n", ave_cache_kind_name(k),
               (long long)ks->entries, (long long)ks->bytes, (long long)ks->hits,
               (long long)ks->misses, rate);
    }
}

int cli_cmd_cache(int argc, char **argv)
{
    cli_session cs;
    ave_cache_options o;
    ave_cache *c = NULL;
    ave_cache_stats st;
    int code = AVE_EXIT_OK, r;

    if ((r = cli_session_begin(&cs, argc, argv)) != 0)
        return cli_session_exit_code(r);
    const char *action = cs.input_count == 1 ? cs.inputs[0] : NULL;
    if (!action) {
        code = ave_exit_code(cli_usage("cache needs one action: stats, clear or vacuum"));
        goto out;
    }
    if (strcmp(action, "stats") && strcmp(action, "clear") && strcmp(action, "vacuum")) {
        code =
            ave_exit_code(cli_usage("unknown cache action '%s' (stats, clear or vacuum)", action));
        goto out;
    }

    const ave_config *cfg = ave_settings_config(cs.settings);
    ave_cache_options_init(&o);
    o.dir = cfg->cache_dir;
    o.max_bytes = (int64_t)(cfg->cache_size_gb * 1024 * 1024 * 1024);
    char why[1024] = "";
    o.errbuf = why;
    o.errlen = sizeof(why);
    if ((r = ave_cache_open(&c, &o)) < 0) {
        cli_error("%s", why[0] ? why : ave_strerror(r));
        code = ave_exit_code(r);
        goto out;
    }
    if (!strcmp(action, "stats")) {
        r = ave_cache_get_stats(c, 1, &st);
        if (r == 0)
            print_stats(c, &st);
    } else if (!strcmp(action, "clear")) {
        r = ave_cache_clear(c);
        if (r == 0)
            printf("cleared %s\n", ave_cache_path(c));
    } else {
        int64_t before = 0;
        if (ave_cache_get_stats(c, 1, &st) == 0)
            before = st.file_bytes;
        r = ave_cache_vacuum(c);
        if (r == 0 && (r = ave_cache_get_stats(c, 1, &st)) == 0)
            printf("vacuumed %s: %lld -> %lld bytes on disk\n", ave_cache_path(c),
                   (long long)before, (long long)st.file_bytes);
    }
    if (r < 0) {
        cli_error("cache %s failed: %s", action, ave_strerror(r));
        code = ave_exit_code(r);
    }
out:
    ave_cache_close(c);
    cli_session_end(&cs);
    return code;
}
