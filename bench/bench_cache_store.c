/* Benchmark of the results cache's bookkeeping on a large cache (not a test:
 * no pass/fail). bench/bench_cache_store.sh runs it twice in one go, linked
 * once with this tree's src/cache and once with an older commit's, so the
 * two layouts are timed on the same machine and the same data.
 *
 * Usage: bench_cache_store DIR STORES BLOB_KIB [ENTRIES]
 * With ENTRIES, first fills DIR's cache through ave_cache_put (ENTRIES blobs
 * of BLOB_KIB, every tenth an "api" entry with a lifetime, the rest
 * persistent) and times that; without, DIR must already hold a filled cache
 * of the layout this binary reads. Then times STORES stores of new BLOB_KIB
 * blobs with room to spare (the expiry pass and the size check only), STORES
 * stores at the size cap (each evicts the least recently used), and STORES
 * lookups, and prints one line per phase. Run on a cache of another layout
 * (no ENTRIES), it shows what the upgrade costs: the open rebuilds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ave/cache.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *phase, double *ms, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += ms[i];
    qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
    printf("%-22s %4d x  mean %9.2f ms  median %9.2f ms  max %9.2f ms\n", phase, n, sum / n,
           ms[n / 2], ms[n - 1]);
}

static int open_cache(const char *dir, int64_t max_bytes, ave_cache **c)
{
    ave_cache_options o;
    ave_cache_options_init(&o);
    o.dir = dir;
    o.max_bytes = max_bytes;
    return ave_cache_open(c, &o);
}

/* STORES puts of fresh keys named prefix-i; times into ms. */
static int stores(ave_cache *c, const char *prefix, int n, unsigned char *blob, size_t size,
                  double *ms)
{
    char key[64];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "%s-%d", prefix, i);
        blob[0] = (unsigned char)i;
        double t0 = now_ms();
        int ret = ave_cache_put(c, AVE_CACHE_AUDIO, key, "check", blob, size);
        ms[i] = now_ms() - t0;
        if (ret < 0) {
            fprintf(stderr, "store %s failed: %d\n", key, ret);
            return ret;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s DIR STORES BLOB_KIB [ENTRIES]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int n = atoi(argv[2]), entries = argc > 4 ? atoi(argv[4]) : 0;
    size_t size = (size_t)atoi(argv[3]) * 1024;
    unsigned char *blob = malloc(size);
    double *ms = calloc((size_t)(n > 0 ? n : 1), sizeof(*ms));
    ave_cache *c = NULL;
    ave_cache_stats st;
    int ret = 1;

    if (!blob || !ms || n <= 0 || !size)
        goto out;
    for (size_t i = 0; i < size; i++)
        blob[i] = (unsigned char)(i * 2654435761u >> 11);
    if (entries > 0) {
        if (open_cache(dir, 0, &c) < 0)
            goto out;
        double t0 = now_ms();
        for (int i = 0; i < entries; i++) {
            char key[64];
            snprintf(key, sizeof key, "fill-%d", i);
            memcpy(blob, &i, sizeof(i));
            if (ave_cache_put(c, i % 10 ? AVE_CACHE_AUDIO : AVE_CACHE_API, key, "check", blob,
                              size) < 0)
                goto out;
        }
        printf("%-22s %4d x  %.1f s in all\n", "fill", entries, (now_ms() - t0) / 1e3);
        ave_cache_close(c);
        c = NULL;
    }

    /* Room to spare: 4 GiB. The open is timed too: on a file of another
     * layout it includes the rebuild. */
    double t_open = now_ms();
    if (open_cache(dir, 4ll << 30, &c) < 0)
        goto out;
    printf("%-22s %4d x  %.2f ms\n", "open", 1, now_ms() - t_open);
    if (ave_cache_get_stats(c, 1, &st) < 0)
        goto out;
    printf("cache: %lld entries, %.2f GiB of blobs, file %.2f GiB\n", (long long)st.entries,
           (double)st.size_bytes / (1 << 30), (double)st.file_bytes / (1 << 30));
    if (stores(c, "spare", n, blob, size, ms) < 0)
        goto out;
    report("store, room to spare", ms, n);
    if (ave_cache_get_stats(c, 1, &st) < 0)
        goto out;
    ave_cache_close(c);
    c = NULL;

    /* At the cap: every store evicts the oldest entry. */
    if (open_cache(dir, st.size_bytes, &c) < 0)
        goto out;
    if (stores(c, "full", n, blob, size, ms) < 0)
        goto out;
    report("store, evicting", ms, n);

    for (int i = 0; i < n; i++) {
        char key[64];
        void *got = NULL;
        size_t got_size = 0;
        snprintf(key, sizeof key, "full-%d", i);
        double t0 = now_ms();
        if (ave_cache_get(c, AVE_CACHE_AUDIO, key, NULL, NULL, &got, &got_size) < 0 || !got)
            goto out;
        ms[i] = now_ms() - t0;
        free(got);
    }
    report("lookup (hit)", ms, n);
    if (ave_cache_get_stats(c, 0, &st) < 0)
        goto out;
    printf("evictions: %lld\n", (long long)st.evictions);
    ret = 0;
out:
    ave_cache_close(c);
    free(blob);
    free(ms);
    if (ret)
        fprintf(stderr, "bench_cache_store: failed\n");
    return ret;
}
